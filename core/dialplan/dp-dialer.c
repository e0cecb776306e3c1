/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpDialer: the SPA candidate-set matcher (spa9x2-reference §3.3) as a pure
 * state machine. Each plan sequence (and each implicit service code) is run
 * as a small NFA; the live "threads" are the candidate set. Virtual time only
 * moves when the caller reports that the armed timer fired, so the machine
 * has no clock and no main loop.
 *
 * Decisions where the documents are silent or disagree:
 * - Timer choice: while no candidate is complete the long timer runs, using
 *   the largest long value among the open candidates (never cut a user off
 *   who may be dialing the slower sequence); once one is complete the short
 *   timer runs, using the smallest short value among the complete ones (so a
 *   complete `...S0` sends at once even while other sequences are open).
 *   Both count from the last key. No interdigit timer runs before the first
 *   key (the dial tone's own timeout covers that), except that a candidate
 *   complete at off-hook (hot line) runs the short timer.
 * - A candidate completed by the end of a `Pn` pause is sent at once: the
 *   pause was the wait (warm line `( P5 <:1000> | xxxx )` calls 1000 after 5 s).
 * - Timeout or `#` with no complete candidate: the keys are sent as dialed
 *   (Administration Guide, CONFLICT with the SPA9000 guide which rejects;
 *   DP_DIAL_INCOMPLETE_REJECT selects that reading). A complete candidate
 *   is always sent transformed.
 * - Several complete candidates: if any of them is barred (`!`) the number
 *   is rejected, so a broad sequence never unlocks a barred one; otherwise a
 *   service code wins over the plan (the phone handles its own codes, `*69`
 *   against `*xx`), then the earliest plan sequence, then IP dialing.
 * - `#` is a dialed key when an open candidate can take `#` at that point,
 *   otherwise it is the send key (UNCONFIRMED in the documents).
 * - Local service codes act as soon as they are complete (§5.1 "processed
 *   as soon as it completes"); codec codes and Feature_Dial_Services_Codes
 *   are followed by a number matched against the plan. A feature code equal
 *   to a local code replaces it (the administrator asked for the network
 *   feature; the documents only say the two must not clash).
 * - IP dialing: a user-id that completes a plan sequence is transformed like
 *   a number (and a barred one is rejected); otherwise it is sent as keyed.
 */
#define G_LOG_DOMAIN "dp-dialplan"

#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include "dp-dialplan-private.h"
#include "dp-star-codes.h"

#define NEVER G_MAXINT64

typedef struct {
  const DpSequence *sequence;
  int seq_index;        /* plan sequence, or -1 while inside a service code */
  int code;             /* service code this thread went through, or -1 */
  guint pc;
  GString *out;
  char *route;
  guint long_s;
  guint short_s;
  gint64 pause_deadline;
  gboolean immediate;   /* completed by the end of a pause */
} Thread;

typedef struct {
  char *name;
  char *keys;
  DpDialCodeKind kind;
  DpDialTone tone;
  DpSequence *sequence;
} Code;

struct _DpDialer {
  GObject parent_instance;

  DpDialPlan *plan;
  guint long_s;
  guint short_s;
  gboolean ip_dialing;
  DpDialIncompletePolicy policy;
  GPtrArray *codes;

  gboolean started;
  gboolean finished;
  GString *dialed;
  GPtrArray *threads;
  gint64 now;
  gint64 last_key;
  gint64 armed;
  DpIpDialState ip;
};

G_DEFINE_FINAL_TYPE (DpDialer, dp_dialer, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (DpDialEvent, dp_dial_event, dp_dial_event_copy, dp_dial_event_free)

/* The SPA962 5.1.15 factory codes (§5.1, §5.4), in the Regional tab order. */
/* The factory codes come from the one star-code table (dp-star-codes.c);
 * only the way the dialer treats them is decided here. */
static DpDialCodeKind
code_kind_for (const DpStarCodeInfo *info)
{
  if (info->action == DP_STAR_ACTION_CODEC_PREFER || info->action == DP_STAR_ACTION_CODEC_FORCE)
    return DP_DIAL_CODE_PREFIX;
  return DP_DIAL_CODE_LOCAL;
}

gboolean
dp_dial_key_is_valid (char key)
{
  return dp_key_bit (key) >= 0;
}

/* --- events --------------------------------------------------------------- */

DpDialEvent *
dp_dial_event_copy (const DpDialEvent *event)
{
  DpDialEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);
  copy = g_memdup2 (event, sizeof *event);
  copy->number = g_strdup (event->number);
  copy->uri = g_strdup (event->uri);
  copy->code = g_strdup (event->code);
  copy->route = g_strdup (event->route);
  copy->dialed = g_strdup (event->dialed);
  return copy;
}

void
dp_dial_event_free (DpDialEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->number);
  g_free (event->uri);
  g_free (event->code);
  g_free (event->route);
  g_free (event->dialed);
  g_free (event);
}

const char *
dp_dial_tone_to_string (DpDialTone tone)
{
  switch (tone)
    {
    case DP_DIAL_TONE_NONE: return "none";
    case DP_DIAL_TONE_OUTSIDE: return "outside";
    case DP_DIAL_TONE_PROMPT: return "prompt";
    case DP_DIAL_TONE_DIAL: return "dial";
    case DP_DIAL_TONE_CFWD: return "cfwd";
    case DP_DIAL_TONE_MWI: return "mwi";
    case DP_DIAL_TONE_SECOND: return "second";
    default: return "unknown";
    }
}

const char *
dp_dial_timer_kind_to_string (DpDialTimerKind kind)
{
  switch (kind)
    {
    case DP_DIAL_TIMER_LONG: return "long";
    case DP_DIAL_TIMER_SHORT: return "short";
    case DP_DIAL_TIMER_PAUSE: return "pause";
    default: return "unknown";
    }
}

const char *
dp_dial_reject_reason_to_string (DpDialRejectReason reason)
{
  switch (reason)
    {
    case DP_DIAL_REJECT_NO_MATCH: return "no-match";
    case DP_DIAL_REJECT_BARRED: return "barred";
    default: return "unknown";
    }
}

static DpDialEvent *
event_new (GPtrArray *events, DpDialEventType type)
{
  DpDialEvent *event = g_new0 (DpDialEvent, 1);

  event->type = type;
  event->sequence = -1;
  g_ptr_array_add (events, event);
  return event;
}

static GPtrArray *
events_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dp_dial_event_free);
}

