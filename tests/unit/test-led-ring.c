/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RingScript and LED script parsers: rows R1–R4 and L1–L8 of
 * conformance-vectors.md §2.4, the factory values of spa9x2-reference.md
 * §4.1 and §8.3, and malformed scripts with the position they must name. */
#include <glib.h>
#include <string.h>

#include "dp-script.h"
#include "dp-ring-script.h"
#include "dp-led-script.h"
#include "dp-tone-script.h"

static void
assert_error_at (GError       *error,
                 DpScriptError code,
                 guint         position)
{
  g_autofree char *needle = g_strdup_printf ("position %u:", position);

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, DP_SCRIPT_ERROR, (gint) code);
  g_assert_nonnull (strstr (error->message, needle));
}

/* ---- RingScript -------------------------------------------------------- */

static void
parse_ring (const char   *text,
            DpRingScript *ring)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_ring_script_parse (text, ring, &error));
  g_assert_no_error (error);
}

static void
test_ring_r1 (void)
{
  DpRingScript ring;
  DpCadScript cad;

  parse_ring ("n=Classic-1;w=3;c=1", &ring);
  g_assert_cmpstr (ring.name, ==, "Classic-1");
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_CLASSIC_RING);
  g_assert_cmpstr (dp_ring_waveform_to_string (ring.waveform), ==, "classic ring tone");
  g_assert_cmpuint (ring.cadence, ==, 1);
  g_assert_cmpint (ring.break_ms, ==, -1);
  g_assert_cmpint (ring.total_ms, ==, -1);
  /* Cadence 1 is 60(2/4) by default. */
  g_assert_cmpstr (dp_ring_default_cadence (ring.cadence), ==, "60(2/4)");
  g_assert_true (dp_cad_script_parse (dp_ring_default_cadence (ring.cadence), &cad, NULL));
  g_assert_cmpint (cad.sections[0].duration_ms, ==, 60000);
  g_assert_cmpint (cad.sections[0].segments[0].on_ms, ==, 2000);
  g_assert_cmpint (cad.sections[0].segments[0].off_ms, ==, 4000);
}

static void
test_ring_r2_r3 (void)
{
  DpRingScript ring;

  parse_ring ("n=Simple-1;w=2;c=1", &ring);
  g_assert_cmpstr (ring.name, ==, "Simple-1");
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_TYPICAL_RING);
  g_assert_cmpstr (dp_ring_waveform_to_string (ring.waveform), ==, "typical phone ring");
  g_assert_cmpuint (ring.cadence, ==, 1);

  parse_ring ("n=Office;w=4;c=1", &ring);
  g_assert_cmpstr (ring.name, ==, "Office");
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_SWEEP);
  g_assert_cmpstr (dp_ring_waveform_to_string (ring.waveform), ==, "wide-band sweep");
  g_assert_cmpuint (ring.cadence, ==, 1);

  parse_ring ("n=Bell;w=1;c=9", &ring);
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_CLASSIC_BELL);
  g_assert_cmpstr (dp_ring_default_cadence (9), ==, "60(.4/.2,.4/2)");
  g_assert_null (dp_ring_default_cadence (0));
  g_assert_null (dp_ring_default_cadence (10));
}

static void
test_ring_r4 (void)
{
  DpRingScript ring;

  parse_ring ("n=Mine;w=tftp://10.0.0.5/ring.raw;c=0;b=2.5;t=30", &ring);
  g_assert_cmpstr (ring.name, ==, "Mine");
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_URL);
  g_assert_cmpstr (ring.url, ==, "tftp://10.0.0.5/ring.raw");
  g_assert_cmpstr (ring.url_scheme, ==, "tftp");
  g_assert_cmpstr (ring.url_host, ==, "10.0.0.5");
  g_assert_cmpuint (ring.url_port, ==, 69);
  g_assert_cmpstr (ring.url_path, ==, "/ring.raw");
  g_assert_cmpuint (ring.cadence, ==, 0);   /* natural length */
  g_assert_cmpint (ring.break_ms, ==, 2500);
  g_assert_cmpint (ring.total_ms, ==, 30000);
}

