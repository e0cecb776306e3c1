/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Profile / upgrade / report rules: parsed into alternatives once, then
 * evaluated against device state. */
#define G_LOG_DOMAIN "dp-rule"

#include "dp-rule.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include "dp-rule-private.h"

#include <string.h>

typedef struct {
  char *name;
  char *raw_value;
} AssignSpec;

typedef struct {
  gsize pos;                 /* where the alternative starts */
  DpCondition *condition;    /* nullable */
  gboolean has_assignments;
  GArray *assignments;       /* AssignSpec */
  char *key, *uid, *pwd;     /* raw option arguments, nullable */
  char post, alias;          /* lower-case letters, '\0' when absent */
  gboolean delta;
  char *url;                 /* raw, nullable */
  gsize url_pos;
} Alternative;

struct _DpRule {
  gatomicrefcount ref_count;
  DpRuleKind kind;
  GArray *alternatives;      /* Alternative */
};

G_DEFINE_BOXED_TYPE (DpRule, dp_rule, dp_rule_ref, dp_rule_unref)
G_DEFINE_BOXED_TYPE (DpRuleResult, dp_rule_result, dp_rule_result_copy, dp_rule_result_free)

static const char *
kind_what (DpRuleKind kind)
{
  switch (kind)
    {
    case DP_RULE_KIND_UPGRADE: return _("Upgrade rule");
    case DP_RULE_KIND_REPORT: return _("Report rule");
    case DP_RULE_KIND_PROFILE:
    default: return _("Profile rule");
    }
}

const char *
dp_rule_method_to_string (DpRuleMethod method)
{
  switch (method)
    {
    case DP_RULE_METHOD_POST: return "POST";
    case DP_RULE_METHOD_PUT: return "PUT";
    case DP_RULE_METHOD_GET:
    default: return "GET";
    }
}

static void
assign_spec_clear (gpointer data)
{
  AssignSpec *a = data;

  g_free (a->name);
  g_free (a->raw_value);
}

static void
alternative_clear (gpointer data)
{
  Alternative *alt = data;

  g_clear_pointer (&alt->condition, dp_condition_free);
  g_clear_pointer (&alt->assignments, g_array_unref);
  g_free (alt->key);
  g_free (alt->uid);
  g_free (alt->pwd);
  g_free (alt->url);
}

DpRule *
dp_rule_ref (DpRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);
  g_atomic_ref_count_inc (&rule->ref_count);
  return rule;
}

void
dp_rule_unref (DpRule *rule)
{
  g_return_if_fail (rule != NULL);
  if (!g_atomic_ref_count_dec (&rule->ref_count))
    return;
  g_array_unref (rule->alternatives);
  g_free (rule);
}

DpRuleKind
dp_rule_get_kind (const DpRule *rule)
{
  g_return_val_if_fail (rule != NULL, DP_RULE_KIND_PROFILE);
  return rule->kind;
}

guint
dp_rule_get_n_alternatives (const DpRule *rule)
{
  g_return_val_if_fail (rule != NULL, 0);
  return rule->alternatives->len;
}

/* ---- lexical helpers --------------------------------------------------- */

gsize
dp_rule_strip_comment (const char *text)
{
  gboolean quoted = FALSE;
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (text[i] == '#' && !quoted)
        break;
    }
  return i;
}

static gsize
skip_blanks (const char *text, gsize i, gsize end)
{
  while (i < end && g_ascii_isspace (text[i]))
    i++;
  return i;
}

/* The offset of the ')' closing the '(' at @open, skipping quoted text;
 * the caller has made sure the parentheses are balanced. */
static gsize
matching_paren (const char *text, gsize open, gsize end)
{
  gboolean quoted = FALSE;
  int depth = 0;

  for (gsize i = open; i < end; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (text[i] == '(')
        depth++;
      else if (text[i] == ')' && --depth == 0)
        return i;
    }
  return end;
}

static gboolean
check_macros (const char *text, gsize start, gsize len, const char *what, GError **error)
{
  gsize at;
  const char *problem;

  if (dp_macro_find_malformed (text + start, len, &at, &problem))
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, what, start + at, "%s", problem);
      return FALSE;
    }
  return TRUE;
}

/* ---- URL --------------------------------------------------------------- */