/* --- threads -------------------------------------------------------------- */

static void
thread_free (Thread *thread)
{
  if (thread == NULL)
    return;
  g_string_free (thread->out, TRUE);
  g_free (thread->route);
  g_free (thread);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Thread, thread_free)

static Thread *
thread_copy (const Thread *thread)
{
  Thread *copy = g_memdup2 (thread, sizeof *thread);

  copy->out = g_string_new_len (thread->out->str, (gssize) thread->out->len);
  copy->route = g_strdup (thread->route);
  return copy;
}

static const DpOp *
thread_op (const Thread *thread)
{
  if (thread->pc >= thread->sequence->ops->len)
    return NULL;
  return &g_array_index (thread->sequence->ops, DpOp, thread->pc);
}

static gboolean
thread_at_end (const Thread *thread)
{
  return thread_op (thread) == NULL;
}

static gboolean
thread_waits_key (const Thread *thread)
{
  const DpOp *op = thread_op (thread);
  return op != NULL && op->kind == DP_OP_MATCH;
}

static gboolean
thread_waits_pause (const Thread *thread)
{
  const DpOp *op = thread_op (thread);
  return op != NULL && op->kind == DP_OP_PAUSE;
}

static guint
plan_long (DpDialer *self)
{
  return self->plan->long_timer >= 0 ? (guint) self->plan->long_timer : self->long_s;
}

static guint
plan_short (DpDialer *self)
{
  return self->plan->short_timer >= 0 ? (guint) self->plan->short_timer : self->short_s;
}

static Thread *
thread_new (DpDialer *self, const DpSequence *sequence, int seq_index, int code)
{
  Thread *thread = g_new0 (Thread, 1);

  thread->sequence = sequence;
  thread->seq_index = seq_index;
  thread->code = code;
  thread->out = g_string_new (NULL);
  thread->long_s = plan_long (self);
  thread->short_s = plan_short (self);
  return thread;
}

/* A thread's point in the plan: which sequence, reached through which
 * code, at which operation. */
static guint
thread_point_hash (gconstpointer data)
{
  const Thread *thread = data;

  return g_direct_hash (thread->sequence) ^ ((guint) thread->code * 7919u) ^ (thread->pc * 31u);
}

