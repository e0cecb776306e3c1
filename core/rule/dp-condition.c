/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Conditional expressions: tokenised and compiled once (so that syntax
 * errors are found when a rule is set, not when it runs), then evaluated
 * against macro values. */
#define G_LOG_DOMAIN "dp-rule"

#include "dp-condition.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-rule-private.h"

#include <string.h>

#define MAX_VERSION_COMPONENTS 8

typedef enum {
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
} Op;

static const char *const op_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };

typedef enum {
  TOK_OPERAND,
  TOK_QUOTED,
  TOK_OP,
  TOK_AND,
} TokenKind;

typedef struct {
  TokenKind kind;
  gsize offset;   /* in the text given to the compiler */
  gsize length;   /* the whole token as written (quotes included) */
  Op op;
} Token;

typedef struct {
  gboolean implicit;   /* legacy: no left operand, $SWVER stands in */
  gboolean quoted;
  char *raw;           /* as written, without the quotes */
  gsize pos;           /* absolute 0-based position */
} Operand;

typedef struct {
  Operand left;
  Operand right;
  Op op;
  gsize op_pos;
} Comparison;

struct _DpCondition {
  GArray *comparisons;
};

typedef struct {
  gboolean is_int;
  gint64 integer;
  gint64 components[MAX_VERSION_COMPONENTS];
  guint n_components;
  const char *suffix;      /* NULL when there is none */
  gsize suffix_len;
} Value;

static void
comparison_clear (gpointer data)
{
  Comparison *c = data;

  g_free (c->left.raw);
  g_free (c->right.raw);
}

void
dp_condition_free (DpCondition *cond)
{
  if (cond == NULL)
    return;
  g_array_unref (cond->comparisons);
  g_free (cond);
}

/* ---- tokens ------------------------------------------------------------ */

static gboolean
is_op_char (char c)
{
  return c == '<' || c == '>' || c == '=' || c == '!';
}

static gboolean
word_is (const char *text, gsize len, const char *word)
{
  return strlen (word) == len && g_ascii_strncasecmp (text, word, len) == 0;
}

static gboolean
check_macros (const char *text, gsize offset, gsize len, gsize base,
              const char *what, GError **error)
{
  gsize at;
  const char *problem;

  if (dp_macro_find_malformed (text + offset, len, &at, &problem))
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + offset + at, "%s", problem);
      return FALSE;
    }
  return TRUE;
}

/* Reads a bare token at text[i]; returns its end, or 0 with @error set. */
static gsize
read_bare (const char *text, gsize len, gsize i, gsize base, const char *what, GError **error)
{
  gsize j = i;

  while (j < len)
    {
      char c = text[j];

      if (g_ascii_isspace (c) || c == '"' || is_op_char (c))
        break;
      if (c == '$' && j + 1 < len && text[j + 1] == '(')
        {
          const char *close = memchr (text + j, ')', len - j);

          if (close == NULL)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + j,
                                 _("'$(' without a closing ')'"));
              return 0;
            }
          j = close - text + 1;
          continue;
        }
      if (c == '(' && j > i && g_ascii_isdigit (text[j - 1]))
        {
          const char *close = memchr (text + j, ')', len - j);

          if (close == NULL)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + j,
                                 _("version suffix '(' without a closing ')'"));
              return 0;
            }
          j = close - text + 1;
          continue;
        }
      if (c == '(' || c == ')')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + j,
                             _("unexpected '%c': conditions have no grouping parentheses "
                             "(and a Resync_Trigger is written bare, without '( ... )?')"), c);
          return 0;
        }
      j++;
    }
  return j;
}

