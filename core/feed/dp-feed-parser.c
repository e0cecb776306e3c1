/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-feed"

#include "dp-feed-parser.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

G_DEFINE_QUARK (dp-feed-error-quark, dp_feed_error)

/* Upper bound on the markup gathered for one field before stripping; far
 * above DP_FEED_MAX_TEXT so that stripping still finds the text, and small
 * enough that entity expansion cannot blow up memory. */
#define MAX_FIELD_MARKUP (256 * 1024)

#define NS_RSS10   "http://purl.org/rss/1.0/"
#define NS_RSS090  "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_ATOM10  "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* ------------------------------------------------------------------ */
/* Items and feeds                                                    */

static void
dp_feed_item_clear (DpFeedItem *item)
{
  g_clear_pointer (&item->title, g_free);
  g_clear_pointer (&item->link, g_free);
  g_clear_pointer (&item->date, g_date_time_unref);
  g_clear_pointer (&item->summary, g_free);
  g_clear_pointer (&item->content, g_free);
  g_clear_pointer (&item->id, g_free);
}

void
dp_feed_item_free (DpFeedItem *item)
{
  if (item == NULL)
    return;
  dp_feed_item_clear (item);
  g_free (item);
}

DpFeedItem *
dp_feed_item_copy (const DpFeedItem *item)
{
  DpFeedItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_new0 (DpFeedItem, 1);
  copy->title = g_strdup (item->title);
  copy->link = g_strdup (item->link);
  copy->date = item->date != NULL ? g_date_time_ref (item->date) : NULL;
  copy->summary = g_strdup (item->summary);
  copy->content = g_strdup (item->content);
  copy->id = g_strdup (item->id);
  return copy;
}

G_DEFINE_BOXED_TYPE (DpFeedItem, dp_feed_item, dp_feed_item_copy, dp_feed_item_free)

static DpFeed *
dp_feed_new (DpFeedFormat format)
{
  DpFeed *feed = g_new0 (DpFeed, 1);

  g_atomic_ref_count_init (&feed->ref_count);
  feed->format = format;
  feed->version = g_strdup ("");
  feed->items = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_feed_item_free);
  return feed;
}

DpFeed *
dp_feed_ref (DpFeed *feed)
{
  g_return_val_if_fail (feed != NULL, NULL);
  g_atomic_ref_count_inc (&feed->ref_count);
  return feed;
}

void
dp_feed_unref (DpFeed *feed)
{
  g_return_if_fail (feed != NULL);
  if (!g_atomic_ref_count_dec (&feed->ref_count))
    return;
  g_free (feed->version);
  g_free (feed->encoding);
  g_free (feed->warning);
  g_free (feed->title);
  g_free (feed->link);
  g_free (feed->description);
  g_ptr_array_unref (feed->items);
  g_free (feed);
}

G_DEFINE_BOXED_TYPE (DpFeed, dp_feed, dp_feed_ref, dp_feed_unref)

JsonNode *
dp_feed_item_to_json (const DpFeedItem *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (item != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, item->title);
  json_builder_set_member_name (builder, "link");
  json_builder_add_string_value (builder, item->link);
  json_builder_set_member_name (builder, "date");
  if (item->date != NULL)
    json_builder_add_int_value (builder, g_date_time_to_unix (item->date));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, item->summary);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------ */
/* HTML to plain text                                                 */

typedef struct {
  const char *name;
  gunichar    ch;
} NamedEntity;

/* The named references feeds actually use; anything else stays literal
 * rather than being guessed. */
static const NamedEntity named_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "iexcl", 0xA1 }, { "cent", 0xA2 }, { "pound", 0xA3 },
  { "curren", 0xA4 }, { "yen", 0xA5 }, { "brvbar", 0xA6 }, { "sect", 0xA7 },
  { "uml", 0xA8 }, { "copy", 0xA9 }, { "ordf", 0xAA }, { "laquo", 0xAB },
  { "not", 0xAC }, { "shy", 0xAD }, { "reg", 0xAE }, { "macr", 0xAF }, { "deg", 0xB0 },
  { "plusmn", 0xB1 }, { "sup2", 0xB2 }, { "sup3", 0xB3 }, { "acute", 0xB4 },
  { "micro", 0xB5 }, { "para", 0xB6 }, { "middot", 0xB7 }, { "cedil", 0xB8 },
  { "sup1", 0xB9 }, { "ordm", 0xBA }, { "raquo", 0xBB }, { "frac14", 0xBC },
  { "frac12", 0xBD }, { "frac34", 0xBE }, { "iquest", 0xBF },
  { "Agrave", 0xC0 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Atilde", 0xC3 },
  { "Auml", 0xC4 }, { "Aring", 0xC5 }, { "AElig", 0xC6 }, { "Ccedil", 0xC7 },
  { "Egrave", 0xC8 }, { "Eacute", 0xC9 }, { "Ecirc", 0xCA }, { "Euml", 0xCB },
  { "Igrave", 0xCC }, { "Iacute", 0xCD }, { "Icirc", 0xCE }, { "Iuml", 0xCF },
  { "ETH", 0xD0 }, { "Ntilde", 0xD1 }, { "Ograve", 0xD2 }, { "Oacute", 0xD3 },
  { "Ocirc", 0xD4 }, { "Otilde", 0xD5 }, { "Ouml", 0xD6 }, { "times", 0xD7 },
  { "Oslash", 0xD8 }, { "Ugrave", 0xD9 }, { "Uacute", 0xDA }, { "Ucirc", 0xDB },
  { "Uuml", 0xDC }, { "Yacute", 0xDD }, { "THORN", 0xDE }, { "szlig", 0xDF },
  { "agrave", 0xE0 }, { "aacute", 0xE1 }, { "acirc", 0xE2 }, { "atilde", 0xE3 },
  { "auml", 0xE4 }, { "aring", 0xE5 }, { "aelig", 0xE6 }, { "ccedil", 0xE7 },
  { "egrave", 0xE8 }, { "eacute", 0xE9 }, { "ecirc", 0xEA }, { "euml", 0xEB },
  { "igrave", 0xEC }, { "iacute", 0xED }, { "icirc", 0xEE }, { "iuml", 0xEF },
  { "eth", 0xF0 }, { "ntilde", 0xF1 }, { "ograve", 0xF2 }, { "oacute", 0xF3 },
  { "ocirc", 0xF4 }, { "otilde", 0xF5 }, { "ouml", 0xF6 }, { "divide", 0xF7 },
  { "oslash", 0xF8 }, { "ugrave", 0xF9 }, { "uacute", 0xFA }, { "ucirc", 0xFB },
  { "uuml", 0xFC }, { "yacute", 0xFD }, { "thorn", 0xFE }, { "yuml", 0xFF },
  { "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
  { "Yuml", 0x178 }, { "fnof", 0x192 }, { "circ", 0x2C6 }, { "tilde", 0x2DC },
  { "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 }, { "zwnj", 0x200C },
  { "zwj", 0x200D }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "sbquo", 0x201A }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
  { "bdquo", 0x201E }, { "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 },
  { "hellip", 0x2026 }, { "permil", 0x2030 }, { "prime", 0x2032 }, { "lsaquo", 0x2039 },
  { "rsaquo", 0x203A }, { "euro", 0x20AC }, { "trade", 0x2122 }, { "larr", 0x2190 },
  { "rarr", 0x2192 }, { "harr", 0x2194 },
};

/* HTML maps numeric references 0x80..0x9F through windows-1252. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Decodes the reference at s[0] == '&'. Returns the bytes consumed, 0 if
 * it is not a reference we decode (the '&' is then literal). */
static gsize
decode_reference (const char *s, gsize len, gunichar *out)
{
  gsize i = 1;

  if (i < len && s[i] == '#')
    {
      guint64 value = 0;
      gboolean hex = FALSE;
      gsize digits = 0;

      i++;
      if (i < len && (s[i] == 'x' || s[i] == 'X'))
        {
          hex = TRUE;
          i++;
        }
      while (i < len && (hex ? g_ascii_isxdigit (s[i]) : g_ascii_isdigit (s[i])))
        {
          if (value <= 0x10FFFF)
            value = value * (hex ? 16 : 10)
                    + (hex ? (guint64) g_ascii_xdigit_value (s[i])
                           : (guint64) g_ascii_digit_value (s[i]));
          i++;
          digits++;
        }
      if (digits == 0)
        return 0;
      if (i < len && s[i] == ';')
        i++;
      if (value >= 0x80 && value <= 0x9F)
        *out = cp1252_high[value - 0x80];
      else if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        *out = 0xFFFD;
      else
        *out = (gunichar) value;
      return i;
    }

  while (i < len && i < 12 && g_ascii_isalnum (s[i]))
    i++;
  if (i == 1 || i >= len || s[i] != ';')
    return 0;
  for (gsize e = 0; e < G_N_ELEMENTS (named_entities); e++)
    if (strlen (named_entities[e].name) == i - 1
        && strncmp (named_entities[e].name, s + 1, i - 1) == 0)
      {
        *out = named_entities[e].ch;
        return i + 1;
      }
  return 0;
}

static gboolean
tag_in (const char *name, const char *const *list)
{
  for (gsize i = 0; list[i] != NULL; i++)
    if (g_str_equal (name, list[i]))
      return TRUE;
  return FALSE;
}

/* Elements whose content is never text for a reader. */
static const char *const dropped_elements[] = {
  "script", "style", "iframe", "object", "applet", "template",
  "noembed", "noframes", "textarea", "svg", "math", "head", NULL
};

/* Elements that separate words. */
static const char *const block_elements[] = {
  "br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
  "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "section",
  "article", "header", "footer", "img", "title", "body", "html", NULL
};

static const char *
find_ci (const char *s, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (s + i, needle, n) == 0)
      return s + i;
  return NULL;
}

static const char *
find_cs (const char *s, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (s + i, needle, n) == 0)
      return s + i;
  return NULL;
}

