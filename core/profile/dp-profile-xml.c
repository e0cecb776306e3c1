/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Flat-profile XML parser (spec §1.7.1). libxml2's streaming reader is used
 * because it tells `<x/>` (keep the value) from `<x></x>` (set it to ""),
 * which a tree cannot. */
#define G_LOG_DOMAIN "dp-profile"

#include "dp-profile-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <libxml/xmlreader.h>
#include <string.h>

typedef enum {
  NODE_OUTSIDE,     /* not inside any flat-profile */
  NODE_CONTAINER,   /* a <flat-profile>: its children are parameters */
  NODE_PARAMETER,   /* a parameter element collecting its value */
} NodeKind;

typedef struct {
  NodeKind kind;
  const char *name;   /* interned in the reader's dictionary */
} OpenElement;

typedef struct {
  gboolean failed;
  int line;
  int column;
  char *message;
} XmlFailure;

static void
on_structured_error (void       *user_data,
                     xmlErrorPtr xml_error)
{
  XmlFailure *failure = user_data;

  /* Keep the first error: later ones are usually consequences of it. */
  if (failure->failed || xml_error == NULL || xml_error->level < XML_ERR_ERROR)
    return;
  failure->failed = TRUE;
  failure->line = xml_error->line;
  failure->column = xml_error->int2;
  /* Some messages carry a second line (bytes of bad UTF-8); keep one line. */
  failure->message = g_strstrip (g_strdup (xml_error->message != NULL ? xml_error->message
                                                                        : _("parse error")));
  g_strdelimit (failure->message, "\n", ';');
}

static void
set_error_at (GError    **error,
              int         line,
              int         column,
              const char *format,
              ...) G_GNUC_PRINTF (4, 5);

static void
set_error_at (GError    **error,
              int         line,
              int         column,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
               _("line %d, column %d: %s"), line, column, message);
}

/* Like memmem(), which C11 lacks; NUL bytes do not stop it. */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return haystack + i;
  return NULL;
}

/* Finds a DOCTYPE before the root element. It is refused before libxml2 sees
 * the document, so no internal subset (entity declarations, external
 * entities, expansion bombs) is ever processed. Returns its offset or -1. */
static gssize
find_doctype (const char *data,
              gsize       length)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length)
    {
      if (g_ascii_isspace (data[i]))
        {
          i++;
        }
      else if (length - i >= 4 && memcmp (data + i, "<!--", 4) == 0)
        {
          const char *end = find_bytes (data + i + 4, length - i - 4, "-->");
          if (end == NULL)
            return -1;
          i = (gsize) (end - data) + 3;
        }
      else if (length - i >= 2 && memcmp (data + i, "<?", 2) == 0)
        {
          const char *end = find_bytes (data + i + 2, length - i - 2, "?>");
          if (end == NULL)
            return -1;
          i = (gsize) (end - data) + 2;
        }
      else if (length - i >= 2 && memcmp (data + i, "<!", 2) == 0)
        {
          /* Only DOCTYPE can start with "<!" in the prolog; any spelling
           * libxml2 would reject anyway is refused here too. */
          return (gssize) i;
        }
      else
        {
          return -1;
        }
    }
  return -1;
}