typedef struct {
  char *scheme;
  char *host;
  guint port;
  char *path;
} UrlParts;

static void
url_parts_clear (UrlParts *u)
{
  g_free (u->scheme);
  g_free (u->host);
  g_free (u->path);
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_';
}

/* Parses `host[:port]` or `[v6][:port]` from @len bytes at @text; on
 * failure returns a description and the offset of the fault. */
static const char *
parse_server (const char *text, gsize len, char **host, guint *port, gsize *fault)
{
  gsize i = 0;
  gsize host_start, host_end;

  if (len > 0 && text[0] == '[')
    {
      const char *close = memchr (text, ']', len);

      if (close == NULL)
        {
          *fault = 0;
          return _("'[' of an IPv6 address without a closing ']'");
        }
      host_start = 1;
      host_end = close - text;
      for (i = host_start; i < host_end; i++)
        if (!g_ascii_isxdigit (text[i]) && text[i] != ':' && text[i] != '.')
          {
            *fault = i;
            return _("invalid character in an IPv6 address");
          }
      if (host_end == host_start)
        {
          *fault = 0;
          return "empty IPv6 address";
        }
      i = host_end + 1;
    }
  else
    {
      host_start = 0;
      while (i < len && is_host_char (text[i]))
        i++;
      host_end = i;
      if (host_end == host_start)
        {
          *fault = 0;
          return i < len ? _("the server name is missing before ':'") : _("empty server name");
        }
    }
  *port = 0;
  if (i < len)
    {
      guint64 value = 0;
      gsize digits = i + 1;

      if (text[i] != ':')
        {
          *fault = i;
          return _("invalid character in the server name");
        }
      for (i = digits; i < len; i++)
        {
          if (!g_ascii_isdigit (text[i]))
            {
              *fault = i;
              return _("the port must be a number");
            }
          value = value * 10 + (guint64) (text[i] - '0');
          if (value > 65535)
            {
              *fault = digits;
              return _("the port must be 1 to 65535");
            }
        }
      if (i == digits || value == 0)
        {
          *fault = digits;
          return _("the port must be 1 to 65535");
        }
      *port = (guint) value;
    }
  *host = g_strndup (text + host_start, host_end - host_start);
  return NULL;
}

static char *
encode_path (const char *path)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) path; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f || strchr ("\"<>\\^`{|}#", *p) != NULL)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* Splits @url (already expanded); @default_server fills in a missing
 * server when @need_server. On failure returns a description and the
 * offset in @url. */
