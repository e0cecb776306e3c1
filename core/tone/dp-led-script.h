/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <glib-object.h>
#include "dp-script.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-led-script
 * @title: LED script
 *
 * Line-key and sidecar LED scripts (spa9x2-reference.md §10, §8.3):
 * `field (';' field)*` with `c=<o|r|g|a>`, `p=<nb|sb|fb|db|ud>` and
 * `u=<on>/<off>[/<on>/<off>…]`. Whitespace is ignored everywhere.
 *
 * Decisions (each one is tested):
 *
 * - `p` also takes the one-letter forms `n`, `s`, `f`, `d`, `u`
 *   (the grammar's `n[b]|s[b]|f[b]|d[b]|u[d]`).
 * - Built-in timings: steady; slow blink 500 ms on / 500 ms off (AG p31 and
 *   IPAG 3-22; Appendix A's 1 s/1 s is the other side of the CONFLICT);
 *   fast blink 100/100; double blink 100 on/100 off/100 on/700 off.
 * - A field omitted takes the first alternative of its grammar: `c` → off
 *   (`o`), `p` → steady (`nb`). So `c=g` is green steady and `p=sb` alone is
 *   a (dark) slow blink.
 * - `u` requires `p=ud` and `p=ud` requires `u`. `u` holds 1 to 4 on/off
 *   pairs (2 to 8 values; an odd count is rejected), seconds with at most 2
 *   decimals (10 ms), each 0–600 s, and not all 0.
 * - Each field may appear once; unknown fields are rejected; an empty
 *   script is rejected by the parser (the syntax checker accepts an empty
 *   parameter, which means "use the state's default").
 * - The whole script is limited to %DP_SCRIPT_MAX_LENGTH characters.
 */

/**
 * DP_LED_MAX_TIMING:
 *
 * Most values of a `u=` list (4 on/off pairs).
 */
#define DP_LED_MAX_TIMING 8

/**
 * DpLedColor:
 * @DP_LED_COLOR_OFF: `o`, dark
 * @DP_LED_COLOR_RED: `r`
 * @DP_LED_COLOR_GREEN: `g`
 * @DP_LED_COLOR_AMBER: `a`, amber/orange
 *
 * An LED colour.
 */
typedef enum {
  DP_LED_COLOR_OFF,
  DP_LED_COLOR_RED,
  DP_LED_COLOR_GREEN,
  DP_LED_COLOR_AMBER,
} DpLedColor;

/**
 * DpLedPattern:
 * @DP_LED_PATTERN_STEADY: `nb`, no blink
 * @DP_LED_PATTERN_SLOW_BLINK: `sb`, 500 ms on / 500 ms off
 * @DP_LED_PATTERN_FAST_BLINK: `fb`, 100 ms on / 100 ms off
 * @DP_LED_PATTERN_DOUBLE_BLINK: `db`, 100 on / 100 off / 100 on / 700 off
 * @DP_LED_PATTERN_USER: `ud`, the `u=` timing
 *
 * An LED blink pattern.
 */
typedef enum {
  DP_LED_PATTERN_STEADY,
  DP_LED_PATTERN_SLOW_BLINK,
  DP_LED_PATTERN_FAST_BLINK,
  DP_LED_PATTERN_DOUBLE_BLINK,
  DP_LED_PATTERN_USER,
} DpLedPattern;

/**
 * DpLedScript:
 * @color: the colour
 * @pattern: the blink pattern
 * @n_timing: how many values of @timing_ms are used (0 unless
 *   %DP_LED_PATTERN_USER)
 * @timing_ms: the `u=` values in ms: on, off, on, off …
 *
 * A decoded LED script.
 */
typedef struct {
  DpLedColor color;
  DpLedPattern pattern;
  guint n_timing;
  guint timing_ms[DP_LED_MAX_TIMING];
} DpLedScript;

gboolean     dp_led_script_parse          (const char         *text,
                                           DpLedScript        *out,
                                           GError            **error);
gboolean     dp_led_script_check          (const char         *value,
                                           GError            **error);
guint        dp_led_script_get_timing     (const DpLedScript  *script,
                                           guint              *timing_ms);
guint        dp_led_pattern_get_timing    (DpLedPattern        pattern,
                                           guint              *timing_ms);
const char  *dp_led_color_to_string       (DpLedColor          color);
const char  *dp_led_pattern_to_string     (DpLedPattern        pattern);
const char  *dp_led_pattern_to_code       (DpLedPattern        pattern);

G_END_DECLS
