/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The compiled form of a dial plan, shared by the parser and the dialer. */
#pragma once

#include "dp-dialplan.h"

G_BEGIN_DECLS

/* Keys as bits of a mask: digits 0-9 are bits 0-9, `*` bit 10, `#` bit 11. */
#define DP_KEY_STAR_BIT  10
#define DP_KEY_HASH_BIT  11
#define DP_KEYS_DIGITS   0x3ffu

typedef enum {
  DP_OP_MATCH,      /* one key out of @keys, repeated zero or more times if @repeat */
  DP_OP_OUTPUT,     /* append @text (sent side of a substitution) and set @route */
  DP_OP_TONE,       /* play @tone until the next key */
  DP_OP_LONG,       /* local Ln: long timer becomes @seconds */
  DP_OP_SHORT,      /* local Sn */
  DP_OP_PAUSE,      /* Pn: @seconds without keys before going on */
  DP_OP_CONTINUE,   /* (service codes only) continue with any plan sequence */
} DpOpKind;

typedef struct {
  DpOpKind kind;
  guint16 keys;
  gboolean repeat;
  gboolean emit;     /* MATCH: the key is transmitted (FALSE inside a dialed side) */
  guint seconds;
  DpDialTone tone;
  char *text;
  char *route;
} DpOp;

typedef struct {
  GArray *ops;       /* of DpOp */
  gboolean barred;
  guint position;    /* 1-based byte position of the sequence in the plan */
} DpSequence;

struct _DpDialPlan {
  gatomicrefcount ref_count;
  char *text;
  int long_timer;    /* plan-wide L:n, or -1 */
  int short_timer;   /* plan-wide S:n, or -1 */
  GPtrArray *sequences;  /* of DpSequence */
};

int         dp_key_bit          (char key);
DpSequence *dp_sequence_new     (guint position);
void        dp_sequence_free    (DpSequence *sequence);

/* IP dialing (dp-ipdial.c): `[user*]a*b*c*d[*port]` keyed with `*`. */
typedef struct {
  gboolean alive;     /* the keys can still become a valid IP dial */
  gboolean complete;  /* the keys are a valid IP dial now */
  gboolean growable;  /* another key could keep it valid or alive */
} DpIpDialState;

DpIpDialState dp_ip_dial_examine (const char *keys);
/* For complete keys: the user-id (or NULL) and the URI host part with port. */
gboolean      dp_ip_dial_split   (const char *keys,
                                  char      **user,
                                  char      **hostport);

G_END_DECLS
