/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dp-ctl.h"

#include <stdarg.h>
#include <stdio.h>

void
dp_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

int
dp_ctl_fail (int code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "deskphonectl: %s\n", message);
  return code;
}

gboolean
dp_ctl_parse_options (int *argc, char ***argv, const char *parameter_string,
                      const char *summary, GOptionEntry *entries, gboolean *json)
{
  GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, json_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  /* Dial strings and scripts may start with '-' (e.g. "-1"); "--" ends
   * options as usual. */
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "deskphonectl: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}
