/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Dial plan parser: a pure function from the parameter text to the compiled
 * sequences of DpOp. The grammar and the choices made where the SPA documents
 * are silent are described in dp-dialplan.h. */
#define G_LOG_DOMAIN "dp-dialplan"

#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include "dp-dialplan-private.h"

G_DEFINE_QUARK (dp-dial-plan-error-quark, dp_dial_plan_error)
G_DEFINE_BOXED_TYPE (DpDialPlan, dp_dial_plan, dp_dial_plan_ref, dp_dial_plan_unref)

#define MAX_TIMER_SECONDS 64
#define MAX_PAUSE_SECONDS 999
/* What `L:,` / `S:,` mean without a number (SPA100/SPA500 documents). */
#define BARE_TIMER_SECONDS 5

typedef struct {
  const char *text;
  gsize length;
  gsize pos;
  GError **error;
} Parser;

int
dp_key_bit (char key)
{
  if (key >= '0' && key <= '9')
    return key - '0';
  if (key == '*')
    return DP_KEY_STAR_BIT;
  if (key == '#')
    return DP_KEY_HASH_BIT;
  return -1;
}

static void
op_clear (gpointer data)
{
  DpOp *op = data;

  g_clear_pointer (&op->text, g_free);
  g_clear_pointer (&op->route, g_free);
}

DpSequence *
dp_sequence_new (guint position)
{
  DpSequence *sequence = g_new0 (DpSequence, 1);

  sequence->ops = g_array_new (FALSE, TRUE, sizeof (DpOp));
  g_array_set_clear_func (sequence->ops, op_clear);
  sequence->position = position;
  return sequence;
}

void
dp_sequence_free (DpSequence *sequence)
{
  if (sequence == NULL)
    return;
  g_array_unref (sequence->ops);
  g_free (sequence);
}

static void
dial_plan_free (DpDialPlan *plan)
{
  g_free (plan->text);
  g_ptr_array_unref (plan->sequences);
  g_free (plan);
}

/**
 * dp_dial_plan_ref:
 * @plan: a #DpDialPlan
 *
 * Returns: (transfer full): @plan
 */
DpDialPlan *
dp_dial_plan_ref (DpDialPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  g_atomic_ref_count_inc (&plan->ref_count);
  return plan;
}

/**
 * dp_dial_plan_unref:
 * @plan: (transfer full): a #DpDialPlan
 */
void
dp_dial_plan_unref (DpDialPlan *plan)
{
  g_return_if_fail (plan != NULL);
  if (g_atomic_ref_count_dec (&plan->ref_count))
    dial_plan_free (plan);
}

const char *
dp_dial_plan_get_text (DpDialPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->text;
}

guint
dp_dial_plan_get_n_sequences (DpDialPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->sequences->len;
}

/**
 * dp_dial_plan_get_long_timer:
 * @plan: a #DpDialPlan
 *
 * Returns: the plan-wide `L:n` in seconds, or -1 when the plan has none
 */
int
dp_dial_plan_get_long_timer (DpDialPlan *plan)
{
  g_return_val_if_fail (plan != NULL, -1);
  return plan->long_timer;
}

/**
 * dp_dial_plan_get_short_timer:
 * @plan: a #DpDialPlan
 *
 * Returns: the plan-wide `S:n` in seconds, or -1 when the plan has none
 */
int
dp_dial_plan_get_short_timer (DpDialPlan *plan)
{
  g_return_val_if_fail (plan != NULL, -1);
  return plan->short_timer;
}

