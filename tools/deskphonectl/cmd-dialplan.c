/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `deskphonectl dialplan PLAN KEYS... [--json]` (architecture §4.2): runs the
 * dial plan engine in virtual time and prints the events the phone would act
 * on. Keys are SPA keys plus `T` (the running timer expires) and `Wn` (n
 * seconds pass: every timer due within them fires, in order). */
#define G_LOG_DOMAIN "deskphonectl"

#include <string.h>

#include "dp-ctl.h"
#include "dp-dialplan.h"

typedef enum {
  ACTION_KEY,
  ACTION_EXPIRE,
  ACTION_WAIT,
} ActionKind;

typedef struct {
  ActionKind kind;
  char key;
  guint64 seconds;
} Action;

typedef struct {
  DpDialer *dialer;
  GPtrArray *all;       /* the transcript printed at the end */
  gboolean armed;
  guint64 remaining;    /* seconds until the armed timer fires */
} Run;

/* A key cancels the armed timer. Its event is dropped from the transcript:
 * the output shows the timers that ran out (T, W) and the one still running
 * after the last key, not one restart per key. */
static void
run_cancel_timer (Run *run)
{
  if (run->armed && run->all->len > 0)
    {
      DpDialEvent *last = g_ptr_array_index (run->all, run->all->len - 1);
      if (last->type == DP_DIAL_EVENT_TIMER)
        g_ptr_array_remove_index (run->all, run->all->len - 1);
    }
  run->armed = FALSE;
}

/* Takes the events of one dialer call and tracks the armed timer. */
static void
run_take (Run *run, GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      DpDialEvent *event = g_ptr_array_index (events, i);

      if (event->type == DP_DIAL_EVENT_TIMER)
        {
          run->armed = TRUE;
          run->remaining = event->seconds;
        }
      else if (event->type == DP_DIAL_EVENT_SEND || event->type == DP_DIAL_EVENT_REJECT)
        {
          run->armed = FALSE;
        }
      g_ptr_array_add (run->all, dp_dial_event_copy (event));
    }
  g_ptr_array_unref (events);
}

static void
run_expire (Run *run)
{
  if (run->armed)
    {
      run->armed = FALSE;
      run_take (run, dp_dialer_timer_expired (run->dialer));
    }
}

static void
run_wait (Run *run, guint64 seconds)
{
  while (run->armed && run->remaining <= seconds)
    {
      seconds -= run->remaining;
      run_expire (run);
    }
  if (run->armed)
    run->remaining -= seconds;
}

/* Parses the KEYS arguments into actions; a wait takes the digits up to the
 * end of its argument. */
static gboolean
parse_keys (int argc, char **argv, GArray *actions)
{
  for (int a = 0; a < argc; a++)
    {
      const char *arg = argv[a];

      for (gsize i = 0; arg[i] != '\0'; i++)
        {
          char c = arg[i];
          Action action = { 0 };

          if (c == ' ' || c == '\t')
            continue;
          if (dp_dial_key_is_valid (c))
            {
              action.kind = ACTION_KEY;
              action.key = c;
            }
          else if (c == 'T' || c == 't')
            {
              action.kind = ACTION_EXPIRE;
            }
          else if (c == 'W' || c == 'w')
            {
              gsize start = i + 1, end = start;

              while (g_ascii_isdigit (arg[end]))
                end++;
              /* The digits run to the end of the argument (or to a blank,
               * for a whole key string given as one argument). */
              if (end == start || (arg[end] != '\0' && arg[end] != ' ' && arg[end] != '\t') || end - start > 9)
                {
                  dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                               _("keys argument %d ('%s'), position %zu"
                                 ": a wait is W followed by seconds up to the end of the argument"),
                               a + 1, arg, i + 1);
                  return FALSE;
                }
              action.kind = ACTION_WAIT;
              action.seconds = g_ascii_strtoull (arg + start, NULL, 10);
              i = end - 1;
            }
          else
            {
              if ((unsigned char) c >= 0x21 && (unsigned char) c < 0x7f)
                dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                             _("keys argument %d ('%s'), position %zu"
                               ": bad key '%c' (keys are 0-9, *, #, T and Wn)"),
                             a + 1, arg, i + 1, c);
              else
                dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT,
                             _("keys argument %d, position %zu"
                               ": bad key byte 0x%02x (keys are 0-9, *, #, T and Wn)"),
                             a + 1, i + 1, (unsigned char) c);
              return FALSE;
            }
          g_array_append_val (actions, action);
        }
    }
  return TRUE;
}

