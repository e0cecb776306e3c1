/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 0.3 / 1.0 parser producing plain-text
 * items for the phone's news ticker, the GUI and the web UI. It is a pure
 * function over bytes: no I/O, no network, no global state.
 *
 * Safety: input is capped at %DP_FEED_MAX_SIZE bytes; libxml2 runs with
 * XML_PARSE_NONET, without entity substitution, DTD loading or validation,
 * and with its external-entity resolver replaced by one that refuses, so no
 * file or URL named by the document is ever opened. Internal entities are
 * expanded only as their literal text, under a per-field size budget (no
 * "billion laughs"). Element nesting deeper than %DP_FEED_MAX_DEPTH is
 * rejected. At most %DP_FEED_MAX_ITEMS items are kept.
 *
 * Character sets (decision, following RFC 7303 §3 rather than RFC 3023):
 * 1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins;
 * 2. otherwise the charset parameter of the HTTP Content-Type, when given;
 * 3. otherwise the `encoding` of the XML declaration (read in the UTF-16/32
 *    family the first bytes reveal);
 * 4. otherwise UTF-8. RFC 3023's "text/xml without charset means US-ASCII"
 *    is not applied: RFC 7303 withdrew it, and real feeds served as text/xml
 *    are UTF-8 or declare their encoding.
 * `iso-8859-1`/`latin1` and `us-ascii` are decoded as windows-1252, as
 * browsers do (the WHATWG Encoding Standard), because feeds labelled so
 * routinely contain cp1252 quotes; `gb2312`/`gbk` as gb18030 (a superset).
 * %DP_FEED_ERROR_ENCODING is raised for an unknown charset or bytes that are
 * not valid in the chosen one: nothing is guessed.
 *
 * Ill-formed XML (decision): the document is parsed strictly. Two faults
 * are recovered from, setting #DpFeed.recovered (feedparser's "bozo") and
 * #DpFeed.warning: a bare `&` that starts no reference (the commonest
 * real-world fault; the document is re-read with it as `&amp;`), and a
 * namespace prefix used without a declaration (the tree is complete; the
 * element keeps its qualified name). libxml2's recovery mode is NOT used:
 * on broken tags or CDATA it builds elements out of the debris, which would
 * then be shown as news. Anything else is a %DP_FEED_ERROR_MALFORMED error
 * naming the line and column (%DP_FEED_ERROR_NOT_A_FEED for an HTML page).
 * A document with no declared charset whose bytes are not UTF-8 is an
 * error too (no guessing, so no mojibake).
 *
 * Text: every title, summary and content is returned as one line of plain
 * text: markup removed, `script`/`style`/`iframe`/`object`/`embed`/
 * `applet`/`template`/`noembed`/`noframes` removed with their contents,
 * HTML entities decoded (numeric ones and a table of common named ones;
 * legacy forms without `;` are not decoded), control characters dropped,
 * white space collapsed. HTML that was escaped twice (common in RSS
 * descriptions) is stripped a second time. A `<` that would still start a
 * tag afterwards is replaced by U+FF1C so that no renderer can read the
 * text as markup. Links are kept only if they resolve (against xml:base and
 * the document URL) to an absolute http or https URL; `javascript:` and
 * `data:` links are dropped.
 */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/** DP_FEED_MAX_SIZE: the largest feed document accepted, in bytes. */
#define DP_FEED_MAX_SIZE (1024 * 1024)
/** DP_FEED_MAX_ITEMS: items kept per feed (the first ones in document order). */
#define DP_FEED_MAX_ITEMS 100
/** DP_FEED_MAX_DEPTH: deepest element nesting accepted. */
#define DP_FEED_MAX_DEPTH 64
/** DP_FEED_MAX_TEXT: longest title/summary returned, in characters. */
#define DP_FEED_MAX_TEXT 4096

#define DP_FEED_ERROR (dp_feed_error_quark ())

/**
 * DpFeedError:
 * @DP_FEED_ERROR_TOO_LARGE: the document is larger than %DP_FEED_MAX_SIZE
 * @DP_FEED_ERROR_ENCODING: unknown charset or bytes invalid in it
 * @DP_FEED_ERROR_MALFORMED: not well-formed XML and not recoverable
 * @DP_FEED_ERROR_NOT_A_FEED: well-formed, but not RSS, RDF or Atom
 * @DP_FEED_ERROR_TOO_DEEP: elements nested deeper than %DP_FEED_MAX_DEPTH
 *
 * Errors of dp_feed_parse(). Messages name the byte offset or line/column.
 */
typedef enum {
  DP_FEED_ERROR_TOO_LARGE,
  DP_FEED_ERROR_ENCODING,
  DP_FEED_ERROR_MALFORMED,
  DP_FEED_ERROR_NOT_A_FEED,
  DP_FEED_ERROR_TOO_DEEP,
} DpFeedError;

