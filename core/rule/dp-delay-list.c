/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Delay lists (`3600`, `1800+300,3600+600,7200+900`): a pure parser over
 * the parameter text, and the choice of one delay. */
#define G_LOG_DOMAIN "dp-core"

#include "dp-delay-list.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <gio/gio.h>

static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static gboolean
read_number (const char *text, const char **p, guint32 *out, const char *what, GError **error)
{
  guint64 value = 0;
  const char *start = *p;

  if (!g_ascii_isdigit (**p))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Delay list: position %d: expected the %s in seconds, found %s"),
                   (int) (*p - text) + 1, what,
                   **p == '\0' ? _("the end") : _("another character"));
      return FALSE;
    }
  while (g_ascii_isdigit (**p))
    {
      value = value * 10 + (guint64) (**p - '0');
      if (value > DP_DELAY_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Delay list: position %d: %s is larger than %u seconds"),
                       (int) (start - text) + 1, what, DP_DELAY_MAX);
          return FALSE;
        }
      (*p)++;
    }
  *out = (guint32) value;
  return TRUE;
}

/**
 * dp_delay_list_parse:
 * @text: the value
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type DpDelay): at least one item,
 *   or %NULL with @error set
 */
GArray *
dp_delay_list_parse (const char *text, GError **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (DpDelay));
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = skip_blanks (text);
  if (*p == '\0')
    {
      DpDelay zero = { 0, 0 };

      g_array_append_val (list, zero);
      return g_steal_pointer (&list);
    }
  for (;;)
    {
      DpDelay item = { 0, 0 };

      p = skip_blanks (p);
      if (!read_number (text, &p, &item.base, "delay", error))
        return NULL;
      p = skip_blanks (p);
      if (*p == '+')
        {
          p = skip_blanks (p + 1);
          if (!read_number (text, &p, &item.random, _("random extra delay"), error))
            return NULL;
          p = skip_blanks (p);
        }
      g_array_append_val (list, item);
      if (*p == '\0')
        break;
      if (*p != ',')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Delay list: position %d: unexpected '%c' (items are "
                       "SECONDS or SECONDS+RANDOM separated by commas)"),
                       (int) (p - text) + 1, g_ascii_isprint (*p) ? *p : '?');
          return NULL;
        }
      p++;
    }
  return g_steal_pointer (&list);
}

/**
 * dp_delay_list_check:
 * @value: a delay list
 * @error: return location for a #GError
 *
 * The `delaylist` syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value is a valid delay list
 */
gboolean
dp_delay_list_check (const char *value, GError **error)
{
  g_autoptr(GArray) list = dp_delay_list_parse (value, error);

  return list != NULL;
}

/**
 * dp_delay_list_pick:
 * @list: (element-type DpDelay): a parsed list
 * @attempt: 0 for the first attempt of a series, 1 for the next …
 * @rand: (nullable): random source; %NULL = the global one
 *
 * Returns: the delay in seconds for that attempt (the last item repeats)
 */
double
dp_delay_list_pick (GArray *list, guint attempt, GRand *rand)
{
  const DpDelay *item;
  double extra = 0;

  g_return_val_if_fail (list != NULL && list->len > 0, 0);

  item = &g_array_index (list, DpDelay, MIN (attempt, list->len - 1));
  if (item->random > 0)
    extra = rand != NULL ? g_rand_double_range (rand, 0, (double) item->random + 1)
                         : g_random_double_range (0, (double) item->random + 1);
  return (double) item->base + MIN (extra, (double) item->random);
}