static void
test_ring_urls (void)
{
  DpRingScript ring;

  /* The scheme is optional ([tftp://]host[:port]/path). */
  parse_ring ("n=a;w=ringsrv.example.com:6969/tones/a.raw", &ring);
  g_assert_cmpstr (ring.url_scheme, ==, "tftp");
  g_assert_cmpstr (ring.url_host, ==, "ringsrv.example.com");
  g_assert_cmpuint (ring.url_port, ==, 6969);
  g_assert_cmpstr (ring.url_path, ==, "/tones/a.raw");
  g_assert_cmpuint (ring.cadence, ==, 1);   /* c omitted → Cadence_1 */

  parse_ring ("n=b;w=HTTPS://[::1]/r.wav;c=0", &ring);
  g_assert_cmpstr (ring.url_scheme, ==, "https");
  g_assert_cmpstr (ring.url_host, ==, "::1");
  g_assert_cmpuint (ring.url_port, ==, 443);

  parse_ring ("n=c;w=http://h/r", &ring);
  g_assert_cmpuint (ring.url_port, ==, 80);
}

static void
test_ring_details (void)
{
  DpRingScript ring;

  /* Whitespace around fields and a trailing ';' are ignored; field order is free. */
  parse_ring (" c = 3 ; w = 3 ; n = My Ring ; ", &ring);
  g_assert_cmpstr (ring.name, ==, "My Ring");
  g_assert_cmpuint (ring.cadence, ==, 3);
  g_assert_cmpint (ring.waveform, ==, DP_RING_WAVEFORM_CLASSIC_RING);

  parse_ring ("n=x;w=4;c=0;b=0;t=.125", &ring);
  g_assert_cmpint (ring.break_ms, ==, 0);
  g_assert_cmpint (ring.total_ms, ==, 125);
}

