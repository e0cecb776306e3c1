/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Macro expansion of the SPA provisioning language and the context that
 * supplies the values. */
#define G_LOG_DOMAIN "dp-rule"

#include "dp-macro.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-rule-private.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (dp-rule-error-quark, dp_rule_error)

struct _DpMacroContext {
  gatomicrefcount ref_count;
  GHashTable *values;            /* name → value; a NULL value = unknown */
  DpMacroLookupFunc lookup;
  gpointer lookup_data;
  GDestroyNotify lookup_destroy;
  DpMacroContext *parent;
};

G_DEFINE_BOXED_TYPE (DpMacroContext, dp_macro_context, dp_macro_context_ref, dp_macro_context_unref)

/* ---- names ------------------------------------------------------------- */

typedef struct {
  const char *name;       /* as written after '$' */
  const char *canonical;  /* what the context is asked for */
  gboolean secret;        /* only under DP_MACRO_FLAGS_SECRETS */
} MacroName;

static const MacroName macro_names[] = {
  { "MA", "MA", FALSE }, { "MAU", "MAU", FALSE }, { "MAC", "MAC", FALSE },
  { "PN", "PN", FALSE }, { "PSN", "PSN", FALSE }, { "SN", "SN", FALSE },
  { "CCERT", "CCERT", FALSE }, { "IP", "IP", FALSE }, { "EXTIP", "EXTIP", FALSE },
  { "SWVER", "SWVER", FALSE }, { "HWVER", "HWVER", FALSE },
  { "PRVST", "PRVST", FALSE }, { "UPGST", "UPGST", FALSE }, { "UPGERR", "UPGERR", FALSE },
  { "PRVTMR", "PRVTMR", FALSE }, { "UPGTMR", "UPGTMR", FALSE },
  { "REGTMR1", "REGTMR1", FALSE }, { "REGTMR2", "REGTMR2", FALSE },
  { "REGTMR3", "REGTMR3", FALSE }, { "REGTMR4", "REGTMR4", FALSE },
  { "REGTMR5", "REGTMR5", FALSE }, { "REGTMR6", "REGTMR6", FALSE },
  { "UPGCOND", "UPGCOND", FALSE },
  { "SCHEME", "SCHEME", FALSE }, { "METH", "METH", FALSE },
  { "SERV", "SERV", FALSE }, { "SERVIP", "SERVIP", FALSE },
  { "PORT", "PORT", FALSE }, { "PATH", "PATH", FALSE }, { "ERR", "ERR", FALSE },
  { "UID1", "UID1", FALSE }, { "UID2", "UID2", FALSE }, { "UID3", "UID3", FALSE },
  { "UID4", "UID4", FALSE }, { "UID5", "UID5", FALSE }, { "UID6", "UID6", FALSE },
#define GPP(l) { #l, #l, FALSE }, { "GPP_" #l, #l, FALSE }
  GPP (A), GPP (B), GPP (C), GPP (D), GPP (E), GPP (F), GPP (G), GPP (H),
  GPP (I), GPP (J), GPP (K), GPP (L), GPP (M), GPP (N), GPP (O), GPP (P),
#undef GPP
#define SECRET(l) { "S" #l, "S" #l, TRUE }, { "GPP_S" #l, "S" #l, TRUE }
  SECRET (A), SECRET (B), SECRET (C), SECRET (D),
#undef SECRET
};

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static const MacroName *
find_name (const char *name, gsize len, DpMacroFlags flags)
{
  for (gsize i = 0; i < G_N_ELEMENTS (macro_names); i++)
    {
      const MacroName *m = &macro_names[i];

      if (m->secret && !(flags & DP_MACRO_FLAGS_SECRETS))
        continue;
      if (strlen (m->name) == len && memcmp (m->name, name, len) == 0)
        return m;
    }
  return NULL;
}

/* The longest macro name that starts @run (of @len name characters). */
static const MacroName *
find_longest_prefix (const char *run, gsize len, DpMacroFlags flags)
{
  const MacroName *best = NULL;
  gsize best_len = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (macro_names); i++)
    {
      const MacroName *m = &macro_names[i];
      gsize n = strlen (m->name);

      if (m->secret && !(flags & DP_MACRO_FLAGS_SECRETS))
        continue;
      if (n <= len && n > best_len && memcmp (m->name, run, n) == 0)
        {
          best = m;
          best_len = n;
        }
    }
  return best;
}

gboolean
dp_macro_name_is_known (const char *name, DpMacroFlags flags)
{
  g_return_val_if_fail (name != NULL, FALSE);
  return find_name (name, strlen (name), flags) != NULL;
}