static gboolean
thread_point_equal (gconstpointer a, gconstpointer b)
{
  const Thread *x = a, *y = b;

  return x->sequence == y->sequence && x->code == y->code && x->pc == y->pc;
}

typedef struct {
  GPtrArray *threads;    /* the new candidate set */
  GHashTable *seen;      /* dedup: one thread per point; keys are in @threads */
  guint tones;           /* bit per DpDialTone reached */
  gboolean pass_pauses;  /* whole-number matching: pauses do not wait */
} Step;

static void
step_init (Step *step, gboolean pass_pauses)
{
  step->threads = g_ptr_array_new_with_free_func ((GDestroyNotify) thread_free);
  step->seen = g_hash_table_new (thread_point_hash, thread_point_equal);
  step->tones = 0;
  step->pass_pauses = pass_pauses;
}

static void
step_clear (Step *step)
{
  g_clear_pointer (&step->threads, g_ptr_array_unref);
  g_clear_pointer (&step->seen, g_hash_table_unref);
}

static void
step_keep (Step *step, Thread *thread)
{
  /* Two paths reaching the same point behave the same from now on; keep the
   * first so the state stays bounded by the size of the plan. */
  if (g_hash_table_contains (step->seen, thread))
    {
      thread_free (thread);
      return;
    }
  g_hash_table_add (step->seen, thread);
  g_ptr_array_add (step->threads, thread);
}

/* Follows the operations that consume no key from @thread's position, and
 * keeps the thread wherever it must wait (a key, a pause, or the end). */
static void
closure (DpDialer *self, Step *step, Thread *thread, gboolean via_pause)
{
  g_autoptr(Thread) t = thread;

  for (;;)
    {
      const DpOp *op = thread_op (t);

      if (op == NULL)
        {
          t->immediate = via_pause;
          step_keep (step, g_steal_pointer (&t));
          return;
        }
      switch (op->kind)
        {
        case DP_OP_MATCH:
          if (op->repeat)
            {
              Thread *skip = thread_copy (t);
              skip->pc++;
              step_keep (step, g_steal_pointer (&t));
              t = skip;
              continue;
            }
          step_keep (step, g_steal_pointer (&t));
          return;
        case DP_OP_OUTPUT:
          g_string_append (t->out, op->text);
          if (op->route != NULL)
            {
              g_free (t->route);
              t->route = g_strdup (op->route);
            }
          break;
        case DP_OP_TONE:
          step->tones |= 1u << op->tone;
          break;
        case DP_OP_LONG:
          t->long_s = op->seconds;
          break;
        case DP_OP_SHORT:
          t->short_s = op->seconds;
          break;
        case DP_OP_PAUSE:
          if (!step->pass_pauses)
            {
              t->pause_deadline = self->now + op->seconds;
              step_keep (step, g_steal_pointer (&t));
              return;
            }
          break;
        case DP_OP_CONTINUE:
          {
            const Code *code = g_ptr_array_index (self->codes, t->code);

            for (guint i = 0; i < self->plan->sequences->len; i++)
              {
                Thread *next = thread_new (self, g_ptr_array_index (self->plan->sequences, i), (int) i, t->code);

                /* A feature code is part of the transmitted number; a codec
                 * code only selects the codec. */
                if (code->kind == DP_DIAL_CODE_FEATURE)
                  g_string_assign (next->out, t->out->str);
                closure (self, step, next, via_pause);
              }
            return;
          }
        default:
          g_assert_not_reached ();
        }
      t->pc++;
    }
}

static void
step_start (DpDialer *self, Step *step, gboolean with_codes)
{
  for (guint i = 0; i < self->plan->sequences->len; i++)
    closure (self, step, thread_new (self, g_ptr_array_index (self->plan->sequences, i), (int) i, -1), FALSE);
  if (!with_codes)
    return;
  for (guint i = 0; i < self->codes->len; i++)
    {
      const Code *code = g_ptr_array_index (self->codes, i);
      closure (self, step, thread_new (self, code->sequence, -1, (int) i), FALSE);
    }
}

static void
step_key (DpDialer *self, Step *step, GPtrArray *threads, char key)
{
  guint16 bit = (guint16) (1u << dp_key_bit (key));

  for (guint i = 0; i < threads->len; i++)
    {
      const Thread *thread = g_ptr_array_index (threads, i);
      const DpOp *op = thread_op (thread);
      Thread *next;

      if (op == NULL || op->kind != DP_OP_MATCH || (op->keys & bit) == 0)
        continue;
      next = thread_copy (thread);
      if (op->emit)
        g_string_append_c (next->out, key);
      if (!op->repeat)
        next->pc++;
      closure (self, step, next, FALSE);
    }
}