static void
test_ring_defaults (void)
{
  static const char * const defaults[] = {
    "n=Classic-1;w=3;c=1", "n=Classic-2;w=3;c=2", "n=Classic-3;w=3;c=3",
    "n=Classic-4;w=3;c=4", "n=Simple-1;w=2;c=1", "n=Simple-2;w=2;c=2",
    "n=Simple-3;w=2;c=3", "n=Simple-4;w=2;c=4", "n=Simple-5;w=2;c=5",
    "n=Office;w=4;c=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      DpRingScript ring;
      DpCadScript cad;
      g_autoptr(GError) error = NULL;

      parse_ring (defaults[i], &ring);
      g_assert_true (dp_ring_script_check (defaults[i], &error));
      g_assert_true (dp_cad_script_parse (dp_ring_default_cadence (ring.cadence), &cad, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dp_cad_script_get_total_ms (&cad), ==, 60000);
    }
}

typedef struct {
  const char *id;
  const char *script;
  DpScriptError code;
  guint position;
} ErrorVector;

static const ErrorVector ring_errors[] = {
  { "waveform-5", "n=a;w=5;c=1", DP_SCRIPT_ERROR_RANGE, 7 },
  { "waveform-0", "n=a;w=0", DP_SCRIPT_ERROR_RANGE, 7 },
  { "natural-length-builtin", "n=a;w=2;c=0", DP_SCRIPT_ERROR_RANGE, 11 },
  { "natural-length-bell", "n=a;c=0;w=1", DP_SCRIPT_ERROR_RANGE, 7 },
  { "cadence-10", "n=a;w=3;c=10", DP_SCRIPT_ERROR_RANGE, 11 },
  { "cadence-junk", "n=a;w=3;c=1x", DP_SCRIPT_ERROR_SYNTAX, 12 },
  { "cadence-decimal", "n=a;w=3;c=1.5", DP_SCRIPT_ERROR_RANGE, 12 },
  { "missing-name", "w=3;c=1", DP_SCRIPT_ERROR_SYNTAX, 8 },
  { "missing-waveform", "n=a;c=1", DP_SCRIPT_ERROR_SYNTAX, 8 },
  { "empty-name", "n=;w=3", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "unknown-field", "n=a;w=3;x=1", DP_SCRIPT_ERROR_SYNTAX, 9 },
  { "long-field-name", "n=a;wave=3", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "duplicate", "n=a;w=3;n=b", DP_SCRIPT_ERROR_SYNTAX, 9 },
  { "no-equals", "n=a;w3", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "no-equals-space", "n=a;w 3", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "break-4-decimals", "n=a;w=3;b=.1234", DP_SCRIPT_ERROR_RANGE, 15 },
  { "total-negative", "n=a;w=3;t=-5", DP_SCRIPT_ERROR_SYNTAX, 11 },
  { "total-junk", "n=a;w=3;t=30s", DP_SCRIPT_ERROR_SYNTAX, 13 },
  { "url-scheme", "n=a;w=ftp://h/x", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "url-no-path", "n=a;w=host", DP_SCRIPT_ERROR_SYNTAX, 11 },
  { "url-empty-path", "n=a;w=host/", DP_SCRIPT_ERROR_SYNTAX, 11 },
  { "url-port-0", "n=a;w=h:0/x", DP_SCRIPT_ERROR_RANGE, 9 },
  { "url-port-big", "n=a;w=h:99999/x", DP_SCRIPT_ERROR_RANGE, 9 },
  { "url-no-host", "n=a;w=tftp:///x", DP_SCRIPT_ERROR_SYNTAX, 14 },
  { "url-space", "n=a;w=h/a b", DP_SCRIPT_ERROR_SYNTAX, 10 },
  { "name-control", "n=a\001b;w=3", DP_SCRIPT_ERROR_SYNTAX, 4 },
  { "bad-utf8", "n=\xff;w=3", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "empty", "", DP_SCRIPT_ERROR_SYNTAX, 1 },
};

static void
test_ring_error (gconstpointer data)
{
  const ErrorVector *v = data;
  g_autoptr(GError) error = NULL;
  DpRingScript ring;

  g_assert_false (dp_ring_script_parse (v->script, &ring, &error));
  assert_error_at (error, v->code, v->position);
  g_clear_error (&error);
  g_assert_false (dp_ring_script_check (v->script, &error) && v->script[0] != '\0');
}

static void
test_ring_length (void)
{
  g_autoptr(GString) s = g_string_new ("n=");
  g_autoptr(GError) error = NULL;
  DpRingScript ring;

  while (s->len < DP_SCRIPT_MAX_LENGTH - 4)
    g_string_append_c (s, 'x');
  g_string_append (s, ";w=3");
  g_assert_cmpuint (s->len, ==, 127);
  parse_ring (s->str, &ring);
  g_assert_cmpuint (strlen (ring.name), ==, 121);
  g_string_prepend_c (s, ' ');
  g_assert_false (dp_ring_script_parse (s->str, &ring, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_LIMIT, 128);
}

/* ---- LED script -------------------------------------------------------- */

static void
parse_led (const char  *text,
           DpLedScript *led)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_led_script_parse (text, led, &error));
  g_assert_no_error (error);
}

static void
assert_timing (const DpLedScript *led,
               const guint       *expected,
               guint              n_expected)
{
  guint timing[DP_LED_MAX_TIMING];
  guint n = dp_led_script_get_timing (led, timing);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (timing[i], ==, expected[i]);
}

static void
test_led_l1_slow (void)
{
  DpLedScript led;
  static const guint slow[] = { 500, 500 };

  parse_led ("c=r;p=sb", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_RED);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_SLOW_BLINK);
  assert_timing (&led, slow, G_N_ELEMENTS (slow));
}

