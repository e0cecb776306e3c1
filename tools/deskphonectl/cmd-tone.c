/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `deskphonectl tone SCRIPT [--kind freq|tone|cad|ring|led] [--json]`
 * (architecture §4.2): decodes a Freq/Tone/Cad/Ring/LED script offline.
 * The kind is detected unless --kind forces it. A malformed script exits 2
 * with the parser's message, which names the offending position. */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "deskphonectl"

#include <stdio.h>

#include "dp-ctl.h"
#include "dp-script.h"

static void
print_ms (const char *label,
          JsonObject *o,
          const char *member)
{
  if (json_object_get_null_member (o, member))
    printf ("%sforever", label);
  else
    printf ("%s%g s", label, json_object_get_int_member (o, member) / 1000.0);
}

static void
print_text (JsonObject *root)
{
  const char *kind = json_object_get_string_member (root, "kind");

  if (json_object_has_member (root, "frequencies"))
    {
      JsonArray *freqs = json_object_get_array_member (root, "frequencies");

      for (guint i = 0; i < json_array_get_length (freqs); i++)
        {
          JsonObject *f = json_array_get_object_element (freqs, i);
          printf ("frequency %u: %" G_GINT64_FORMAT " Hz at %.1f dBm\n", i + 1,
                  json_object_get_int_member (f, "frequency"),
                  json_object_get_double_member (f, "level"));
        }
    }
  if (json_object_has_member (root, "sections"))
    {
      JsonArray *sections = json_object_get_array_member (root, "sections");

      for (guint i = 0; i < json_array_get_length (sections); i++)
        {
          JsonObject *s = json_array_get_object_element (sections, i);
          JsonArray *segs = json_object_get_array_member (s, "segments");

          printf ("section %u:", i + 1);
          print_ms (" ", s, "duration_ms");
          printf ("\n");
          for (guint j = 0; j < json_array_get_length (segs); j++)
            {
              JsonObject *seg = json_array_get_object_element (segs, j);

              printf ("  segment %u:", j + 1);
              print_ms (" on ", seg, "on_ms");
              print_ms (", off ", seg, "off_ms");
              if (json_object_has_member (seg, "components"))
                {
                  JsonArray *c = json_object_get_array_member (seg, "components");

                  printf (", frequencies ");
                  if (json_array_get_length (c) == 0)
                    printf ("none");
                  for (guint k = 0; k < json_array_get_length (c); k++)
                    printf ("%s%" G_GINT64_FORMAT, k ? "+" : "",
                            json_array_get_int_element (c, k));
                }
              printf ("\n");
            }
        }
      print_ms ("total: ", root, "total_ms");
      printf ("\n");
    }
  if (g_str_equal (kind, "ring"))
    {
      printf ("name: %s\n", json_object_get_string_member (root, "name"));
      if (json_object_get_null_member (root, "waveform"))
        printf ("waveform: %s\n",
                json_object_get_string_member (json_object_get_object_member (root, "url"), "text"));
      else
        printf ("waveform: %" G_GINT64_FORMAT " (%s)\n",
                json_object_get_int_member (root, "waveform"),
                json_object_get_string_member (root, "waveform_name"));
      if (json_object_get_boolean_member (root, "natural_length"))
        printf ("cadence: 0 (natural length)\n");
      else
        printf ("cadence: %" G_GINT64_FORMAT "\n", json_object_get_int_member (root, "cadence"));
      if (!json_object_get_null_member (root, "break_ms"))
        print_ms ("break: ", root, "break_ms"), printf ("\n");
      if (!json_object_get_null_member (root, "total_ms"))
        print_ms ("total: ", root, "total_ms"), printf ("\n");
    }
  if (g_str_equal (kind, "led"))
    {
      JsonArray *timing = json_object_get_array_member (root, "timing_ms");

      printf ("color: %s\npattern: %s\n", json_object_get_string_member (root, "color"),
              json_object_get_string_member (root, "pattern"));
      if (json_array_get_length (timing) > 0)
        {
          printf ("timing (ms):");
          for (guint i = 0; i < json_array_get_length (timing); i++)
            printf (" %s %" G_GINT64_FORMAT, i % 2 ? "off" : "on",
                    json_array_get_int_element (timing, i));
          printf ("\n");
        }
    }
}

int
dp_ctl_cmd_tone (int argc, char **argv)
{
  g_autofree char *kind_name = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean json = FALSE;
  DpScriptKind kind = DP_SCRIPT_KIND_UNKNOWN;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_name,
      N_("Script kind instead of detecting it"), "freq|tone|cad|ring|led" },
    { NULL }
  };

  if (!dp_ctl_parse_options (&argc, &argv, "SCRIPT",
                             N_("Decode a FreqScript, ToneScript, CadScript, RingScript or LED script."),
                             entries, &json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc < 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("usage: tone SCRIPT [--kind freq|tone|cad|ring|led] [--json]"));
  if (kind_name != NULL && !dp_script_kind_from_string (kind_name, &kind))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                        _("unknown script kind '%s' (freq, tone, cad, ring or led)"), kind_name);

  /* An unquoted script with a space ("350@-19, 440@-19;…") arrives split. */
  script = g_strjoinv (" ", argv + 1);
  root = dp_script_to_json (script, kind, &error);
  if (root == NULL)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);

  if (json)
    dp_ctl_print_json (root);
  else
    {
      JsonObject *o = json_node_get_object (root);
      printf ("%s script\n", json_object_get_string_member (o, "kind"));
      print_text (o);
    }
  return DP_CTL_EXIT_OK;
}