/* Skips from just after a tag name to just past the tag's '>', honouring
 * quoted attribute values. */
static gsize
skip_tag (const char *s, gsize len, gsize i)
{
  char quote = 0;

  for (; i < len; i++)
    {
      if (quote != 0)
        {
          if (s[i] == quote)
            quote = 0;
        }
      else if ((s[i] == '"' || s[i] == '\'') && i > 0 && (s[i - 1] == '=' || s[i - 1] == ' '))
        quote = s[i];  /* a quote inside an unquoted value is just a character */
      else if (s[i] == '>')
        return i + 1;
    }
  return len;
}

static gboolean
starts_tag (const char *s, gsize len, gsize i)
{
  return i + 1 < len && s[i] == '<'
         && (g_ascii_isalpha (s[i + 1]) || s[i + 1] == '!' || s[i + 1] == '?'
             || (s[i + 1] == '/' && i + 2 < len && g_ascii_isalpha (s[i + 2])));
}

/* One pass of tag removal and reference decoding. Returns whether any tag
 * was removed. */
static gboolean
strip_pass (const char *s, gsize len, GString *out)
{
  gboolean removed = FALSE;
  gsize i = 0;

  while (i < len)
    {
      if (s[i] == '<' && starts_tag (s, len, i))
        {
          removed = TRUE;
          if (s[i + 1] == '!')
            {
              const char *end;
              if (len - i >= 4 && strncmp (s + i, "<!--", 4) == 0)
                {
                  end = find_cs (s + i + 4, len - i - 4, "-->");
                  i = end != NULL ? (gsize) (end - s) + 3 : len;
                }
              else if (len - i >= 9 && strncmp (s + i, "<![CDATA[", 9) == 0)
                {
                  gsize start = i + 9;
                  end = find_cs (s + start, len - start, "]]>");
                  g_string_append_len (out, s + start,
                                       (end != NULL ? (gsize) (end - s) : len) - start);
                  i = end != NULL ? (gsize) (end - s) + 3 : len;
                }
              else
                i = skip_tag (s, len, i + 2);
              continue;
            }
          if (s[i + 1] == '?')
            {
              i = skip_tag (s, len, i + 2);
              continue;
            }
          {
            gboolean closing = s[i + 1] == '/';
            gsize name_start = i + 1 + (closing ? 1 : 0);
            gsize name_end = name_start;
            char name[16];
            gsize n = 0;

            while (name_end < len && (g_ascii_isalnum (s[name_end]) || s[name_end] == '-'
                                      || s[name_end] == ':' || s[name_end] == '_'))
              {
                if (n < sizeof name - 1)
                  name[n++] = g_ascii_tolower (s[name_end]);
                name_end++;
              }
            name[n] = '\0';
            i = skip_tag (s, len, name_end);
            if (tag_in (name, block_elements))
              g_string_append_c (out, ' ');
            if (!closing && tag_in (name, dropped_elements)
                && !(i >= 2 && s[i - 2] == '/'))
              {
                g_autofree char *close = g_strconcat ("</", name, NULL);
                const char *end = find_ci (s + i, len - i, close);

                /* Unclosed: a script or style runs to the end, as in a
                 * browser; other elements lose only their tag. */
                if (end != NULL)
                  i = skip_tag (s, len, (gsize) (end - s) + strlen (close));
                else if (g_str_equal (name, "script") || g_str_equal (name, "style"))
                  i = len;
                g_string_append_c (out, ' ');
              }
          }
          continue;
        }
      if (s[i] == '&')
        {
          gunichar ch;
          gsize used = decode_reference (s + i, len - i, &ch);

          if (used > 0)
            {
              g_string_append_unichar (out, ch);
              i += used;
              continue;
            }
        }
      g_string_append_c (out, s[i]);
      i++;
    }
  return removed;
}

static gboolean
has_tag (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] == '<' && starts_tag (s, len, i))
      return TRUE;
  return FALSE;
}

/* Collapses white space, drops control characters, neutralises any '<'
 * that could still open a tag and caps the length. */
