/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Internals shared by the files of the sip plugin (not installed). */
#pragma once

#include "dp-build-config.h"
#include <deskphone.h>
#include <glib/gi18n-lib.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_glib.h>

#include "dp-sip-retry.h"
#include "dp-sip-sdp.h"
#include "dp-sip-tls.h"
#include "dp-sip-util.h"

G_BEGIN_DECLS

typedef struct _DpSipLine DpSipLine;
typedef struct _DpSipAgent DpSipAgent;
typedef struct _DpSipSubscription DpSipSubscription;
typedef struct _DpSipShared DpSipShared;
typedef struct _DpSipFailover DpSipFailover;

/* What every line shares: the core, its config and sofia's root on the
 * default GMainContext. Owned by the plugin object. */
typedef struct {
  DpCore    *core;
  DpConfig  *config;
  su_root_t *root;
  guint      next_rtp_port;   /* rotates through RTP_Port_Min..Max */
  GPtrArray *shared;          /* DpSipShared*: the shared lines (dp-sip-shared.c) */
} DpSipContext;

/* One nua (one listening socket) of a line. A line replaces its agent
 * when transport, port or bind address change; the old agent shuts down
 * (un-REGISTER, BYE) in the background and is destroyed afterwards. */
struct _DpSipAgent {
  DpSipLine *line;           /* NULL once retired */
  DpSipLine *owner;          /* the line whose retiring list frees it */
  nua_t     *nua;
  gboolean   shutdown_started;
  gboolean   shutdown_done;
  char      *contact_host;   /* the address sofia put in our Contact */
  guint      port;
  gboolean   own_sdp;        /* SOA off: the calls' SDP comes from the core's
                              * media provider (see dp-sip-call.c) */
  char      *tls_dir;        /* TLS lines: sofia's certificate dir (dp-sip-tls.c) */
};

struct _DpSipLine {
  DpSipContext   *ctx;
  guint           index;
  DpSipAgent     *agent;
  GPtrArray      *retiring;        /* DpSipAgent* shutting down */
  DpSipTransport  transport;
  char           *bind_address;
  gboolean        configured;      /* dp_sip_line_reconfigure() has run once */

  /* registration */
  nua_handle_t   *reg_nh;
  nua_handle_t   *unreg_nh;
  char           *reg_credentials_user;
  char           *reg_credentials_password;
  char           *unreg_credentials_user;
  char           *unreg_credentials_password;
  gboolean        register_after_unregister;
  guint           auth_attempts;
  guint           reg_failures;    /* consecutive, for the back-off (dp-sip-retry.c) */
  guint           retry_id;
  guint           reap_id;
  gboolean        registered;
  char           *agent_signature;
  char           *registration_signature;

  GPtrArray      *calls;           /* DpSipCall*, strong refs, until ended */
  int             dial_policy;     /* DpSrtpPolicy of *18 and *19 for the call being
                                    * dialled, -1: the line's */
  int             dial_call_waiting; /* *71 (1) / *70 (0) for it, -1: CW_Setting */
  int             dial_block_cid;  /* *81 (1) / *82 (0) for it, -1: Block_CID_Setting */
  char           *dial_codecs;     /* codec selection code for it: "G711a" (force) or
                                    * "G711a,*" (prefer), the media's "codecs"; NULL: none */
  struct _DpSipCallBack *call_back; /* the *66 order (dp-sip-callback.c), or NULL */
  DpSipShared    *shared;          /* the shared appearance it watches, or NULL */

  /* subscriptions (dp-sip-subscription.c) */
  GPtrArray      *subscriptions;   /* DpSipSubscription*, weak: the users own them */
  GPtrArray      *orphan_handles;  /* nua_handle_t* un-SUBSCRIBEing for a freed object */
  DpSipSubscription *mwi;          /* message-summary, when Voice_Mail_Server_n_ is set */
  char           *mwi_signature;
  char           *notify_nonce;    /* last challenge sent to a NOTIFY (resync/reboot) */

  GCancellable   *tls_check;       /* dp-sip-tls.c: naming a refused TLS server */

  DpSipFailover  *failover;        /* SRV targets (dp-sip-failover.c), or NULL */

  /* NAT keep-alive (dp-sip-nat.c) */
  guint           keepalive_id;
  guint           keepalive_interval;
  nua_handle_t   *keepalive_nh;    /* the last keep-alive NOTIFY */
};

/* dp-sip-line.c */
DpSipLine   *dp_sip_line_new               (DpSipContext  *ctx,
                                            guint          index);
void         dp_sip_line_free              (DpSipLine     *line);
void         dp_sip_line_reconfigure       (DpSipLine     *line);
void         dp_sip_line_shutdown          (DpSipLine     *line);
gboolean     dp_sip_line_shutdown_pending  (DpSipLine     *line);
DpCall      *dp_sip_line_dial              (DpSipLine     *line,
                                            const char    *target,
                                            GError       **error);
char        *dp_sip_line_param             (DpSipLine     *line,
                                            const char    *family);
const char  *dp_sip_line_get               (DpSipLine     *line,
                                            const char    *family);
gboolean     dp_sip_line_get_bool          (DpSipLine     *line,
                                            const char    *family);
gint64       dp_sip_line_get_int           (DpSipLine     *line,
                                            const char    *family);
char        *dp_sip_line_build_sdp         (DpSipLine     *line);
const char  *dp_sip_line_media_address     (DpSipLine     *line);
DpSrtpPolicy dp_sip_line_srtp_policy       (DpSipLine     *line);
void         dp_sip_line_forget_call       (DpSipLine     *line,
                                            DpCall        *call);

