/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPA profile rules (spa9x2-reference.md §1.3, §1.4, §1.10, §2):
 * `Profile_Rule`, `Profile_Rule_B/_C/_D`, `Upgrade_Rule` and `Report_Rule`.
 * A rule is parsed once (syntax errors are found when it is set) and
 * evaluated against device state each time the phone resyncs, giving what
 * the phone does: which parameters it assigns and what it fetches (or, for a
 * report, where it sends). Pure code: no I/O, no clock, no DNS. */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "dp-condition.h"
#include "dp-macro.h"

G_BEGIN_DECLS

/**
 * DpRuleKind:
 * @DP_RULE_KIND_PROFILE: `Profile_Rule*`: options `--key`, `--post`,
 *   `--alias`, `--uid`, `--pwd`
 * @DP_RULE_KIND_UPGRADE: `Upgrade_Rule`: conditions and assignments but no
 *   `[options]` (PG: options are not supported there)
 * @DP_RULE_KIND_REPORT: `Report_Rule`: options `--key`, `--uid`, `--pwd`,
 *   `--delta`; the report is PUT over TFTP and POSTed over HTTP(S)
 *
 * Which parameter a rule comes from. `--uid`/`--pwd` (HTTP authentication)
 * and `--delta` come from later Cisco guides and are accepted as
 * extensions (UNCONFIRMED on SPA9x2 5.x).
 *
 * Decision (CONFLICT: HTTPS upgrade, PG/IPAG no, AG v5.2 yes): an
 * `Upgrade_Rule` may use any of tftp, http and https; the engine only says
 * what to fetch.
 */
typedef enum {
  DP_RULE_KIND_PROFILE,
  DP_RULE_KIND_UPGRADE,
  DP_RULE_KIND_REPORT,
} DpRuleKind;

/**
 * DpRuleMethod:
 * @DP_RULE_METHOD_GET: fetch (TFTP read or HTTP GET)
 * @DP_RULE_METHOD_POST: HTTP POST (`--post`, or a report over HTTP(S))
 * @DP_RULE_METHOD_PUT: TFTP write (a report over TFTP)
 */
typedef enum {
  DP_RULE_METHOD_GET,
  DP_RULE_METHOD_POST,
  DP_RULE_METHOD_PUT,
} DpRuleMethod;

const char *dp_rule_method_to_string (DpRuleMethod method);

/**
 * DpRuleAssignment:
 * @name: the parameter name; the one-letter names `a`…`p` (either case)
 *   are already mapped to `GPP_A`…`GPP_P`
 * @value: the value, macro-expanded
 */
typedef struct {
  char *name;
  char *value;
} DpRuleAssignment;

/**
 * DpRuleResult:
 * @skip: %TRUE when the rule does nothing: it is empty (or only a comment),
 *   or every alternative has a condition and none holds. A skipped rule is
 *   not a failure. All other fields are then empty.
 * @alternative: the 1-based index of the alternative taken (0 when skipped)
 * @assignments: (element-type DpRuleAssignment): the assignments to perform
 *   before the fetch, in order (a later one for the same name wins)
 * @has_url: whether the alternative fetches (or sends) anything; an
 *   alternative may consist of assignments only
 * @method: how to transfer
 * @scheme: (nullable): `tftp`, `http` or `https`
 * @server: (nullable): host name or address (IPv6 without brackets)
 * @port: the port (69, 80 or 443 unless the URL names one)
 * @path: (nullable): absolute path including any query, with bytes that may
 *   not appear in a URL percent-encoded (blanks, controls, non-ASCII,
 *   the backquote and `"` `<` `>` `\` `^` `{` `|` `}` `#`)
 * @url: (nullable): canonical `scheme://server:port/path`
 * @body: (nullable): the `--post` body: GPP_<letter> macro-expanded
 * @post: (nullable): the `--post` letter (lower case)
 * @key: (nullable): the `--key` argument, macro-expanded with `$SA`…`$SD`
 * @alias: (nullable): the `--alias` letter (lower case)
 * @alias_map: (nullable): GPP_<alias letter>, macro-expanded
 * @uid: (nullable): the `--uid` argument, macro-expanded
 * @pwd: (nullable): the `--pwd` argument, macro-expanded
 * @delta: `--delta` was given (report rules)
 *
 * What the phone does for one rule evaluation.
 */