static char *
finish_text (const char *s, gsize max_chars)
{
  GString *out = g_string_sized_new (strlen (s));
  gboolean pending_space = FALSE;
  gsize chars = 0;

  if (max_chars == 0)
    max_chars = DP_FEED_MAX_TEXT;

  for (const char *p = s; *p != '\0' && chars < max_chars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xA0 || c == 0x2028 || c == 0x2029)
        {
          pending_space = out->len > 0;
          continue;
        }
      /* C1 controls in feeds are cp1252 punctuation that went through a
       * latin-1 decoder ("demoronize"). */
      if (c >= 0x80 && c <= 0x9F)
        c = cp1252_high[c - 0x80];
      if (g_unichar_iscntrl (c) || c == 0xFEFF || c == 0xFFFD)
        continue;
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          chars++;
          pending_space = FALSE;
          if (chars >= max_chars)
            break;
        }
      g_string_append_unichar (out, c);
      chars++;
    }
  /* Neutralise on the final text: dropping a control character can bring
   * a '<' next to a letter (found by fuzzing). */
  for (gsize i = 0; i + 1 < out->len; i++)
    if (out->str[i] == '<' && (g_ascii_isalpha (out->str[i + 1]) || out->str[i + 1] == '!'
                               || out->str[i + 1] == '?' || out->str[i + 1] == '/'))
      {
        g_string_erase (out, i, 1);
        g_string_insert (out, i, "\xEF\xBC\x9C");  /* U+FF1C */
      }
  return g_string_free (out, FALSE);
}

typedef enum {
  TEXT_PLAIN,   /* literal text */
  TEXT_XHTML,   /* markup whose text nodes are literal */
  TEXT_HTML,    /* escaped HTML source, possibly escaped twice */
} TextMode;

static char *
markup_to_text (const char *markup, TextMode mode, gsize max_chars)
{
  g_autoptr(GString) once = NULL;

  if (!g_utf8_validate (markup, -1, NULL))
    return g_strdup ("");
  if (mode == TEXT_PLAIN)
    return finish_text (markup, max_chars);

  once = g_string_sized_new (strlen (markup));
  strip_pass (markup, strlen (markup), once);
  if (mode == TEXT_HTML && has_tag (once->str, once->len))
    {
      g_autoptr(GString) twice = g_string_sized_new (once->len);

      strip_pass (once->str, once->len, twice);
      return finish_text (twice->str, max_chars);
    }
  return finish_text (once->str, max_chars);
}

char *
dp_feed_html_to_text (const char *html, gsize max_chars)
{
  g_return_val_if_fail (html != NULL, NULL);
  return markup_to_text (html, TEXT_HTML, max_chars);
}

/* ------------------------------------------------------------------ */
/* Dates                                                              */

static gboolean
read_int (const char **p, guint min_digits, guint max_digits, int *value)
{
  guint n = 0;
  int v = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    {
      v = v * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits)
    return FALSE;
  *p += n;
  *value = v;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
    (*p)++;
}

static GDateTime *
make_date (int year, int month, int day, int hour, int minute, double seconds,
           int offset_s)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
      || hour < 0 || hour > 24 || minute < 0 || minute > 59 || seconds < 0 || seconds >= 61
      || offset_s < -24 * 3600 || offset_s > 24 * 3600)
    return NULL;
  if (seconds >= 60)
    seconds = 59;  /* a leap second: the instant before is close enough */
  tz = g_time_zone_new_offset (offset_s);
  if (hour == 24)
    {
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, year, month, day, 0, minute, seconds);
      if (midnight == NULL || minute != 0 || seconds != 0)
        return NULL;
      local = g_date_time_add_days (midnight, 1);
    }
  else
    local = g_date_time_new (tz, year, month, day, hour, minute, seconds);
  return local != NULL ? g_date_time_to_utc (local) : NULL;
}

