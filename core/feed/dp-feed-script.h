/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA962 feed script of `RSS_Feed_URL_1`..`_5` (User tab):
 * `name=<label>;url=<http(s) URL>`.
 *
 * Grammar, as decided here (the SPA guide only shows examples):
 * - fields are separated by `;`, each is `key=value`; keys are `name` and
 *   `url`, matched case-insensitively; spaces and tabs around keys and
 *   values are trimmed (the factory `RSS_Feed_URL_2` has `; url=`,
 *   conformance vector K13);
 * - the empty (or all-blank) script means "no feed" and is valid;
 * - `url` is required, must be an absolute `http://` or `https://` URL with
 *   a host, and may itself contain `;` and `=`: once `url=` has been seen,
 *   a following segment that does not start with `name=` or `url=` is part
 *   of the URL (query strings such as `?a=1;b=2`);
 * - an unknown key before `url=`, a repeated key or an empty key is an
 *   error, so that a typo (`nmae=`) is caught when the profile is applied
 *   rather than silently showing an unnamed feed (UNCONFIRMED how the SPA
 *   firmware treats these; it documents no error);
 * - `name` is optional; a missing or empty name is reported as %NULL and
 *   the caller may show the URL's host instead.
 * Errors read `"RSS feed script: position <N>: <problem>"`, N 1-based.
 */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define DP_FEED_SCRIPT_ERROR (dp_feed_script_error_quark ())

/**
 * DpFeedScriptError:
 * @DP_FEED_SCRIPT_ERROR_SYNTAX: a field is not `key=value` or the key is unknown/repeated
 * @DP_FEED_SCRIPT_ERROR_MISSING_URL: no `url=` field, or it is empty
 * @DP_FEED_SCRIPT_ERROR_BAD_URL: the URL is not an absolute http(s) URL with a host
 *
 * Errors of dp_feed_script_parse().
 */
typedef enum {
  DP_FEED_SCRIPT_ERROR_SYNTAX,
  DP_FEED_SCRIPT_ERROR_MISSING_URL,
  DP_FEED_SCRIPT_ERROR_BAD_URL,
} DpFeedScriptError;

GQuark   dp_feed_script_error_quark (void);

/**
 * dp_feed_script_parse:
 * @script: the parameter value
 * @name: (out) (optional) (nullable) (transfer full): the label, or %NULL
 * @url: (out) (optional) (nullable) (transfer full): the trimmed URL, or
 *   %NULL for an empty script
 * @error: return location for a #GError naming the position of the fault
 *
 * Returns: %TRUE if @script is valid (an empty script is valid and gives
 *   %NULL for both)
 */
gboolean dp_feed_script_parse       (const char  *script,
                                     char       **name,
                                     char       **url,
                                     GError     **error);

/**
 * dp_feed_script_check:
 * @value: the candidate value
 * @error: return location for a #GError
 *
 * The `feedscript` syntax checker (a #DpSyntaxCheckFunc).
 *
 * Returns: %TRUE if @value is a valid feed script
 */
gboolean dp_feed_script_check       (const char  *value,
                                     GError     **error);

G_END_DECLS