typedef struct {
  gboolean skip;
  guint alternative;
  GPtrArray *assignments;
  gboolean has_url;
  DpRuleMethod method;
  char *scheme;
  char *server;
  guint port;
  char *path;
  char *url;
  char *body;
  char *post;
  char *key;
  char *alias;
  char *alias_map;
  char *uid;
  char *pwd;
  gboolean delta;
} DpRuleResult;

GType         dp_rule_result_get_type (void) G_GNUC_CONST;
DpRuleResult *dp_rule_result_copy     (const DpRuleResult *result);
void          dp_rule_result_free     (DpRuleResult *result);

/**
 * dp_rule_result_lookup:
 * @result: a result
 * @name: a parameter name
 *
 * Returns: (nullable): the value the result assigns to @name (the last
 *   assignment wins), or %NULL
 */
const char   *dp_rule_result_lookup   (const DpRuleResult *result,
                                       const char         *name);

/**
 * dp_rule_result_to_json:
 * @result: a result
 *
 * The `deskphonectl rule` shape (architecture §4.2): `{"skip":true}`, or
 * `{"assign":{NAME:VALUE…},"method":"GET|POST|PUT","url":…,"scheme":…,
 * "server":…,"port":…,"path":…,"body":…,"key":…,"alias":…,"uid":…,
 * "pwd":…,"alternative":N}` with %NULL members as JSON null (method, url
 * and its parts are null when the alternative fetches nothing), plus
 * `"alias_map"` when there is an alias and `"delta":true` when given.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode     *dp_rule_result_to_json  (const DpRuleResult *result);

/**
 * dp_rule_result_set_macros:
 * @result: a result with a URL
 * @ctx: the context to update
 *
 * Sets the URL macros of the result for the Log_* messages: `SCHEME`
 * (lower case, as the default log messages use it as a URL scheme;
 * case UNCONFIRMED), `SERV`, `PORT` and `PATH` (`$METH` follows `SCHEME`).
 * `SERVIP` needs DNS and is left to the caller.
 */
void          dp_rule_result_set_macros (const DpRuleResult *result,
                                         DpMacroContext     *ctx);

/**
 * DpRule:
 *
 * A parsed rule.
 *
 * Grammar (blanks allowed between elements):
 * |[
 * rule        := alternative ( '|' alternative )*
 * alternative := [ '(' condition ')?' ] [ '(' assignments ')!' ]
 *                [ '[' options ']' ] [ URL ]
 * assignments := ( Name '=' '"' value '"' ';' )*     (last ';' optional)
 * options     := ( '--key' ARG | '--post' L | '--alias' L | '--uid' ARG
 *                | '--pwd' ARG | '--delta' )*        (ARG quoted or bare)
 * URL         := [ scheme '://' ] [ server [ ':' port ] ] '/' path
 * ]|
 *
 * - A `#` outside double quotes starts a comment that runs to the end of
 *   the value (`# http://192.168.1.200/sample.cfg` is an empty rule).
 *   Decision: `#` inside a quoted value or option argument is text, so a
 *   `--key` can contain it.
 * - `|` separates alternatives only outside quotes, `( )` and `[ ]`.
 * - Every alternative but the last must have a condition
 *   (%DP_RULE_ERROR_UNCONDITIONED); the elements come in the order above,
 *   at most once each; an empty alternative is an error.
 * - Options and URLs are checked as far as the text allows: a URL without
 *   macros is validated here (so `prov.x`, which has no path, is rejected),
 *   one with macros after expansion.
 *
 * Order of evaluation (dp_rule_evaluate()), decided where the guides are
 * silent:
 * 1. Alternatives are tried left to right; a condition is evaluated with
 *    its operands expanded (dp_condition_eval()). The first alternative
 *    whose condition holds, or that has none, is taken.
 * 2. Its assignments are expanded and performed in order, each seeing the
 *    earlier ones (`( a = "x"; b = "$A"; )!` sets GPP_B to `x`).
 * 3. Then the options and the URL are expanded, seeing the assignments
 *   (PG: assignments are performed before the fetch): `--key` with
 *   `$SA`…`$SD`, everything else without; the `--post`/`--alias` GPP value
 *   is expanded as a text of its own.
 * Macros are expanded inside each element after the rule has been split
 * into elements, never on the whole text first, so a macro value cannot
 * add alternatives, options or quotes. Values are never expanded twice.
 *
 * URL defaulting: scheme `tftp`; a missing server is the default server
 * (DHCP option 66, or `Provisioning_TFTP_Server`), which may carry a
 * `:port` of its own; a missing port is 69, 80 or 443 by scheme.
 */