static gboolean
read_offset (const char **p, int *offset_s)
{
  int sign, hours = 0, minutes = 0;

  if (**p == 'Z' || **p == 'z')
    {
      (*p)++;
      *offset_s = 0;
      return TRUE;
    }
  if (**p != '+' && **p != '-')
    return FALSE;
  sign = **p == '-' ? -1 : 1;
  (*p)++;
  if (!read_int (p, 2, 2, &hours))
    return FALSE;
  if (**p == ':')
    (*p)++;
  if (g_ascii_isdigit (**p) && !read_int (p, 2, 2, &minutes))
    return FALSE;
  if (hours > 23 || minutes > 59)
    return FALSE;
  *offset_s = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

static GDateTime *
parse_iso8601 (const char *p)
{
  int year, month = 1, day = 1, hour = 0, minute = 0, offset_s = 0;
  double seconds = 0;

  if (!read_int (&p, 4, 4, &year))
    return NULL;
  if (*p == '-')
    {
      p++;
      if (!read_int (&p, 2, 2, &month))
        return NULL;
      if (*p == '-')
        {
          p++;
          if (!read_int (&p, 2, 2, &day))
            return NULL;
        }
    }
  if (*p == 'T' || *p == 't' || (*p == ' ' && g_ascii_isdigit (p[1])))
    {
      int whole;

      p++;
      if (!read_int (&p, 2, 2, &hour) || *p++ != ':' || !read_int (&p, 2, 2, &minute))
        return NULL;
      if (*p == ':')
        {
          p++;
          if (!read_int (&p, 2, 2, &whole))
            return NULL;
          seconds = whole;
          if (*p == '.' || *p == ',')
            {
              double scale = 0.1;
              p++;
              if (!g_ascii_isdigit (*p))
                return NULL;
              while (g_ascii_isdigit (*p))
                {
                  seconds += (*p - '0') * scale;
                  scale /= 10;
                  p++;
                }
              if (seconds >= 60)
                seconds = 59.999;
            }
        }
      skip_spaces (&p);
      if (*p != '\0' && !read_offset (&p, &offset_s))
        return NULL;
    }
  skip_spaces (&p);
  if (*p != '\0')
    return NULL;
  return make_date (year, month, day, hour, minute, seconds, offset_s);
}

static GDateTime *
parse_rfc822 (const char *p)
{
  static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  static const struct { const char *name; int hours; } zones[] = {
    { "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "est", -5 }, { "edt", -4 },
    { "cst", -6 }, { "cdt", -5 }, { "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
  };
  int day, month = 0, year, hour = 0, minute = 0, second = 0, offset_s = 0;
  gsize n;

  skip_spaces (&p);
  /* Optional day name, with or without the comma. */
  if (g_ascii_isalpha (*p))
    {
      while (g_ascii_isalpha (*p))
        p++;
      if (*p == ',')
        p++;
      skip_spaces (&p);
    }
  if (!read_int (&p, 1, 2, &day))
    return NULL;
  if (*p == ' ' || *p == '-')
    p++;
  skip_spaces (&p);
  for (n = 0; g_ascii_isalpha (p[n]); n++)
    ;
  if (n < 3)
    return NULL;
  for (gsize m = 0; m < G_N_ELEMENTS (months); m++)
    if (g_ascii_strncasecmp (p, months[m], 3) == 0)
      month = (int) m + 1;
  if (month == 0)
    return NULL;
  p += n;
  if (*p == ' ' || *p == '-')
    p++;
  skip_spaces (&p);
  {
    const char *start = p;
    if (!read_int (&p, 2, 4, &year) || p - start == 3)
      return NULL;
    if (p - start == 2)
      year += year < 50 ? 2000 : 1900;
  }
  skip_spaces (&p);
  if (g_ascii_isdigit (*p))
    {
      if (!read_int (&p, 1, 2, &hour) || *p++ != ':' || !read_int (&p, 2, 2, &minute))
        return NULL;
      if (*p == ':')
        {
          p++;
          if (!read_int (&p, 2, 2, &second))
            return NULL;
        }
      skip_spaces (&p);
      if (*p == '+' || *p == '-')
        {
          if (!read_offset (&p, &offset_s))
            return NULL;
        }
      else if (g_ascii_isalpha (*p))
        {
          for (n = 0; g_ascii_isalpha (p[n]); n++)
            ;
          /* Unknown zone names (and military letters) count as UTC. */
          for (gsize z = 0; z < G_N_ELEMENTS (zones); z++)
            if (strlen (zones[z].name) == n && g_ascii_strncasecmp (p, zones[z].name, n) == 0)
              offset_s = zones[z].hours * 3600;
          p += n;
        }
    }
  skip_spaces (&p);
  if (*p != '\0')
    return NULL;
  return make_date (year, month, day, hour, minute, second, offset_s);
}

GDateTime *
dp_feed_parse_date (const char *text)
{
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = text;
  skip_spaces (&p);
  if (strlen (p) > 64)
    return NULL;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
      && g_ascii_isdigit (p[3]))
    return parse_iso8601 (p);
  return parse_rfc822 (p);
}

/* ------------------------------------------------------------------ */
/* Character sets                                                     */

typedef struct {
  const char *label;     /* as declared, lower case */
  const char *iconv;     /* what g_convert() is given, NULL for UTF-8 */
  const char *reported;  /* DpFeed.encoding */
} CharsetAlias;

static const CharsetAlias charset_aliases[] = {
  { "utf-8", NULL, "utf-8" }, { "utf8", NULL, "utf-8" },
  { "us-ascii", "WINDOWS-1252", "us-ascii" }, { "ascii", "WINDOWS-1252", "us-ascii" },
  { "ansi_x3.4-1968", "WINDOWS-1252", "us-ascii" },
  { "iso-8859-1", "WINDOWS-1252", "iso-8859-1" }, { "iso8859-1", "WINDOWS-1252", "iso-8859-1" },
  { "iso_8859-1", "WINDOWS-1252", "iso-8859-1" }, { "latin1", "WINDOWS-1252", "iso-8859-1" },
  { "latin-1", "WINDOWS-1252", "iso-8859-1" }, { "l1", "WINDOWS-1252", "iso-8859-1" },
  { "windows-1252", "WINDOWS-1252", "windows-1252" }, { "cp1252", "WINDOWS-1252", "windows-1252" },
  { "gb2312", "GB18030", "gb18030" }, { "gbk", "GB18030", "gb18030" },
  { "x-gbk", "GB18030", "gb18030" }, { "gb18030", "GB18030", "gb18030" },
  { "utf-16be", "UTF-16BE", "utf-16be" }, { "utf-16le", "UTF-16LE", "utf-16le" },
  { "utf-32be", "UTF-32BE", "utf-32be" }, { "utf-32le", "UTF-32LE", "utf-32le" },
};

/* Returns the charset parameter of a Content-Type, lower case, unquoted. */
static char *
content_type_charset (const char *content_type)
{
  const char *p;

  if (content_type == NULL)
    return NULL;
  for (p = strchr (content_type, ';'); p != NULL; p = strchr (p + 1, ';'))
    {
      const char *q = p + 1;
      gsize n;

      while (*q == ' ' || *q == '\t')
        q++;
      if (g_ascii_strncasecmp (q, "charset", 7) != 0)
        continue;
      q += 7;
      while (*q == ' ' || *q == '\t')
        q++;
      if (*q != '=')
        continue;
      q++;
      while (*q == ' ' || *q == '\t' || *q == '"' || *q == '\'')
        q++;
      n = strcspn (q, "\"'; \t");
      if (n == 0)
        return NULL;
      return g_ascii_strdown (q, n);
    }
  return NULL;
}

/* The encoding pseudo-attribute of an XML declaration in ASCII-compatible
 * bytes, lower case. */
static char *
declared_encoding (const guint8 *data, gsize length)
{
  gsize limit = MIN (length, 512);
  const char *s = (const char *) data;
  const char *end, *p;

  if (limit < 6 || memcmp (s, "<?xml", 5) != 0)
    return NULL;
  end = find_cs (s, limit, "?>");
  if (end == NULL)
    return NULL;
  p = find_cs (s, (gsize) (end - s), "encoding");
  if (p == NULL)
    return NULL;
  p += 8;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  if (p >= end || *p != '=')
    return NULL;
  p++;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  if (p >= end || (*p != '"' && *p != '\''))
    return NULL;
  {
    char quote = *p++;
    const char *close = memchr (p, quote, (gsize) (end - p));
    if (close == NULL || close == p)
      return NULL;
    return g_ascii_strdown (p, close - p);
  }
}

static void
replace_str (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static gboolean
charset_name_is_sane (const char *name)
{
  gsize n = strlen (name);

  if (n == 0 || n > 40)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (name[i]) && strchr ("-_.:", name[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Decodes @data to UTF-8 following the precedence in the header. Returns
 * the UTF-8 text and sets *reported. */
static char *
decode_document (const guint8 *data, gsize length, const char *content_type,
                 gsize *out_length, char **reported, GError **error)
{
  g_autofree char *http_charset = content_type_charset (content_type);
  g_autofree char *label = NULL;
  const char *iconv_name = NULL;
  gsize skip = 0;
  char *utf8;
  gsize utf8_len;
  const char *invalid = NULL;

  /* 1. Byte-order marks. */
  if (length >= 4 && memcmp (data, "\x00\x00\xFE\xFF", 4) == 0)
    label = g_strdup ("utf-32be"), skip = 4;
  else if (length >= 4 && memcmp (data, "\xFF\xFE\x00\x00", 4) == 0)
    label = g_strdup ("utf-32le"), skip = 4;
  else if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    label = g_strdup ("utf-8"), skip = 3;
  else if (length >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    label = g_strdup ("utf-16be"), skip = 2;
  else if (length >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    label = g_strdup ("utf-16le"), skip = 2;
  /* 2. The HTTP charset. */
  else if (http_charset != NULL)
    label = g_strdup (http_charset);
  /* 3. What the first bytes reveal, then the XML declaration. */
  else if (length >= 4 && memcmp (data, "\x00\x00\x00<", 4) == 0)
    label = g_strdup ("utf-32be");
  else if (length >= 4 && memcmp (data, "<\x00\x00\x00", 4) == 0)
    label = g_strdup ("utf-32le");
  else if (length >= 4 && memcmp (data, "\x00<\x00?", 4) == 0)
    label = g_strdup ("utf-16be");
  else if (length >= 4 && memcmp (data, "<\x00?\x00", 4) == 0)
    label = g_strdup ("utf-16le");
  else
    {
      label = declared_encoding (data, length);
      /* A declaration of a 16/32-bit encoding in 8-bit bytes is a lie that
       * the bytes themselves disprove: read them as UTF-8. */
      if (label == NULL || g_str_has_prefix (label, "utf-16") || g_str_has_prefix (label, "utf-32")
          || g_str_equal (label, "ucs-2") || g_str_equal (label, "ucs-4"))
        replace_str (&label, "utf-8");
    }

  /* "utf-16"/"utf-32" from HTTP without a BOM: big endian per RFC 2781. */
  if (g_str_equal (label, "utf-16") || g_str_equal (label, "ucs-2"))
    replace_str (&label, "utf-16be");
  else if (g_str_equal (label, "utf-32") || g_str_equal (label, "ucs-4"))
    replace_str (&label, "utf-32be");

  if (!charset_name_is_sane (label))
    {
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                   _("feed: unusable charset name “%s”"), label);
      return NULL;
    }
  *reported = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (charset_aliases); i++)
    if (g_str_equal (label, charset_aliases[i].label))
      {
        iconv_name = charset_aliases[i].iconv;
        *reported = g_strdup (charset_aliases[i].reported);
        break;
      }
  if (*reported == NULL)
    {
      iconv_name = label;
      *reported = g_strdup (label);
    }

  data += skip;
  length -= skip;
  if (iconv_name == NULL)
    {
      utf8 = g_malloc (length + 1);
      memcpy (utf8, data, length);
      utf8[length] = '\0';
      utf8_len = length;
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      gsize bytes_read = 0;

      utf8 = g_convert ((const char *) data, length, "UTF-8", iconv_name,
                        &bytes_read, &utf8_len, &local_error);
      if (utf8 == NULL)
        {
          if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                         _("feed: unknown charset “%s”"), label);
          else
            g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                         _("feed: byte %zu is not valid %s"),
                         bytes_read + skip, *reported);
          g_clear_pointer (reported, g_free);
          return NULL;
        }
    }

  if (!g_utf8_validate_len (utf8, utf8_len, &invalid))
    {
      if (iconv_name == NULL)
        g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                     _("feed: byte %zu is not valid UTF-8"),
                     (gsize) (invalid - utf8) + skip);
      else
        g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                     _("feed: character %ld of the decoded %s text is not allowed"),
                     g_utf8_pointer_to_offset (utf8, invalid) + 1, *reported);
      g_free (utf8);
      g_clear_pointer (reported, g_free);
      return NULL;
    }
  if (memchr (utf8, '\0', utf8_len) != NULL)
    {
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_ENCODING,
                   _("feed: NUL character at decoded byte %zu (wrong charset %s?)"),
                   (gsize) ((const char *) memchr (utf8, '\0', utf8_len) - utf8), *reported);
      g_free (utf8);
      g_clear_pointer (reported, g_free);
      return NULL;
    }
  *out_length = utf8_len;
  return utf8;
}

/* ------------------------------------------------------------------ */
/* XML                                                                */

typedef struct {
  char *first_error;
} ParseErrors;

static void
on_xml_error (void *user_data, xmlErrorPtr xml_error)
{
  xmlParserCtxtPtr ctxt = user_data;
  ParseErrors *errors = ctxt != NULL ? ctxt->_private : NULL;
  g_autofree char *message = NULL;

  if (errors == NULL || xml_error == NULL || xml_error->level < XML_ERR_ERROR
      || errors->first_error != NULL)
    return;
  message = g_strstrip (g_strdup (xml_error->message != NULL ? xml_error->message : "error"));
  errors->first_error = g_strdup_printf ("line %d, column %d: %s",
                                         xml_error->line, xml_error->int2, message);
}

/* The document must not make the parser open anything. */
static xmlParserInputPtr
refuse_entity (void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
  return NULL;
}

static xmlDocPtr
read_xml (const char *text, gsize length, gboolean recover, char **first_error,
          gboolean *namespace_fault)
{
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt ();
  ParseErrors errors = { NULL };
  xmlDocPtr doc;
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                | XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;

  if (ctxt == NULL)
    {
      *first_error = g_strdup (_("out of memory"));
      return NULL;
    }
  if (recover)
    options |= XML_PARSE_RECOVER;
  ctxt->_private = &errors;
  ctxt->sax->resolveEntity = refuse_entity;
  ctxt->sax->serror = on_xml_error;
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  ctxt->userData = ctxt;

  doc = xmlCtxtReadMemory (ctxt, text, (int) length, NULL, "UTF-8", options);
  if (doc != NULL && !recover && !ctxt->wellFormed)
    g_clear_pointer (&doc, xmlFreeDoc);
  /* Undeclared prefixes break the Namespaces spec but not XML itself: the
   * tree is complete, so it is kept and reported as recovered. */
  if (namespace_fault != NULL)
    *namespace_fault = doc != NULL && !ctxt->nsWellFormed;
  if (doc == NULL && errors.first_error == NULL)
    errors.first_error = g_strdup (_("not well-formed XML"));
  *first_error = errors.first_error;
  xmlFreeParserCtxt (ctxt);
  return doc;
}

/* Returns a copy of @text with every '&' that does not start a reference
 * written as "&amp;", or NULL if there is none. */
static char *
escape_bare_ampersands (const char *text, gsize length, gsize *out_length)
{
  GString *out = NULL;
  gsize done = 0;

  for (gsize i = 0; i < length; i++)
    {
      gsize j = i + 1;
      gboolean reference = FALSE;

      if (text[i] != '&')
        continue;
      if (j < length && text[j] == '#')
        {
          gboolean hex = j + 1 < length && text[j + 1] == 'x';
          gsize digits_start = j + (hex ? 2 : 1);

          for (j = digits_start; j < length && (hex ? g_ascii_isxdigit (text[j])
                                                    : g_ascii_isdigit (text[j])); j++)
            ;
          reference = j > digits_start && j < length && text[j] == ';';
        }
      else
        {
          while (j < length && (g_ascii_isalnum (text[j]) || text[j] == '_' || text[j] == ':'
                                || text[j] == '-' || text[j] == '.' || (guchar) text[j] >= 0x80))
            j++;
          reference = j > i + 1 && j < length && text[j] == ';'
                      && !g_ascii_isdigit (text[i + 1]) && text[i + 1] != '-' && text[i + 1] != '.';
        }
      if (reference)
        continue;
      if (out == NULL)
        out = g_string_sized_new (length + 64);
      g_string_append_len (out, text + done, i - done);
      g_string_append (out, "&amp;");
      done = i + 1;
    }
  if (out == NULL)
    return NULL;
  g_string_append_len (out, text + done, length - done);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

static int
max_depth (xmlNodePtr node, int depth, xmlNodePtr *deepest)
{
  int best = depth;

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        int d = max_depth (child, depth + 1, deepest);

        if (d > best)
          best = d;
        if (best > DP_FEED_MAX_DEPTH)
          {
            if (*deepest == NULL)
              *deepest = child;
            return best;
          }
      }
  return best;
}

static const char *
ns_of (xmlNodePtr node)
{
  return node->ns != NULL ? (const char *) node->ns->href : NULL;
}

/* Namespace URIs are compared ignoring surrounding blanks, which some
 * feeds put inside xmlns="..." (gofeed issue 309). */
static gboolean
ns_equal (const char *ns, const char *want)
{
  gsize n = strlen (want);

  while (*ns == ' ' || *ns == '\t' || *ns == '\r' || *ns == '\n')
    ns++;
  if (strncmp (ns, want, n) != 0)
    return FALSE;
  for (ns += n; *ns != '\0'; ns++)
    if (*ns != ' ' && *ns != '\t' && *ns != '\r' && *ns != '\n')
      return FALSE;
  return TRUE;
}

typedef struct {
  const char *const *uris;   /* NULL-terminated */
  gboolean unqualified;      /* also match elements in no namespace */
  const char *prefix;        /* conventional prefix, for undeclared-prefix elements */
} NsSet;

static const char *const rss_uris[] = { NS_RSS10, NS_RSS090, "http://backend.userland.com/rss2",
                                        "http://backend.userland.com/rss",
                                        "http://backend.userland.com/rss2.1",
                                        "http://blogs.law.harvard.edu/tech/rss", NULL };
static const char *const dc_uris[] = { NS_DC, NULL };
static const char *const dcterms_uris[] = { NS_DCTERMS, NULL };
static const char *const content_uris[] = { NS_CONTENT, NULL };
static const char *const atom_uris[] = { NS_ATOM10, NS_ATOM03, NULL };

static const NsSet RSS = { rss_uris, TRUE, NULL };
static const NsSet DC = { dc_uris, FALSE, "dc" };
static const NsSet DCTERMS = { dcterms_uris, FALSE, "dcterms" };
static const NsSet CONTENT = { content_uris, FALSE, "content" };
static const NsSet ATOM = { atom_uris, TRUE, NULL };

/* An undeclared prefix leaves the element with its qualified name and no
 * namespace (a namespace error, not a well-formedness one): @set->prefix
 * matches that form so `content:encoded` without xmlns still counts. */
static gboolean
element_in (xmlNodePtr node, const char *name, const NsSet *set)
{
  const char *ns;

  if (node->type != XML_ELEMENT_NODE)
    return FALSE;
  ns = ns_of (node);
  if (ns == NULL)
    {
      if (set->prefix != NULL)
        {
          gsize n = strlen (set->prefix);
          const char *qname = (const char *) node->name;

          if (strncmp (qname, set->prefix, n) == 0 && qname[n] == ':'
              && g_str_equal (qname + n + 1, name))
            return TRUE;
        }
      return set->unqualified && g_str_equal ((const char *) node->name, name);
    }
  if (!g_str_equal ((const char *) node->name, name))
    return FALSE;
  for (gsize i = 0; set->uris[i] != NULL; i++)
    if (ns_equal (ns, set->uris[i]))
      return TRUE;
  return FALSE;
}

static xmlNodePtr
find_child (xmlNodePtr parent, const char *name, const NsSet *set)
{
  for (xmlNodePtr child = parent->children; child != NULL; child = child->next)
    if (element_in (child, name, set))
      return child;
  return NULL;
}

static void
append_escaped (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else
        g_string_append_c (out, *p);
    }
}