static void
test_led_l2_l3_steady (void)
{
  DpLedScript led;

  parse_led ("c=o", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_OFF);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_STEADY);
  assert_timing (&led, NULL, 0);

  parse_led ("c=g", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_GREEN);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_STEADY);
  assert_timing (&led, NULL, 0);

  parse_led ("c=a", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_AMBER);
}

static void
test_led_l4_user (void)
{
  DpLedScript led;
  static const guint user[] = { 100, 100, 100, 100, 100, 900 };
  static const guint four_pairs[] = { 10, 20, 1500, 0, 0, 600000, 1230, 4560 };

  parse_led ("c=a;p=ud;u=.1/.1/.1/.1/.1/.9", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_AMBER);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_USER);
  assert_timing (&led, user, G_N_ELEMENTS (user));

  parse_led ("p=u;c=r;u=.01/.02/1.5/0/0/600/1.23/4.56", &led);
  assert_timing (&led, four_pairs, G_N_ELEMENTS (four_pairs));
}

static void
test_led_l5_l6_aliases (void)
{
  DpLedScript led;
  static const guint fast[] = { 100, 100 };
  static const guint dbl[] = { 100, 100, 100, 700 };

  parse_led ("c=r;p=f", &led);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_FAST_BLINK);
  assert_timing (&led, fast, G_N_ELEMENTS (fast));
  parse_led ("c=r;p=fb", &led);
  assert_timing (&led, fast, G_N_ELEMENTS (fast));

  parse_led ("c=r;p=d", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_RED);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_DOUBLE_BLINK);
  assert_timing (&led, dbl, G_N_ELEMENTS (dbl));
  parse_led ("c=r;p=db", &led);
  assert_timing (&led, dbl, G_N_ELEMENTS (dbl));

  parse_led ("c=r;p=s", &led);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_SLOW_BLINK);
  parse_led ("c=g;p=n", &led);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_STEADY);
}

static void
test_led_l7_whitespace (void)
{
  DpLedScript led;

  parse_led (" c = g ; p = nb ", &led);
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_GREEN);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_STEADY);
  assert_timing (&led, NULL, 0);

  parse_led ("\tc=a ;p=ud; u = .1 / .9 ;", &led);
  g_assert_cmpuint (led.n_timing, ==, 2);
  g_assert_cmpuint (led.timing_ms[1], ==, 900);
}

/* L8 CONFLICT: slow blink is 500/500 (AG p31), not 1 s/1 s (Appendix A). */
static void
test_led_l8_slow_timing (void)
{
  DpLedScript led;
  guint timing[DP_LED_MAX_TIMING];

  parse_led ("p=sb", &led);
  g_assert_cmpint (led.pattern, ==, DP_LED_PATTERN_SLOW_BLINK);
  /* An omitted colour takes the grammar's first alternative, off. */
  g_assert_cmpint (led.color, ==, DP_LED_COLOR_OFF);
  g_assert_cmpuint (dp_led_pattern_get_timing (DP_LED_PATTERN_SLOW_BLINK, timing), ==, 2);
  g_assert_cmpuint (timing[0], ==, 500);
  g_assert_cmpuint (timing[1], ==, 500);
  g_assert_cmpuint (dp_led_pattern_get_timing (DP_LED_PATTERN_STEADY, timing), ==, 0);
  g_assert_cmpuint (dp_led_pattern_get_timing (DP_LED_PATTERN_USER, timing), ==, 0);
}