static void
emit_tones (GPtrArray *events, guint tones)
{
  for (guint tone = DP_DIAL_TONE_OUTSIDE; tone <= DP_DIAL_TONE_SECOND; tone++)
    if (tones & (1u << tone))
      event_new (events, DP_DIAL_EVENT_TONE)->tone = (DpDialTone) tone;
}

static void
adopt_step (DpDialer *self, Step *step, GPtrArray *events)
{
  g_ptr_array_unref (self->threads);
  self->threads = g_steal_pointer (&step->threads);
  emit_tones (events, step->tones);
  step_clear (step);
}

/* --- decisions ------------------------------------------------------------ */

static int
thread_rank (const Thread *thread)
{
  return thread->code >= 0 ? 0 : 1;
}

/* Lower is better: service codes first, then plan order. */
static gboolean
thread_better (const Thread *a, const Thread *b)
{
  if (thread_rank (a) != thread_rank (b))
    return thread_rank (a) < thread_rank (b);
  if (a->code != b->code)
    return a->code < b->code;
  return a->seq_index < b->seq_index;
}

/* Picks the complete thread that wins, or NULL; sets *barred if a complete
 * candidate is barred. */
static const Thread *
pick_complete (GPtrArray *threads, gboolean *barred)
{
  const Thread *best = NULL;

  *barred = FALSE;
  for (guint i = 0; i < threads->len; i++)
    {
      const Thread *thread = g_ptr_array_index (threads, i);

      if (!thread_at_end (thread))
        continue;
      if (thread->sequence->barred)
        *barred = TRUE;
      if (best == NULL || thread_better (thread, best))
        best = thread;
    }
  return best;
}

static void
finish_reject (DpDialer *self, GPtrArray *events, DpDialRejectReason reason)
{
  DpDialEvent *event = event_new (events, DP_DIAL_EVENT_REJECT);

  event->reason = reason;
  event->dialed = g_strdup (self->dialed->str);
  self->finished = TRUE;
  self->armed = -1;
}

static DpDialEvent *
finish_send (DpDialer *self, GPtrArray *events, const char *number)
{
  DpDialEvent *event = event_new (events, DP_DIAL_EVENT_SEND);

  event->number = g_strdup (number);
  event->dialed = g_strdup (self->dialed->str);
  self->finished = TRUE;
  self->armed = -1;
  return event;
}

static void
finish_ip (DpDialer *self, GPtrArray *events)
{
  g_autofree char *user = NULL;
  g_autofree char *hostport = NULL;
  g_autofree char *number = NULL;
  g_autofree char *route = NULL;
  int sequence = -1;
  DpDialEvent *event;

  dp_ip_dial_split (self->dialed->str, &user, &hostport);
  if (user != NULL)
    {
      Step step;
      gboolean barred;
      const Thread *best;

      step_init (&step, TRUE);
      step_start (self, &step, FALSE);
      for (const char *k = user; *k != '\0'; k++)
        {
          Step next;
          step_init (&next, TRUE);
          step_key (self, &next, step.threads, *k);
          step_clear (&step);
          step = next;
        }
      best = pick_complete (step.threads, &barred);
      if (barred)
        {
          step_clear (&step);
          finish_reject (self, events, DP_DIAL_REJECT_BARRED);
          return;
        }
      if (best != NULL)
        {
          number = g_strdup (best->out->str);
          route = g_strdup (best->route);
          sequence = best->seq_index;
        }
      else
        {
          number = g_strdup (user);
        }
      step_clear (&step);
    }
  event = finish_send (self, events, number != NULL ? number : "");
  event->uri = number != NULL && *number != '\0'
    ? g_strdup_printf ("sip:%s@%s", number, hostport)
    : g_strdup_printf ("sip:%s", hostport);
  event->route = g_steal_pointer (&route);
  event->sequence = sequence;
}