static const char *
parse_url (const char *url, const char *default_server, gboolean need_server,
           UrlParts *out, DpRuleError *code, gsize *fault)
{
  const char *slash = strchr (url, '/');
  const char *sep = strstr (url, "://");
  const char *rest = url;
  const char *path;
  const char *problem;

  memset (out, 0, sizeof *out);
  *code = DP_RULE_ERROR_URL;
  *fault = 0;

  if (sep != NULL && (slash == NULL || sep < slash))
    {
      g_autofree char *scheme = g_ascii_strdown (url, sep - url);

      if (!g_str_equal (scheme, "tftp") && !g_str_equal (scheme, "http") &&
          !g_str_equal (scheme, "https"))
        return "unknown scheme (tftp, http or https)";
      out->scheme = g_steal_pointer (&scheme);
      rest = sep + 3;
    }
  else
    out->scheme = g_strdup ("tftp");

  path = strchr (rest, '/');
  if (path == NULL)
    {
      *fault = strlen (url);
      return _("no file path: the URL must end in an absolute path starting with '/'");
    }
  if (path > rest)
    {
      gsize at;

      problem = parse_server (rest, path - rest, &out->host, &out->port, &at);
      if (problem != NULL)
        {
          *fault = (rest - url) + at;
          return problem;
        }
    }
  else if (need_server)
    {
      gsize at;

      if (default_server == NULL || default_server[0] == '\0')
        {
          *code = DP_RULE_ERROR_NO_SERVER;
          return _("the URL names no server and no default server (DHCP option 66, "
                 "Provisioning_TFTP_Server) is known");
        }
      problem = parse_server (default_server, strlen (default_server),
                              &out->host, &out->port, &at);
      if (problem != NULL)
        {
          *code = DP_RULE_ERROR_NO_SERVER;
          return _("the URL names no server and the default server is not a valid host[:port]");
        }
    }
  if (out->port == 0)
    out->port = g_str_equal (out->scheme, "tftp") ? 69 : g_str_equal (out->scheme, "http") ? 80 : 443;
  out->path = encode_path (path);
  return NULL;
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct {
  const char *text;
  DpRuleKind kind;
  const char *what;
} Parser;

static gboolean
parse_assignments (Parser *p, gsize start, gsize end, Alternative *alt, GError **error)
{
  const char *text = p->text;
  gsize i = start;

  alt->assignments = g_array_new (FALSE, TRUE, sizeof (AssignSpec));
  g_array_set_clear_func (alt->assignments, assign_spec_clear);
  alt->has_assignments = TRUE;

  while (TRUE)
    {
      AssignSpec a = { 0 };
      gsize name_start, value_start;
      const char *close;

      i = skip_blanks (text, i, end);
      if (i >= end)
        break;
      name_start = i;
      while (i < end && (g_ascii_isalnum (text[i]) || text[i] == '_' || text[i] == '-' ||
                         text[i] == '.'))
        i++;
      if (i == name_start)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("expected a parameter name in the assignments, found '%c'"), text[i]);
          return FALSE;
        }
      a.name = g_strndup (text + name_start, i - name_start);
      i = skip_blanks (text, i, end);
      if (i >= end || text[i] != '=')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("expected '=' after '%s'"), a.name);
          g_free (a.name);
          return FALSE;
        }
      i = skip_blanks (text, i + 1, end);
      if (i >= end || text[i] != '"')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("expected a double-quoted value after '%s ='"), a.name);
          g_free (a.name);
          return FALSE;
        }
      value_start = i + 1;
      close = memchr (text + value_start, '"', end - value_start);
      if (close == NULL)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("value of '%s' without a closing '\"'"), a.name);
          g_free (a.name);
          return FALSE;
        }
      if (!check_macros (text, value_start, close - (text + value_start), p->what, error))
        {
          g_free (a.name);
          return FALSE;
        }
      a.raw_value = g_strndup (text + value_start, close - (text + value_start));
      /* GPP_A…GPP_P may be written as one letter (PG). */
      if (a.name[1] == '\0' && g_ascii_tolower (a.name[0]) >= 'a' &&
          g_ascii_tolower (a.name[0]) <= 'p')
        {
          char *gpp = g_strdup_printf ("GPP_%c", g_ascii_toupper (a.name[0]));

          g_free (a.name);
          a.name = gpp;
        }
      g_array_append_val (alt->assignments, a);
      i = skip_blanks (text, close - text + 1, end);
      if (i >= end)
        break;
      if (text[i] != ';')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("expected ';' after the value of '%s'"),
                             g_array_index (alt->assignments, AssignSpec,
                                            alt->assignments->len - 1).name);
          return FALSE;
        }
      i++;
    }
  return TRUE;
}

typedef enum { OPT_KEY, OPT_POST, OPT_ALIAS, OPT_UID, OPT_PWD, OPT_DELTA } OptionId;

static const struct {
  const char *name;
  gboolean profile, report;
} option_table[] = {
  [OPT_KEY] = { "key", TRUE, TRUE },
  [OPT_POST] = { "post", TRUE, FALSE },
  [OPT_ALIAS] = { "alias", TRUE, FALSE },
  [OPT_UID] = { "uid", TRUE, TRUE },
  [OPT_PWD] = { "pwd", TRUE, TRUE },
  [OPT_DELTA] = { "delta", FALSE, TRUE },
};

