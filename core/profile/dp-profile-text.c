/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Parser of the SPA plain-text profile source, the input of Linksys' SPC
 * compiler (spec §1.7.3). The decisions taken where the guides are silent are
 * listed in the dp-profile.h section documentation. */
#define G_LOG_DOMAIN "dp-profile"

#include "dp-profile-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  dev_t device;
  ino_t inode;
} FileId;

typedef struct {
  DpProfile *profile;
  GArray *chain;        /* FileId of every file being imported, outermost first */
  guint n_imports;
  gsize n_bytes;        /* bytes of all imported files together */
} TextContext;

/* One source being parsed: the top-level buffer or an imported file. */
typedef struct {
  const char *data;
  gsize length;
  gsize pos;
  const char *name;     /* imported file name for messages, NULL at top level */
  const char *base_dir;
  guint depth;
} Source;

static gboolean parse_source (TextContext *context, Source *source, GError **error);

static void
position_of (const Source *source,
             gsize         offset,
             gsize        *line,
             gsize        *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < offset && i < source->length; i++)
    {
      if (source->data[i] == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else
        {
          (*column)++;
        }
    }
}

static void
set_error_at (GError      **error,
              int           code,
              const Source *source,
              gsize         offset,
              const char   *format,
              ...) G_GNUC_PRINTF (5, 6);

static void
set_error_at (GError      **error,
              int           code,
              const Source *source,
              gsize         offset,
              const char   *format,
              ...)
{
  g_autofree char *message = NULL;
  gsize line, column;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  position_of (source, offset, &line, &column);
  g_set_error (error, DP_PROFILE_ERROR, code,
               _("%s%sline %zu, column %zu: %s"),
               source->name != NULL ? source->name : "", source->name != NULL ? ": " : "",
               line, column, message);
}

/* What the parser found, for messages. */
static char *
describe_at (const Source *source,
             gsize         offset)
{
  guchar c;

  if (offset >= source->length)
    return g_strdup (_("end of input"));
  c = (guchar) source->data[offset];
  if (c == '\n' || c == '\r')
    return g_strdup (_("end of line"));
  if (g_ascii_isgraph (c))
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* Skips white space, line breaks and comments. */
static void
skip_space (Source *source)
{
  while (source->pos < source->length)
    {
      char c = source->data[source->pos];

      if (is_blank (c) || c == '\n')
        {
          source->pos++;
        }
      else if (c == '#')
        {
          while (source->pos < source->length && source->data[source->pos] != '\n')
            source->pos++;
        }
      else
        {
          break;
        }
    }
}

static gboolean
starts_line (const Source *source,
             gsize         offset)
{
  while (offset > 0 && is_blank (source->data[offset - 1]) && source->data[offset - 1] != '\r')
    offset--;
  return offset == 0 || source->data[offset - 1] == '\n' || source->data[offset - 1] == '\r';
}

static gboolean
file_id_of (const char *path,
            FileId     *id)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  id->device = st.st_dev;
  id->inode = st.st_ino;
  return TRUE;
}