static void
position_of (const char *data,
             gsize       offset,
             int        *line,
             int        *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
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

static char *
normalize_value (GString *raw)
{
  const char *start = raw->str;
  const char *end = raw->str + raw->len;
  GString *value;

  while (start < end && (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r'))
    start++;
  while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
    end--;

  value = g_string_sized_new ((gsize) (end - start));
  for (const char *p = start; p < end; p++)
    g_string_append_c (value, (*p == '\n' || *p == '\r') ? ' ' : *p);
  return g_string_free (value, FALSE);
}

/* Where the start tag of the current element is. The reader only keeps the
 * line on the node, so the column is that of the first `<name` on the line. */
static void
element_position (xmlTextReaderPtr reader,
                  const char      *data,
                  gsize            length,
                  const char      *name,
                  int             *line,
                  int             *column)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (reader);
  gsize name_length = strlen (name);
  gsize offset = 0;
  int current = 1;

  *line = node != NULL ? (int) xmlGetLineNo (node) : -1;
  if (*line <= 0)
    *line = xmlTextReaderGetParserLineNumber (reader);
  *column = 1;

  while (offset < length && current < *line)
    if (data[offset++] == '\n')
      current++;
  for (gsize i = offset; i < length && data[i] != '\n'; i++)
    {
      if (data[i] == '<' && length - i - 1 > name_length
          && memcmp (data + i + 1, name, name_length) == 0
          && !g_ascii_isalnum (data[i + 1 + name_length]) && data[i + 1 + name_length] != '_'
          && data[i + 1 + name_length] != '-' && data[i + 1 + name_length] != '.'
          && data[i + 1 + name_length] != ':')
        {
          *column = (int) (i - offset) + 1;
          return;
        }
    }
}

/* Reads the attributes of the current element; only `ua` matters. */
static gboolean
read_access (xmlTextReaderPtr reader,
             const char      *data,
             gsize            length,
             const char      *name,
             gboolean        *has_access,
             DpAccess        *access,
             GError         **error)
{
  *has_access = FALSE;
  *access = DP_ACCESS_NA;

  if (xmlTextReaderHasAttributes (reader) != 1)
    return TRUE;

  while (xmlTextReaderMoveToNextAttribute (reader) == 1)
    {
      const char *attribute = (const char *) xmlTextReaderConstName (reader);
      const char *value = (const char *) xmlTextReaderConstValue (reader);

      if (g_strcmp0 (attribute, "ua") != 0)
        continue;
      if (!dp_access_from_string (value, access))
        {
          int line, column;

          xmlTextReaderMoveToElement (reader);
          element_position (reader, data, length, name, &line, &column);
          set_error_at (error, line, column, _("<%s>: ua=\"%s\" is not one of na, ro, rw"), name,
                        value != NULL ? value : "");
          return FALSE;
        }
      *has_access = TRUE;
    }
  xmlTextReaderMoveToElement (reader);
  return TRUE;
}

/**
 * dp_profile_parse_xml:
 * @data: (array length=length): the document
 * @length: its size in bytes
 * @error: return location for a #GError
 *
 * Parses a flat-profile XML document (see the section documentation for the
 * decisions taken where the SPA guides are silent). Malformed XML is
 * %DP_PROFILE_ERROR_MALFORMED with the line and column.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
DpProfile *
dp_profile_parse_xml (const char *data,
                      gsize       length,
                      GError    **error)
{
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GArray) stack = NULL;       /* OpenElement, outermost first */
  g_autoptr(GString) value = NULL;
  g_autofree char *parameter = NULL;    /* name of the open parameter element */
  XmlFailure failure = { FALSE, 0, 0, NULL };
  xmlTextReaderPtr reader;
  gboolean pending_has_access = FALSE;
  DpAccess pending_access = DP_ACCESS_NA;
  gboolean seen_container = FALSE;
  gboolean ok = TRUE;
  gssize doctype;
  int status;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > DP_PROFILE_MAX_SIZE)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("profile is %zu bytes, more than the limit of %d"),
                   length, DP_PROFILE_MAX_SIZE);
      return NULL;
    }

  doctype = find_doctype (data, length);
  if (doctype >= 0)
    {
      int line, column;

      position_of (data, (gsize) doctype, &line, &column);
      set_error_at (error, line, column, _("DOCTYPE declarations are not allowed in a profile"));
      return NULL;
    }

  /* Always UTF-8 (the SPA supports only ASCII), never the network, never a
   * DTD; the default entity and size limits of libxml2 stay on. */
  reader = xmlReaderForMemory (length > 0 ? data : "", (int) length, NULL, "UTF-8",
                               XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_NOWARNING
                               | XML_PARSE_NOERROR);
  if (reader == NULL)
    {
      g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                           _("line 1, column 1: cannot start the XML parser"));
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (reader, on_structured_error, &failure);

  profile = dp_profile_new ();
  stack = g_array_new (FALSE, FALSE, sizeof (OpenElement));
  value = g_string_new (NULL);

  while (ok && (status = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      NodeKind parent = stack->len > 0 ? g_array_index (stack, OpenElement, stack->len - 1).kind
                                       : NODE_OUTSIDE;

      switch (type)
        {
        case XML_READER_TYPE_ELEMENT:
          {
            const char *name = (const char *) xmlTextReaderConstName (reader);
            gboolean is_empty = xmlTextReaderIsEmptyElement (reader) == 1;
            gboolean is_container = g_strcmp0 (name, "flat-profile") == 0;
            NodeKind kind;

            if (parent == NODE_PARAMETER)
              {
                int line, column;

                element_position (reader, data, length, name, &line, &column);
                set_error_at (error, line, column,
                              _("element <%s> inside the value of parameter <%s>"),
                              name, parameter);
                ok = FALSE;
                break;
              }

            if (is_container)
              {
                kind = NODE_CONTAINER;
                seen_container = TRUE;
              }
            else if (parent == NODE_CONTAINER)
              {
                gboolean has_access;
                DpAccess access;

                if (!read_access (reader, data, length, name, &has_access, &access, error))
                  {
                    ok = FALSE;
                    break;
                  }
                if (is_empty)
                  {
                    dp_profile_add (profile, name, DP_VALUE_KEEP, NULL, has_access, access);
                  }
                else
                  {
                    /* Parameters hold no elements, so one pending value is enough. */
                    g_free (parameter);
                    parameter = g_strdup (name);
                    g_string_truncate (value, 0);
                    pending_has_access = has_access;
                    pending_access = access;
                  }
                kind = NODE_PARAMETER;
              }
            else
              {
                kind = NODE_OUTSIDE;
              }

            /* Empty elements get no end-tag event, so they are never pushed. */
            if (!is_empty)
              {
                OpenElement open_element = { kind, name };

                g_array_append_val (stack, open_element);
              }
            break;
          }

        case XML_READER_TYPE_END_ELEMENT:
          if (stack->len == 0)
            break;
          if (parent == NODE_PARAMETER)
            {
              g_autofree char *text = normalize_value (value);

              dp_profile_add (profile, parameter, DP_VALUE_SET, text,
                              pending_has_access, pending_access);
              g_clear_pointer (&parameter, g_free);
            }
          g_array_set_size (stack, stack->len - 1);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          if (parent == NODE_PARAMETER)
            {
              const char *text = (const char *) xmlTextReaderConstValue (reader);

              if (text != NULL)
                g_string_append (value, text);
              if (value->len > DP_PROFILE_MAX_SIZE)
                {
                  set_error_at (error, xmlTextReaderGetParserLineNumber (reader),
                                xmlTextReaderGetParserColumnNumber (reader),
                                _("value of <%s> is too long"), parameter);
                  ok = FALSE;
                }
            }
          break;

        case XML_READER_TYPE_DOCUMENT_TYPE:
        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
          /* find_doctype() should have caught it; refuse rather than trust. */
          set_error_at (error, xmlTextReaderGetParserLineNumber (reader),
                        xmlTextReaderGetParserColumnNumber (reader),
                        _("DOCTYPE declarations and entities are not allowed in a profile"));
          ok = FALSE;
          break;

        default:
          /* Comments and processing instructions carry no parameters. */
          break;
        }
    }

  if (ok && (status != 0 || failure.failed))
    {
      gboolean blank = TRUE;

      for (gsize i = 0; i < length && blank; i++)
        blank = g_ascii_isspace (data[i]);
      /* The streaming reader reports a document that stops inside an
       * element as "Extra content at the end"; say what really happened. */
      if (blank)
        set_error_at (error, 1, 1, _("empty document"));
      else if (failure.failed && stack->len > 0
               && g_str_has_prefix (failure.message, "Extra content at the end"))
        set_error_at (error, failure.line, failure.column,
                      _("the document ends before </%s>"),
                      g_array_index (stack, OpenElement, stack->len - 1).name);
      else if (failure.failed)
        set_error_at (error, failure.line, failure.column, "%s", failure.message);
      else
        set_error_at (error, xmlTextReaderGetParserLineNumber (reader),
                      xmlTextReaderGetParserColumnNumber (reader), _("malformed XML"));
      ok = FALSE;
    }
  xmlFreeTextReader (reader);
  g_free (failure.message);

  if (!ok)
    return NULL;
  if (!seen_container)
    {
      g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                           _("line 1, column 1: no <flat-profile> element in the document"));
      return NULL;
    }
  return g_steal_pointer (&profile);
}