static gboolean
parse_options (Parser *p, gsize start, gsize end, Alternative *alt, GError **error)
{
  const char *text = p->text;
  gboolean seen[G_N_ELEMENTS (option_table)] = { FALSE };
  gsize i = start;

  while (TRUE)
    {
      gsize opt_start, word_start, arg_start, arg_end;
      guint id;
      g_autofree char *word = NULL;
      g_autofree char *arg = NULL;

      i = skip_blanks (text, i, end);
      if (i >= end)
        break;
      opt_start = i;
      if (end - i < 2 || text[i] != '-' || text[i + 1] != '-')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("expected an option (--key, --post, --alias, --uid, --pwd)"));
          return FALSE;
        }
      word_start = i += 2;
      while (i < end && g_ascii_isalpha (text[i]))
        i++;
      word = g_ascii_strdown (text + word_start, i - word_start);
      for (id = 0; id < G_N_ELEMENTS (option_table); id++)
        if (g_str_equal (word, option_table[id].name))
          break;
      if (id == G_N_ELEMENTS (option_table) || (i < end && !g_ascii_isspace (text[i])))
        {
          g_autofree char *shown = g_strndup (text + opt_start, i - opt_start + (i < end ? 1 : 0));
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, opt_start,
                             _("unknown option '%s' (--key, --post, --alias, --uid, --pwd, --delta)"),
                             shown);
          return FALSE;
        }
      if (!(p->kind == DP_RULE_KIND_REPORT ? option_table[id].report : option_table[id].profile))
        {
          dp_rule_set_error (error, DP_RULE_ERROR_NOT_ALLOWED, p->what, opt_start,
                             _("option '--%s' does not apply to a %s"), word,
                             p->kind == DP_RULE_KIND_REPORT ? "Report_Rule" : "Profile_Rule");
          return FALSE;
        }
      if (seen[id])
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, opt_start,
                             _("option '--%s' given twice"), word);
          return FALSE;
        }
      seen[id] = TRUE;
      if (id == OPT_DELTA)
        {
          alt->delta = TRUE;
          continue;
        }

      i = skip_blanks (text, i, end);
      if (i >= end || (text[i] == '-' && i + 1 < end && text[i + 1] == '-'))
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("option '--%s' needs an argument"), word);
          return FALSE;
        }
      if (text[i] == '"')
        {
          const char *close = memchr (text + i + 1, '"', end - i - 1);

          if (close == NULL)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                 _("argument of '--%s' without a closing '\"'"), word);
              return FALSE;
            }
          arg_start = i + 1;
          arg_end = close - text;
          i = arg_end + 1;
        }
      else
        {
          arg_start = i;
          while (i < end && !g_ascii_isspace (text[i]) && text[i] != '"')
            i++;
          arg_end = i;
        }
      if (!check_macros (text, arg_start, arg_end - arg_start, p->what, error))
        return FALSE;
      arg = g_strndup (text + arg_start, arg_end - arg_start);

      if (id == OPT_POST || id == OPT_ALIAS)
        {
          char letter = g_ascii_tolower (arg[0]);

          if (arg[0] == '\0' || arg[1] != '\0' || letter < 'a' || letter > 'p')
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, arg_start,
                                 _("'--%s' takes the letter of a GPP parameter (a to p), found '%s'"),
                                 word, arg);
              return FALSE;
            }
          if (id == OPT_POST)
            alt->post = letter;
          else
            alt->alias = letter;
        }
      else if (id == OPT_KEY)
        alt->key = g_steal_pointer (&arg);
      else if (id == OPT_UID)
        alt->uid = g_steal_pointer (&arg);
      else
        alt->pwd = g_steal_pointer (&arg);
    }
  return TRUE;
}

static gboolean
validate_url (Parser *p, const Alternative *alt, GError **error)
{
  UrlParts parts;
  DpRuleError code;
  gsize fault;
  const char *problem;

  /* With macros, the URL can only be judged once they are expanded. */
  if (dp_macro_has_reference (alt->url, strlen (alt->url)))
    return TRUE;
  problem = parse_url (alt->url, NULL, FALSE, &parts, &code, &fault);
  url_parts_clear (&parts);
  if (problem != NULL)
    {
      dp_rule_set_error (error, code, p->what, alt->url_pos + fault, _("URL '%s': %s"),
                         alt->url, problem);
      return FALSE;
    }
  return TRUE;
}