static void
test_led_state_defaults (void)
{
  /* §8.3 defaults of the line-key LED parameters. */
  static const struct { const char *script; DpLedColor color; DpLedPattern pattern; } rows[] = {
    { "c=g", DP_LED_COLOR_GREEN, DP_LED_PATTERN_STEADY },
    { "c=r;p=d", DP_LED_COLOR_RED, DP_LED_PATTERN_DOUBLE_BLINK },
    { "c=r", DP_LED_COLOR_RED, DP_LED_PATTERN_STEADY },
    { "c=r;p=f", DP_LED_COLOR_RED, DP_LED_PATTERN_FAST_BLINK },
    { "c=r;p=s", DP_LED_COLOR_RED, DP_LED_PATTERN_SLOW_BLINK },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DpLedScript led;

      parse_led (rows[i].script, &led);
      g_assert_cmpint (led.color, ==, rows[i].color);
      g_assert_cmpint (led.pattern, ==, rows[i].pattern);
      g_assert_true (dp_led_script_check (rows[i].script, &error));
    }
  /* A blank LED parameter means "the state's default". */
  g_assert_true (dp_led_script_check ("", &error));
  g_assert_no_error (error);
}

static void
test_led_names (void)
{
  g_assert_cmpstr (dp_led_color_to_string (DP_LED_COLOR_AMBER), ==, "amber");
  g_assert_cmpstr (dp_led_color_to_string (DP_LED_COLOR_OFF), ==, "off");
  g_assert_cmpstr (dp_led_pattern_to_string (DP_LED_PATTERN_DOUBLE_BLINK), ==, "double-blink");
  g_assert_cmpstr (dp_led_pattern_to_code (DP_LED_PATTERN_USER), ==, "ud");
  g_assert_cmpstr (dp_led_pattern_to_code (DP_LED_PATTERN_STEADY), ==, "nb");
}

static const ErrorVector led_errors[] = {
  { "color-x", "c=x", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "color-word", "c=red", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "color-missing", "c=;p=sb", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "pattern-x", "c=r;p=xb", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "pattern-wrong-second", "c=r;p=sd", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "pattern-long", "c=r;p=sbb", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "unknown-field", "c=r;z=1", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "duplicate", "c=r;c=g", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "double-semicolon", "c=r;;p=sb", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "no-equals", "c r", DP_SCRIPT_ERROR_SYNTAX, 3 },
  { "garbage-after", "c=r p=sb", DP_SCRIPT_ERROR_SYNTAX, 5 },
  { "u-without-ud", "c=r;p=sb;u=.1/.1", DP_SCRIPT_ERROR_SYNTAX, 12 },
  { "u-without-p", "c=r;u=.1/.1", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "ud-without-u", "c=r;p=ud", DP_SCRIPT_ERROR_SYNTAX, 7 },
  { "u-odd", "c=a;p=ud;u=.1/.1/.1", DP_SCRIPT_ERROR_SYNTAX, 20 },
  { "u-five-pairs", "c=a;p=ud;u=1/1/1/1/1/1/1/1/1/1", DP_SCRIPT_ERROR_LIMIT, 28 },
  { "u-3-decimals", "c=a;p=ud;u=.125/.1", DP_SCRIPT_ERROR_RANGE, 15 },
  { "u-all-zero", "c=a;p=ud;u=0/0/0/0", DP_SCRIPT_ERROR_RANGE, 12 },
  { "u-too-long", "c=a;p=ud;u=600.01/1", DP_SCRIPT_ERROR_RANGE, 12 },
  { "u-not-number", "c=a;p=ud;u=x/1", DP_SCRIPT_ERROR_SYNTAX, 12 },
  { "u-dangling-slash", "c=a;p=ud;u=1/", DP_SCRIPT_ERROR_SYNTAX, 14 },
  { "uppercase", "C=R", DP_SCRIPT_ERROR_SYNTAX, 1 },
  { "empty", "", DP_SCRIPT_ERROR_SYNTAX, 1 },
  { "spaces", "   ", DP_SCRIPT_ERROR_SYNTAX, 4 },
};

static void
test_led_error (gconstpointer data)
{
  const ErrorVector *v = data;
  g_autoptr(GError) error = NULL;
  DpLedScript led;

  g_assert_false (dp_led_script_parse (v->script, &led, &error));
  assert_error_at (error, v->code, v->position);
}

