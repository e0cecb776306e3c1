/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Dial plan engine: conformance-vectors.md §1 (D*, F*, I*) and §6 (K4), the
 * documented example plans of spa9x2-reference §3.4, the CONFLICT/UNCONFIRMED
 * choices documented in dp-dialplan.h / dp-dialer.c, and parser faults. */
#include <string.h>

#include "dp-dialplan.h"
#include "dp-dialplan-private.h"

#define PLAN_A "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)"
#define PLAN_B "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxx|xxxxxxxxxxxx.)"
#define PLAN_SPA9000 "(9,[3469]11S0|9,<:1408>[2-9]XXXXXX|9,<:1>[2-9]xxxxxxxxxS0|9,1[2-9]xxxxxxxxxS0|9,011xx.|9,xx.|[1-8]xxx)"

typedef enum {
  OPT_NONE = 0,
  OPT_CODES = 1 << 0,        /* the factory star and codec codes */
  OPT_IP = 1 << 1,
  OPT_REJECT_INCOMPLETE = 1 << 2,
} Options;

static void
describe (GString *out, const DpDialEvent *event)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  switch (event->type)
    {
    case DP_DIAL_EVENT_TONE:
      g_string_append_printf (out, "tone:%s", dp_dial_tone_to_string (event->tone));
      break;
    case DP_DIAL_EVENT_TIMER:
      g_string_append_printf (out, "timer:%s:%u", dp_dial_timer_kind_to_string (event->timer_kind), event->seconds);
      break;
    case DP_DIAL_EVENT_SEND:
      g_string_append_printf (out, "send:%s", event->number);
      if (event->uri != NULL)
        g_string_append_printf (out, "@uri=%s", event->uri);
      if (event->code != NULL)
        g_string_append_printf (out, "@code=%s", event->code);
      if (event->route != NULL)
        g_string_append_printf (out, "@route=%s", event->route);
      break;
    case DP_DIAL_EVENT_REJECT:
      g_string_append_printf (out, "reject:%s", dp_dial_reject_reason_to_string (event->reason));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Drives a dialer in virtual time. Keys: SPA keys, `T` (the armed timer
 * fires), ` ` (ignored). Returns every event, one timer event per arming. */
static char *
run_full (DpDialer *dialer, const char *keys)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) events = dp_dialer_start (dialer);

  for (guint i = 0; i < events->len; i++)
    describe (out, g_ptr_array_index (events, i));
  for (const char *k = keys; *k != '\0'; k++)
    {
      g_autoptr(GPtrArray) step = NULL;

      if (*k == ' ')
        continue;
      step = *k == 'T' ? dp_dialer_timer_expired (dialer) : dp_dialer_press_key (dialer, *k);
      for (guint i = 0; i < step->len; i++)
        describe (out, g_ptr_array_index (step, i));
    }
  return g_string_free (out, FALSE);
}

static DpDialer *
make_dialer (const char *plan_text, Options options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialPlan) plan = dp_dial_plan_parse (plan_text, &error);
  DpDialer *dialer;

  g_assert_no_error (error);
  dialer = dp_dialer_new (plan);
  if (options & OPT_CODES)
    dp_dialer_add_default_codes (dialer);
  dp_dialer_set_ip_dialing (dialer, (options & OPT_IP) != 0);
  if (options & OPT_REJECT_INCOMPLETE)
    dp_dialer_set_incomplete_policy (dialer, DP_DIAL_INCOMPLETE_REJECT);
  return dialer;
}

static char *
run (const char *plan_text, Options options, const char *keys)
{
  g_autoptr(DpDialer) dialer = make_dialer (plan_text, options);
  return run_full (dialer, keys);
}

/* The final outcome only (last event). */
static char *
outcome (const char *plan_text, Options options, const char *keys)
{
  g_autofree char *all = run (plan_text, options, keys);
  const char *last = strrchr (all, ' ');

  return g_strdup (last != NULL ? last + 1 : all);
}