/* Parses text[start, end) (one alternative, without the '|'). */
static gboolean
parse_alternative (Parser *p, gsize start, gsize end, Alternative *alt, GError **error)
{
  const char *text = p->text;
  gboolean have_options = FALSE;
  gsize i = skip_blanks (text, start, end);

  alt->pos = i;
  while (i < end)
    {
      char c = text[i];

      if (alt->url != NULL)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                             _("unexpected text after the URL (one URL per alternative; "
                             "separate alternatives with '|')"));
          return FALSE;
        }
      if (c == '(')
        {
          gsize close = matching_paren (text, i, end);
          gsize mark;

          if (close >= end)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                 _("'(' without a closing ')'"));
              return FALSE;
            }
          mark = skip_blanks (text, close + 1, end);

          if (mark < end && text[mark] == '?')
            {
              if (alt->condition != NULL || alt->has_assignments || have_options)
                {
                  dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                     alt->condition != NULL
                                     ? _("an alternative has at most one condition")
                                     : _("the condition must come first in an alternative"));
                  return FALSE;
                }
              alt->condition = dp_condition_compile (text + i + 1, close - i - 1, i + 1,
                                                     p->what, error);
              if (alt->condition == NULL)
                return FALSE;
            }
          else if (mark < end && text[mark] == '!')
            {
              if (alt->has_assignments || have_options)
                {
                  dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                     alt->has_assignments
                                     ? _("an alternative has at most one assignment list")
                                     : _("assignments must come before the options"));
                  return FALSE;
                }
              if (!parse_assignments (p, i + 1, close, alt, error))
                return FALSE;
            }
          else
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, mark,
                                 _("expected '?' (condition) or '!' (assignments) after ')'"));
              return FALSE;
            }
          i = mark + 1;
        }
      else if (c == '[')
        {
          gboolean quoted = FALSE;
          gsize close;

          for (close = i + 1; close < end; close++)
            {
              if (text[close] == '"')
                quoted = !quoted;
              else if (text[close] == ']' && !quoted)
                break;
            }
          if (close >= end)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                 _("'[' without a closing ']'"));
              return FALSE;
            }
          if (p->kind == DP_RULE_KIND_UPGRADE)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_NOT_ALLOWED, p->what, i,
                                 _("Upgrade_Rule does not take [options]"));
              return FALSE;
            }
          if (have_options)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                 _("an alternative has at most one [options] list"));
              return FALSE;
            }
          have_options = TRUE;
          if (!parse_options (p, i + 1, close, alt, error))
            return FALSE;
          i = close + 1;
        }
      else if (c == ')' || c == ']' || c == '"')
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i, _("unexpected '%c'"), c);
          return FALSE;
        }
      else
        {
          gsize url_start = i;

          while (i < end && !g_ascii_isspace (text[i]))
            i++;
          alt->url = g_strndup (text + url_start, i - url_start);
          alt->url_pos = url_start;
          if (!check_macros (text, url_start, i - url_start, p->what, error) ||
              !validate_url (p, alt, error))
            return FALSE;
        }
      i = skip_blanks (text, i, end);
    }
  if (alt->condition == NULL && !alt->has_assignments && !have_options && alt->url == NULL)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, start,
                         _("empty alternative"));
      return FALSE;
    }
  return TRUE;
}

/* Checks quotes, parentheses and brackets and returns the offsets of the
 * '|' that separate alternatives in text[0, len). */
static GArray *
split_alternatives (Parser *p, gsize len, GError **error)
{
  const char *text = p->text;
  g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize quote = 0, bracket = 0;
  gboolean quoted = FALSE, in_brackets = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          quoted = !quoted;
          quote = i;
        }
      else if (quoted)
        continue;
      else if (c == '[' && !in_brackets && opens->len == 0)
        {
          in_brackets = TRUE;
          bracket = i;
        }
      else if (c == ']' && in_brackets)
        in_brackets = FALSE;
      else if (in_brackets)
        continue;
      else if (c == '(')
        g_array_append_val (opens, i);
      else if (c == ')')
        {
          if (opens->len == 0)
            {
              dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, i,
                                 _("')' without an opening '('"));
              return NULL;
            }
          g_array_set_size (opens, opens->len - 1);
        }
      else if (c == '|' && opens->len == 0)
        g_array_append_val (bars, i);
    }
  if (quoted)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, quote,
                         _("'\"' without a closing '\"'"));
      return NULL;
    }
  if (in_brackets)
    {
      dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, bracket,
                         _("'[' without a closing ']'"));
      return NULL;
    }
  if (opens->len > 0)
    {
      gsize open = g_array_index (opens, gsize, opens->len - 1);

      if (open > 0 && text[open - 1] == '$')
        dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, open - 1,
                           _("'$(' without a closing ')'"));
      else
        dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p->what, open,
                           _("'(' without a closing ')'"));
      return NULL;
    }
  return g_steal_pointer (&bars);
}

