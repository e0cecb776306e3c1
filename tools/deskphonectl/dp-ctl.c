/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dp-ctl.h"
#include "dp-call.h"
#include "dp-line.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>

static gboolean
is_c_locale (const char *name)
{
  return name == NULL || g_str_equal (name, "C") || g_str_equal (name, "POSIX");
}

void
dp_ctl_init_locale (void)
{
  const char *dir = g_getenv ("DESKPHONE_LOCALEDIR");
  const char *language = g_getenv ("LANGUAGE");

  setlocale (LC_ALL, "");
  /* glibc ignores LANGUAGE under the "C" locale, which is what a phone's
   * shell (and a service manager) usually has. As the daemon's l10n plugin
   * does, a C locale becomes C.UTF-8 when LANGUAGE asks for a language, so
   * that `LANGUAGE=de deskphonectl ...` speaks German; the character type
   * follows so that GLib prints the translations (and the JSON, which is
   * UTF-8 anyway) without escaping them. */
  if (language != NULL && *language != '\0')
    {
      if (is_c_locale (setlocale (LC_MESSAGES, NULL)))
        setlocale (LC_MESSAGES, "C.UTF-8");
      if (is_c_locale (setlocale (LC_CTYPE, NULL)))
        setlocale (LC_CTYPE, "C.UTF-8");
    }
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

const char *
dp_ctl_call_state_label (const char *state)
{
  DpCallState value;

  return dp_call_state_from_string (state, &value) ? dp_call_state_label (value) : state;
}

const char *
dp_ctl_registration_label (const char *registration)
{
  return dp_registration_label (registration);
}

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

/* gettext maps the empty msgid to the catalogue header; GOption would
 * print that for a subcommand without positional arguments. */
static const char *
translate_help (const char *text, gpointer data)
{
  (void) data;
  return text == NULL || *text == '\0' ? text : _(text);
}

gboolean
dp_ctl_parse_options (int *argc, char ***argv, const char *parameter_string,
                      const char *summary, GOptionEntry *entries, gboolean *json)
{
  GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translate_func (context, translate_help, NULL, NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, json_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Dial strings and scripts may start with '-' (e.g. "-1"); "--" ends
   * options as usual. */
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "deskphonectl: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}