/* Describes the byte at @pos for an error message, safe for any byte. */
static char *
describe_at (Parser *p, gsize pos)
{
  unsigned char c;

  if (pos >= p->length)
    return g_strdup (_("end of plan"));
  c = (unsigned char) p->text[pos];
  if (c >= 0x21 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail_at (Parser *p, gsize pos, const char *format, ...)
{
  va_list args;
  g_autofree char *problem = NULL;
  g_autofree char *what = describe_at (p, pos);

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (p->error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_SYNTAX,
               _("Dial plan: position %zu (%s): %s"),
               pos + 1, what, problem);
  return FALSE;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_space (Parser *p)
{
  while (p->pos < p->length && is_space (p->text[p->pos]))
    p->pos++;
}

static char
peek (Parser *p)
{
  return p->pos < p->length ? p->text[p->pos] : '\0';
}

/* Reads the decimal number at the cursor; @required says whether it may be absent. */
static gboolean
parse_seconds (Parser *p, guint max, gboolean required, guint absent_value, guint *out)
{
  gsize start = p->pos;
  guint value = 0;

  while (p->pos < p->length && g_ascii_isdigit (p->text[p->pos]))
    {
      value = value * 10 + (guint) (p->text[p->pos] - '0');
      if (value > max)
        return fail_at (p, start, _("timer value is larger than %u seconds"), max);
      p->pos++;
    }
  if (p->pos == start)
    {
      if (required)
        return fail_at (p, start, _("expected a number of seconds"));
      value = absent_value;
    }
  *out = value;
  return TRUE;
}

static DpOp *
append_op (DpSequence *sequence, DpOpKind kind)
{
  DpOp op = { .kind = kind };

  g_array_append_val (sequence->ops, op);
  return &g_array_index (sequence->ops, DpOp, sequence->ops->len - 1);
}

static gboolean
parse_set (Parser *p, guint16 *keys)
{
  gsize open = p->pos;

  *keys = 0;
  p->pos++;  /* '[' */
  for (;;)
    {
      char c;
      int bit;

      skip_space (p);
      if (p->pos >= p->length)
        return fail_at (p, open, _("'[' is never closed"));
      c = p->text[p->pos];
      if (c == ']')
        break;
      bit = dp_key_bit (c);
      if (bit < 0)
        return fail_at (p, p->pos, _("only keys 0-9, * and # and digit ranges may appear in a set"));
      p->pos++;
      skip_space (p);
      if (peek (p) == '-')
        {
          gsize dash = p->pos;
          char hi;

          p->pos++;
          skip_space (p);
          hi = peek (p);
          if (!g_ascii_isdigit (c) || !g_ascii_isdigit (hi))
            return fail_at (p, dash, _("a range needs a digit on both sides"));
          if (hi < c)
            return fail_at (p, dash, _("range %c-%c runs backwards"), c, hi);
          for (char d = c; d <= hi; d++)
            *keys |= 1u << (d - '0');
          p->pos++;
        }
      else
        {
          *keys |= 1u << bit;
        }
    }
  if (*keys == 0)
    return fail_at (p, open, _("empty set"));
  p->pos++;  /* ']' */
  return TRUE;
}

/* A dialed side or a plain sequence body element that matches keys. Returns
 * TRUE if it consumed something, FALSE with *error set on a fault, and FALSE
 * without error when the byte is not a matching element. */
static gboolean
parse_match_element (Parser *p, DpSequence *sequence, gboolean emit,
                     guint first_op, gboolean *handled)
{
  char c = peek (p);
  int bit = dp_key_bit (c);

  *handled = TRUE;
  if (bit >= 0)
    {
      DpOp *op = append_op (sequence, DP_OP_MATCH);
      op->keys = (guint16) (1u << bit);
      op->emit = emit;
      p->pos++;
      return TRUE;
    }
  if (c == 'x' || c == 'X')
    {
      DpOp *op = append_op (sequence, DP_OP_MATCH);
      op->keys = DP_KEYS_DIGITS;
      op->emit = emit;
      p->pos++;
      return TRUE;
    }
  if (c == '[')
    {
      guint16 keys;
      DpOp *op;

      if (!parse_set (p, &keys))
        return FALSE;
      op = append_op (sequence, DP_OP_MATCH);
      op->keys = keys;
      op->emit = emit;
      return TRUE;
    }
  if (c == '.')
    {
      DpOp *last = NULL;

      /* Only the element just before may repeat, and never across a '<' or
       * '>' boundary (@first_op) or a tone/timer marker. */
      if (sequence->ops->len > first_op)
        last = &g_array_index (sequence->ops, DpOp, sequence->ops->len - 1);
      if (last == NULL || last->kind != DP_OP_MATCH)
        return fail_at (p, p->pos, _("'.' must follow a key, 'x' or a set"));
      if (last->repeat)
        return fail_at (p, p->pos, _("'.' repeats an element that already repeats"));
      last->repeat = TRUE;
      p->pos++;
      return TRUE;
    }
  if (c == ',')
    {
      DpOp *op = append_op (sequence, DP_OP_TONE);
      op->tone = DP_DIAL_TONE_OUTSIDE;
      p->pos++;
      return TRUE;
    }
  *handled = FALSE;
  return TRUE;
}

static gboolean
parse_substitution (Parser *p, DpSequence *sequence)
{
  gsize open = p->pos;
  g_autoptr(GString) sent = g_string_new (NULL);
  g_autoptr(GString) route = NULL;
  guint first_op;
  DpOp *op;

  p->pos++;  /* '<' */
  first_op = sequence->ops->len;
  for (;;)
    {
      gboolean handled;

      skip_space (p);
      if (p->pos >= p->length)
        return fail_at (p, open, _("'<' is never closed"));
      if (peek (p) == ':')
        break;
      if (!parse_match_element (p, sequence, FALSE, first_op, &handled))
        return FALSE;
      if (!handled)
        {
          if (peek (p) == '>')
            return fail_at (p, p->pos, _("expected ':' between the dialed and the sent side"));
          return fail_at (p, p->pos, _("not allowed on the dialed side of a substitution"));
        }
    }
  p->pos++;  /* ':' */
  for (;;)
    {
      char c;

      skip_space (p);
      if (p->pos >= p->length)
        return fail_at (p, open, _("'<' is never closed"));
      c = p->text[p->pos];
      if (c == '>')
        break;
      if (route != NULL)
        {
          /* host[:port];uid=..;pwd=.. — kept verbatim, no nesting. */
          if (c == '<' || c == '(' || c == ')' || c == '|' || (unsigned char) c < 0x21 || (unsigned char) c >= 0x7f)
            return fail_at (p, p->pos, _("not allowed in a route"));
          g_string_append_c (route, c);
        }
      else if (c == '@')
        {
          route = g_string_new (NULL);
        }
      else if (dp_key_bit (c) >= 0)
        {
          g_string_append_c (sent, c);
        }
      else
        {
          return fail_at (p, p->pos, _("the sent side of a substitution may only hold keys 0-9, * and #"));
        }
      p->pos++;
    }
  if (route != NULL && route->len == 0)
    return fail_at (p, p->pos, _("'@' needs a route name"));
  p->pos++;  /* '>' */
  op = append_op (sequence, DP_OP_OUTPUT);
  op->text = g_string_free (g_steal_pointer (&sent), FALSE);
  if (route != NULL)
    op->route = g_string_free (g_steal_pointer (&route), FALSE);
  return TRUE;
}

static gboolean
sequence_does_something (DpSequence *sequence)
{
  for (guint i = 0; i < sequence->ops->len; i++)
    {
      DpOp *op = &g_array_index (sequence->ops, DpOp, i);
      if (op->kind == DP_OP_MATCH || (op->kind == DP_OP_OUTPUT && (op->text[0] != '\0' || op->route != NULL)))
        return TRUE;
    }
  return FALSE;
}

/* Parses one sequence up to (not including) its '|' or ')'. */
static DpSequence *
parse_sequence (Parser *p)
{
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sequence_free);
  DpSequence *sequence;
  gsize start;

  skip_space (p);
  start = p->pos;
  sequence = dp_sequence_new ((guint) start + 1);
  g_ptr_array_add (holder, sequence);

  for (;;)
    {
      char c;
      gboolean handled;

      skip_space (p);
      if (p->pos >= p->length)
        {
          fail_at (p, p->pos, _("missing ')' at the end of the plan"));
          return NULL;
        }
      c = p->text[p->pos];
      if (c == '|' || c == ')')
        break;
      if (sequence->barred)
        {
          fail_at (p, p->pos, _("'!' must be the last element of a sequence"));
          return NULL;
        }
      /* A '.' after '>', ',' or a timer finds no MATCH just before it and
       * is refused, so the whole sequence is the repeat scope. */
      if (!parse_match_element (p, sequence, TRUE, 0, &handled))
        return NULL;
      if (handled)
        continue;
      switch (c)
        {
        case '<':
          if (!parse_substitution (p, sequence))
            return NULL;
          break;
        case '!':
          sequence->barred = TRUE;
          p->pos++;
          break;
        case 'L': case 'l': case 'S': case 's': case 'P': case 'p':
          {
            gboolean pause = (c == 'P' || c == 'p');
            DpOp *op;
            guint seconds;

            p->pos++;
            /* The number follows at once: a space ends it (`S0 1xx`). */
            if (!parse_seconds (p, pause ? MAX_PAUSE_SECONDS : MAX_TIMER_SECONDS, TRUE, 0, &seconds))
              return NULL;
            op = append_op (sequence, pause ? DP_OP_PAUSE : (c == 'L' || c == 'l') ? DP_OP_LONG : DP_OP_SHORT);
            op->seconds = seconds;
          }
          break;
        case '(':
          fail_at (p, p->pos, _("sequences cannot be nested"));
          return NULL;
        case '>':
          fail_at (p, p->pos, _("'>' without a '<'"));
          return NULL;
        case ':':
          fail_at (p, p->pos, _("':' outside a substitution (plan-wide L:/S: go before the '(')"));
          return NULL;
        default:
          fail_at (p, p->pos, _("unexpected character in a sequence"));
          return NULL;
        }
    }
  if (!sequence_does_something (sequence))
    {
      fail_at (p, start, _("empty sequence"));
      return NULL;
    }
  return g_ptr_array_steal_index (holder, 0);
}

static gboolean
parse_plan (Parser *p, DpDialPlan *plan)
{
  /* Plan-wide timers: L:n, S:n, before the '('. */
  for (;;)
    {
      char c;
      gsize letter;
      guint seconds;

      skip_space (p);
      c = peek (p);
      if (c == '(')
        break;
      if (p->pos >= p->length)
        return fail_at (p, p->pos, _("expected '(' to open the plan"));
      if (c != 'L' && c != 'l' && c != 'S' && c != 's')
        return fail_at (p, p->pos, _("expected '(' to open the plan"));
      letter = p->pos;
      p->pos++;
      skip_space (p);
      if (peek (p) != ':')
        return fail_at (p, p->pos, _("expected ':' after the plan-wide timer letter"));
      p->pos++;
      skip_space (p);
      if (!parse_seconds (p, MAX_TIMER_SECONDS, FALSE, BARE_TIMER_SECONDS, &seconds))
        return FALSE;
      skip_space (p);
      if (peek (p) != ',')
        return fail_at (p, p->pos, _("expected ',' after the plan-wide timer"));
      p->pos++;
      if (c == 'L' || c == 'l')
        {
          if (plan->long_timer >= 0)
            return fail_at (p, letter, _("plan-wide long timer given twice"));
          plan->long_timer = (int) seconds;
        }
      else
        {
          if (plan->short_timer >= 0)
            return fail_at (p, letter, _("plan-wide short timer given twice"));
          plan->short_timer = (int) seconds;
        }
    }
  p->pos++;  /* '(' */

  for (;;)
    {
      DpSequence *sequence = parse_sequence (p);

      if (sequence == NULL)
        return FALSE;
      g_ptr_array_add (plan->sequences, sequence);
      if (peek (p) == ')')
        break;
      p->pos++;  /* '|' */
    }
  p->pos++;  /* ')' */
  skip_space (p);
  if (p->pos < p->length)
    return fail_at (p, p->pos, _("unexpected text after the closing ')'"));
  return TRUE;
}

/**
 * dp_dial_plan_parse:
 * @text: a `Dial_Plan_n_` value
 * @error: return location for a #GError naming the position of the fault
 *
 * Parses a dial plan (syntax in dp-dialplan.h).
 *
 * Returns: (transfer full): the plan, or %NULL with @error set
 */
DpDialPlan *
dp_dial_plan_parse (const char *text, GError **error)
{
  g_autoptr(DpDialPlan) plan = NULL;
  Parser p = { 0 };
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  length = strlen (text);
  if (length > DP_DIAL_PLAN_MAX_LENGTH)
    {
      g_set_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_TOO_LONG,
                   _("Dial plan: position %u: longer than %u characters"),
                   DP_DIAL_PLAN_MAX_LENGTH + 1, DP_DIAL_PLAN_MAX_LENGTH);
      return NULL;
    }

  plan = g_new0 (DpDialPlan, 1);
  g_atomic_ref_count_init (&plan->ref_count);
  plan->text = g_strdup (text);
  plan->long_timer = -1;
  plan->short_timer = -1;
  plan->sequences = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sequence_free);

  p.text = text;
  p.length = length;
  p.error = error;
  if (!parse_plan (&p, plan))
    return NULL;
  return g_steal_pointer (&plan);
}

/**
 * dp_dial_plan_check:
 * @value: a candidate `Dial_Plan_n_` value
 * @error: return location for a #GError naming the position of the fault
 *
 * The "dialplan" syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value parses
 */
gboolean
dp_dial_plan_check (const char *value, GError **error)
{
  g_autoptr(DpDialPlan) plan = NULL;

  g_return_val_if_fail (value != NULL, FALSE);
  plan = dp_dial_plan_parse (value, error);
  return plan != NULL;
}
