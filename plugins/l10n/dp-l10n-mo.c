/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Validation of downloaded dictionaries (compiled gettext catalogues).
 * A pure function over bytes: the rules are in dp-l10n-mo.h. glibc maps
 * an installed catalogue and trusts its offsets, so everything it will
 * read is checked here first. */
#define G_LOG_DOMAIN "dp-l10n"

#include "dp-build-config.h"
#include "dp-l10n-mo.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MO_MAGIC 0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_SIZE 28
#define MAX_FORMAT_ARGS 32

G_DEFINE_QUARK (dp-l10n-mo-error-quark, dp_l10n_mo_error)

typedef struct {
  const guint8 *data;
  gsize size;
  gboolean swapped;
} Mo;

static guint32
read_u32 (const Mo *mo, gsize offset)
{
  guint32 value;

  memcpy (&value, mo->data + offset, 4);
  return mo->swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* Reads the (length, offset) descriptor of string @index in the table at
 * @table and checks that the string and its NUL lie inside the file. */
static gboolean
string_at (const Mo *mo, guint32 table, guint32 index, const char **out, guint32 *out_len,
           const char *what, GError **error)
{
  gsize desc = (gsize) table + (gsize) index * 8;
  guint32 length, offset;

  length = read_u32 (mo, desc);
  offset = read_u32 (mo, desc + 4);
  if ((gsize) offset >= mo->size || (gsize) length >= mo->size - offset ||
      mo->data[offset + length] != '\0')
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("byte %zu: %s %u (offset %u, length %u) is outside the file or not NUL-terminated"),
                   desc, what, index, offset, length);
      return FALSE;
    }
  *out = (const char *) mo->data + offset;
  *out_len = length;
  return TRUE;
}

/* The printf conversions of @text as argument types by position, in
 * args[]; returns -1 when @text is not a valid format string, else the
 * number of arguments. %n yields -2 (always refused). */
static int
format_args (const char *text, const char *end, char args[MAX_FORMAT_ARGS][4])
{
  int n_args = 0, next = 0;
  gboolean positional = FALSE, sequential = FALSE;

  memset (args, 0, sizeof (char[MAX_FORMAT_ARGS][4]));
  for (const char *p = text; p < end; p++)
    {
      char length[3] = "";
      int position = -1;
      char kind;

      if (*p != '%')
        continue;
      p++;
      if (p >= end)
        return -1;
      if (*p == '%')
        continue;
      if (g_ascii_isdigit (*p))
        {
          const char *q = p;
          int number = 0;

          while (q < end && g_ascii_isdigit (*q) && number < 1000)
            number = number * 10 + (*q++ - '0');
          if (q < end && *q == '$')
            {
              if (number < 1 || number > MAX_FORMAT_ARGS)
                return -1;
              position = number - 1;
              p = q + 1;
            }
        }
      while (p < end && strchr ("-+ #0'I", *p) != NULL)
        p++;
      if (p < end && *p == '*')
        return -1;  /* '*' widths are not used by deskphone's messages */
      while (p < end && g_ascii_isdigit (*p))
        p++;
      if (p < end && *p == '.')
        {
          p++;
          if (p < end && *p == '*')
            return -1;
          while (p < end && g_ascii_isdigit (*p))
            p++;
        }
      while (p < end && strchr ("hlLqjzZt", *p) != NULL && strlen (length) < 2)
        {
          length[strlen (length)] = *p == 'q' ? 'L' : *p;
          p++;
        }
      if (p >= end)
        return -1;
      switch (*p)
        {
        case 'd': case 'i': kind = 'd'; break;
        case 'o': case 'u': case 'x': case 'X': kind = 'u'; break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
          kind = 'f'; break;
        case 'c': case 's': case 'p': case 'C': case 'S': kind = *p; break;
        case 'm': continue;
        case 'n': return -2;
        default: return -1;
        }
      if (position >= 0)
        positional = TRUE;
      else
        {
          sequential = TRUE;
          position = next++;
          if (position >= MAX_FORMAT_ARGS)
            return -1;
        }
      if (positional && sequential)
        return -1;
      if (args[position][0] != '\0')
        return -1;
      args[position][0] = kind;
      memcpy (&args[position][1], length, 2);
      n_args = MAX (n_args, position + 1);
    }
  for (int i = 0; i < n_args; i++)
    if (args[i][0] == '\0')
      return -1;   /* a gap in %N$ positions */
  return n_args;
}

