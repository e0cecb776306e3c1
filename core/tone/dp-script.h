/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * DP_SCRIPT_MAX_LENGTH:
 *
 * Longest script accepted, in bytes. Linksys documents 127 characters for a
 * ToneScript (Wikipedia says 120; we follow Linksys). deskphone applies the
 * same limit to every script kind (Freq, Tone, Cad, Ring, LED) and rejects a
 * longer one rather than truncating it: a truncated script would silently
 * play something else than the administrator wrote.
 */
#define DP_SCRIPT_MAX_LENGTH 127

#define DP_SCRIPT_ERROR (dp_script_error_quark ())

/**
 * DpScriptError:
 * @DP_SCRIPT_ERROR_SYNTAX: the text does not follow the grammar
 * @DP_SCRIPT_ERROR_LIMIT: too long, or too many frequencies, segments,
 *   sections or LED timing values
 * @DP_SCRIPT_ERROR_RANGE: a number is outside its allowed range or has too
 *   many decimals
 * @DP_SCRIPT_ERROR_UNKNOWN_KIND: the kind of the script cannot be told
 * @DP_SCRIPT_ERROR_UNRENDERABLE: the tone generator cannot render the
 *   script at the requested sample rate
 *
 * Errors of the script parsers. Every parse error message has the form
 * `"<Kind>: position <N>: <problem>"` where N is the 1-based byte position
 * of the offending character in the script.
 */
typedef enum {
  DP_SCRIPT_ERROR_SYNTAX,
  DP_SCRIPT_ERROR_LIMIT,
  DP_SCRIPT_ERROR_RANGE,
  DP_SCRIPT_ERROR_UNKNOWN_KIND,
  DP_SCRIPT_ERROR_UNRENDERABLE,
} DpScriptError;

GQuark dp_script_error_quark (void);

/**
 * DpScriptKind:
 * @DP_SCRIPT_KIND_UNKNOWN: not known / detect it
 * @DP_SCRIPT_KIND_FREQ: FreqScript `F1@L1[,F2@L2…]`
 * @DP_SCRIPT_KIND_TONE: ToneScript `FreqScript;Z1[;Z2]`
 * @DP_SCRIPT_KIND_CAD: CadScript `S1[;S2]`
 * @DP_SCRIPT_KIND_RING: RingScript `n=…;w=…;c=…`
 * @DP_SCRIPT_KIND_LED: LED script `c=…;p=…;u=…`
 *
 * The script languages of the SPA9x2 configuration.
 */
typedef enum {
  DP_SCRIPT_KIND_UNKNOWN,
  DP_SCRIPT_KIND_FREQ,
  DP_SCRIPT_KIND_TONE,
  DP_SCRIPT_KIND_CAD,
  DP_SCRIPT_KIND_RING,
  DP_SCRIPT_KIND_LED,
} DpScriptKind;

const char   *dp_script_kind_to_string   (DpScriptKind  kind);
gboolean      dp_script_kind_from_string (const char   *text,
                                          DpScriptKind *kind);
DpScriptKind  dp_script_detect_kind      (const char   *text);
JsonNode     *dp_script_to_json          (const char   *text,
                                          DpScriptKind  kind,
                                          GError      **error);

G_END_DECLS