typedef struct _DpRule DpRule;

GType       dp_rule_get_type (void) G_GNUC_CONST;

/**
 * dp_rule_parse:
 * @text: a `Profile_Rule*` value
 * @error: return location for a #GError
 *
 * dp_rule_parse_kind() with %DP_RULE_KIND_PROFILE.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with @error set
 */
DpRule     *dp_rule_parse      (const char  *text,
                                GError     **error);

/**
 * dp_rule_parse_kind:
 * @text: the rule
 * @kind: which parameter it comes from
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with @error set
 *   (the message names the 1-based position in @text)
 */
DpRule     *dp_rule_parse_kind (const char  *text,
                                DpRuleKind   kind,
                                GError     **error);

DpRule     *dp_rule_ref        (DpRule *rule);
void        dp_rule_unref      (DpRule *rule);

DpRuleKind  dp_rule_get_kind   (const DpRule *rule);

/**
 * dp_rule_get_n_alternatives:
 * @rule: a rule
 *
 * Returns: the number of alternatives (0 for an empty rule)
 */
guint       dp_rule_get_n_alternatives (const DpRule *rule);

/**
 * dp_rule_evaluate:
 * @rule: a rule
 * @ctx: (nullable): device state; %NULL = every macro unknown
 * @default_server: (nullable): the server for URLs that name none (DHCP
 *   option 66 / `Provisioning_TFTP_Server`): `host` or `host:port`
 * @result: (out) (transfer full): what to do
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %FALSE with @error when a condition cannot be
 *   evaluated (an operand of the wrong type after expansion) or the URL is
 *   invalid after expansion or names no server and @default_server is
 *   %NULL or empty (%DP_RULE_ERROR_NO_SERVER)
 */
gboolean    dp_rule_evaluate   (DpRule          *rule,
                                DpMacroContext  *ctx,
                                const char      *default_server,
                                DpRuleResult   **result,
                                GError         **error);

/**
 * dp_profile_rule_check:
 * @value: a `Profile_Rule*` value
 * @error: return location for a #GError
 *
 * The syntax checker of `Profile_Rule`, `Profile_Rule_B/_C/_D` (a
 * #DpSyntaxCheckFunc). An empty value is valid.
 *
 * Returns: %TRUE if @value parses
 */
gboolean    dp_profile_rule_check (const char *value, GError **error);

/**
 * dp_upgrade_rule_check:
 * @value: an `Upgrade_Rule` value
 * @error: return location for a #GError
 *
 * The syntax checker of `Upgrade_Rule` (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value parses
 */
gboolean    dp_upgrade_rule_check (const char *value, GError **error);

/**
 * dp_report_rule_check:
 * @value: a `Report_Rule` value
 * @error: return location for a #GError
 *
 * The syntax checker of `Report_Rule` (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value parses
 */
gboolean    dp_report_rule_check  (const char *value, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpRule, dp_rule_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpRuleResult, dp_rule_result_free)

G_END_DECLS