const char *
dp_macro_name_for_parameter (const char *parameter)
{
  static const char *const letters[] = {
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
  };
  static const char *const secrets[] = { "SA", "SB", "SC", "SD" };
  static const char *const uids[] = { "UID1", "UID2", "UID3", "UID4", "UID5", "UID6" };

  g_return_val_if_fail (parameter != NULL, NULL);

  if (g_str_has_prefix (parameter, "GPP_"))
    {
      const char *rest = parameter + 4;

      if (rest[0] >= 'A' && rest[0] <= 'P' && rest[1] == '\0')
        return letters[rest[0] - 'A'];
      if (rest[0] == 'S' && rest[1] >= 'A' && rest[1] <= 'D' && rest[2] == '\0')
        return secrets[rest[1] - 'A'];
      return NULL;
    }
  if (g_str_has_prefix (parameter, "User_ID_"))
    {
      const char *rest = parameter + 8;

      if (rest[0] >= '1' && rest[0] <= '6' && rest[1] == '_' && rest[2] == '\0')
        return uids[rest[0] - '1'];
    }
  return NULL;
}

/* ---- context ----------------------------------------------------------- */

static DpMacroContext *
context_alloc (void)
{
  DpMacroContext *self = g_new0 (DpMacroContext, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

DpMacroContext *
dp_macro_context_new (void)
{
  return context_alloc ();
}

DpMacroContext *
dp_macro_context_new_with_lookup (DpMacroLookupFunc lookup,
                                  gpointer          user_data,
                                  GDestroyNotify    destroy)
{
  DpMacroContext *self;

  g_return_val_if_fail (lookup != NULL, NULL);

  self = context_alloc ();
  self->lookup = lookup;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
  return self;
}

DpMacroContext *
dp_macro_context_new_overlay (DpMacroContext *parent)
{
  DpMacroContext *self;

  g_return_val_if_fail (parent != NULL, NULL);

  self = context_alloc ();
  self->parent = dp_macro_context_ref (parent);
  return self;
}

DpMacroContext *
dp_macro_context_ref (DpMacroContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dp_macro_context_unref (DpMacroContext *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->values);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  g_clear_pointer (&self->parent, dp_macro_context_unref);
  g_free (self);
}

void
dp_macro_context_set (DpMacroContext *self,
                      const char     *name,
                      const char     *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_hash_table_replace (self->values, g_strdup (name), g_strdup (value));
}

const char *
dp_macro_context_lookup (DpMacroContext *self,
                         const char     *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (DpMacroContext *c = self; c != NULL; c = c->parent)
    {
      gpointer value;

      if (g_hash_table_lookup_extended (c->values, name, NULL, &value))
        return value;
      if (c->lookup != NULL)
        {
          const char *v = c->lookup (name, c->lookup_data);

          if (v != NULL)
            return v;
        }
    }
  return NULL;
}

gboolean
dp_macro_context_set_mac (DpMacroContext *self,
                          const char     *mac,
                          GError        **error)
{
  char digits[13];
  gsize n = 0;
  char sep = '\0';
  g_autofree char *upper = NULL;
  g_autofree char *colons = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (mac != NULL, FALSE);

  for (gsize i = 0; mac[i] != '\0'; i++)
    {
      char c = mac[i];

      if (g_ascii_isxdigit (c))
        {
          if (n == 12)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, _("MAC address"), i,
                                 _("more than 12 hex digits"));
              return FALSE;
            }
          digits[n++] = g_ascii_tolower (c);
          continue;
        }
      /* A separator sits between two pairs and is the same throughout. */
      if ((c == ':' || c == '-') && n > 0 && n % 2 == 0 && n < 12 &&
          (sep == '\0' || sep == c) && mac[i - 1] != c)
        {
          sep = c;
          continue;
        }
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, _("MAC address"), i,
                         _("unexpected '%c' (12 hex digits, optionally in pairs "
                         "separated by ':' or '-')"), c);
      return FALSE;
    }
  if (n != 12)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, _("MAC address"), strlen (mac),
                         _("%zu hex digits where 12 are needed"), n);
      return FALSE;
    }
  if (sep != '\0' && strlen (mac) != 17)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, _("MAC address"), 0,
                         _("separators must be between every pair of digits"));
      return FALSE;
    }
  digits[12] = '\0';
  upper = g_ascii_strup (digits, -1);
  colons = g_strdup_printf ("%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", digits, digits + 2,
                            digits + 4, digits + 6, digits + 8, digits + 10);
  dp_macro_context_set (self, "MA", digits);
  dp_macro_context_set (self, "MAU", upper);
  dp_macro_context_set (self, "MAC", colons);
  return TRUE;
}