static gboolean
parse_import (TextContext *context,
              Source      *source,
              gsize        start,
              GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *import_dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *begin, *end;
  gsize line_end = source->pos;
  gsize length = 0;
  FileId id;
  Source imported;
  gboolean ok;

  /* The rest of the line, without a comment, blanks or a closing ';'. */
  while (line_end < source->length && source->data[line_end] != '\n'
         && source->data[line_end] != '#')
    line_end++;
  begin = source->data + source->pos;
  end = source->data + line_end;
  while (begin < end && is_blank (*begin))
    begin++;
  while (end > begin && is_blank (end[-1]))
    end--;
  if (end > begin && end[-1] == ';')
    end--;
  while (end > begin && is_blank (end[-1]))
    end--;
  if (end - begin >= 2 && ((*begin == '"' && end[-1] == '"') || (*begin == '<' && end[-1] == '>')))
    {
      begin++;
      end--;
    }
  source->pos = line_end;

  if (end == begin)
    {
      set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start, _("import without a file name"));
      return FALSE;
    }
  target = g_strndup (begin, (gsize) (end - begin));
  if (source->base_dir == NULL)
    {
      set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start,
                    _("cannot import \"%s\": imports are not allowed in a profile without a folder"),
                    target);
      return FALSE;
    }
  if (source->depth + 1 > DP_PROFILE_MAX_IMPORT_DEPTH)
    {
      set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start,
                    _("cannot import \"%s\": imports nested more than %d deep"),
                    target, DP_PROFILE_MAX_IMPORT_DEPTH);
      return FALSE;
    }
  if (context->n_imports >= DP_PROFILE_MAX_IMPORTS)
    {
      set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start,
                    _("cannot import \"%s\": more than %d imports"), target, DP_PROFILE_MAX_IMPORTS);
      return FALSE;
    }
  context->n_imports++;

  path = g_path_is_absolute (target) ? g_strdup (target)
                                     : g_build_filename (source->base_dir, target, NULL);
  if (!file_id_of (path, &id))
    {
      int saved_errno = errno;

      set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start,
                    _("cannot import \"%s\": %s"), target, g_strerror (saved_errno));
      return FALSE;
    }
  for (guint i = 0; i < context->chain->len; i++)
    {
      const FileId *open_file = &g_array_index (context->chain, FileId, i);

      if (open_file->device == id.device && open_file->inode == id.inode)
        {
          set_error_at (error, DP_PROFILE_ERROR_IMPORT, source, start,
                        _("cannot import \"%s\": import cycle (the file is already being read)"),
                        target);
          return FALSE;
        }
    }
  if (!dp_profile_read_file (path, DP_PROFILE_MAX_SIZE - context->n_bytes, &contents, &length,
                             &local_error))
    {
      int code = g_error_matches (local_error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE)
                 ? DP_PROFILE_ERROR_TOO_LARGE : DP_PROFILE_ERROR_IMPORT;

      set_error_at (error, code, source, start, _("cannot import \"%s\": %s%s"), target,
                    local_error->message,
                    code == DP_PROFILE_ERROR_TOO_LARGE ? _(" (all imported files together)") : "");
      return FALSE;
    }
  context->n_bytes += length;

  import_dir = g_path_get_dirname (path);
  imported = (Source) {
    .data = contents,
    .length = length,
    .pos = 0,
    .name = path,
    .base_dir = import_dir,
    .depth = source->depth + 1,
  };
  g_array_append_val (context->chain, id);
  ok = parse_source (context, &imported, error);
  g_array_set_size (context->chain, context->chain->len - 1);
  return ok;
}

static gboolean
parse_quoted (Source   *source,
              GString  *value,
              GError  **error)
{
  gsize open_quote = source->pos;

  source->pos++;
  while (source->pos < source->length)
    {
      char c = source->data[source->pos];

      if (c == '"')
        {
          source->pos++;
          return TRUE;
        }
      if (c == '\n' || c == '\r')
        break;
      if (c == '\\' && source->pos + 1 < source->length
          && (source->data[source->pos + 1] == '"' || source->data[source->pos + 1] == '\\'))
        {
          g_string_append_c (value, source->data[source->pos + 1]);
          source->pos += 2;
          continue;
        }
      g_string_append_c (value, c);
      source->pos++;
    }
  set_error_at (error, DP_PROFILE_ERROR_MALFORMED, source, open_quote,
                _("quoted value not closed on its line"));
  return FALSE;
}