static gboolean
same_format (const char *msgid, gsize msgid_len, const char *msgstr, gsize msgstr_len)
{
  char want[MAX_FORMAT_ARGS][4], got[MAX_FORMAT_ARGS][4];
  int n_want = format_args (msgid, msgid + msgid_len, want);
  int n_got = format_args (msgstr, msgstr + msgstr_len, got);

  if (n_got == -2)
    return FALSE;
  if (n_want < 0)
    return TRUE;  /* not a format string: never passed to printf */
  return n_got == n_want && memcmp (want, got, sizeof want) == 0;
}

/* Checks the plural forms of one translation: each form must be UTF-8 and
 * use the conversions of msgid or of msgid_plural. */
static gboolean
check_translation (guint32 index, const char *msgid, guint32 msgid_len,
                   const char *msgstr, guint32 msgstr_len, GError **error)
{
  const char *plural = memchr (msgid, '\0', msgid_len);
  gsize singular_len = plural ? (gsize) (plural - msgid) : msgid_len;
  const char *form = msgstr, *end = msgstr + msgstr_len;

  if (plural != NULL)
    plural++;
  while (form <= end)
    {
      const char *stop = memchr (form, '\0', (gsize) (end - form));
      gsize form_len = stop ? (gsize) (stop - form) : (gsize) (end - form);

      if (!g_utf8_validate (form, (gssize) form_len, NULL))
        {
          g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                       _("translation %u is not valid UTF-8"), index);
          return FALSE;
        }
      if (!same_format (msgid, singular_len, form, form_len) &&
          (plural == NULL ||
           !same_format (plural, (gsize) (msgid + msgid_len - plural), form, form_len)))
        {
          g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                       _("translation %u does not use the printf conversions of its message “%.60s”"),
                       index, msgid);
          return FALSE;
        }
      form += form_len + 1;
    }
  return TRUE;
}

/* Finds "Name: value" in the header entry; returns a copy of the value. */
static char *
header_field (const char *header, const char *name)
{
  gsize name_len = strlen (name);

  for (const char *line = header; line != NULL && *line != '\0';)
    {
      const char *eol = strchr (line, '\n');
      gsize len = eol ? (gsize) (eol - line) : strlen (line);

      if (len > name_len && g_ascii_strncasecmp (line, name, name_len) == 0 && line[name_len] == ':')
        return g_strstrip (g_strndup (line + name_len + 1, len - name_len - 1));
      line = eol ? eol + 1 : NULL;
    }
  return NULL;
}

static gboolean
valid_language_code (const char *code)
{
  gsize i = 0;

  while (g_ascii_islower (code[i]))
    i++;
  if (i < 2 || i > 3)
    return FALSE;
  if (code[i] == '\0')
    return TRUE;
  if (code[i] != '_' || !g_ascii_isupper (code[i + 1]) || !g_ascii_isupper (code[i + 2]))
    return FALSE;
  return code[i + 3] == '\0';
}

static gboolean
check_header (const char *header, const char *expected_language, DpL10nMoInfo *info,
              GError **error)
{
  g_autofree char *content_type = header_field (header, "Content-Type");
  g_autofree char *project = header_field (header, "Project-Id-Version");
  g_autofree char *language = header_field (header, "Language");
  const char *charset;

  charset = content_type ? strstr (content_type, "charset=") : NULL;
  if (charset == NULL || g_ascii_strcasecmp (charset + strlen ("charset="), "UTF-8") != 0)
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("the catalogue header must declare charset=UTF-8 (found “%s”)"),
                   content_type ? content_type : "");
      return FALSE;
    }
  if (project == NULL || !g_str_has_prefix (project, GETTEXT_PACKAGE) ||
      (project[strlen (GETTEXT_PACKAGE)] != '\0' && project[strlen (GETTEXT_PACKAGE)] != ' '))
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("the catalogue is not for the %s domain (Project-Id-Version “%s”)"),
                   GETTEXT_PACKAGE, project ? project : "");
      return FALSE;
    }
  if (language == NULL || !valid_language_code (language))
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("the catalogue header has no valid Language code (found “%s”)"),
                   language ? language : "");
      return FALSE;
    }
  if (expected_language != NULL)
    {
      gsize lang_len = strcspn (expected_language, "_");

      if (strncmp (language, expected_language, lang_len) != 0 ||
          (language[lang_len] != '\0' && language[lang_len] != '_'))
        {
          g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                       _("the catalogue is for language “%s”, not “%s”"),
                       language, expected_language);
          return FALSE;
        }
    }
  info->language = g_steal_pointer (&language);
  return TRUE;
}

void
dp_l10n_mo_info_clear (DpL10nMoInfo *info)
{
  g_clear_pointer (&info->language, g_free);
  info->n_messages = 0;
}