static GArray *
tokenize (const char *text, gsize len, gsize base, const char *what, GError **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  gsize i = 0;

  while (i < len)
    {
      Token t = { 0 };
      char c = text[i];

      if (g_ascii_isspace (c))
        {
          i++;
          continue;
        }
      t.offset = i;
      if (c == '"')
        {
          const char *close = memchr (text + i + 1, '"', len - i - 1);

          if (close == NULL)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + i,
                                 _("string without a closing '\"'"));
              return NULL;
            }
          t.kind = TOK_QUOTED;
          t.length = close - (text + i) + 1;
          if (!check_macros (text, i + 1, t.length - 2, base, what, error))
            return NULL;
        }
      else if (is_op_char (c))
        {
          gboolean eq_follows = i + 1 < len && text[i + 1] == '=';

          t.kind = TOK_OP;
          t.length = 1;
          switch (c)
            {
            case '!':
              /* A lone '!' is the legacy spelling of '!='. */
              t.op = OP_NE;
              t.length = eq_follows ? 2 : 1;
              break;
            case '<':
              t.op = eq_follows ? OP_LE : OP_LT;
              t.length = eq_follows ? 2 : 1;
              break;
            case '>':
              t.op = eq_follows ? OP_GE : OP_GT;
              t.length = eq_follows ? 2 : 1;
              break;
            default:
              t.op = OP_EQ;
              break;
            }
        }
      else
        {
          gsize end = read_bare (text, len, i, base, what, error);
          const char *word = text + i;

          if (end == 0)
            return NULL;
          t.length = end - i;
          if (word_is (word, t.length, "and"))
            t.kind = TOK_AND;
          else if (word_is (word, t.length, "or"))
            {
              dp_rule_set_error (error, DP_RULE_ERROR_NOT_ALLOWED, what, base + i,
                                 _("'or' is not supported: comparisons are joined with "
                                 "'and' only (use '|' alternatives or the second "
                                 "Resync_Trigger)"));
              return NULL;
            }
          else
            {
              t.kind = TOK_OPERAND;
              for (guint k = 0; k < G_N_ELEMENTS (op_names); k++)
                if (word_is (word, t.length, op_names[k]))
                  {
                    t.kind = TOK_OP;
                    t.op = (Op) k;
                  }
              if (t.kind == TOK_OPERAND && !check_macros (text, i, t.length, base, what, error))
                return NULL;
            }
        }
      g_array_append_val (tokens, t);
      i += t.length;
    }
  return g_steal_pointer (&tokens);
}

/* ---- values ------------------------------------------------------------ */

static gboolean
is_suffix_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-';
}

/* Reads @s as an integer or a version; on failure returns a description. */
static const char *
classify (const char *s, Value *v)
{
  gsize n = strlen (s);
  gsize i = 0;

  memset (v, 0, sizeof *v);
  if (n == 0)
    return _("is empty");

  if (s[0] == '-' || g_ascii_isdigit (s[0]))
    {
      gboolean all_digits = TRUE;

      for (i = s[0] == '-' ? 1 : 0; i < n; i++)
        if (!g_ascii_isdigit (s[i]))
          all_digits = FALSE;
      if (all_digits && n > (s[0] == '-' ? 1u : 0u))
        {
          if (!g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &v->integer, NULL))
            return "is an integer too large to compare";
          v->is_int = TRUE;
          return NULL;
        }
    }

  /* maj.min[.build…][(suffix)] */
  i = 0;
  while (TRUE)
    {
      gsize start = i;
      guint64 component = 0;

      while (i < n && g_ascii_isdigit (s[i]))
        {
          component = component * 10 + (guint64) (s[i] - '0');
          if (component > G_MAXINT64 / 10)
            return _("has a version component too large to compare");
          i++;
        }
      if (i == start)
        return _("is neither an integer nor a version");
      if (v->n_components == MAX_VERSION_COMPONENTS)
        return _("has too many version components");
      v->components[v->n_components++] = (gint64) component;
      if (i < n && s[i] == '.')
        {
          i++;
          continue;
        }
      break;
    }
  if (v->n_components < 2)
    return _("is neither an integer nor a version");
  if (i < n && s[i] == '(')
    {
      gsize start = ++i;

      while (i < n && is_suffix_char (s[i]))
        i++;
      if (i == start || i >= n || s[i] != ')')
        return _("has a malformed version suffix (letters and digits in parentheses)");
      v->suffix = s + start;
      v->suffix_len = i - start;
      i++;
    }
  if (i != n)
    return _("is neither an integer nor a version");
  return NULL;
}

static int
compare_values (const Value *a, const Value *b)
{
  Value ai = *a, bi = *b;
  guint n;
  int c;

  if (a->is_int && b->is_int)
    return (a->integer > b->integer) - (a->integer < b->integer);

  /* An integer against a version is the version "N". */
  if (ai.is_int)
    {
      ai.components[0] = ai.integer;
      ai.n_components = 1;
    }
  if (bi.is_int)
    {
      bi.components[0] = bi.integer;
      bi.n_components = 1;
    }
  n = MAX (ai.n_components, bi.n_components);
  for (guint k = 0; k < n; k++)
    {
      gint64 x = k < ai.n_components ? ai.components[k] : 0;
      gint64 y = k < bi.n_components ? bi.components[k] : 0;

      if (x != y)
        return x < y ? -1 : 1;
    }
  if (ai.suffix == NULL || bi.suffix == NULL)
    return (ai.suffix != NULL) - (bi.suffix != NULL);
  c = memcmp (ai.suffix, bi.suffix, MIN (ai.suffix_len, bi.suffix_len));
  if (c != 0)
    return c < 0 ? -1 : 1;
  return (ai.suffix_len > bi.suffix_len) - (ai.suffix_len < bi.suffix_len);
}