#define assert_outcome(plan, options, keys, expected) \
  G_STMT_START { \
    g_autofree char *got_ = outcome (plan, options, keys); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

#define assert_run(plan, options, keys, expected) \
  G_STMT_START { \
    g_autofree char *got_ = run (plan, options, keys); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

/* --- §1.1 element semantics ------------------------------------------------ */

static void
test_substitution (void)
{
  assert_outcome ("(<8:1650>xxxxxxx)", OPT_CODES, "85551212", "send:16505551212");   /* D1 */
  assert_outcome ("(<8:1650>xxxxxxx)", OPT_CODES, "85550112", "send:16505550112");   /* D2 */
  assert_outcome ("(<:1>xxxxxxxxxx)", OPT_CODES, "9725550112", "send:19725550112");  /* D3 */
  /* Empty sent side; a dialed side with a pattern. */
  assert_outcome ("(<9:>xxxx)", OPT_NONE, "91234", "send:1234");
  assert_outcome ("(<9x:5>xx)", OPT_NONE, "9712", "send:512");
  assert_outcome ("(<:>xx)", OPT_NONE, "12", "send:12");
}

static void
test_repeat (void)
{
  /* D4, D5: `.` is zero or more; complete and still growable -> short timer. */
  assert_run ("(01.)", OPT_NONE, "0", "timer:short:3");
  assert_outcome ("(01.)", OPT_NONE, "0T", "send:0");
  assert_outcome ("(01.)", OPT_NONE, "0111T", "send:0111");
  assert_outcome ("(01.)", OPT_NONE, "0111#", "send:0111");
  /* D6: reject at the 2. */
  assert_run ("(01.)", OPT_NONE, "02", "timer:short:3 reject:no-match");
  /* Repetition of a set, then more elements. */
  assert_outcome ("([12].3)", OPT_NONE, "3", "send:3");
  assert_outcome ("([12].3)", OPT_NONE, "12213", "send:12213");
  assert_outcome ("([12].3)", OPT_NONE, "124", "reject:no-match");
}

static void
test_barred (void)
{
  assert_outcome ("(1900xxxxxxx!)", OPT_CODES, "19005551234", "reject:barred");   /* D7 */
  /* §3.4: blocks area 947 whichever order the sequences come in. */
  assert_outcome ("( 1 947 xxxxxxx ! | 1 xxx xxxxxxx )", OPT_CODES, "19475551234", "reject:barred");
  assert_outcome ("( 1 xxx xxxxxxx | 1 947 xxxxxxx ! )", OPT_CODES, "19475551234", "reject:barred");
  assert_outcome ("( 1 947 xxxxxxx ! | 1 xxx xxxxxxx )", OPT_CODES, "14085551234", "send:14085551234");
  /* An incomplete barred prefix is not barred: sent as dialed at timeout. */
  assert_outcome ("(1900xxxxxxx!)", OPT_NONE, "1900T", "send:1900");
}

static void
test_outside_tone (void)
{
  /* D8: the tone plays after the 9 (until the next key). */
  assert_run ("(9, 1xxxxxxxxxx)", OPT_CODES, "9", "tone:outside timer:long:10");
  /* D9: the comma changes no digit. */
  assert_outcome ("(9, 1xxxxxxxxxx)", OPT_CODES, "914085551212", "send:914085551212");
  /* `<9,:>` eats the 9 and plays the tone. */
  {
    g_autofree char *all = run ("(<9,:>1xxxxxxxxxx|[2-9]xxxxxx)", OPT_CODES, "914085551212");
    g_assert_true (g_str_has_prefix (all, "tone:outside "));
    g_assert_true (g_str_has_suffix (all, " send:14085551212"));
    g_assert_null (strstr (all + 1, "tone:outside tone"));
  }
  /* §3.4: 9 for long distance, 8 for local with 1212 prefixed. */
  assert_outcome ("( <9,:> 1 xxx xxxxxxx | <8,:1212> xxxxxxx )", OPT_CODES, "85551234", "send:12125551234");
  assert_outcome ("( <9,:> 1 xxx xxxxxxx | <8,:1212> xxxxxxx )", OPT_CODES, "914085551234", "send:14085551234");
}

static void
test_sets (void)
{
  assert_outcome ("([235-8*]x)", OPT_CODES, "*5#", "send:*5");        /* D10 */
  assert_outcome ("([235-8*]x)", OPT_NONE, "*5", "send:*5");          /* complete, nothing open */
  assert_run ("([235-8*]x)", OPT_CODES, "45", "reject:no-match");     /* D11: at the 4 */
  /* D12: x is digits only. The factory codes *16..*19 keep `*1` open, so
   * the vector holds for the plan alone. */
  assert_run ("(xx)", OPT_NONE, "*1", "reject:no-match");
  assert_outcome ("(xx)", OPT_CODES, "*1T", "send:*1");
  /* Upper-case X, whitespace. */
  assert_outcome ("(XXX)", OPT_NONE, "123", "send:123");
  assert_outcome ("( 1 xxx xxxxxxx )", OPT_CODES, "14085551212", "send:14085551212");  /* D13 */
  assert_outcome ("(\t1\nxxx \r\n xxxxxxx)", OPT_NONE, "14085551212", "send:14085551212");
  assert_outcome ("([ 1 - 3 #])", OPT_NONE, "2", "send:2");
}

/* --- §1.4 default plans ---------------------------------------------------- */

static void
test_default_plans (void)
{
  /* F1: 911 complete, [2-9]xxxxxx and xxxxxxxxxxxx. still open. */
  assert_run (PLAN_A, OPT_CODES, "911", "timer:long:10 timer:long:10 timer:short:3");
  assert_outcome (PLAN_A, OPT_CODES, "911T", "send:911");
  assert_run (PLAN_A, OPT_CODES, "911#", "timer:long:10 timer:long:10 timer:short:3 send:911");
  /* F2, F3. */
  assert_run (PLAN_A, OPT_CODES, "0T", "timer:short:3 send:0");
  assert_run (PLAN_A, OPT_CODES, "00T", "timer:short:3 timer:short:3 send:00");
  /* F4. */
  assert_run (PLAN_A, OPT_CODES, "5551212T",
              "timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 "
              "timer:short:3 send:5551212");
  /* F5: S0 sends at the 11th digit although xxxxxxxxxxxx. is open. */
  {
    g_autofree char *all = run (PLAN_A, OPT_CODES, "14085551212");
    g_assert_true (g_str_has_suffix (all, "timer:long:10 send:14085551212"));
  }
  /* F6: the same number under plan B waits for the short timer. */
  {
    g_autofree char *all = run (PLAN_B, OPT_CODES, "14085551212");
    g_assert_true (g_str_has_suffix (all, "timer:long:10 timer:short:3"));
  }
  assert_outcome (PLAN_B, OPT_CODES, "14085551212T", "send:14085551212");
  /* F7: 1xxx[2-9] fails at the 5th digit. `xxxxxxxxxxxx.` is twelve x, the
   * last repeated zero or more times (D4), so it is complete at 11 digits:
   * the vector's "needs >= 12" miscounts; the number is sent as keyed either
   * way. The digit before the 11th still runs the long timer. */
  {
    g_autofree char *all = run (PLAN_A, OPT_CODES, "1408155121");
    g_assert_true (g_str_has_suffix (all, "timer:long:10"));
  }
  assert_run (PLAN_A, OPT_CODES, "1408155121T",
              "timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 "
              "timer:long:10 timer:long:10 timer:long:10 timer:long:10 send:1408155121");
  assert_outcome (PLAN_A, OPT_CODES, "14081551212T", "send:14081551212");
  /* F8: every further digit restarts the short timer; all 15 digits sent. */
  {
    g_autofree char *all = run (PLAN_A, OPT_CODES, "011441234567890T");
    g_assert_true (g_str_has_suffix (all, "timer:short:3 timer:short:3 timer:short:3 timer:short:3 send:011441234567890"));
  }
  /* F9: *69 is also the local Call Return code, which wins over *xx. */
  assert_outcome (PLAN_A, OPT_CODES, "*69", "send:*69@code=Call_Return_Code");
  assert_outcome (PLAN_A, OPT_NONE, "*69", "send:*69");
  /* F10: incomplete at the long timeout: sent as dialed (AG). */
  assert_run (PLAN_A, OPT_CODES, "*7T", "timer:long:10 timer:long:10 send:*7");
}

static void
test_incomplete_conflict (void)
{
  /* CONFLICT: AG sends an incomplete number as dialed (the default) ... */
  assert_outcome ("(1xxxxxxxxxx)", OPT_NONE, "1408T", "send:1408");
  assert_outcome ("(1xxxxxxxxxx)", OPT_NONE, "1408#", "send:1408");
  /* ... as dialed, not half-transformed ... */
  assert_outcome ("(<9:>1xxxxxxxxxx)", OPT_NONE, "91408T", "send:91408");
  /* ... the SPA9000 guide rejects it. */
  assert_outcome ("(1xxxxxxxxxx)", OPT_REJECT_INCOMPLETE, "1408T", "reject:no-match");
  assert_outcome (PLAN_A, OPT_CODES | OPT_REJECT_INCOMPLETE, "*7T", "reject:no-match");
  /* A complete number is sent transformed under both policies. */
  assert_outcome ("(<:1>xxx|xxxxx)", OPT_REJECT_INCOMPLETE, "555T", "send:1555");
  /* `#` with nothing dialed. */
  assert_outcome ("(xxx)", OPT_NONE, "#", "reject:no-match");
}

static void
test_several_complete (void)
{
  /* UNCONFIRMED: the earliest complete sequence wins. */
  assert_outcome ("(<9:>xxx|9xxx)", OPT_NONE, "9123", "send:123");
  assert_outcome ("(9xxx|<9:>xxx)", OPT_NONE, "9123", "send:9123");
  /* A local code wins over a plan sequence that is also complete. */
  assert_outcome ("(*6x)", OPT_CODES, "*67", "send:*67@code=Block_CID_Act_Code");
}

static void
test_hash_key (void)
{
  /* `#` is the send key unless a candidate can take it. */
  assert_outcome ("(12#34)", OPT_NONE, "12#34", "send:12#34");
  assert_outcome ("(1234)", OPT_NONE, "12#", "send:12");
  assert_outcome ("(1234|12#5)", OPT_NONE, "12#", "timer:long:10");
  /* After the end, keys change nothing. */
  assert_run ("(12)", OPT_NONE, "1234", "timer:long:10 send:12");
}

/* --- timers, hot and warm lines -------------------------------------------- */

static void
test_timers (void)
{
  g_autoptr(DpDialer) dialer = NULL;

  /* Plan-wide timers replace the Regional ones. */
  assert_run ("L:8,S:4,(0|00|000x.)", OPT_NONE, "0", "timer:short:4");
  assert_run ("L:8, S:4, (0|00|000x.)", OPT_NONE, "00", "timer:short:4 timer:short:4");
  assert_run ("L:8,S:4,(0|000x.)", OPT_NONE, "00", "timer:short:4 timer:long:8");
  assert_run ("S:4, ( 00 | 011 xxxxx x. )", OPT_NONE, "01112345", 
              "timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:long:10 timer:short:4");
  /* UNCONFIRMED `L:,` without a number means 5 s. */
  assert_run ("L:,(xx)", OPT_NONE, "1", "timer:long:5");
  /* Local overrides from their position on. */
  assert_run ("(9 L2 xxx)", OPT_NONE, "9", "timer:long:2");
  assert_run ("(9 L2 xxx)", OPT_NONE, "91", "timer:long:2 timer:long:2");
  assert_run ("(9xxS5 x.)", OPT_NONE, "912T", "timer:long:10 timer:long:10 timer:short:5 send:912");
  /* Long: the largest among open candidates; short: the smallest among complete ones. */
  assert_run ("(1 L2 xx | 1 L20 xxx)", OPT_NONE, "1", "timer:long:20");
  assert_run ("(1xS7|1xS4|1xxx)", OPT_NONE, "12", "timer:long:10 timer:short:4");
  /* The Regional timers are a setting. */
  dialer = make_dialer ("(0|00)", OPT_NONE);
  dp_dialer_set_timers (dialer, 20, 6);
  {
    g_autofree char *all = run_full (dialer, "0T");
    g_assert_cmpstr (all, ==, "timer:short:6 send:0");
  }
  /* A plan-wide value still wins over the Regional one. */
  g_clear_object (&dialer);
  dialer = make_dialer ("S:1,(0|00)", OPT_NONE);
  dp_dialer_set_timers (dialer, 20, 6);
  {
    g_autofree char *all = run_full (dialer, "0");
    g_assert_cmpstr (all, ==, "timer:short:1");
  }
  /* A timer event is only reported once; a second expiry does nothing. */
  g_clear_object (&dialer);
  dialer = make_dialer ("(0|00)", OPT_NONE);
  {
    g_autofree char *all = run_full (dialer, "0TT");
    g_assert_cmpstr (all, ==, "timer:short:3 send:0");
    g_assert_true (dp_dialer_is_finished (dialer));
    g_assert_cmpstr (dp_dialer_get_dialed (dialer), ==, "0");
  }
}

static void
test_hot_warm_lines (void)
{
  /* §3.4 hot line: sent at off-hook. */
  assert_run ("( S0 <:12125551234> )", OPT_CODES, "", "send:12125551234");
  assert_run ("( S0 <:18005551212> )", OPT_NONE, "", "send:18005551212");
  /* P0 is a hot line too. */
  assert_run ("( P0 <:1000> | xxxx )", OPT_CODES, "", "send:1000");
  /* Without S0 the open star codes make it wait for the short timer. */
  assert_run ("( <:1000> )", OPT_CODES, "T", "timer:short:3 send:1000");
  /* Warm line: 1000 after 5 s ... */
  assert_run ("( P5 <:1000> | xxxx )", OPT_CODES, "", "timer:pause:5");
  assert_run ("( P5 <:1000> | xxxx )", OPT_CODES, "T", "timer:pause:5 send:1000");
  /* ... unless a 4-digit extension is dialled first. */
  assert_outcome ("( P5 <:1000> | xxxx )", OPT_CODES, "1234", "send:1234");
  assert_outcome ("( P5 <:1000> | xxxx )", OPT_CODES, "12T", "send:12");
  /* A pause inside a sequence: 9, wait 2 s, then 1000 goes out. */
  assert_run ("( 9 P2 <:1000> | 9xxx )", OPT_NONE, "9", "timer:pause:2");
  assert_run ("( 9 P2 <:1000> | 9xxx )", OPT_NONE, "9T", "timer:pause:2 send:91000");
  assert_outcome ("( 9 P2 <:1000> | 9xxx )", OPT_NONE, "9123", "send:9123");
  /* After a pause fires the long timer runs on for what is left of it. */
  assert_run ("( 9 P2 xx | 9xxx )", OPT_NONE, "9TT", "timer:pause:2 timer:long:8 send:9");
}

/* --- §1.5 IP dialing -------------------------------------------------------- */

static void
test_ip_dialing (void)
{
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "192*168*1*10T", "send:@uri=sip:192.168.1.10:5060");              /* I1 */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "1000*192*168*1*10T", "send:1000@uri=sip:1000@192.168.1.10:5060"); /* I2 */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "192*168*1*10*5062T", "send:@uri=sip:192.168.1.10:5062");         /* I3 */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "1000*192*168*1*10*5062T", "send:1000@uri=sip:1000@192.168.1.10:5062"); /* I4 */
  /* Nothing can follow port 7000 (70000 > 65535): sent at once. */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "1000*192*168*1*10*7000", "send:1000@uri=sip:1000@192.168.1.10:7000");
  /* I5: an octet above 255 is no IP dial; the normal plan has no match. */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "192*168*1*300", "reject:no-match");
  assert_outcome ("(xxxx)", OPT_IP, "192*168*1*30", "timer:short:3");
  /* I6: the dialer gives the URI; the SIP layer routes it (outbound proxy). */
  assert_outcome (PLAN_A, OPT_CODES | OPT_IP, "1000*10*0*0*1T", "send:1000@uri=sip:1000@10.0.0.1:5060");
  /* A user-id that completes the plan is transformed like a number. */
  assert_outcome ("(<:1408>xxxx)", OPT_IP, "1000*10*0*0*1T", "send:14081000@uri=sip:14081000@10.0.0.1:5060");
  assert_outcome ("(1xxx!|xxxx)", OPT_IP, "1000*10*0*0*1T", "reject:barred");
  /* Disabled: the same keys are just keys. */
  assert_outcome (PLAN_A, OPT_CODES, "192*168*1*10", "reject:no-match");
  /* A port must be > 255. */
  assert_outcome ("(xxxx)", OPT_IP, "1*2*3*4*255", "timer:short:3");
  assert_outcome ("(xxxx)", OPT_IP, "1*2*3*4*255T", "send:1@uri=sip:1@2.3.4.255:5060");
  assert_outcome ("(xxxx)", OPT_IP, "1*2*3*4*5*65536", "reject:no-match");
}