/* Gathers an element's content as markup: text as is (or escaped when it
 * is literal text), child elements as bare tags (attributes are never
 * needed for plain text), internal entities as their replacement text,
 * external entities never. */
static void
collect_markup (xmlNodePtr node, gboolean escape_text, GString *out, int depth)
{
  for (xmlNodePtr child = node->children; child != NULL && out->len < MAX_FIELD_MARKUP;
       child = child->next)
    {
      switch (child->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (child->content != NULL)
            {
              if (escape_text)
                append_escaped (out, (const char *) child->content);
              else
                g_string_append (out, (const char *) child->content);
            }
          break;
        case XML_ENTITY_REF_NODE:
          {
            xmlEntityPtr entity = xmlGetDocEntity (child->doc, child->name);

            if (entity != NULL && entity->etype == XML_INTERNAL_GENERAL_ENTITY
                && entity->content != NULL)
              g_string_append (out, (const char *) entity->content);
          }
          break;
        case XML_ELEMENT_NODE:
          if (depth < DP_FEED_MAX_DEPTH)
            {
              g_string_append_printf (out, "<%s>", (const char *) child->name);
              collect_markup (child, escape_text, out, depth + 1);
              g_string_append_printf (out, "</%s>", (const char *) child->name);
            }
          break;
        default:
          break;
        }
    }
  if (out->len > MAX_FIELD_MARKUP)
    g_string_truncate (out, MAX_FIELD_MARKUP);
}