GQuark dp_feed_error_quark (void);

/**
 * DpFeedFormat:
 * @DP_FEED_FORMAT_RSS: RSS 0.9x or 2.0 (`<rss>`)
 * @DP_FEED_FORMAT_RDF: RSS 0.90 or 1.0 (`<rdf:RDF>`)
 * @DP_FEED_FORMAT_ATOM: Atom 0.3 or 1.0 (`<feed>`)
 *
 * The family of a parsed feed.
 */
typedef enum {
  DP_FEED_FORMAT_RSS,
  DP_FEED_FORMAT_RDF,
  DP_FEED_FORMAT_ATOM,
} DpFeedFormat;

/**
 * DpFeedItem:
 * @title: (nullable): plain-text title
 * @link: (nullable): absolute http(s) URL of the item
 * @date: (nullable): publication date (or, if absent, update date), UTC
 * @summary: (nullable): plain-text summary (the description or Atom
 *   summary; the content when there is no summary)
 * @content: (nullable): plain text of the full content (`content:encoded`,
 *   Atom `content`), when present
 * @id: (nullable): the guid / Atom id, verbatim (trimmed)
 *
 * One entry. Every string is valid UTF-8 without markup.
 */
typedef struct {
  char      *title;
  char      *link;
  GDateTime *date;
  char      *summary;
  char      *content;
  char      *id;
} DpFeedItem;

/**
 * DpFeed:
 * @format: the feed family
 * @version: `2.0`, `0.91`, `1.0` (RDF), `0.3`/`1.0` (Atom) ... or "" if undeclared
 * @encoding: the charset the bytes were decoded from, lower case
 *   (`utf-8`, `iso-8859-1`, `gb18030`, `utf-16le` ...)
 * @recovered: %TRUE if the XML was ill-formed and recovered (see above)
 * @warning: (nullable): the fault that was recovered from
 * @title: (nullable): the channel/feed title
 * @link: (nullable): the channel/feed web page
 * @description: (nullable): the channel description / Atom subtitle
 * @items: (element-type DpFeedItem): the items in document order
 *
 * A parsed feed. Reference-counted; see dp_feed_ref().
 */
typedef struct {
  DpFeedFormat format;
  char        *version;
  char        *encoding;
  gboolean     recovered;
  char        *warning;
  char        *title;
  char        *link;
  char        *description;
  GPtrArray   *items;
  /*< private >*/
  gatomicrefcount ref_count;
} DpFeed;

#define DP_TYPE_FEED (dp_feed_get_type ())
#define DP_TYPE_FEED_ITEM (dp_feed_item_get_type ())

GType       dp_feed_get_type      (void) G_GNUC_CONST;
GType       dp_feed_item_get_type (void) G_GNUC_CONST;

DpFeed     *dp_feed_ref           (DpFeed     *feed);
void        dp_feed_unref         (DpFeed     *feed);
DpFeedItem *dp_feed_item_copy     (const DpFeedItem *item);
void        dp_feed_item_free     (DpFeedItem *item);

/**
 * dp_feed_parse:
 * @data: (array length=length): the document bytes
 * @length: number of bytes
 * @content_type: (nullable): the HTTP Content-Type (its charset is honoured)
 * @base_url: (nullable): the URL the document came from, for relative links
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the feed, or %NULL with @error set
 */
DpFeed     *dp_feed_parse         (const guint8 *data,
                                   gsize         length,
                                   const char   *content_type,
                                   const char   *base_url,
                                   GError      **error);

/**
 * dp_feed_item_to_json:
 * @item: an item
 *
 * Returns: (transfer full): `{"title","link","date"(unix seconds|null),"summary"}`
 *   with %NULL strings as JSON null
 */
JsonNode   *dp_feed_item_to_json  (const DpFeedItem *item);

/**
 * dp_feed_html_to_text:
 * @html: HTML source text (valid UTF-8)
 * @max_chars: cap on the result's length in characters (0: %DP_FEED_MAX_TEXT)
 *
 * The markup stripper used for every text field (see the file comment).
 *
 * Returns: (transfer full): one line of plain text, possibly empty
 */
char       *dp_feed_html_to_text  (const char *html,
                                   gsize       max_chars);

/**
 * dp_feed_parse_date:
 * @text: an RFC 822/1123 date (`Sat, 07 Sep 2002 09:42:31 GMT`, 2- or
 *   4-digit years, named or numeric zones) or an ISO 8601 / W3C-DTF date
 *   (`2003-12-13T18:30:02Z`, `2003-12-13`, fractions, offsets)
 *
 * Returns: (transfer full) (nullable): the instant in UTC, or %NULL if
 *   @text is neither form or names an impossible date
 */
GDateTime  *dp_feed_parse_date    (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpFeed, dp_feed_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpFeedItem, dp_feed_item_free)

G_END_DECLS