DpRule *
dp_rule_parse_kind (const char  *text,
                    DpRuleKind   kind,
                    GError     **error)
{
  Parser p = { text, kind, kind_what (kind) };
  g_autoptr(GArray) bars = NULL;
  g_autoptr(DpRule) rule = NULL;
  gsize len, start = 0;

  g_return_val_if_fail (text != NULL, NULL);

  rule = g_new0 (DpRule, 1);
  g_atomic_ref_count_init (&rule->ref_count);
  rule->kind = kind;
  rule->alternatives = g_array_new (FALSE, TRUE, sizeof (Alternative));
  g_array_set_clear_func (rule->alternatives, alternative_clear);

  len = dp_rule_strip_comment (text);
  if (skip_blanks (text, 0, len) == len)
    return g_steal_pointer (&rule);

  bars = split_alternatives (&p, len, error);
  if (bars == NULL)
    return NULL;
  for (guint k = 0; k <= bars->len; k++)
    {
      gsize end = k < bars->len ? g_array_index (bars, gsize, k) : len;
      Alternative alt = { 0 };

      if (skip_blanks (text, start, end) == end)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_SYNTAX, p.what, end,
                             k < bars->len ? _("empty alternative before '|'")
                                           : _("empty alternative after the last '|'"));
          return NULL;
        }
      if (!parse_alternative (&p, start, end, &alt, error))
        {
          alternative_clear (&alt);
          return NULL;
        }
      g_array_append_val (rule->alternatives, alt);
      start = end + 1;
    }
  for (guint k = 0; k + 1 < rule->alternatives->len; k++)
    {
      const Alternative *alt = &g_array_index (rule->alternatives, Alternative, k);

      if (alt->condition == NULL)
        {
          dp_rule_set_error (error, DP_RULE_ERROR_UNCONDITIONED, p.what, alt->pos,
                             _("alternative %u of %u has no condition: every alternative "
                             "but the last needs '( ... )?'"), k + 1, rule->alternatives->len);
          return NULL;
        }
    }
  return g_steal_pointer (&rule);
}

DpRule *
dp_rule_parse (const char  *text,
               GError     **error)
{
  return dp_rule_parse_kind (text, DP_RULE_KIND_PROFILE, error);
}

static gboolean
check_kind (const char *value, DpRuleKind kind, GError **error)
{
  g_autoptr(DpRule) rule = NULL;

  g_return_val_if_fail (value != NULL, FALSE);
  rule = dp_rule_parse_kind (value, kind, error);
  return rule != NULL;
}

gboolean
dp_profile_rule_check (const char *value, GError **error)
{
  return check_kind (value, DP_RULE_KIND_PROFILE, error);
}

gboolean
dp_upgrade_rule_check (const char *value, GError **error)
{
  return check_kind (value, DP_RULE_KIND_UPGRADE, error);
}

gboolean
dp_report_rule_check (const char *value, GError **error)
{
  return check_kind (value, DP_RULE_KIND_REPORT, error);
}

/* ---- results ----------------------------------------------------------- */

static void
assignment_free (gpointer data)
{
  DpRuleAssignment *a = data;

  g_free (a->name);
  g_free (a->value);
  g_free (a);
}

static DpRuleResult *
result_new (void)
{
  DpRuleResult *r = g_new0 (DpRuleResult, 1);

  r->assignments = g_ptr_array_new_with_free_func (assignment_free);
  return r;
}

void
dp_rule_result_free (DpRuleResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->assignments);
  g_free (result->scheme);
  g_free (result->server);
  g_free (result->path);
  g_free (result->url);
  g_free (result->body);
  g_free (result->post);
  g_free (result->key);
  g_free (result->alias);
  g_free (result->alias_map);
  g_free (result->uid);
  g_free (result->pwd);
  g_free (result);
}