/* Timeout, `#` or a finished candidate set: send or reject now. */
static void
decide (DpDialer *self, GPtrArray *events)
{
  gboolean barred;
  const Thread *best = pick_complete (self->threads, &barred);

  if (barred)
    {
      finish_reject (self, events, DP_DIAL_REJECT_BARRED);
    }
  else if (best != NULL)
    {
      DpDialEvent *event = finish_send (self, events, best->out->str);

      event->sequence = best->seq_index;
      event->route = g_strdup (best->route);
      if (best->code >= 0)
        event->code = g_strdup (((const Code *) g_ptr_array_index (self->codes, best->code))->name);
    }
  else if (self->ip.complete)
    {
      finish_ip (self, events);
    }
  else if (self->dialed->len == 0 || self->policy == DP_DIAL_INCOMPLETE_REJECT)
    {
      finish_reject (self, events, DP_DIAL_REJECT_NO_MATCH);
    }
  else
    {
      finish_send (self, events, self->dialed->str);
    }
}

static void
fire_pauses (DpDialer *self, GPtrArray *events)
{
  Step step;

  step_init (&step, FALSE);
  for (guint i = 0; i < self->threads->len; i++)
    {
      const Thread *thread = g_ptr_array_index (self->threads, i);
      Thread *next = thread_copy (thread);

      if (thread_waits_pause (thread) && thread->pause_deadline <= self->now)
        {
          next->pc++;
          closure (self, &step, next, TRUE);
        }
      else
        {
          step_keep (&step, next);
        }
    }
  adopt_step (self, &step, events);
}

/* Settles the machine after a change: finishes, fires what is due now, or
 * arms the next timer. */
static void
evaluate (DpDialer *self, GPtrArray *events)
{
  while (!self->finished)
    {
      gboolean complete = self->ip.complete, open = FALSE, immediate = FALSE;
      guint short_s = G_MAXUINT, long_s = 0;
      gint64 pause_deadline = NEVER, interdigit = NEVER, next;

      if (self->ip.alive && (!self->ip.complete || self->ip.growable))
        {
          open = TRUE;
          long_s = plan_long (self);
        }
      if (self->ip.complete)
        short_s = plan_short (self);
      for (guint i = 0; i < self->threads->len; i++)
        {
          const Thread *thread = g_ptr_array_index (self->threads, i);

          if (thread_at_end (thread))
            {
              complete = TRUE;
              immediate |= thread->immediate;
              short_s = MIN (short_s, thread->short_s);
              continue;
            }
          open = TRUE;
          long_s = MAX (long_s, thread->long_s);
          if (thread_waits_pause (thread))
            pause_deadline = MIN (pause_deadline, thread->pause_deadline);
        }

      if (!complete && !open)
        {
          finish_reject (self, events, DP_DIAL_REJECT_NO_MATCH);
          return;
        }
      if (complete && !open)
        {
          decide (self, events);
          return;
        }
      if (complete)
        interdigit = immediate ? self->now : self->last_key + short_s;
      else if (self->dialed->len > 0)
        interdigit = self->last_key + long_s;

      next = MIN (pause_deadline, interdigit);
      if (next == NEVER)
        return;
      if (next > self->now)
        {
          DpDialEvent *event = event_new (events, DP_DIAL_EVENT_TIMER);

          event->timer_kind = pause_deadline <= interdigit ? DP_DIAL_TIMER_PAUSE
                              : complete ? DP_DIAL_TIMER_SHORT : DP_DIAL_TIMER_LONG;
          event->seconds = (guint) (next - self->now);
          self->armed = next;
          return;
        }
      if (pause_deadline <= interdigit)
        {
          fire_pauses (self, events);
          continue;
        }
      decide (self, events);
    }
}

/* --- GObject -------------------------------------------------------------- */

static void
code_free (Code *code)
{
  g_free (code->name);
  g_free (code->keys);
  dp_sequence_free (code->sequence);
  g_free (code);
}

static void
dp_dialer_finalize (GObject *object)
{
  DpDialer *self = DP_DIALER (object);

  g_clear_pointer (&self->plan, dp_dial_plan_unref);
  g_ptr_array_unref (self->codes);
  g_ptr_array_unref (self->threads);
  g_string_free (self->dialed, TRUE);
  G_OBJECT_CLASS (dp_dialer_parent_class)->finalize (object);
}

static void
dp_dialer_class_init (DpDialerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dp_dialer_finalize;
}