static gboolean
apply_op (Op op, int cmp)
{
  switch (op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    default: g_assert_not_reached ();
    }
}

/* ---- compile ----------------------------------------------------------- */

static char *
token_text (const char *text, const Token *t)
{
  return g_strndup (text + t->offset, t->length);
}

static void
operand_from_token (Operand *o, const char *text, const Token *t, gsize base)
{
  o->quoted = t->kind == TOK_QUOTED;
  o->raw = o->quoted ? g_strndup (text + t->offset + 1, t->length - 2)
                     : g_strndup (text + t->offset, t->length);
  o->pos = base + t->offset;
}

static gboolean
check_literals (const Comparison *c, const char *what, GError **error)
{
  const Operand *sides[] = { &c->left, &c->right };

  if (c->op != OP_EQ && c->op != OP_NE && (c->left.quoted || c->right.quoted))
    {
      dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, c->op_pos,
                         _("'%s' does not apply to strings (only eq and ne do)"), op_names[c->op]);
      return FALSE;
    }
  if (c->left.quoted || c->right.quoted)
    return TRUE;
  for (guint k = 0; k < G_N_ELEMENTS (sides); k++)
    {
      const Operand *o = sides[k];
      Value v;
      const char *problem;

      if (o->implicit || dp_macro_has_reference (o->raw, strlen (o->raw)))
        continue;
      problem = classify (o->raw, &v);
      if (problem != NULL)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                             _("'%s' %s (put strings in double quotes)"), o->raw, problem);
          return FALSE;
        }
    }
  return TRUE;
}

DpCondition *
dp_condition_compile (const char *text,
                      gsize       len,
                      gsize       base,
                      const char *what,
                      GError    **error)
{
  g_autoptr(GArray) tokens = tokenize (text, len, base, what, error);
  g_autoptr(DpCondition) cond = NULL;
  guint n, i = 0;

  if (tokens == NULL)
    return NULL;
  n = tokens->len;
  if (n == 0)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base, _("empty condition"));
      return NULL;
    }

  cond = g_new0 (DpCondition, 1);
  cond->comparisons = g_array_new (FALSE, TRUE, sizeof (Comparison));
  g_array_set_clear_func (cond->comparisons, comparison_clear);

  while (TRUE)
    {
      Comparison c = { 0 };
      const Token *t = &g_array_index (tokens, Token, i);

      if (t->kind == TOK_AND)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + t->offset,
                             _("expected a comparison, found 'and'"));
          return NULL;
        }
      if (t->kind == TOK_OP)
        {
          c.left.implicit = TRUE;
          c.left.pos = base + t->offset;
        }
      else
        {
          operand_from_token (&c.left, text, t, base);
          i++;
          if (i == n || g_array_index (tokens, Token, i).kind != TOK_OP)
            {
              g_autofree char *left = token_text (text, t);

              comparison_clear (&c);
              if (i == n)
                dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + len,
                                   _("expected an operator after '%s'"), left);
              else
                {
                  g_autofree char *found = token_text (text, &g_array_index (tokens, Token, i));
                  dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what,
                                     base + g_array_index (tokens, Token, i).offset,
                                     _("expected an operator (eq ne lt le gt ge, = != < <= > >=) "
                                     "after '%s', found '%s'"), left, found);
                }
              return NULL;
            }
        }
      t = &g_array_index (tokens, Token, i);
      c.op = t->op;
      c.op_pos = base + t->offset;
      i++;
      if (i == n || (g_array_index (tokens, Token, i).kind != TOK_OPERAND &&
                     g_array_index (tokens, Token, i).kind != TOK_QUOTED))
        {
          g_autofree char *op = token_text (text, t);

          comparison_clear (&c);
          if (i == n)
            dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + len,
                               _("expected an operand after '%s'"), op);
          else
            {
              g_autofree char *found = token_text (text, &g_array_index (tokens, Token, i));
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what,
                                 base + g_array_index (tokens, Token, i).offset,
                                 _("expected an operand after '%s', found '%s'"), op, found);
            }
          return NULL;
        }
      operand_from_token (&c.right, text, &g_array_index (tokens, Token, i), base);
      g_array_append_val (cond->comparisons, c);
      if (!check_literals (&c, what, error))
        return NULL;
      i++;
      if (i == n)
        break;
      t = &g_array_index (tokens, Token, i);
      if (t->kind != TOK_AND)
        {
          g_autofree char *found = token_text (text, t);

          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + t->offset,
                             _("expected 'and' or the end of the condition, found '%s'"), found);
          return NULL;
        }
      i++;
      if (i == n)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, base + len,
                             _("expected a comparison after 'and'"));
          return NULL;
        }
    }
  return g_steal_pointer (&cond);
}