/**
 * dp_l10n_mo_validate:
 * @data: the catalogue's bytes
 * @size: their number
 * @expected_language: (nullable): language code the catalogue must be for
 * @info: (out caller-allocates) (optional): filled on success; free with
 *   dp_l10n_mo_info_clear()
 * @error: return location for a #GError naming the position and problem
 *
 * Returns: %TRUE if @data may be installed as the "deskphone" catalogue
 */
gboolean
dp_l10n_mo_validate (const guint8 *data, gsize size, const char *expected_language,
                     DpL10nMoInfo *info, GError **error)
{
  Mo mo = { data, size, FALSE };
  guint32 magic, revision, n_strings, orig_table, trans_table, hash_size, hash_offset;
  g_auto(DpL10nMoInfo) local = { NULL, 0 };
  const char *previous = NULL;
  gboolean have_header = FALSE;
  guint n_messages = 0;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (size > DP_L10N_MO_MAX_SIZE)
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("the catalogue is %zu bytes, more than the limit of %d"),
                   size, DP_L10N_MO_MAX_SIZE);
      return FALSE;
    }
  if (size < MO_HEADER_SIZE)
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("byte %zu: the file ends inside the catalogue header (%d bytes)"),
                   size, MO_HEADER_SIZE);
      return FALSE;
    }
  memcpy (&magic, data, 4);
  if (magic == MO_MAGIC_SWAPPED)
    mo.swapped = TRUE;
  else if (magic != MO_MAGIC)
    {
      g_set_error_literal (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                           _("byte 0: not a compiled gettext catalogue (bad magic number)"));
      return FALSE;
    }
  revision = read_u32 (&mo, 4);
  n_strings = read_u32 (&mo, 8);
  orig_table = read_u32 (&mo, 12);
  trans_table = read_u32 (&mo, 16);
  hash_size = read_u32 (&mo, 20);
  hash_offset = read_u32 (&mo, 24);
  if (revision != 0)
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("byte 4: catalogue format revision %u is not supported (only 0)"), revision);
      return FALSE;
    }
  if (n_strings == 0 || (gsize) n_strings > size / 16 ||
      orig_table % 4 != 0 || trans_table % 4 != 0 ||
      (gsize) orig_table > size || (gsize) n_strings * 8 > size - orig_table ||
      (gsize) trans_table > size || (gsize) n_strings * 8 > size - trans_table)
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("byte 8: %u strings with tables at %u and %u do not fit in %zu bytes"),
                   n_strings, orig_table, trans_table, size);
      return FALSE;
    }
  if (hash_size != 0 &&
      (hash_offset % 4 != 0 || (gsize) hash_offset > size ||
       (gsize) hash_size > (size - hash_offset) / 4))
    {
      g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                   _("byte 20: the hash table (%u entries at %u) does not fit in the file"),
                   hash_size, hash_offset);
      return FALSE;
    }
  for (guint32 i = 0; i < hash_size; i++)
    if (read_u32 (&mo, (gsize) hash_offset + (gsize) i * 4) > n_strings)
      {
        g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                     _("byte %zu: hash table entry %u names a string that does not exist"),
                     (gsize) hash_offset + (gsize) i * 4, i);
        return FALSE;
      }

  for (guint32 i = 0; i < n_strings; i++)
    {
      const char *msgid, *msgstr;
      guint32 msgid_len, msgstr_len;

      if (!string_at (&mo, orig_table, i, &msgid, &msgid_len, _("original string"), error) ||
          !string_at (&mo, trans_table, i, &msgstr, &msgstr_len, _("translation"), error))
        return FALSE;
      if (previous != NULL && strcmp (previous, msgid) >= 0)
        {
          g_set_error (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                       _("byte %zu: original string %u is out of order"),
                       (gsize) orig_table + (gsize) i * 8, i);
          return FALSE;
        }
      previous = msgid;
      if (msgid_len == 0)
        {
          if (!g_utf8_validate (msgstr, msgstr_len, NULL) ||
              !check_header (msgstr, expected_language, &local, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error_literal (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                                     _("the catalogue header is not valid UTF-8"));
              return FALSE;
            }
          have_header = TRUE;
          continue;
        }
      if (!check_translation (i, msgid, msgid_len, msgstr, msgstr_len, error))
        return FALSE;
      n_messages++;
    }
  if (!have_header)
    {
      g_set_error_literal (error, DP_L10N_MO_ERROR, DP_L10N_MO_ERROR_INVALID,
                           _("the catalogue has no header entry (charset, language)"));
      return FALSE;
    }
  if (info != NULL)
    {
      info->language = g_steal_pointer (&local.language);
      info->n_messages = n_messages;
    }
  return TRUE;
}
