/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-screen"

#include "dp-screen-script.h"

#include <string.h>

void
dp_screen_step_free (DpScreenStep *step)
{
  if (step == NULL)
    return;
  g_free (step->name);
  g_free (step->text);
  g_free (step);
}

static gboolean
valid_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > DP_SCREEN_SCRIPT_MAX_NAME)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
parse_number (const char *text, guint64 min, guint64 max, guint64 *value)
{
  return g_ascii_string_to_unsigned (text, 10, min, max, value, NULL);
}

/* The rest of @line after its first @skip words, trimmed. */
static char *
rest_after_words (const char *line, guint skip)
{
  const char *p = line;

  for (guint i = 0; i < skip; i++)
    {
      while (*p == ' ' || *p == '\t')
        p++;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
    }
  return g_strstrip (g_strdup (p));
}

static DpScreenStep *
parse_line (const char *line, guint number, GError **error)
{
  g_autoptr(DpScreenStep) step = g_new0 (DpScreenStep, 1);
  g_auto(GStrv) pieces = g_strsplit_set (line, " \t", -1);
  g_autoptr(GPtrArray) word_list = g_ptr_array_new ();
  const char **words;
  guint n;
  const char *verb;
  guint64 value = 0;

  /* Runs of blanks give empty pieces; the words are the others. */
  for (guint i = 0; pieces[i] != NULL; i++)
    if (*pieces[i] != '\0')
      g_ptr_array_add (word_list, pieces[i]);
  n = word_list->len;
  g_ptr_array_add (word_list, NULL);
  words = (const char **) word_list->pdata;

  step->line = number;
  verb = words[0];
  if (g_str_equal (verb, "press") || g_str_equal (verb, "screenshot") ||
      g_str_equal (verb, "type"))
    {
      gboolean type = g_str_equal (verb, "type");

      if (n < 2 || (!type && n != 2))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: “%s” takes %s", number, verb,
                       type ? "a widget name and a text" : "exactly one name");
          return NULL;
        }
      if (!valid_name (words[1]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: “%s” is not a name (letters, digits, - and _, at most %d)",
                       number, words[1], DP_SCREEN_SCRIPT_MAX_NAME);
          return NULL;
        }
      step->kind = type ? DP_SCREEN_STEP_TYPE
                   : g_str_equal (verb, "press") ? DP_SCREEN_STEP_PRESS : DP_SCREEN_STEP_SCREENSHOT;
      step->name = g_strdup (words[1]);
      if (type)
        {
          step->text = rest_after_words (line, 2);
          if (*step->text == '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "line %u: “type” needs a text after the widget name", number);
              return NULL;
            }
        }
    }
  else if (g_str_equal (verb, "wait"))
    {
      if (n != 2 || !parse_number (words[1], 0, 600000, &value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: “wait” takes milliseconds 0..600000", number);
          return NULL;
        }
      step->kind = DP_SCREEN_STEP_WAIT;
      step->ms = (guint) value;
    }
  else if (g_str_equal (verb, "wait-call") || g_str_equal (verb, "wait-idle"))
    {
      gboolean call = g_str_equal (verb, "wait-call");
      guint first_timeout = call ? 2 : 1;

      step->kind = call ? DP_SCREEN_STEP_WAIT_CALL : DP_SCREEN_STEP_WAIT_IDLE;
      if (call && (n < 2 || !dp_call_state_from_string (words[1], &step->state)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: “wait-call” needs a call state (dialing, proceeding, "
                       "ringback, ringing, active, held, remote-held, ended), not “%s”",
                       number, n < 2 ? "" : words[1]);
          return NULL;
        }
      value = 20;
      if (n > first_timeout + 1 ||
          (n == first_timeout + 1 && !parse_number (words[first_timeout], 1, 600, &value)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: “%s” takes an optional timeout of 1..600 seconds", number, verb);
          return NULL;
        }
      step->ms = (guint) value * 1000;
    }
  else if (g_str_equal (verb, "log"))
    {
      step->kind = DP_SCREEN_STEP_LOG;
      step->text = rest_after_words (line, 1);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "line %u: unknown step “%s” (press, type, screenshot, wait, wait-call, "
                   "wait-idle, log)", number, verb);
      return NULL;
    }
  return g_steal_pointer (&step);
}

/**
 * dp_screen_script_parse:
 * @data: the script
 * @length: its length, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type DpScreenStep): the steps, or %NULL
 *   with @error naming the line and the problem
 */
GPtrArray *
dp_screen_script_parse (const char *data, gssize length, GError **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_screen_step_free);
  const char *end, *p;
  guint number = 0;

  if (length < 0)
    length = (gssize) strlen (data);
  if ((gsize) length > DP_SCREEN_SCRIPT_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the script is %zd bytes, at most %d are allowed", length,
                   DP_SCREEN_SCRIPT_MAX_SIZE);
      return NULL;
    }
  end = data + length;
  for (p = data; p < end;)
    {
      const char *eol = memchr (p, '\n', (gsize) (end - p));
      g_autofree char *line = NULL;
      DpScreenStep *step;

      if (eol == NULL)
        eol = end;
      number++;
      if (memchr (p, '\0', (gsize) (eol - p)) != NULL || !g_utf8_validate (p, eol - p, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: not valid UTF-8 text", number);
          return NULL;
        }
      line = g_strstrip (g_strndup (p, (gsize) (eol - p)));
      p = eol + 1;
      if (*line == '\0' || *line == '#')
        continue;
      for (const char *c = line; *c != '\0'; c++)
        if ((guchar) *c < 0x20 && *c != '\t')
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "line %u: control character at column %ld", number, (long) (c - line) + 1);
            return NULL;
          }
      if (steps->len >= DP_SCREEN_SCRIPT_MAX_STEPS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: more than %d steps", number, DP_SCREEN_SCRIPT_MAX_STEPS);
          return NULL;
        }
      step = parse_line (line, number, error);
      if (step == NULL)
        return NULL;
      g_ptr_array_add (steps, step);
    }
  return g_steal_pointer (&steps);
}