static void
dp_dialer_init (DpDialer *self)
{
  self->long_s = 10;
  self->short_s = 3;
  self->codes = g_ptr_array_new_with_free_func ((GDestroyNotify) code_free);
  self->threads = g_ptr_array_new_with_free_func ((GDestroyNotify) thread_free);
  self->dialed = g_string_new (NULL);
  self->armed = -1;
}

/**
 * dp_dialer_new:
 * @plan: the parsed plan of the line
 *
 * Creates a dialer for one dialing attempt (one off-hook). Configure it with
 * the setters, then call dp_dialer_start(). Defaults: long 10 s, short 3 s
 * (the Regional defaults), no service codes, no IP dialing, incomplete
 * numbers sent as dialed.
 *
 * Returns: (transfer full): a new #DpDialer
 */
DpDialer *
dp_dialer_new (DpDialPlan *plan)
{
  DpDialer *self;

  g_return_val_if_fail (plan != NULL, NULL);
  self = g_object_new (DP_TYPE_DIALER, NULL);
  self->plan = dp_dial_plan_ref (plan);
  return self;
}

/**
 * dp_dialer_set_timers:
 * @self: a #DpDialer
 * @long_seconds: Interdigit_Long_Timer
 * @short_seconds: Interdigit_Short_Timer
 *
 * Sets the Regional timers; a plan-wide `L:` / `S:` still takes precedence.
 */
void
dp_dialer_set_timers (DpDialer *self, guint long_seconds, guint short_seconds)
{
  g_return_if_fail (DP_IS_DIALER (self));
  g_return_if_fail (!self->started);
  self->long_s = long_seconds;
  self->short_s = short_seconds;
}

/**
 * dp_dialer_set_ip_dialing:
 * @self: a #DpDialer
 * @enabled: Enable_IP_Dialing_n_
 */
void
dp_dialer_set_ip_dialing (DpDialer *self, gboolean enabled)
{
  g_return_if_fail (DP_IS_DIALER (self));
  g_return_if_fail (!self->started);
  self->ip_dialing = enabled;
}

/**
 * dp_dialer_set_incomplete_policy:
 * @self: a #DpDialer
 * @policy: what timeout or `#` does to a number no sequence completes
 */
void
dp_dialer_set_incomplete_policy (DpDialer *self, DpDialIncompletePolicy policy)
{
  g_return_if_fail (DP_IS_DIALER (self));
  g_return_if_fail (!self->started);
  self->policy = policy;
}

static DpSequence *
compile_code (const char *keys, DpDialCodeKind kind, DpDialTone tone)
{
  DpSequence *sequence = dp_sequence_new (0);
  DpOp op = { 0 };

  for (const char *k = keys; *k != '\0'; k++)
    {
      DpOp match = { .kind = DP_OP_MATCH, .emit = TRUE, .keys = (guint16) (1u << dp_key_bit (*k)) };
      g_array_append_val (sequence->ops, match);
    }
  switch (kind)
    {
    case DP_DIAL_CODE_LOCAL:
      op.kind = DP_OP_SHORT;   /* acted on as soon as it is complete */
      op.seconds = 0;
      g_array_append_val (sequence->ops, op);
      break;
    case DP_DIAL_CODE_FEATURE:
      if (tone != DP_DIAL_TONE_NONE)
        {
          DpOp tone_op = { .kind = DP_OP_TONE, .tone = tone };
          g_array_append_val (sequence->ops, tone_op);
        }
      G_GNUC_FALLTHROUGH;
    case DP_DIAL_CODE_PREFIX:
      op.kind = DP_OP_CONTINUE;
      g_array_append_val (sequence->ops, op);
      break;
    default:
      g_assert_not_reached ();
    }
  return sequence;
}

/**
 * dp_dialer_add_code:
 * @self: a #DpDialer
 * @name: the parameter name reported in send events (`Call_Return_Code`)
 * @code: the keys (`*69`); surrounding whitespace is ignored
 * @kind: how the code is used
 * @tone: the tone after a %DP_DIAL_CODE_FEATURE code (ignored otherwise)
 * @error: return location for a #GError
 *
 * Appends an implicit service code to the plan. A feature code replaces a
 * local code with the same keys, and a local code equal to an existing
 * feature code is ignored (see the top of dp-dialer.c).
 *
 * Returns: %TRUE, or %FALSE if @code is empty or holds a non-key
 */