static char *
null_if_empty (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
element_text (xmlNodePtr node, TextMode mode)
{
  g_autoptr(GString) markup = g_string_new (NULL);

  if (node == NULL)
    return NULL;
  collect_markup (node, mode == TEXT_XHTML, markup, 0);
  /* Truncation may have split a character: cut back to a boundary. */
  {
    const char *end = NULL;
    if (!g_utf8_validate_len (markup->str, markup->len, &end))
      g_string_truncate (markup, end - markup->str);
  }
  return null_if_empty (markup_to_text (markup->str, mode, DP_FEED_MAX_TEXT));
}

/* Verbatim text (ids, links, dates): no markup interpretation. */
static char *
element_raw (xmlNodePtr node)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (node == NULL)
    return NULL;
  collect_markup (node, FALSE, text, DP_FEED_MAX_DEPTH);
  if (text->len > 8192 || !g_utf8_validate (text->str, text->len, NULL))
    return NULL;
  return null_if_empty (g_strstrip (g_string_free (g_steal_pointer (&text), FALSE)));
}

static char *
get_attr (xmlNodePtr node, const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return copy;
}

/* Resolves against xml:base and the document URL; keeps only http(s). */
static char *
resolve_link (xmlNodePtr node, const char *link, const char *base_url)
{
  g_autofree char *resolved = NULL;
  xmlChar *base;
  const char *colon;

  if (link == NULL || *link == '\0' || strlen (link) > 4096)
    return NULL;
  for (const char *p = link; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == ' ')
      return NULL;

  base = xmlNodeGetBase (node->doc, node);
  if (base != NULL)
    {
      xmlChar *built = NULL;
      g_autofree char *absolute_base = NULL;

      /* xml:base may itself be relative to the document URL. */
      if (base_url != NULL)
        {
          xmlChar *b = xmlBuildURI (base, (const xmlChar *) base_url);
          if (b != NULL)
            {
              absolute_base = g_strdup ((const char *) b);
              xmlFree (b);
            }
        }
      built = xmlBuildURI ((const xmlChar *) link,
                           absolute_base != NULL ? (const xmlChar *) absolute_base : base);
      xmlFree (base);
      if (built != NULL)
        {
          resolved = g_strdup ((const char *) built);
          xmlFree (built);
        }
    }
  else if (base_url != NULL)
    {
      xmlChar *built = xmlBuildURI ((const xmlChar *) link, (const xmlChar *) base_url);
      if (built != NULL)
        {
          resolved = g_strdup ((const char *) built);
          xmlFree (built);
        }
    }
  if (resolved == NULL)
    resolved = g_strdup (link);

  colon = strchr (resolved, ':');
  if (colon == NULL)
    return NULL;
  if (!((colon - resolved == 4 && g_ascii_strncasecmp (resolved, "http", 4) == 0)
        || (colon - resolved == 5 && g_ascii_strncasecmp (resolved, "https", 5) == 0)))
    return NULL;
  if (!g_utf8_validate (resolved, -1, NULL))
    return NULL;
  return g_steal_pointer (&resolved);
}