/* ---- evaluate ---------------------------------------------------------- */

static gboolean
operand_value (const Operand *o, DpMacroContext *ctx, const char *what,
               char **text, Value *value, GError **error)
{
  const char *problem;

  if (o->implicit)
    {
      const char *swver = dp_macro_context_lookup (ctx, "SWVER");

      if (swver == NULL)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                             _("a comparison without a left operand compares $SWVER, "
                             "which has no value"));
          return FALSE;
        }
      *text = g_strdup (swver);
    }
  else
    *text = dp_macro_expand (o->raw, ctx, DP_MACRO_FLAGS_NONE);

  if (o->quoted)
    return TRUE;
  problem = classify (*text, value);
  if (problem == NULL)
    return TRUE;
  if (o->implicit)
    dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                       _("$SWVER ('%s') %s"), *text, problem);
  else if (strcmp (*text, o->raw) == 0 && dp_macro_has_reference (o->raw, strlen (o->raw)))
    dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                       _("'%s' %s: a macro in it has no value"), o->raw, problem);
  else if (strcmp (*text, o->raw) == 0)
    dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                       _("'%s' %s (put strings in double quotes)"), o->raw, problem);
  else
    dp_rule_set_error (error, DP_RULE_ERROR_TYPE, what, o->pos,
                       _("'%s' expands to '%s', which %s (put strings in double quotes)"),
                       o->raw, *text, problem);
  return FALSE;
}

gboolean
dp_condition_run (const DpCondition *cond,
                  DpMacroContext    *ctx,
                  const char        *what,
                  gboolean          *result,
                  GError           **error)
{
  for (guint k = 0; k < cond->comparisons->len; k++)
    {
      const Comparison *c = &g_array_index (cond->comparisons, Comparison, k);
      g_autofree char *left = NULL;
      g_autofree char *right = NULL;
      Value lv, rv;
      int cmp;

      if (!operand_value (&c->left, ctx, what, &left, &lv, error) ||
          !operand_value (&c->right, ctx, what, &right, &rv, error))
        return FALSE;
      if (c->left.quoted || c->right.quoted)
        cmp = strcmp (left, right);
      else
        cmp = compare_values (&lv, &rv);
      if (!apply_op (c->op, cmp))
        {
          *result = FALSE;
          return TRUE;
        }
    }
  *result = TRUE;
  return TRUE;
}

/* ---- public ------------------------------------------------------------ */

gboolean
dp_condition_eval (const char     *expr,
                   DpMacroContext *ctx,
                   gboolean       *result,
                   GError        **error)
{
  g_autoptr(DpCondition) cond = NULL;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  cond = dp_condition_compile (expr, strlen (expr), 0, "Condition", error);
  if (cond == NULL)
    return FALSE;
  return dp_condition_run (cond, ctx, "Condition", result, error);
}

gboolean
dp_condition_check (const char  *expr,
                    GError     **error)
{
  g_autoptr(DpCondition) cond = NULL;

  g_return_val_if_fail (expr != NULL, FALSE);

  cond = dp_condition_compile (expr, strlen (expr), 0, "Condition", error);
  return cond != NULL;
}

static gboolean
is_blank (const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
dp_trigger_evaluate (const char     *text,
                     DpMacroContext *ctx,
                     gboolean       *result,
                     GError        **error)
{
  g_autoptr(DpCondition) cond = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  len = dp_rule_strip_comment (text);
  if (is_blank (text, len))
    {
      *result = FALSE;
      return TRUE;
    }
  cond = dp_condition_compile (text, len, 0, _("Resync trigger"), error);
  if (cond == NULL)
    return FALSE;
  return dp_condition_run (cond, ctx, _("Resync trigger"), result, error);
}

gboolean
dp_trigger_check (const char  *value,
                  GError     **error)
{
  g_autoptr(DpCondition) cond = NULL;
  gsize len;

  g_return_val_if_fail (value != NULL, FALSE);

  len = dp_rule_strip_comment (value);
  if (is_blank (value, len))
    return TRUE;
  cond = dp_condition_compile (value, len, 0, _("Resync trigger"), error);
  return cond != NULL;
}