static void
test_led_length (void)
{
  g_autoptr(GString) s = g_string_new ("c=r;p=sb");
  g_autoptr(GError) error = NULL;
  DpLedScript led;

  while (s->len < DP_SCRIPT_MAX_LENGTH)
    g_string_prepend_c (s, ' ');
  parse_led (s->str, &led);
  g_string_prepend_c (s, ' ');
  g_assert_false (dp_led_script_parse (s->str, &led, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_LIMIT, 128);
}

/* ---- JSON -------------------------------------------------------------- */

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ring = dp_script_to_json ("n=Mine;w=tftp://10.0.0.5/ring.raw;c=0;b=2.5;t=30",
                                                 DP_SCRIPT_KIND_UNKNOWN, &error);
  g_autoptr(JsonNode) led = NULL;
  JsonObject *o, *url;
  JsonArray *timing;

  g_assert_no_error (error);
  o = json_node_get_object (ring);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "ring");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Mine");
  g_assert_true (json_object_get_null_member (o, "waveform"));
  url = json_object_get_object_member (o, "url");
  g_assert_cmpstr (json_object_get_string_member (url, "host"), ==, "10.0.0.5");
  g_assert_cmpint (json_object_get_int_member (o, "break_ms"), ==, 2500);
  g_assert_cmpint (json_object_get_int_member (o, "total_ms"), ==, 30000);
  g_assert_true (json_object_get_boolean_member (o, "natural_length"));

  led = dp_script_to_json ("c=a;p=ud;u=.1/.1/.1/.1/.1/.9", DP_SCRIPT_KIND_UNKNOWN, &error);
  g_assert_no_error (error);
  o = json_node_get_object (led);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "led");
  g_assert_cmpstr (json_object_get_string_member (o, "color"), ==, "amber");
  g_assert_cmpstr (json_object_get_string_member (o, "pattern"), ==, "user-defined");
  timing = json_object_get_array_member (o, "timing_ms");
  g_assert_cmpuint (json_array_get_length (timing), ==, 6);
  g_assert_cmpint (json_array_get_int_element (timing, 5), ==, 900);

  g_assert_null (dp_script_to_json ("c=r;p=q", DP_SCRIPT_KIND_UNKNOWN, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 7);
  g_clear_error (&error);
  g_assert_null (dp_script_to_json ("c=r", DP_SCRIPT_KIND_RING, &error));
  assert_error_at (error, DP_SCRIPT_ERROR_SYNTAX, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ring/R1", test_ring_r1);
  g_test_add_func ("/ring/R2-R3", test_ring_r2_r3);
  g_test_add_func ("/ring/R4", test_ring_r4);
  g_test_add_func ("/ring/urls", test_ring_urls);
  g_test_add_func ("/ring/details", test_ring_details);
  g_test_add_func ("/ring/factory-defaults", test_ring_defaults);
  g_test_add_func ("/ring/length", test_ring_length);
  for (guint i = 0; i < G_N_ELEMENTS (ring_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ring/reject/%s", ring_errors[i].id);
      g_test_add_data_func (path, &ring_errors[i], test_ring_error);
    }
  g_test_add_func ("/led/L1", test_led_l1_slow);
  g_test_add_func ("/led/L2-L3", test_led_l2_l3_steady);
  g_test_add_func ("/led/L4", test_led_l4_user);
  g_test_add_func ("/led/L5-L6", test_led_l5_l6_aliases);
  g_test_add_func ("/led/L7", test_led_l7_whitespace);
  g_test_add_func ("/led/L8", test_led_l8_slow_timing);
  g_test_add_func ("/led/state-defaults", test_led_state_defaults);
  g_test_add_func ("/led/names", test_led_names);
  g_test_add_func ("/led/length", test_led_length);
  for (guint i = 0; i < G_N_ELEMENTS (led_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/led/reject/%s", led_errors[i].id);
      g_test_add_data_func (path, &led_errors[i], test_led_error);
    }
  g_test_add_func ("/script/json", test_json);

  return g_test_run ();
}