gboolean     dp_sip_line_is_unregistered   (DpSipLine     *line);
gboolean     dp_sip_line_can_subscribe     (DpSipLine     *line);
void         dp_sip_line_forget_subscription (DpSipLine   *line,
                                            DpSipSubscription *subscription);
void         dp_sip_line_adopt_handle      (DpSipLine     *line,
                                            nua_handle_t  *nh);
void         dp_sip_line_registration_failed (DpSipLine   *line,
                                            const char    *error);
void         dp_sip_line_register_now      (DpSipLine     *line);
void         dp_sip_line_reregister        (DpSipLine     *line);
char        *dp_sip_line_proxy_uri         (DpSipLine     *line);
char        *dp_sip_line_auth_user         (DpSipLine     *line);
gboolean     dp_sip_line_authenticate      (DpSipLine     *line,
                                            nua_handle_t  *nh,
                                            sip_t const   *sip);

/* dp-sip-subscription.c */
#define DP_TYPE_SIP_SUBSCRIPTION (dp_sip_subscription_get_type ())
G_DECLARE_FINAL_TYPE (DpSipSubscription, dp_sip_subscription, DP, SIP_SUBSCRIPTION,
                      DpSubscription)

void         dp_sip_subscription_register_type_in (GTypeModule *module);
DpSipSubscription *dp_sip_subscription_new (DpSipLine     *line,
                                            const char    *target,
                                            const char    *event,
                                            const char    *accept,
                                            guint          expires,
                                            GError       **error);
void         dp_sip_subscription_handle_event (DpSipSubscription *self,
                                            nua_event_t    event,
                                            int            status,
                                            const char    *phrase,
                                            sip_t const   *sip,
                                            tagi_t         tags[]);
void         dp_sip_subscription_restart   (DpSipSubscription *self);
void         dp_sip_subscription_agent_lost (DpSipSubscription *self);
void         dp_sip_subscription_line_gone (DpSipSubscription *self);

/* dp-sip-notify.c: out-of-dialog NOTIFY (resync/report/reboot, MWI) */
void         dp_sip_line_incoming_notify   (DpSipLine     *line,
                                            nua_t         *nua,
                                            nua_handle_t  *nh,
                                            int            status,
                                            sip_t const   *sip);
void         dp_sip_line_update_mwi        (DpSipLine     *line);
void         dp_sip_line_mwi_body          (DpSipLine     *line,
                                            const char    *body,
                                            gsize          len);

/* dp-sip-call.c */
#define DP_TYPE_SIP_CALL (dp_sip_call_get_type ())
G_DECLARE_FINAL_TYPE (DpSipCall, dp_sip_call, DP, SIP_CALL, DpCall)

void         dp_sip_call_register_type_in  (GTypeModule   *module);
DpSipCall   *dp_sip_call_new_outgoing      (DpSipLine     *line,
                                            const char    *uri,
                                            GError       **error);
DpSipCall   *dp_sip_call_new_incoming      (DpSipLine     *line,
                                            nua_handle_t  *nh,
                                            sip_t const   *sip);
void         dp_sip_call_handle_event      (DpSipCall     *self,
                                            nua_event_t    event,
                                            int            status,
                                            const char    *phrase,
                                            sip_t const   *sip,
                                            tagi_t         tags[]);
void         dp_sip_call_terminate         (DpSipCall     *self,
                                            const char    *reason);
gboolean     dp_sip_call_replace           (DpSipCall     *self);
void         dp_sip_call_forward_on_no_answer (DpSipCall  *self,
                                            guint          seconds,
                                            const char    *uri);
int          dp_sip_call_get_call_waiting  (DpSipCall     *self);
void         dp_sip_call_set_replacing     (DpSipCall     *self,
                                            DpSipCall     *replaced);

/* dp-sip-callback.c: call return (*69) and call back on busy (*66) */
char        *dp_sip_line_call_return_target (DpSipLine    *line,
                                            GError       **error);
gboolean     dp_sip_line_call_back_start   (DpSipLine     *line,
                                            GError       **error);
gboolean     dp_sip_line_call_back_cancel  (DpSipLine     *line);

/* dp-sip-shared.c: shared line appearance */
void         dp_sip_line_update_shared     (DpSipLine     *line);
void         dp_sip_line_drop_shared       (DpSipLine     *line);

/* dp-sip-incoming.c: the incoming-call policy */
void         dp_sip_line_incoming_invite   (DpSipLine     *line,
                                            nua_handle_t  *nh,
                                            sip_t const   *sip);
char        *dp_sip_line_forward_uri       (DpSipLine     *line,
                                            const char    *destination,
                                            const char    *parameter);
gboolean     dp_sip_line_play_tone         (DpSipLine     *line,
                                            const char    *tone);

/* dp-sip-tls.c (the rest is in dp-sip-tls.h) */
void         dp_sip_line_diagnose_tls      (DpSipLine     *line);
void         dp_sip_line_cancel_tls_check  (DpSipLine     *line);

/* dp-sip-failover.c */
gboolean     dp_sip_failover_prepare       (DpSipLine     *line);
const char  *dp_sip_failover_proxy         (DpSipLine     *line);
gboolean     dp_sip_failover_next          (DpSipLine     *line,
                                            int            status);
void         dp_sip_failover_registered    (DpSipLine     *line);
void         dp_sip_failover_reset         (DpSipLine     *line);
void         dp_sip_failover_free          (DpSipLine     *line);

/* dp-sip-nat.c */
const char  *dp_sip_line_nat_outbound      (DpSipLine     *line);
void         dp_sip_line_update_keepalive  (DpSipLine     *line);
void         dp_sip_line_stop_keepalive    (DpSipLine     *line);

/* dp-sip-plugin.c: the extension parameters the plugin registers. */
#define DP_SIP_BIND_ADDRESS "SIP_Bind_Address"

G_END_DECLS