static void
test_ip_examine (void)
{
  struct { const char *keys; gboolean alive, complete, growable; } rows[] = {
    { "", TRUE, FALSE, TRUE },
    { "192", TRUE, FALSE, TRUE },
    { "192*", TRUE, FALSE, TRUE },
    { "192**", FALSE, FALSE, FALSE },
    { "*", FALSE, FALSE, FALSE },
    { "1*2*3*4", TRUE, TRUE, TRUE },
    { "1*2*3*4*5*6", TRUE, FALSE, TRUE },
    { "1*2*3*4*5*600", TRUE, TRUE, TRUE },
    { "1*2*3*4*5*65535", TRUE, TRUE, FALSE },
    { "1*2*3*4*5*6*7", FALSE, FALSE, FALSE },
    { "99999*1*1*1*1", TRUE, TRUE, TRUE },
    { "1*2*3*256*", FALSE, FALSE, FALSE },
    { "1*2*3*255*", TRUE, FALSE, TRUE },
    { "1*2*3*2567", FALSE, FALSE, FALSE },
    { "1#2", FALSE, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DpIpDialState state = dp_ip_dial_examine (rows[i].keys);

      g_test_message ("keys %s", rows[i].keys);
      g_assert_cmpint (state.alive, ==, rows[i].alive);
      g_assert_cmpint (state.complete, ==, rows[i].complete);
      g_assert_cmpint (state.growable, ==, rows[i].growable);
    }
}

/* --- service codes ---------------------------------------------------------- */

static void
test_codes (void)
{
  g_autoptr(DpDialer) dialer = NULL;
  g_autoptr(GError) error = NULL;

  /* The factory codes come from the star-code table (tested against the
   * SPA962 dump in test-starcode.c); here: how the dialer treats them. */
  /* Local codes act as soon as they are complete. */
  assert_outcome ("(xxxxxxx)", OPT_CODES, "*78", "send:*78@code=DND_Act_Code");
  assert_outcome (PLAN_A, OPT_CODES, "*73", "send:*73@code=Cfwd_All_Deact_Code");
  /* Codec codes prefix a number valid per the plan, which goes out alone. */
  assert_outcome (PLAN_A, OPT_CODES, "*0171115551212T", "send:5551212@code=Prefer_G711a_Code");
  assert_outcome ("(<:1408>[2-9]xxxxxx)", OPT_CODES, "*027295551212", "send:14085551212@code=Force_G729a_Code");
  assert_outcome ("(xxx)", OPT_CODES, "*0172912345", "send:123@code=Prefer_G729a_Code");
  assert_outcome ("(2xx)", OPT_CODES, "*017291", "reject:no-match");

  /* Invalid codes are refused with their position. */
  dialer = make_dialer ("(x)", OPT_NONE);
  g_assert_false (dp_dialer_add_code (dialer, "Bad_Code", "*6a", DP_DIAL_CODE_LOCAL, DP_DIAL_TONE_NONE, &error));
  g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE);
  g_assert_nonnull (strstr (error->message, "position 3"));
  g_clear_error (&error);
  g_assert_false (dp_dialer_add_code (dialer, "Blank_Code", "  ", DP_DIAL_CODE_LOCAL, DP_DIAL_TONE_NONE, &error));
  g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE);
  g_clear_error (&error);
  g_assert_true (dp_dialer_add_code (dialer, "My_Code", " *55 ", DP_DIAL_CODE_LOCAL, DP_DIAL_TONE_NONE, &error));
  {
    g_autofree char *all = run_full (dialer, "*55");
    g_assert_cmpstr (all, ==, "timer:long:10 timer:long:10 send:*55@code=My_Code");
  }
}

