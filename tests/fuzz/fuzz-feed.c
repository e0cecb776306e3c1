/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the feed parser and the feed script: neither may crash,
 * hang or leak on any input, and every string a parsed feed returns must be
 * valid UTF-8 without a '<' that could open a tag. The first input byte
 * picks a Content-Type charset so that the charset paths are fuzzed too. */
#include <string.h>
#include <glib.h>

#include "dp-feed-parser.h"
#include "dp-feed-script.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    g_assert_false (*p == '<' && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!'));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const char *const content_types[] = {
    NULL, "application/rss+xml", "text/xml; charset=iso-8859-1",
    "application/atom+xml; charset=\"utf-16\"", "text/xml; charset=gb2312",
  };
  g_autoptr(DpFeed) feed = NULL;
  g_autofree char *script = NULL;
  const char *content_type = NULL;

  if (size > 0)
    {
      content_type = content_types[data[0] % G_N_ELEMENTS (content_types)];
      data++;
      size--;
    }
  feed = dp_feed_parse (data, size, content_type, "http://127.0.0.1/feed.xml", NULL);
  if (feed != NULL)
    {
      check_text (feed->title);
      check_text (feed->description);
      for (guint i = 0; i < feed->items->len; i++)
        {
          DpFeedItem *item = feed->items->pdata[i];
          check_text (item->title);
          check_text (item->summary);
          check_text (item->content);
          if (item->link != NULL)
            g_assert_true (g_ascii_strncasecmp (item->link, "http", 4) == 0);
        }
    }

  script = g_strndup ((const char *) data, MIN (size, 4096));
  dp_feed_script_check (script, NULL);
  return 0;
}