static GDateTime *
element_date (xmlNodePtr node)
{
  g_autofree char *text = element_raw (node);

  return text != NULL ? dp_feed_parse_date (text) : NULL;
}

/* ------------------------------------------------------------------ */
/* RSS, RDF and Atom                                                  */

typedef struct {
  const char  *name;
  const NsSet *set;
} DateElement;

static GDateTime *
first_date (xmlNodePtr parent, const DateElement *names, gsize n_names)
{
  for (gsize i = 0; i < n_names; i++)
    {
      xmlNodePtr node = find_child (parent, names[i].name, names[i].set);
      GDateTime *date = node != NULL ? element_date (node) : NULL;

      if (date != NULL)
        return date;
    }
  return NULL;
}

static DpFeedItem *
parse_rss_item (xmlNodePtr node, const char *base_url)
{
  static const DateElement dates[] = {
    { "pubDate", &RSS }, { "date", &DC }, { "issued", &DCTERMS }, { "created", &DCTERMS },
    { "modified", &DCTERMS },
  };
  DpFeedItem *item = g_new0 (DpFeedItem, 1);
  xmlNodePtr child;

  item->title = element_text (find_child (node, "title", &RSS), TEXT_HTML);
  if (item->title == NULL)
    item->title = element_text (find_child (node, "title", &DC), TEXT_HTML);

  if ((child = find_child (node, "link", &RSS)) != NULL)
    {
      g_autofree char *raw = element_raw (child);
      item->link = resolve_link (child, raw, base_url);
    }

  if ((child = find_child (node, "guid", &RSS)) != NULL)
    {
      g_autofree char *permalink = get_attr (child, "isPermaLink");

      item->id = element_raw (child);
      /* A guid is the item's address unless it says it is not; only an
       * absolute URL can be one (no resolving a bare serial number). */
      if (item->link == NULL && item->id != NULL
          && (permalink == NULL || g_ascii_strcasecmp (permalink, "false") != 0))
        item->link = resolve_link (child, item->id, NULL);
    }
  if (item->id == NULL)
    {
      xmlChar *about = xmlGetNsProp (node, (const xmlChar *) "about", (const xmlChar *) NS_RDF);
      if (about != NULL)
        {
          item->id = g_strstrip (g_strdup ((const char *) about));
          xmlFree (about);
        }
    }

  item->summary = element_text (find_child (node, "description", &RSS), TEXT_HTML);
  if (item->summary == NULL)
    item->summary = element_text (find_child (node, "description", &DC), TEXT_HTML);
  item->content = element_text (find_child (node, "encoded", &CONTENT), TEXT_HTML);
  if (item->summary == NULL)
    item->summary = g_strdup (item->content);

  item->date = first_date (node, dates, G_N_ELEMENTS (dates));
  return item;
}

static char *
atom_text (xmlNodePtr node)
{
  g_autofree char *type = NULL;
  g_autofree char *mode = NULL;
  gboolean html, xhtml;

  if (node == NULL)
    return NULL;
  type = get_attr (node, "type");
  mode = get_attr (node, "mode");
  if (type != NULL)
    {
      char *lower = g_ascii_strdown (type, -1);
      g_free (type);
      type = lower;
    }
  xhtml = type != NULL && (g_str_equal (type, "xhtml") || g_str_equal (type, "application/xhtml+xml"));
  html = type != NULL && (g_str_equal (type, "html") || g_str_equal (type, "text/html"));

  if (mode != NULL && g_ascii_strcasecmp (mode, "base64") == 0)
    {
      g_autofree char *raw = element_raw (node);
      g_autofree guchar *decoded = NULL;
      g_autofree char *text = NULL;
      gsize decoded_len = 0;

      if (raw == NULL)
        return NULL;
      decoded = g_base64_decode (raw, &decoded_len);
      if (decoded == NULL || !g_utf8_validate_len ((const char *) decoded, decoded_len, NULL)
          || memchr (decoded, '\0', decoded_len) != NULL)
        return NULL;
      text = g_strndup ((const char *) decoded, decoded_len);
      return null_if_empty (markup_to_text (text, html || xhtml ? TEXT_HTML : TEXT_PLAIN,
                                            DP_FEED_MAX_TEXT));
    }
  /* Other media types (video/mp4, application/json ...) are not text a
   * ticker can show; XML types are shown as their text. */
  if (!xhtml && !html && type != NULL && strchr (type, '/') != NULL
      && !g_str_has_prefix (type, "text/") && !g_str_has_suffix (type, "+xml")
      && !g_str_has_suffix (type, "/xml"))
    return NULL;
  if (xhtml)
    return element_text (node, TEXT_XHTML);
  if (html || (mode != NULL && g_ascii_strcasecmp (mode, "escaped") == 0))
    return element_text (node, TEXT_HTML);
  return element_text (node, TEXT_PLAIN);
}

static char *
atom_link (xmlNodePtr parent, const char *base_url)
{
  xmlNodePtr fallback = NULL;

  for (xmlNodePtr child = parent->children; child != NULL; child = child->next)
    {
      g_autofree char *rel = NULL;
      g_autofree char *type = NULL;

      if (!element_in (child, "link", &ATOM))
        continue;
      rel = get_attr (child, "rel");
      if (rel != NULL && g_ascii_strcasecmp (rel, "alternate") != 0
          && !g_str_equal (rel, "http://www.iana.org/assignments/relation/alternate"))
        continue;
      type = get_attr (child, "type");
      if (type == NULL || g_ascii_strncasecmp (type, "text/html", 9) == 0
          || g_ascii_strncasecmp (type, "application/xhtml+xml", 21) == 0)
        {
          g_autofree char *href = get_attr (child, "href");
          char *link = resolve_link (child, href, base_url);
          if (link != NULL)
            return link;
        }
      else if (fallback == NULL)
        fallback = child;
    }
  if (fallback != NULL)
    {
      g_autofree char *href = get_attr (fallback, "href");
      return resolve_link (fallback, href, base_url);
    }
  return NULL;
}

static DpFeedItem *
parse_atom_entry (xmlNodePtr node, const char *base_url)
{
  static const DateElement dates[] = {
    { "published", &ATOM }, { "issued", &ATOM }, { "updated", &ATOM }, { "modified", &ATOM },
    { "created", &ATOM }, { "date", &DC },
  };
  DpFeedItem *item = g_new0 (DpFeedItem, 1);

  item->title = atom_text (find_child (node, "title", &ATOM));
  item->link = atom_link (node, base_url);
  item->id = element_raw (find_child (node, "id", &ATOM));
  item->summary = atom_text (find_child (node, "summary", &ATOM));
  item->content = atom_text (find_child (node, "content", &ATOM));
  if (item->summary == NULL)
    item->summary = g_strdup (item->content);
  item->date = first_date (node, dates, G_N_ELEMENTS (dates));
  return item;
}

static void
add_item (DpFeed *feed, DpFeedItem *item)
{
  if (feed->items->len < DP_FEED_MAX_ITEMS)
    g_ptr_array_add (feed->items, item);
  else
    dp_feed_item_free (item);
}