static void
test_feature_codes (void)
{
  g_autoptr(DpDialer) dialer = NULL;
  g_autoptr(GError) error = NULL;

  /* K4: *72 then a 7-digit number: INVITE to *725551212, Prompt Tone after the code. */
  dialer = make_dialer ("([2-9]xxxxxx)", OPT_NONE);
  g_assert_true (dp_dialer_add_feature_codes (dialer, "*72|*74|*67|*82", &error));
  g_assert_no_error (error);
  {
    g_autofree char *all = run_full (dialer, "*725551212");
    g_assert_true (g_str_has_suffix (all, "timer:long:10 tone:prompt timer:long:10 timer:long:10 timer:long:10 "
                                          "timer:long:10 timer:long:10 timer:long:10 timer:long:10 "
                                          "send:*725551212@code=Feature_Dial_Services_Codes"));
  }
  /* With the factory codes too: the feature code replaces the local *72,
   * whichever is added first. */
  g_clear_object (&dialer);
  dialer = make_dialer ("([2-9]xxxxxx)", OPT_CODES);
  g_assert_true (dp_dialer_add_feature_codes (dialer, "*72`c`|*67`p`", &error));
  {
    g_autofree char *all = run_full (dialer, "*725551212");
    g_assert_nonnull (strstr (all, "tone:cfwd"));
    g_assert_true (g_str_has_suffix (all, "send:*725551212@code=Feature_Dial_Services_Codes"));
  }
  g_clear_object (&dialer);
  dialer = make_dialer ("([2-9]xxxxxx)", OPT_NONE);
  g_assert_true (dp_dialer_add_feature_codes (dialer, "*67`5`", &error));
  dp_dialer_add_default_codes (dialer);
  {
    g_autofree char *all = run_full (dialer, "*675551212");
    g_assert_null (strstr (all, "tone:"));   /* `5`: no tone (K3) */
    g_assert_true (g_str_has_suffix (all, "send:*675551212@code=Feature_Dial_Services_Codes"));
  }
  /* Malformed tone selectors. */
  g_clear_object (&dialer);
  dialer = make_dialer ("(x)", OPT_NONE);
  g_assert_false (dp_dialer_add_feature_codes (dialer, "*72`cc`", &error));
  g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE);
  g_clear_error (&error);
  g_assert_false (dp_dialer_add_feature_codes (dialer, "*72|*7x", &error));
  g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE);
}

