/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests of the l10n plugin's pure parts: language names, the
 * Dictionary_Server_Script parser and the dictionary (.mo) validator,
 * over the catalogues the build compiled from po/ and over damaged
 * copies of them. */
#include "dp-build-config.h"
#include "dp-l10n-lang.h"
#include "dp-l10n-mo.h"

#include <string.h>

static void
test_language_codes (void)
{
  static const struct { const char *in, *code; } cases[] = {
    { "", "en" }, { NULL, "en" }, { "English", "en" }, { "English-US", "en" },
    { "french", "fr" }, { "FRENCH", "fr" }, { "German", "de" }, { "Deutsch", "de" },
    { "Español", "es" }, { "ESPAÑOL", "es" }, { "Spanish", "es" }, { "fr", "fr" },
    { "de_DE", "de_DE" }, { "pt-br", "pt_BR" }, { "de_DE.UTF-8", "de_DE" },
    { "Chinese", "zh_CN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = dp_l10n_language_code (cases[i].in);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
  g_assert_null (dp_l10n_language_code ("Klingon"));
  g_assert_null (dp_l10n_language_code ("f"));
  g_assert_null (dp_l10n_language_code ("de_DE/../x"));
  g_assert_cmpstr (dp_l10n_language_name ("de_AT"), ==, "German");
  g_assert_null (dp_l10n_language_name ("tlh"));
  {
    g_autofree char *list = dp_l10n_language_list ("de_AT");
    g_autofree char *plain = dp_l10n_language_list ("fr");
    g_assert_cmpstr (list, ==, "de_AT:de");
    g_assert_cmpstr (plain, ==, "fr");
  }
}

static void
test_script (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpL10nScript) script =
    dp_l10n_script_parse ("serv=http://10.0.0.1:8080/i18n/; d0=English;x0=enS.xml;"
                          "d1=French;x1=frS.xml;d3=Deutsch;x3=deS.xml;", &error);
  g_autofree char *url = NULL;
  const DpL10nDictionary *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (script->entries->len, ==, 3);
  entry = dp_l10n_script_find (script, "french");
  g_assert_nonnull (entry);
  url = dp_l10n_script_url (script, entry);
  g_assert_cmpstr (url, ==, "http://10.0.0.1:8080/i18n/frS.xml");
  /* Same language under another name. */
  g_assert_cmpstr (dp_l10n_script_find (script, "German")->file, ==, "deS.xml");
  g_assert_cmpstr (dp_l10n_script_find (script, "")->file, ==, "enS.xml");
  g_assert_null (dp_l10n_script_find (script, "Spanish"));
  g_clear_pointer (&script, dp_l10n_script_free);

  script = dp_l10n_script_parse ("serv=tftp://h;d0=French;x0=f.mo", &error);
  g_assert_no_error (error);
  g_clear_pointer (&url, g_free);
  url = dp_l10n_script_url (script, script->entries->pdata[0]);
  g_assert_cmpstr (url, ==, "tftp://h/f.mo");
  g_clear_pointer (&script, dp_l10n_script_free);

  script = dp_l10n_script_parse ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (script->entries->len, ==, 0);

  {
    static const struct { const char *text, *message; } bad[] = {
      { "serv=http://h/;d0=French", "character 16: d0 has no matching x0" },
      { "serv=http://h/;x2=f.mo", "character 16: x2 has no matching d2" },
      { "serv=http://h/;q0=1", "character 16: unknown key “q0”" },
      { "serv=a;serv=b", "character 8: serv is given twice" },
      { "d0=French;x0=f.mo", "serv is missing" },
      { "serv=http://h/;d0", "character 16: “d0” is not of the form key=value" },
      { "serv=http://h/;d0=;x0=f", "character 16: d0 has an empty value" },
      { "serv=x;d100=a;x100=b", "unknown key “d100”" },
      { "serv=x;d1=a;x1=b;d1=c", "d1 is given twice" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;
        g_autoptr(DpL10nScript) none = dp_l10n_script_parse (bad[i].text, &bad_error);

        g_assert_null (none);
        g_assert_error (bad_error, DP_L10N_SCRIPT_ERROR, DP_L10N_SCRIPT_ERROR_SYNTAX);
        if (strstr (bad_error->message, bad[i].message) == NULL)
          g_error ("“%s”: message “%s” lacks “%s”", bad[i].text, bad_error->message,
                   bad[i].message);
      }
  }
}

static GBytes *
built_catalogue (const char *lang)
{
  g_autofree char *path = g_build_filename (g_getenv ("DP_BUILD_ROOT"), "po", lang,
                                            "LC_MESSAGES", "deskphone.mo", NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize size;

  if (!g_file_get_contents (path, &data, &size, &error))
    g_error ("the build has no %s catalogue: %s", lang, error->message);
  return g_bytes_new_take (data, size);
}

static void
expect_invalid (const guint8 *data, gsize size, const char *lang, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_auto(DpL10nMoInfo) info = { NULL, 0 };

  if (dp_l10n_mo_validate (data, size, lang, &info, &error))
    g_error ("a catalogue that should fail with “%s” passed", fragment);
  g_assert_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID);
  g_assert_null (info.language);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, fragment);
}

static void
test_mo_built (void)
{
  static const char *langs[] = { "de", "fr", "es" };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr(GBytes) bytes = built_catalogue (langs[i]);
      g_autoptr(GError) error = NULL;
      g_auto(DpL10nMoInfo) info = { NULL, 0 };
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      g_assert_true (dp_l10n_mo_validate (data, size, langs[i], &info, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (info.language, ==, langs[i]);
      g_assert_cmpuint (info.n_messages, >, 100);
      /* Unknown name: no expectation, the header decides. */
      g_assert_true (dp_l10n_mo_validate (data, size, NULL, NULL, NULL));
      expect_invalid (data, size, g_str_equal (langs[i], "de") ? "fr" : "de", "is for language");
    }
}

static guint8 *
damaged (GBytes *bytes, gsize *size)
{
  return g_memdup2 (g_bytes_get_data (bytes, size), *size ? g_bytes_get_size (bytes) : 0);
}

static void
put_u32 (guint8 *data, gsize offset, guint32 value)
{
  memcpy (data + offset, &value, 4);   /* msgfmt writes host order */
}

static guint32
get_u32 (const guint8 *data, gsize offset)
{
  guint32 value;

  memcpy (&value, data + offset, 4);
  return value;
}

static void
test_mo_damaged (void)
{
  g_autoptr(GBytes) bytes = built_catalogue ("de");
  gsize size = g_bytes_get_size (bytes);
  const guint8 *good = g_bytes_get_data (bytes, NULL);
  g_autofree guint8 *copy = NULL;
  guint32 n_strings = get_u32 (good, 8), orig = get_u32 (good, 12), trans = get_u32 (good, 16);

  expect_invalid (good, 10, "de", "ends inside the catalogue header");
  expect_invalid (good, size / 2, "de", "outside the file");
  expect_invalid ((const guint8 *) "<dictionary/>\n........................", 40, "de",
                  "bad magic");

  copy = damaged (bytes, &size);
  put_u32 (copy, 4, 1);
  expect_invalid (copy, size, "de", "revision 1");
  g_free (copy);

  copy = damaged (bytes, &size);
  put_u32 (copy, 8, 0x10000000);
  expect_invalid (copy, size, "de", "do not fit");
  g_free (copy);

  /* Last translation pointing past the end. */
  copy = damaged (bytes, &size);
  put_u32 (copy, trans + (n_strings - 1) * 8 + 4, (guint32) size - 2);
  put_u32 (copy, trans + (n_strings - 1) * 8, 10);
  expect_invalid (copy, size, "de", "outside the file");
  g_free (copy);

  /* Two originals swapped: out of order. */
  copy = damaged (bytes, &size);
  {
    guint8 tmp[8];
    memcpy (tmp, copy + orig + 8, 8);
    memcpy (copy + orig + 8, copy + orig + 16, 8);
    memcpy (copy + orig + 16, tmp, 8);
  }
  expect_invalid (copy, size, "de", "out of order");
  g_free (copy);

  /* A hash entry naming a string that does not exist. */
  if (get_u32 (good, 20) > 0)
    {
      copy = damaged (bytes, &size);
      put_u32 (copy, get_u32 (good, 24), n_strings + 5);
      expect_invalid (copy, size, "de", "hash table entry 0");
      g_free (copy);
    }

  /* A translation whose %s became %d (would make printf read an int where
   * a pointer was passed): found by the message "unknown parameter %s". */
  copy = damaged (bytes, &size);
  {
    gboolean done = FALSE;
    for (guint32 i = 0; i < n_strings && !done; i++)
      {
        const char *msgid = (const char *) copy + get_u32 (copy, orig + i * 8 + 4);
        char *msgstr = (char *) copy + get_u32 (copy, trans + i * 8 + 4);
        char *conv;

        if (g_str_equal (msgid, "unknown parameter %s") && (conv = strstr (msgstr, "%s")) != NULL)
          {
            conv[1] = 'n';
            done = TRUE;
          }
      }
    g_assert_true (done);
  }
  expect_invalid (copy, size, "de", "printf conversions");
  g_free (copy);

  /* The header's charset and domain. */
  copy = damaged (bytes, &size);
  {
    char *header = memmem (copy, size, "text/plain; charset=UTF-8", 25);
    g_assert_nonnull (header);
    memcpy (header + 12, "charset=ISO-8", 13);
  }
  expect_invalid (copy, size, "de", "charset=UTF-8");
  g_free (copy);

  copy = damaged (bytes, &size);
  {
    char *header = memmem (copy, size, "Project-Id-Version: deskphone", 29);
    g_assert_nonnull (header);
    memcpy (header + 20, "deskfone", 8);
  }
  expect_invalid (copy, size, "de", "not for the deskphone domain");
  g_free (copy);

  copy = NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/l10n/language-codes", test_language_codes);
  g_test_add_func ("/l10n/script", test_script);
  g_test_add_func ("/l10n/mo/built", test_mo_built);
  g_test_add_func ("/l10n/mo/damaged", test_mo_damaged);
  return g_test_run ();
}