static void
fill_rss (DpFeed *feed, xmlNodePtr root, const char *base_url)
{
  xmlNodePtr channel = find_child (root, "channel", &RSS);

  if (channel != NULL)
    {
      xmlNodePtr link = find_child (channel, "link", &RSS);

      feed->title = element_text (find_child (channel, "title", &RSS), TEXT_HTML);
      if (feed->title == NULL)
        feed->title = element_text (find_child (channel, "title", &DC), TEXT_HTML);
      if (link != NULL)
        {
          g_autofree char *raw = element_raw (link);
          feed->link = resolve_link (link, raw, base_url);
        }
      feed->description = element_text (find_child (channel, "description", &RSS), TEXT_HTML);
      for (xmlNodePtr child = channel->children; child != NULL; child = child->next)
        if (element_in (child, "item", &RSS))
          add_item (feed, parse_rss_item (child, base_url));
    }
  /* RSS 0.90 and 1.0 put the items beside the channel, not inside it. */
  for (xmlNodePtr child = root->children; child != NULL; child = child->next)
    if (element_in (child, "item", &RSS))
      add_item (feed, parse_rss_item (child, base_url));
}

static void
fill_atom (DpFeed *feed, xmlNodePtr root, const char *base_url)
{
  feed->title = atom_text (find_child (root, "title", &ATOM));
  feed->link = atom_link (root, base_url);
  feed->description = atom_text (find_child (root, "subtitle", &ATOM));
  if (feed->description == NULL)
    feed->description = atom_text (find_child (root, "tagline", &ATOM));
  for (xmlNodePtr child = root->children; child != NULL; child = child->next)
    if (element_in (child, "entry", &ATOM))
      add_item (feed, parse_atom_entry (child, base_url));
}

static gboolean
detect_format (xmlNodePtr root, DpFeedFormat *format, char **version)
{
  const char *ns = ns_of (root);
  const char *name = (const char *) root->name;

  if (g_str_equal (name, "rss"))
    {
      *format = DP_FEED_FORMAT_RSS;
      *version = get_attr (root, "version");
      return TRUE;
    }
  if ((g_str_equal (name, "RDF") && ns != NULL && ns_equal (ns, NS_RDF))
      || (ns == NULL && g_str_equal (name, "rdf:RDF")))
    {
      gboolean v090 = FALSE;

      for (xmlNodePtr child = root->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE && ns_of (child) != NULL
            && ns_equal (ns_of (child), NS_RSS090))
          v090 = TRUE;
      *format = DP_FEED_FORMAT_RDF;
      *version = g_strdup (v090 ? "0.90" : "1.0");
      return TRUE;
    }
  if (g_str_equal (name, "feed")
      && (ns == NULL || ns_equal (ns, NS_ATOM10) || ns_equal (ns, NS_ATOM03)))
    {
      *format = DP_FEED_FORMAT_ATOM;
      if (ns != NULL && ns_equal (ns, NS_ATOM10))
        *version = g_strdup ("1.0");
      else
        {
          *version = get_attr (root, "version");
          if (*version == NULL && ns != NULL)
            *version = g_strdup ("0.3");
        }
      return TRUE;
    }
  return FALSE;
}

DpFeed *
dp_feed_parse (const guint8  *data,
               gsize          length,
               const char    *content_type,
               const char    *base_url,
               GError       **error)
{
  g_autofree char *text = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *strict_error = NULL;
  g_autofree char *version = NULL;
  g_autoptr(DpFeed) feed = NULL;
  gsize text_len = 0;
  const char *start;
  xmlDocPtr doc;
  xmlNodePtr root, deepest = NULL;
  gboolean recovered = FALSE;
  gboolean namespace_fault = FALSE;
  DpFeedFormat format;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > DP_FEED_MAX_SIZE)
    {
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_TOO_LARGE,
                   _("feed: %zu bytes is more than the %d allowed"),
                   length, DP_FEED_MAX_SIZE);
      return NULL;
    }
  text = decode_document (data, length, content_type, &text_len, &encoding, error);
  if (text == NULL)
    return NULL;

  /* Blank lines before the XML declaration are a common server-side slip
   * (gofeed "leading spaces"); XML forbids them, readers forgive them. */
  start = text + strspn (text, " \t\r\n");
  if (*start == '\0')
    {
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_MALFORMED,
                   _("feed: byte 0: the document is empty"));
      return NULL;
    }
  text_len -= (gsize) (start - text);

  doc = read_xml (start, text_len, FALSE, &strict_error, &namespace_fault);
  if (doc != NULL && namespace_fault)
    recovered = TRUE;
  if (doc == NULL)
    {
      gsize fixed_len = 0;
      g_autofree char *fixed = escape_bare_ampersands (start, text_len, &fixed_len);
      g_autofree char *ignored = NULL;

      /* The one recovery: a bare '&' (the commonest real-world fault) is
       * read as a literal ampersand. libxml2's own recovery mode is not
       * used: on broken CDATA or tags it invents elements out of the
       * debris, which would be shown as news. */
      if (fixed != NULL)
        doc = read_xml (fixed, fixed_len, FALSE, &ignored, NULL);
      recovered = doc != NULL;
    }
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    {
      gsize head = MIN (text_len, 2048);

      if (find_ci (start, head, "<html") != NULL || find_ci (start, head, "<head") != NULL
          || find_ci (start, head, "<body") != NULL)
        g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_NOT_A_FEED,
                     _("feed: an HTML page, not a feed (%s)"), strict_error);
      else
        g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_MALFORMED,
                     _("feed: not well-formed XML: %s"), strict_error);
      g_clear_pointer (&doc, xmlFreeDoc);
      return NULL;
    }
  if (max_depth (root, 1, &deepest) > DP_FEED_MAX_DEPTH)
    {
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_TOO_DEEP,
                   _("feed: line %ld: elements nested deeper than %d"),
                   xmlGetLineNo (deepest), DP_FEED_MAX_DEPTH);
      xmlFreeDoc (doc);
      return NULL;
    }
  if (!detect_format (root, &format, &version))
    {
      g_autofree char *name = g_utf8_substring ((const char *) root->name, 0,
                                                MIN (g_utf8_strlen ((const char *) root->name, -1), 40));
      g_set_error (error, DP_FEED_ERROR, DP_FEED_ERROR_NOT_A_FEED,
                   _("feed: line %ld: the root element <%s> is not <rss>, <rdf:RDF> or <feed>"),
                   xmlGetLineNo (root), name);
      xmlFreeDoc (doc);
      return NULL;
    }

  feed = dp_feed_new (format);
  if (version != NULL)
    replace_str (&feed->version, version);
  feed->encoding = g_steal_pointer (&encoding);
  feed->recovered = recovered;
  if (recovered)
    feed->warning = g_strdup (strict_error != NULL ? strict_error
                              : _("namespace prefix used without a declaration"));
  if (format == DP_FEED_FORMAT_ATOM)
    fill_atom (feed, root, base_url);
  else
    fill_rss (feed, root, base_url);
  xmlFreeDoc (doc);

  return g_steal_pointer (&feed);
}