/* ---- errors ------------------------------------------------------------ */

void
dp_rule_set_error (GError    **error,
                   DpRuleError code,
                   const char *what,
                   gsize       pos0,
                   const char *format,
                   ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (error == NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_RULE_ERROR, code, _("%s: position %zu: %s"),
               what, pos0 + 1, message);
}

/* ---- scanning ---------------------------------------------------------- */

typedef enum {
  REF_LITERAL,     /* a '$' that starts nothing: copied as is */
  REF_DOLLAR,      /* "$$" */
  REF_NAME,        /* a macro name, maybe with offsets */
  REF_UNKNOWN,     /* well formed but not a macro name: copied verbatim */
  REF_MALFORMED,   /* a broken "$(" form */
} RefKind;

typedef struct {
  RefKind kind;
  gsize length;               /* bytes consumed from the '$' */
  const MacroName *name;
  gboolean has_offset, has_count;
  guint64 offset, count;
  gsize problem_offset;       /* REF_MALFORMED: from the '$' */
  const char *problem;
} Ref;

/* Reads decimal digits at text[*i], saturating at G_MAXUINT64 (an offset
 * that large is simply past the end of any value). */
static gboolean
read_number (const char *text, gsize len, gsize *i, guint64 *value)
{
  gsize start = *i;

  *value = 0;
  while (*i < len && g_ascii_isdigit (text[*i]))
    {
      guint d = text[*i] - '0';

      *value = *value > (G_MAXUINT64 - d) / 10 ? G_MAXUINT64 : *value * 10 + d;
      (*i)++;
    }
  return *i > start;
}

static void
scan_parenthesised (const char *text, gsize len, gsize at, DpMacroFlags flags, Ref *ref)
{
  gsize i = at + 2;
  gsize name_start = i;
  gsize name_len;

  while (i < len && is_name_char (text[i]))
    i++;
  name_len = i - name_start;

  ref->kind = REF_MALFORMED;
  if (i >= len)
    {
      ref->problem_offset = 0;
      ref->problem = _("'$(' without a closing ')'");
      return;
    }
  if (name_len == 0)
    {
      ref->problem_offset = i - at;
      ref->problem = _("'$(' must be followed by a macro name");
      return;
    }
  if (text[i] == ':')
    {
      i++;
      ref->has_offset = read_number (text, len, &i, &ref->offset);
      if (!ref->has_offset)
        {
          ref->problem_offset = i - at;
          ref->problem = _("expected an offset (digits) after ':' in '$(NAME:p)'");
          return;
        }
      if (i < len && text[i] == ':')
        {
          i++;
          ref->has_count = read_number (text, len, &i, &ref->count);
          if (!ref->has_count)
            {
              ref->problem_offset = i - at;
              ref->problem = _("expected a length (digits) after ':' in '$(NAME:p:q)'");
              return;
            }
        }
    }
  if (i >= len)
    {
      ref->problem_offset = 0;
      ref->problem = _("'$(' without a closing ')'");
      return;
    }
  if (text[i] != ')')
    {
      ref->problem_offset = i - at;
      ref->problem = _("unexpected character in '$(...)' (expected NAME, NAME:p or NAME:p:q, then ')')");
      return;
    }
  ref->length = i + 1 - at;
  ref->name = find_name (text + name_start, name_len, flags);
  ref->kind = ref->name != NULL ? REF_NAME : REF_UNKNOWN;
}

/* Classifies the reference starting at text[at] == '$'. */
static void
scan_ref (const char *text, gsize len, gsize at, DpMacroFlags flags, Ref *ref)
{
  gsize i = at + 1;

  memset (ref, 0, sizeof *ref);
  ref->kind = REF_LITERAL;
  ref->length = 1;
  if (i >= len)
    return;
  if (text[i] == '$')
    {
      ref->kind = REF_DOLLAR;
      ref->length = 2;
      return;
    }
  if (text[i] == '(')
    {
      scan_parenthesised (text, len, at, flags, ref);
      return;
    }
  if (is_name_char (text[i]))
    {
      gsize run = 0;

      while (i + run < len && is_name_char (text[i + run]))
        run++;
      ref->name = find_longest_prefix (text + i, run, flags);
      if (ref->name != NULL)
        {
          ref->kind = REF_NAME;
          ref->length = 1 + strlen (ref->name->name);
        }
      else
        ref->kind = REF_UNKNOWN;
    }
}