static gboolean
parse_statement (TextContext *context,
                 Source      *source,
                 GError     **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) value = NULL;
  gboolean has_mark = FALSE;
  DpAccess access = DP_ACCESS_NA;

  if (!is_name_start (source->data[source->pos]))
    {
      g_autofree char *found = describe_at (source, source->pos);

      set_error_at (error, DP_PROFILE_ERROR_MALFORMED, source, source->pos,
                    _("expected a parameter name, found %s"), found);
      return FALSE;
    }
  while (source->pos < source->length && is_name_char (source->data[source->pos]))
    g_string_append_c (name, source->data[source->pos++]);

  /* Plain text numbers per-line parameters Name[n]; XML writes Name_n_. */
  if (source->pos < source->length && source->data[source->pos] == '[')
    {
      gsize index_start = ++source->pos;
      guint64 index = 0;

      while (source->pos < source->length && g_ascii_isdigit (source->data[source->pos])
             && source->pos - index_start < 9)
        index = index * 10 + (guint64) (source->data[source->pos++] - '0');
      if (source->pos == index_start || source->pos >= source->length
          || source->data[source->pos] != ']')
        {
          g_autofree char *found = describe_at (source, source->pos);

          set_error_at (error, DP_PROFILE_ERROR_MALFORMED, source, source->pos,
                        _("expected a line number and ']' in %s[...], found %s"), name->str, found);
          return FALSE;
        }
      source->pos++;
      g_string_append_printf (name, "_%" G_GUINT64_FORMAT "_", index);
    }

  skip_space (source);
  if (source->pos < source->length
      && (source->data[source->pos] == '!' || source->data[source->pos] == '?'))
    {
      has_mark = TRUE;
      access = source->data[source->pos] == '!' ? DP_ACCESS_RW : DP_ACCESS_RO;
      source->pos++;
      skip_space (source);
    }
  if (source->pos < source->length && source->data[source->pos] == '"')
    {
      value = g_string_new (NULL);
      if (!parse_quoted (source, value, error))
        return FALSE;
      skip_space (source);
    }
  if (source->pos >= source->length || source->data[source->pos] != ';')
    {
      g_autofree char *found = describe_at (source, source->pos);

      set_error_at (error, DP_PROFILE_ERROR_MALFORMED, source, source->pos,
                    _("expected %s';' after %s, found %s"),
                    value != NULL ? "" : (has_mark ? _("a quoted value or ") : _("'!', '?', a quoted value or ")),
                    name->str, found);
      return FALSE;
    }
  source->pos++;

  /* No mark means "user: no access" (spec §1.7.3), so plain text always sets
   * the access; with no value at all the parameter goes back to default. */
  if (value != NULL)
    dp_profile_add (context->profile, name->str, DP_VALUE_SET, value->str, TRUE, access);
  else if (has_mark)
    dp_profile_add (context->profile, name->str, DP_VALUE_KEEP, NULL, TRUE, access);
  else
    dp_profile_add (context->profile, name->str, DP_VALUE_RESET, NULL, TRUE, access);
  return TRUE;
}

static gboolean
parse_source (TextContext *context,
              Source      *source,
              GError     **error)
{
  const char *invalid = NULL;

  /* Values end up in JSON, D-Bus and GObject strings: UTF-8, no NUL. */
  if (!g_utf8_validate (source->data, (gssize) source->length, &invalid))
    {
      set_error_at (error, DP_PROFILE_ERROR_MALFORMED, source, (gsize) (invalid - source->data),
                    _("invalid UTF-8 or NUL byte"));
      return FALSE;
    }

  for (;;)
    {
      gsize start;

      skip_space (source);
      if (source->pos >= source->length)
        return TRUE;
      start = source->pos;

      if (source->length - start > 6 && memcmp (source->data + start, "import", 6) == 0
          && is_blank (source->data[start + 6]) && starts_line (source, start))
        {
          source->pos = start + 6;
          if (!parse_import (context, source, start, error))
            return FALSE;
          continue;
        }
      if (!parse_statement (context, source, error))
        return FALSE;
    }
}

/**
 * dp_profile_parse_text:
 * @data: (array length=length): the plain-text profile
 * @length: its size in bytes
 * @base_dir: (nullable): folder that relative `import`s resolve against;
 *   %NULL makes every `import` an error
 * @error: return location for a #GError
 *
 * Parses the SPA plain-text (SPC source) format, splicing `import`ed files
 * in place. Errors name the file (for imported ones), line and column.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
DpProfile *
dp_profile_parse_text (const char *data,
                       gsize       length,
                       const char *base_dir,
                       GError    **error)
{
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GArray) chain = NULL;
  TextContext context;
  Source source;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > DP_PROFILE_MAX_SIZE)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("profile is %zu bytes, more than the limit of %d"),
                   length, DP_PROFILE_MAX_SIZE);
      return NULL;
    }

  profile = dp_profile_new ();
  chain = g_array_new (FALSE, FALSE, sizeof (FileId));
  context = (TextContext) {
    .profile = profile,
    .chain = chain,
    .n_imports = 0,
    .n_bytes = 0,
  };
  source = (Source) {
    .data = length > 0 ? data : "",
    .length = length,
    .pos = 0,
    .name = NULL,
    .base_dir = base_dir,
    .depth = 0,
  };
  if (!parse_source (&context, &source, error))
    return NULL;
  return g_steal_pointer (&profile);
}