static JsonNode *
events_to_json (GPtrArray *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      DpDialEvent *event = g_ptr_array_index (events, i);

      json_builder_begin_object (builder);
      switch (event->type)
        {
        case DP_DIAL_EVENT_TONE:
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "tone");
          json_builder_set_member_name (builder, "tone");
          json_builder_add_string_value (builder, dp_dial_tone_to_string (event->tone));
          break;
        case DP_DIAL_EVENT_TIMER:
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "timer");
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, dp_dial_timer_kind_to_string (event->timer_kind));
          json_builder_set_member_name (builder, "seconds");
          json_builder_add_int_value (builder, event->seconds);
          break;
        case DP_DIAL_EVENT_SEND:
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "send");
          json_builder_set_member_name (builder, "number");
          json_builder_add_string_value (builder, event->number);
          /* Extra members only when they carry something, so the plain
           * contract shape stays exactly {"event","number"}. */
          if (event->uri != NULL)
            {
              json_builder_set_member_name (builder, "uri");
              json_builder_add_string_value (builder, event->uri);
            }
          if (event->code != NULL)
            {
              json_builder_set_member_name (builder, "code");
              json_builder_add_string_value (builder, event->code);
            }
          if (event->route != NULL)
            {
              json_builder_set_member_name (builder, "route");
              json_builder_add_string_value (builder, event->route);
            }
          break;
        case DP_DIAL_EVENT_REJECT:
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "reject");
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, dp_dial_reject_reason_to_string (event->reason));
          break;
        default:
          g_assert_not_reached ();
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
print_text (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      DpDialEvent *event = g_ptr_array_index (events, i);

      switch (event->type)
        {
        case DP_DIAL_EVENT_TONE:
          g_print ("tone %s\n", dp_dial_tone_to_string (event->tone));
          break;
        case DP_DIAL_EVENT_TIMER:
          g_print ("timer %s %u\n", dp_dial_timer_kind_to_string (event->timer_kind), event->seconds);
          break;
        case DP_DIAL_EVENT_SEND:
          g_print ("send %s%s%s%s%s%s%s\n", event->number,
                   event->uri != NULL ? " uri=" : "", event->uri != NULL ? event->uri : "",
                   event->code != NULL ? " code=" : "", event->code != NULL ? event->code : "",
                   event->route != NULL ? " route=" : "", event->route != NULL ? event->route : "");
          break;
        case DP_DIAL_EVENT_REJECT:
          g_print ("reject %s\n", dp_dial_reject_reason_to_string (event->reason));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

int
dp_ctl_cmd_dialplan (int argc, char **argv)
{
  gboolean json = FALSE, ip_dialing = FALSE, no_star_codes = FALSE, reject_incomplete = FALSE;
  int long_seconds = 10, short_seconds = 3;
  g_autofree char *feature_codes = NULL;
  GOptionEntry entries[] = {
    { "long", 0, 0, G_OPTION_ARG_INT, &long_seconds, N_("Interdigit_Long_Timer in seconds (default 10)"), "N" },
    { "short", 0, 0, G_OPTION_ARG_INT, &short_seconds, N_("Interdigit_Short_Timer in seconds (default 3)"), "N" },
    { "ip-dialing", 0, 0, G_OPTION_ARG_NONE, &ip_dialing, N_("Enable IP dialing (Enable_IP_Dialing)"), NULL },
    { "no-star-codes", 0, 0, G_OPTION_ARG_NONE, &no_star_codes, N_("Do not append the factory star and codec codes"), NULL },
    { "feature-codes", 0, 0, G_OPTION_ARG_STRING, &feature_codes, N_("Feature_Dial_Services_Codes, e.g. '*72|*67`p`'"), "LIST" },
    { "reject-incomplete", 0, 0, G_OPTION_ARG_NONE, &reject_incomplete, N_("Reject an incomplete number at timeout (SPA9000 reading)"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialPlan) plan = NULL;
  g_autoptr(DpDialer) dialer = NULL;
  g_autoptr(GArray) actions = g_array_new (FALSE, FALSE, sizeof (Action));
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_dial_event_free);
  Run run = { 0 };

  if (!dp_ctl_parse_options (&argc, &argv, "PLAN KEYS...",
                             N_("Run a dial plan on keys in virtual time (T: timer expires, Wn: wait n s)."),
                             entries, &json))
    return DP_CTL_EXIT_BAD_INPUT;
  if (argc < 2)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("dialplan: usage: deskphonectl dialplan PLAN KEYS... [--json]"));
  if (long_seconds < 0 || long_seconds > 64 || short_seconds < 0 || short_seconds > 64)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, _("dialplan: --long and --short take 0 to 64 seconds"));

  plan = dp_dial_plan_parse (argv[1], &error);
  if (plan == NULL)
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
  if (!parse_keys (argc - 2, argv + 2, actions))
    return DP_CTL_EXIT_BAD_INPUT;

  dialer = dp_dialer_new (plan);
  dp_dialer_set_timers (dialer, (guint) long_seconds, (guint) short_seconds);
  dp_dialer_set_ip_dialing (dialer, ip_dialing);
  dp_dialer_set_incomplete_policy (dialer, reject_incomplete ? DP_DIAL_INCOMPLETE_REJECT
                                                             : DP_DIAL_INCOMPLETE_SEND);
  /* Feature codes first: they take precedence over equal local codes. */
  if (feature_codes != NULL && !dp_dialer_add_feature_codes (dialer, feature_codes, &error))
    return dp_ctl_fail (DP_CTL_EXIT_BAD_INPUT, "%s", error->message);
  if (!no_star_codes)
    dp_dialer_add_default_codes (dialer);

  run.dialer = dialer;
  run.all = all;
  run_take (&run, dp_dialer_start (dialer));
  for (guint i = 0; i < actions->len; i++)
    {
      const Action *action = &g_array_index (actions, Action, i);

      if (dp_dialer_is_finished (dialer))
        break;
      switch (action->kind)
        {
        case ACTION_KEY:
          run_cancel_timer (&run);
          run_take (&run, dp_dialer_press_key (dialer, action->key));
          break;
        case ACTION_EXPIRE:
          run_expire (&run);
          break;
        case ACTION_WAIT:
          run_wait (&run, action->seconds);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) node = events_to_json (all);
      dp_ctl_print_json (node);
    }
  else
    {
      print_text (all);
    }
  return DP_CTL_EXIT_OK;
}