static void
test_routes_and_spa9000 (void)
{
  /* UNCONFIRMED gateway routing: reported apart from the number. */
  assert_outcome ("([39]11<:@gw0>)", OPT_NONE, "911", "send:911@route=gw0");
  assert_outcome ("(<9:@10.0.0.1:5060;uid=a;pwd=b>xxx)", OPT_NONE, "9123", "send:123@route=10.0.0.1:5060;uid=a;pwd=b");
  /* §3.4 SPA9000 phone plan. */
  assert_outcome (PLAN_SPA9000, OPT_CODES, "9911", "send:9911");
  assert_outcome (PLAN_SPA9000, OPT_CODES, "95551212T", "send:914085551212");
  assert_outcome (PLAN_SPA9000, OPT_CODES, "94085551212", "send:914085551212");
  assert_outcome (PLAN_SPA9000, OPT_CODES, "914085551212", "send:914085551212");
  assert_outcome (PLAN_SPA9000, OPT_CODES, "2345", "send:2345");
  assert_outcome (PLAN_SPA9000, OPT_CODES, "9011441234T", "send:9011441234");
  /* §3.4: operator, 411, 911, NANP without 0/1 leading area/exchange. */
  assert_outcome ("( 0 | [49]11 | 1 [2-9]xx [2-9]xxxxxx )", OPT_NONE, "411", "send:411");
  assert_outcome ("( 0 | [49]11 | 1 [2-9]xx [2-9]xxxxxx )", OPT_NONE, "11", "reject:no-match");
  assert_outcome ("( 1 [2-8]xx [2-9]xxxxxx )", OPT_NONE, "19", "reject:no-match");
  assert_outcome ("( 1 xxx xxxxxxx | <:1212> xxxxxxx )", OPT_NONE, "5551234", "send:12125551234");
}