static const char *
lookup_value (DpMacroContext *ctx, const MacroName *name)
{
  const char *value = dp_macro_context_lookup (ctx, name->canonical);

  /* $METH is the deprecated spelling of $SCHEME. */
  if (value == NULL && g_str_equal (name->canonical, "METH"))
    value = dp_macro_context_lookup (ctx, "SCHEME");
  return value;
}

/* Appends the substring of @value selected by @ref's offsets, counted in
 * characters when @value is UTF-8 and in bytes otherwise. */
static void
append_value (GString *out, const char *value, const Ref *ref)
{
  gboolean utf8 = g_utf8_validate (value, -1, NULL);
  guint64 total = utf8 ? (guint64) g_utf8_strlen (value, -1) : strlen (value);
  guint64 start, count;
  const char *from, *to;

  if (!ref->has_offset)
    {
      g_string_append (out, value);
      return;
    }
  if (ref->offset >= total)
    return;
  start = ref->offset;
  count = total - start;
  if (ref->has_count && ref->count < count)
    count = ref->count;
  if (utf8)
    {
      from = g_utf8_offset_to_pointer (value, (glong) start);
      to = g_utf8_offset_to_pointer (from, (glong) count);
    }
  else
    {
      from = value + start;
      to = from + count;
    }
  g_string_append_len (out, from, to - from);
}

char *
dp_macro_expand_len (const char     *text,
                     gsize           len,
                     DpMacroContext *ctx,
                     DpMacroFlags    flags)
{
  GString *out = g_string_sized_new (len + 16);
  gsize i = 0;

  while (i < len)
    {
      const char *dollar = memchr (text + i, '$', len - i);
      Ref ref;

      if (dollar == NULL)
        {
          g_string_append_len (out, text + i, len - i);
          break;
        }
      g_string_append_len (out, text + i, dollar - (text + i));
      i = dollar - text;
      scan_ref (text, len, i, flags, &ref);
      switch (ref.kind)
        {
        case REF_DOLLAR:
          g_string_append_c (out, '$');
          break;
        case REF_NAME:
          {
            const char *value = ctx != NULL ? lookup_value (ctx, ref.name) : NULL;

            if (value != NULL)
              append_value (out, value, &ref);
            else
              g_string_append_len (out, text + i, ref.length);
          }
          break;
        case REF_UNKNOWN:
          g_string_append_len (out, text + i, ref.length);
          break;
        case REF_LITERAL:
        case REF_MALFORMED:
        default:
          /* Keep the '$' and read on: whatever follows is ordinary text. */
          ref.length = 1;
          g_string_append_c (out, '$');
          break;
        }
      i += ref.length;
    }
  return g_string_free (out, FALSE);
}

char *
dp_macro_expand (const char     *text,
                 DpMacroContext *ctx,
                 DpMacroFlags    flags)
{
  g_return_val_if_fail (text != NULL, NULL);
  return dp_macro_expand_len (text, strlen (text), ctx, flags);
}

gboolean
dp_macro_find_malformed (const char  *text,
                         gsize        len,
                         gsize       *offset,
                         const char **problem)
{
  gsize i = 0;

  while (i < len)
    {
      const char *dollar = memchr (text + i, '$', len - i);
      Ref ref;

      if (dollar == NULL)
        return FALSE;
      i = dollar - text;
      /* Secrets count as names here: whether $(SA) may expand depends on
       * where it is, not on its form. */
      scan_ref (text, len, i, DP_MACRO_FLAGS_SECRETS, &ref);
      if (ref.kind == REF_MALFORMED)
        {
          *offset = i + ref.problem_offset;
          *problem = ref.problem;
          return TRUE;
        }
      i += ref.length;
    }
  return FALSE;
}

gboolean
dp_macro_has_reference (const char *text,
                        gsize       len)
{
  gsize i = 0;

  while (i < len)
    {
      const char *dollar = memchr (text + i, '$', len - i);
      Ref ref;

      if (dollar == NULL)
        return FALSE;
      i = dollar - text;
      scan_ref (text, len, i, DP_MACRO_FLAGS_SECRETS, &ref);
      if (ref.kind == REF_NAME || ref.kind == REF_DOLLAR)
        return TRUE;
      i += ref.kind == REF_MALFORMED ? 1 : ref.length;
    }
  return FALSE;
}

gboolean
dp_macro_check (const char  *text,
                GError     **error)
{
  gsize offset;
  const char *problem;

  g_return_val_if_fail (text != NULL, FALSE);

  if (dp_macro_find_malformed (text, strlen (text), &offset, &problem))
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, _("Macro"), offset, "%s", problem);
      return FALSE;
    }
  return TRUE;
}