gboolean
dp_dialer_add_code (DpDialer *self, const char *name, const char *code,
                    DpDialCodeKind kind, DpDialTone tone, GError **error)
{
  g_autofree char *keys = NULL;
  Code *entry;

  g_return_val_if_fail (DP_IS_DIALER (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);
  g_return_val_if_fail (name != NULL && code != NULL, FALSE);

  keys = g_strstrip (g_strdup (code));
  if (*keys == '\0')
    {
      g_set_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE,
                   _("%s: empty service code"), name);
      return FALSE;
    }
  for (const char *k = keys; *k != '\0'; k++)
    if (dp_key_bit (*k) < 0)
      {
        g_set_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE,
                     _("%s: position %u: service codes may only hold keys 0-9, * and #"),
                     name, (guint) (k - keys) + 1);
        return FALSE;
      }

  for (guint i = 0; i < self->codes->len; i++)
    {
      Code *other = g_ptr_array_index (self->codes, i);

      if (strcmp (other->keys, keys) != 0)
        continue;
      if (kind == DP_DIAL_CODE_FEATURE && other->kind == DP_DIAL_CODE_LOCAL)
        {
          g_ptr_array_remove_index (self->codes, i);
          break;
        }
      if (kind == DP_DIAL_CODE_LOCAL && other->kind == DP_DIAL_CODE_FEATURE)
        return TRUE;
    }

  entry = g_new0 (Code, 1);
  entry->name = g_strdup (name);
  entry->keys = g_steal_pointer (&keys);
  entry->kind = kind;
  entry->tone = tone;
  entry->sequence = compile_code (entry->keys, kind, tone);
  g_ptr_array_add (self->codes, entry);
  return TRUE;
}

/**
 * dp_dialer_add_default_codes:
 * @self: a #DpDialer
 *
 * Appends the SPA962 factory service and codec codes (dp_star_code_table()).
 */
void
dp_dialer_add_default_codes (DpDialer *self)
{
  g_return_if_fail (DP_IS_DIALER (self));

  guint n_codes = 0;
  const DpStarCodeInfo *codes = dp_star_code_table (&n_codes);

  for (guint i = 0; i < n_codes; i++)
    {
      g_autoptr(GError) error = NULL;

      if (codes[i].action == DP_STAR_ACTION_FEATURE_DIAL || codes[i].action == DP_STAR_ACTION_REFERRAL)
        continue;   /* lists, not codes: see dp_dialer_add_feature_codes() */
      if (!dp_dialer_add_code (self, codes[i].name, codes[i].default_value,
                               code_kind_for (&codes[i]), DP_DIAL_TONE_NONE, &error))
        g_critical ("factory code table: %s", error->message);
    }
}

static DpDialTone
tone_from_letter (char letter)
{
  switch (letter)
    {
    case 'c': return DP_DIAL_TONE_CFWD;
    case 'd': return DP_DIAL_TONE_DIAL;
    case 'm': return DP_DIAL_TONE_MWI;
    case 'o': return DP_DIAL_TONE_OUTSIDE;
    case 'p': return DP_DIAL_TONE_PROMPT;
    case 's': return DP_DIAL_TONE_SECOND;
    default: return DP_DIAL_TONE_NONE;
    }
}

/**
 * dp_dialer_add_feature_codes:
 * @self: a #DpDialer
 * @list: a Feature_Dial_Services_Codes value: `*72`c`|*67`p``
 * @error: return location for a #GError
 *
 * Adds each code of the `|` list as a %DP_DIAL_CODE_FEATURE code. The tone
 * letter in back-quotes selects the tone after the code (`c` Cfwd, `d` dial,
 * `m` MWI, `o` outside, `p` prompt, `s` second, anything else none); without
 * one the Prompt_Tone plays (§5.2).
 *
 * Returns: %TRUE, or %FALSE if an entry is malformed
 */