DpRuleResult *
dp_rule_result_copy (const DpRuleResult *result)
{
  DpRuleResult *r;

  g_return_val_if_fail (result != NULL, NULL);

  r = result_new ();
  r->skip = result->skip;
  r->alternative = result->alternative;
  for (guint i = 0; i < result->assignments->len; i++)
    {
      const DpRuleAssignment *a = g_ptr_array_index (result->assignments, i);
      DpRuleAssignment *copy = g_new0 (DpRuleAssignment, 1);

      copy->name = g_strdup (a->name);
      copy->value = g_strdup (a->value);
      g_ptr_array_add (r->assignments, copy);
    }
  r->has_url = result->has_url;
  r->method = result->method;
  r->scheme = g_strdup (result->scheme);
  r->server = g_strdup (result->server);
  r->port = result->port;
  r->path = g_strdup (result->path);
  r->url = g_strdup (result->url);
  r->body = g_strdup (result->body);
  r->post = g_strdup (result->post);
  r->key = g_strdup (result->key);
  r->alias = g_strdup (result->alias);
  r->alias_map = g_strdup (result->alias_map);
  r->uid = g_strdup (result->uid);
  r->pwd = g_strdup (result->pwd);
  r->delta = result->delta;
  return r;
}

const char *
dp_rule_result_lookup (const DpRuleResult *result,
                       const char         *name)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = result->assignments->len; i > 0; i--)
    {
      const DpRuleAssignment *a = g_ptr_array_index (result->assignments, i - 1);

      if (g_str_equal (a->name, name))
        return a->value;
    }
  return NULL;
}