/* --- parser ------------------------------------------------------------------ */

static void
test_parse_valid (void)
{
  const char *plans[] = {
    PLAN_A, PLAN_B, PLAN_SPA9000,
    "(*xx | [3469]11 | 0 | 00 | <:1408>[2-9]xxxxxx | 1[2-9]xx[2-9]xxxxxx | 011x. )",
    "L:8,( 1 xxx xxxxxxx )", "L:8,S:4,( 1 xxx xxxxxxx )", "S:4, ( 00 | 011 xxxxx x. )",
    "( P5 <:1000> | xxxx )", "( S0 <:12125551234> )", "([39]11<:@gw0>)", "(#99|**x)",
    "s:4,l:8,(p2 <:1> s0)", "  (x)  ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("plan %s", plans[i]);
      g_assert_true (dp_dial_plan_check (plans[i], &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(DpDialPlan) plan = dp_dial_plan_parse ("L:8,S:4,(x|xx|xxx)", NULL);

    g_assert_nonnull (plan);
    g_assert_cmpint (dp_dial_plan_get_long_timer (plan), ==, 8);
    g_assert_cmpint (dp_dial_plan_get_short_timer (plan), ==, 4);
    g_assert_cmpuint (dp_dial_plan_get_n_sequences (plan), ==, 3);
    g_assert_cmpstr (dp_dial_plan_get_text (plan), ==, "L:8,S:4,(x|xx|xxx)");
  }
  {
    g_autoptr(DpDialPlan) plan = dp_dial_plan_parse (PLAN_A, NULL);

    g_assert_cmpint (dp_dial_plan_get_long_timer (plan), ==, -1);
    g_assert_cmpint (dp_dial_plan_get_short_timer (plan), ==, -1);
  }
}

static void
test_parse_errors (void)
{
  struct { const char *plan; guint position; const char *words; } rows[] = {
    { "", 1, "expected '('" },
    { "xx", 1, "expected '('" },
    { "(xx", 4, "missing ')'" },
    { "(xx)y", 5, "after the closing" },
    { "()", 2, "empty sequence" },
    { "(x||x)", 4, "empty sequence" },
    { "([])", 2, "empty set" },
    { "([2-])", 4, "range" },
    { "([9-2])", 4, "backwards" },
    { "([2-9x)", 6, "set" },
    { "([12", 2, "never closed" },
    { "(.x)", 2, "'.' must follow" },
    { "(x..)", 4, "already repeats" },
    { "(<9:>.)", 6, "'.' must follow" },
    { "(9,.)", 4, "'.' must follow" },
    { "(<9:1650xxx)", 9, "sent side" },
    { "(<9>x)", 4, "expected ':'" },
    { "(<9:1", 2, "never closed" },
    { "(<<9:>)", 3, "dialed side" },
    { "(<:@>)", 5, "route" },
    { "(x!x)", 4, "'!' must be the last" },
    { "(S)", 3, "seconds" },
    { "(S65)", 3, "larger than 64" },
    { "(P1000 x)", 3, "larger than 999" },
    { "L:99,(x)", 3, "larger than 64" },
    { "L:8(x)", 4, "expected ','" },
    { "L8,(x)", 2, "expected ':'" },
    { "L:8,L:9,(x)", 5, "twice" },
    { "Q:8,(x)", 1, "expected '('" },
    { "(a)", 2, "unexpected character" },
    { "((x))", 2, "nested" },
    { "(x>)", 3, "'>' without" },
    { "(x:1)", 3, "outside a substitution" },
    { "(x\x01)", 3, "byte 0x01" },
    { "(x\xff)", 3, "byte 0xff" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("position %u ", rows[i].position);
      /* TAP output must stay valid UTF-8, whatever bytes the plan holds. */
      g_autofree char *shown = g_strescape (rows[i].plan, NULL);

      g_test_message ("plan %s", shown);
      g_assert_false (dp_dial_plan_check (rows[i].plan, &error));
      g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_SYNTAX);
      if (strstr (error->message, where) == NULL || strstr (error->message, rows[i].words) == NULL)
        g_error ("plan %s: message '%s' lacks '%s' or '%s'", rows[i].plan, error->message, where, rows[i].words);
    }
}

static void
test_parse_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strnfill (DP_DIAL_PLAN_MAX_LENGTH, 'x');
  g_autofree char *plan = g_strdup_printf ("(%s)", body);
  g_autofree char *fits = g_strdup_printf ("(%.*s)", DP_DIAL_PLAN_MAX_LENGTH - 2, body);

  g_assert_null (dp_dial_plan_parse (plan, &error));
  g_assert_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_true (dp_dial_plan_check (fits, &error));
  g_assert_no_error (error);
}

/* A long repetitive plan against long input stays bounded (one thread per
 * plan position) and still answers correctly. */
static void
test_large_input (void)
{
  GString *plan = g_string_new ("(");
  g_autofree char *keys = g_strnfill (2000, '5');
  g_autofree char *text = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (plan, i == 0 ? "x.x.x." : "|x.x.x.");
  g_string_append (plan, ")");
  text = g_string_free (plan, FALSE);
  {
    g_autofree char *keys_t = g_strconcat (keys, "T", NULL);
    g_autofree char *last = outcome (text, OPT_CODES, keys_t);
    g_autofree char *expected = g_strconcat ("send:", keys, NULL);
    g_assert_cmpstr (last, ==, expected);
  }
}

static void
test_event_boxed (void)
{
  DpDialEvent event = { .type = DP_DIAL_EVENT_SEND, .number = (char *) "911", .uri = (char *) "sip:911@1.2.3.4:5060",
                        .code = (char *) "X", .route = (char *) "gw0", .dialed = (char *) "911", .sequence = 2 };
  g_autoptr(DpDialEvent) copy = dp_dial_event_copy (&event);

  g_assert_true (copy->number != event.number);
  g_assert_cmpstr (copy->number, ==, "911");
  g_assert_cmpstr (copy->uri, ==, event.uri);
  g_assert_cmpstr (copy->route, ==, "gw0");
  g_assert_cmpint (copy->sequence, ==, 2);
  g_assert_true (G_TYPE_IS_BOXED (DP_TYPE_DIAL_EVENT));
  g_assert_true (G_TYPE_IS_BOXED (DP_TYPE_DIAL_PLAN));
  g_assert_cmpstr (dp_dial_timer_kind_to_string (DP_DIAL_TIMER_PAUSE), ==, "pause");
  g_assert_cmpstr (dp_dial_reject_reason_to_string (DP_DIAL_REJECT_BARRED), ==, "barred");
  g_assert_cmpstr (dp_dial_tone_to_string (DP_DIAL_TONE_OUTSIDE), ==, "outside");
}

static void
test_send_sequence_index (void)
{
  g_autoptr(DpDialer) dialer = make_dialer ("(0|[2-9]xx|1xx)", OPT_CODES);
  g_autoptr(GPtrArray) start = dp_dialer_start (dialer);
  g_autoptr(GPtrArray) a = dp_dialer_press_key (dialer, '1');
  g_autoptr(GPtrArray) b = dp_dialer_press_key (dialer, '2');
  g_autoptr(GPtrArray) c = dp_dialer_press_key (dialer, '3');
  DpDialEvent *event;

  g_assert_cmpuint (c->len, ==, 1);
  event = g_ptr_array_index (c, 0);
  g_assert_cmpint (event->type, ==, DP_DIAL_EVENT_SEND);
  g_assert_cmpint (event->sequence, ==, 2);
  g_assert_cmpstr (event->dialed, ==, "123");
  g_assert_null (event->code);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dialplan/element/substitution", test_substitution);
  g_test_add_func ("/dialplan/element/repeat", test_repeat);
  g_test_add_func ("/dialplan/element/barred", test_barred);
  g_test_add_func ("/dialplan/element/outside-tone", test_outside_tone);
  g_test_add_func ("/dialplan/element/sets", test_sets);
  g_test_add_func ("/dialplan/default-plans", test_default_plans);
  g_test_add_func ("/dialplan/conflict/incomplete", test_incomplete_conflict);
  g_test_add_func ("/dialplan/conflict/several-complete", test_several_complete);
  g_test_add_func ("/dialplan/hash-key", test_hash_key);
  g_test_add_func ("/dialplan/timers", test_timers);
  g_test_add_func ("/dialplan/hot-warm-lines", test_hot_warm_lines);
  g_test_add_func ("/dialplan/ip/dialing", test_ip_dialing);
  g_test_add_func ("/dialplan/ip/examine", test_ip_examine);
  g_test_add_func ("/dialplan/codes/local-and-codec", test_codes);
  g_test_add_func ("/dialplan/codes/feature", test_feature_codes);
  g_test_add_func ("/dialplan/routes-and-spa9000", test_routes_and_spa9000);
  g_test_add_func ("/dialplan/parse/valid", test_parse_valid);
  g_test_add_func ("/dialplan/parse/errors", test_parse_errors);
  g_test_add_func ("/dialplan/parse/too-long", test_parse_too_long);
  g_test_add_func ("/dialplan/large-input", test_large_input);
  g_test_add_func ("/dialplan/event-boxed", test_event_boxed);
  g_test_add_func ("/dialplan/send-sequence-index", test_send_sequence_index);

  return g_test_run ();
}