gboolean
dp_dialer_add_feature_codes (DpDialer *self, const char *list, GError **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (DP_IS_DIALER (self), FALSE);
  g_return_val_if_fail (list != NULL, FALSE);

  items = g_strsplit (list, "|", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *quote = strchr (item, '`');
      DpDialTone tone = DP_DIAL_TONE_PROMPT;

      if (quote != NULL)
        {
          char *close = strchr (quote + 1, '`');

          if (close == NULL || close != quote + 2 || close[1] != '\0')
            {
              g_set_error (error, DP_DIAL_PLAN_ERROR, DP_DIAL_PLAN_ERROR_INVALID_CODE,
                           _("Feature_Dial_Services_Codes: entry %u: the tone must be one letter in back-quotes at the end"),
                           i + 1);
              return FALSE;
            }
          tone = tone_from_letter (quote[1]);
          *quote = '\0';
        }
      if (*item == '\0' && quote == NULL)
        continue;
      if (!dp_dialer_add_code (self, "Feature_Dial_Services_Codes", item,
                               DP_DIAL_CODE_FEATURE, tone, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * dp_dialer_start:
 * @self: a #DpDialer
 *
 * Off-hook: builds the candidate set. A hot line (`S0 <:...>`, `P0`) sends
 * at once; a warm line arms a pause timer.
 *
 * Returns: (transfer full) (element-type DpDialEvent): the events
 */
GPtrArray *
dp_dialer_start (DpDialer *self)
{
  GPtrArray *events;
  Step step;

  g_return_val_if_fail (DP_IS_DIALER (self), NULL);
  events = events_new ();
  if (self->started)
    return events;
  self->started = TRUE;
  step_init (&step, FALSE);
  step_start (self, &step, TRUE);
  adopt_step (self, &step, events);
  evaluate (self, events);
  return events;
}

static gboolean
hash_is_dialable (DpDialer *self)
{
  guint16 bit = 1u << DP_KEY_HASH_BIT;

  for (guint i = 0; i < self->threads->len; i++)
    {
      const Thread *thread = g_ptr_array_index (self->threads, i);
      if (thread_waits_key (thread) && (thread_op (thread)->keys & bit) != 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * dp_dialer_press_key:
 * @self: a #DpDialer
 * @key: `0`-`9`, `*` or `#`
 *
 * A key press; it cancels the armed timer. `#` is the send key unless a
 * candidate can take it as a dialed key. Starts the dialer if needed.
 *
 * Returns: (transfer full) (element-type DpDialEvent): the events
 */
GPtrArray *
dp_dialer_press_key (DpDialer *self, char key)
{
  g_autoptr(GPtrArray) events = NULL;
  Step step;

  g_return_val_if_fail (DP_IS_DIALER (self), NULL);
  g_return_val_if_fail (dp_dial_key_is_valid (key), NULL);

  events = dp_dialer_start (self);
  if (self->finished)
    return g_steal_pointer (&events);
  if (key == '#' && !hash_is_dialable (self))
    {
      decide (self, events);
      return g_steal_pointer (&events);
    }

  g_string_append_c (self->dialed, key);
  self->last_key = self->now;
  self->armed = -1;
  step_init (&step, FALSE);
  step_key (self, &step, self->threads, key);
  adopt_step (self, &step, events);
  if (self->ip_dialing)
    self->ip = dp_ip_dial_examine (self->dialed->str);
  evaluate (self, events);
  return g_steal_pointer (&events);
}

/**
 * dp_dialer_timer_expired:
 * @self: a #DpDialer
 *
 * The timer of the last %DP_DIAL_EVENT_TIMER event fired (no key came in
 * between). Does nothing when no timer is armed.
 *
 * Returns: (transfer full) (element-type DpDialEvent): the events
 */
GPtrArray *
dp_dialer_timer_expired (DpDialer *self)
{
  GPtrArray *events;

  g_return_val_if_fail (DP_IS_DIALER (self), NULL);
  events = events_new ();
  if (self->finished || self->armed < 0)
    return events;
  self->now = self->armed;
  self->armed = -1;
  evaluate (self, events);
  return events;
}

/**
 * dp_dialer_send:
 * @self: a #DpDialer
 *
 * The Dial softkey (or `#` as the send key): the same rule as a timeout.
 *
 * Returns: (transfer full) (element-type DpDialEvent): the events
 */
GPtrArray *
dp_dialer_send (DpDialer *self)
{
  GPtrArray *events;

  g_return_val_if_fail (DP_IS_DIALER (self), NULL);
  events = dp_dialer_start (self);
  if (!self->finished)
    decide (self, events);
  return events;
}

gboolean
dp_dialer_is_finished (DpDialer *self)
{
  g_return_val_if_fail (DP_IS_DIALER (self), FALSE);
  return self->finished;
}

const char *
dp_dialer_get_dialed (DpDialer *self)
{
  g_return_val_if_fail (DP_IS_DIALER (self), NULL);
  return self->dialed->str;
}