static void
set_string_or_null (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
dp_rule_result_to_json (const DpRuleResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);
  if (result->skip)
    {
      json_builder_set_member_name (b, "skip");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }
  json_builder_set_member_name (b, "assign");
  json_builder_begin_object (b);
  for (guint i = 0; i < result->assignments->len; i++)
    {
      const DpRuleAssignment *a = g_ptr_array_index (result->assignments, i);

      /* A repeated name appears once, with its last value (the one that
       * sticks). */
      if (dp_rule_result_lookup (result, a->name) != a->value)
        continue;
      json_builder_set_member_name (b, a->name);
      json_builder_add_string_value (b, a->value);
    }
  json_builder_end_object (b);
  set_string_or_null (b, "method", result->has_url ? dp_rule_method_to_string (result->method) : NULL);
  set_string_or_null (b, "url", result->url);
  set_string_or_null (b, "scheme", result->scheme);
  set_string_or_null (b, "server", result->server);
  json_builder_set_member_name (b, "port");
  if (result->has_url)
    json_builder_add_int_value (b, result->port);
  else
    json_builder_add_null_value (b);
  set_string_or_null (b, "path", result->path);
  set_string_or_null (b, "body", result->body);
  set_string_or_null (b, "key", result->key);
  set_string_or_null (b, "alias", result->alias);
  if (result->alias != NULL)
    set_string_or_null (b, "alias_map", result->alias_map);
  set_string_or_null (b, "uid", result->uid);
  set_string_or_null (b, "pwd", result->pwd);
  if (result->delta)
    {
      json_builder_set_member_name (b, "delta");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_set_member_name (b, "alternative");
  json_builder_add_int_value (b, result->alternative);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
dp_rule_result_set_macros (const DpRuleResult *result,
                           DpMacroContext     *ctx)
{
  g_autofree char *port = NULL;

  g_return_if_fail (result != NULL);
  g_return_if_fail (ctx != NULL);

  if (!result->has_url)
    return;
  port = g_strdup_printf ("%u", result->port);
  dp_macro_context_set (ctx, "SCHEME", result->scheme);
  dp_macro_context_set (ctx, "SERV", result->server);
  dp_macro_context_set (ctx, "PORT", port);
  dp_macro_context_set (ctx, "PATH", result->path);
}

/* ---- evaluation -------------------------------------------------------- */

/* The raw GPP_<letter> value, expanded as a text of its own. */
static char *
expand_gpp (DpMacroContext *ctx, char letter)
{
  char name[2] = { g_ascii_toupper (letter), '\0' };
  const char *raw = dp_macro_context_lookup (ctx, name);

  /* A real phone always has the parameter (default empty). */
  return dp_macro_expand (raw != NULL ? raw : "", ctx, DP_MACRO_FLAGS_NONE);
}

static gboolean
evaluate_alternative (DpRule *rule, const Alternative *alt, guint index,
                      DpMacroContext *ctx, const char *default_server,
                      DpRuleResult *r, GError **error)
{
  const char *what = kind_what (rule->kind);
  g_autoptr(DpMacroContext) base = ctx != NULL ? dp_macro_context_ref (ctx) : dp_macro_context_new ();
  g_autoptr(DpMacroContext) state = dp_macro_context_new_overlay (base);

  r->alternative = index + 1;
  for (guint i = 0; alt->assignments != NULL && i < alt->assignments->len; i++)
    {
      const AssignSpec *spec = &g_array_index (alt->assignments, AssignSpec, i);
      DpRuleAssignment *a = g_new0 (DpRuleAssignment, 1);
      const char *macro = dp_macro_name_for_parameter (spec->name);

      a->name = g_strdup (spec->name);
      a->value = dp_macro_expand (spec->raw_value, state, DP_MACRO_FLAGS_NONE);
      g_ptr_array_add (r->assignments, a);
      if (macro != NULL)
        dp_macro_context_set (state, macro, a->value);
    }

  if (alt->key != NULL)
    r->key = dp_macro_expand (alt->key, state, DP_MACRO_FLAGS_SECRETS);
  if (alt->uid != NULL)
    r->uid = dp_macro_expand (alt->uid, state, DP_MACRO_FLAGS_NONE);
  if (alt->pwd != NULL)
    r->pwd = dp_macro_expand (alt->pwd, state, DP_MACRO_FLAGS_NONE);
  if (alt->alias != '\0')
    {
      r->alias = g_strndup (&alt->alias, 1);
      r->alias_map = expand_gpp (state, alt->alias);
    }
  r->delta = alt->delta;
  r->method = DP_RULE_METHOD_GET;
  if (alt->post != '\0')
    {
      r->post = g_strndup (&alt->post, 1);
      r->body = expand_gpp (state, alt->post);
      r->method = DP_RULE_METHOD_POST;
    }

  if (alt->url != NULL)
    {
      g_autofree char *url = dp_macro_expand (alt->url, state, DP_MACRO_FLAGS_NONE);
      UrlParts parts;
      DpRuleError code;
      gsize fault;
      const char *problem = parse_url (url, default_server, TRUE, &parts, &code, &fault);

      if (problem != NULL)
        {
          url_parts_clear (&parts);
          if (strcmp (url, alt->url) == 0)
            dp_rule_set_error (error, code, what, alt->url_pos + fault, _("URL '%s': %s"), url, problem);
          else
            dp_rule_set_error (error, code, what, alt->url_pos, _("URL '%s' (expanded from '%s'): %s"),
                               url, alt->url, problem);
          return FALSE;
        }
      r->has_url = TRUE;
      r->scheme = parts.scheme;
      r->server = parts.host;
      r->port = parts.port;
      r->path = parts.path;
      r->url = g_strdup_printf (strchr (r->server, ':') != NULL ? "%s://[%s]:%u%s" : "%s://%s:%u%s",
                                r->scheme, r->server, r->port, r->path);
      if (rule->kind == DP_RULE_KIND_REPORT)
        r->method = g_str_equal (r->scheme, "tftp") ? DP_RULE_METHOD_PUT : DP_RULE_METHOD_POST;
    }
  return TRUE;
}

gboolean
dp_rule_evaluate (DpRule          *rule,
                  DpMacroContext  *ctx,
                  const char      *default_server,
                  DpRuleResult   **result,
                  GError         **error)
{
  g_autoptr(DpRuleResult) r = NULL;

  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  r = result_new ();
  for (guint k = 0; k < rule->alternatives->len; k++)
    {
      const Alternative *alt = &g_array_index (rule->alternatives, Alternative, k);

      if (alt->condition != NULL)
        {
          gboolean holds = FALSE;

          if (!dp_condition_run (alt->condition, ctx, kind_what (rule->kind), &holds, error))
            return FALSE;
          if (!holds)
            continue;
        }
      if (!evaluate_alternative (rule, alt, k, ctx, default_server, r, error))
        return FALSE;
      *result = g_steal_pointer (&r);
      return TRUE;
    }
  r->skip = TRUE;
  *result = g_steal_pointer (&r);
  return TRUE;
}
