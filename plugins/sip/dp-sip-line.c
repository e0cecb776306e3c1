/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One extension (Ext n tab): its nua (listening socket and transport), its
 * registration and the dispatch of nua events to its calls.
 *
 * Decisions:
 * - A line runs a nua when `Line_Enable_n_` is Yes and `Proxy_n_` or
 *   `User_ID_n_` is set: the catalogue enables all six extensions on port
 *   5060 by default, and six unconfigured lines fighting over one port would
 *   only produce errors. An enabled line without either shows
 *   "not-registered" (no error: nothing failed).
 * - The line listens on the transport of `SIP_Transport_n_` only; the URIs
 *   the phone builds for the proxy carry `;transport=tcp|tls` accordingly.
 *   `SIP_Port_n_` 0 picks a free port, reported with dp_core_set_port().
 * - TLS (dp-sip-tls.c): the listener is bound with a sips: URL (so our
 *   Contact is sips:), servers must chain to `SIP_TLS_CA` and be named by
 *   the URI's host; a refused server fails the registration at once with
 *   "TLS: <reason>" as last error, and nothing is sent in clear instead.
 *   A change of `SIP_TLS_CA` replaces a TLS line's nua.
 * - `SIP_Bind_Address` (extension parameter, registered by the plugin):
 *   the address the SIP sockets bind to; empty binds all interfaces.
 * - A change of transport, port or bind address replaces the nua (the old
 *   one un-REGISTERs and ends its calls while shutting down); a change of
 *   proxy, user, credentials, expiry or display name un-REGISTERs and
 *   registers again on the same nua.
 * - Authentication: `Auth_ID_n_` when `Use_Auth_ID_n_` is Yes, else
 *   `User_ID_n_`, with `Password_n_`. A challenge answered once and
 *   challenged again means wrong credentials: the line goes FAILED with the
 *   status line of that response ("401 Unauthorized", "403 Forbidden").
 * - `Use_DNS_SRV_n_` Yes: a proxy named without a port is looked up by SRV
 *   and registered through its targets in order, moving on when one fails
 *   and back to the top after `Proxy_Fallback_Intvl_n_` (dp-sip-failover.c).
 *   No: sofia resolves A/AAAA only (no NAPTR/SRV), on the transport's
 *   default port. `DNS_SRV_Auto_Prefix_n_` has no effect of its own (the
 *   `_sip._udp.` prefixes are always added); `Proxy_Redundancy_Method_n_`
 *   "Based on SRV Port" is not done. The environment variable
 *   DESKPHONE_SIP_RESOLV_CONF names a resolv.conf for sofia's resolvers (it
 *   reads `nameserver` and its own `port N`), for tests with a DNS server
 *   on a high port.
 * - NAT keep-alive, rport and Contact mapping: dp-sip-nat.c.
 * - Retry after a failure: the Retry-After of a 503, else the back-off of
 *   dp-sip-retry.c (`Reg_Retry_Intvl`, then `Reg_Retry_Long_Intvl`, or
 *   doubling up to `Reg_Retry_Intvl_Cap`). 423 Interval Too Brief is handled by nua itself (it retries with
 *   the Min-Expires the registrar asks for).
 * - Incoming INVITEs (406, 433, 486, 302, 480, call waiting, forwarding,
 *   auto-answer): the policy is in dp-sip-incoming.c.
 * - Star codes at the start of a dialled number (spa9x2-reference §5.1,
 *   dp_star_code_resolve()): *16 and *17 set `Secure_Call_Setting` Yes/No,
 *   *18 and *19 make the call they prefix (or the next call) SRTP-required /
 *   plain (DP_SRTP_REQUIRED / DP_SRTP_OFF), *78 and *79 set `DND_Setting`,
 *   *72 and *73 (and busy / no answer) set or clear `Cfwd_*_Dest`; *56 and
 *   *57 set `CW_Setting`, *67 and *68 `Block_CID_Setting`, *77 and *87
 *   `Block_ANC_Setting`; *71 / *70 (call waiting) and *81 / *82 (caller
 *   ID blocked) apply to the call they prefix (or the next call); *69
 *   calls the last caller and *66 / *86 order or cancel a call back
 *   (dp-sip-callback.c). The codec selection codes of §5.4 (*017110 ...
 *   prefer, *027110 ... force) set the media session's codec list for the
 *   call they prefix ("G711a,*" / "G711a"; a forced codec GStreamer lacks
 *   fails the dial naming it). Codes may chain (*18*78...). Other codes go
 *   to the network as dialled. When only
 *   codes were dialled no call is placed: the dial fails with
 *   DP_CALL_ERROR_FAILED "feature code(s) applied, no call placed" (the
 *   core has no "done, nothing to call" result).
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sresolv.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>
#include <stdlib.h>
#include <string.h>

static void start_registration (DpSipLine *line);
static void on_nua_event (nua_event_t event, int status, char const *phrase, nua_t *nua,
                          nua_magic_t *magic, nua_handle_t *nh, nua_hmagic_t *hmagic,
                          sip_t const *sip, tagi_t tags[]);

char *
dp_sip_line_param (DpSipLine *line, const char *family)
{
  return g_strdup_printf ("%s_%u_", family, line->index);
}

const char *
dp_sip_line_get (DpSipLine *line, const char *family)
{
  g_autofree char *name = dp_sip_line_param (line, family);
  const char *value = dp_config_get (line->ctx->config, name);

  return value ? value : "";
}

gboolean
dp_sip_line_get_bool (DpSipLine *line, const char *family)
{
  g_autofree char *name = dp_sip_line_param (line, family);

  return dp_config_get_bool (line->ctx->config, name);
}

gint64
dp_sip_line_get_int (DpSipLine *line, const char *family)
{
  g_autofree char *name = dp_sip_line_param (line, family);

  return dp_config_get_int (line->ctx->config, name);
}

static gboolean
line_should_run (DpSipLine *line)
{
  return dp_sip_line_get_bool (line, "Line_Enable") &&
         (*dp_sip_line_get (line, "Proxy") != '\0' || *dp_sip_line_get (line, "User_ID") != '\0');
}

static gboolean
line_should_register (DpSipLine *line)
{
  return dp_sip_line_get_bool (line, "Register") && *dp_sip_line_get (line, "Proxy") != '\0';
}

static DpLine *
core_line (DpSipLine *line)
{
  return dp_core_get_line (line->ctx->core, line->index);
}

static void
set_registration (DpSipLine *line, DpRegistrationState state, const char *error)
{
  DpLine *dp_line = core_line (line);

  if (dp_line == NULL)
    return;
  dp_line_set_registration (dp_line, state, error);
  if (state != DP_REGISTRATION_REGISTERED)
    dp_line_set_expires_at (dp_line, 0);
}

/* ---- agents (one nua each) ---- */

static void
agent_free (DpSipAgent *agent)
{
  if (agent->nua != NULL)
    nua_destroy (agent->nua);
  g_free (agent->contact_host);
  g_free (agent->tls_dir);
  g_free (agent);
}

static void
retire_agent (DpSipLine *line)
{
  DpSipAgent *agent = line->agent;

  if (agent == NULL)
    return;
  line->agent = NULL;
  /* The registration handles belong to that nua: nua_shutdown()
   * un-REGISTERs them and nua_destroy() frees them. */
  line->reg_nh = NULL;
  line->unreg_nh = NULL;
  line->register_after_unregister = FALSE;
  line->registered = FALSE;
  g_clear_handle_id (&line->retry_id, g_source_remove);
  dp_sip_line_cancel_tls_check (line);
  dp_sip_line_stop_keepalive (line);
  dp_sip_failover_reset (line);
  while (line->calls->len > 0)
    dp_sip_call_terminate (g_ptr_array_index (line->calls, 0), "shutdown");
  /* Their handles go down with this nua; they start again on the next. */
  for (guint i = 0; i < line->subscriptions->len; i++)
    dp_sip_subscription_agent_lost (g_ptr_array_index (line->subscriptions, i));
  g_ptr_array_set_size (line->orphan_handles, 0);
  agent->line = NULL;
  agent->shutdown_started = TRUE;
  g_ptr_array_add (line->retiring, agent);
  nua_shutdown (agent->nua);
}

static char *
agent_url (DpSipLine *line, guint port)
{
  const char *bind = line->bind_address;
  const char *host = (bind != NULL && *bind != '\0') ? bind : "*";
  gboolean ipv6 = strchr (host, ':') != NULL;

  /* nta binds TLS only for a sips: URL ("sip:...;transport=tls" is
   * refused: EPROTONOSUPPORT). */
  return g_strdup_printf ("%s:%s%s%s:%u;transport=%s",
                          line->transport == DP_SIP_TRANSPORT_TLS ? "sips" : "sip",
                          ipv6 ? "[" : "", host, ipv6 ? "]" : "",
                          port, dp_sip_transport_to_param (line->transport));
}

/**
 * dp_sip_line_proxy_uri:
 *
 * Returns: (transfer full) (nullable): where requests go first (NUTAG_PROXY):
 *   the outbound proxy when used, else the SRV target in use
 *   (dp-sip-failover.c), else %NULL (the Request-URI decides).
 */
char *
dp_sip_line_proxy_uri (DpSipLine *line)
{
  const char *outbound = dp_sip_line_get (line, "Outbound_Proxy");

  if (dp_sip_line_get_bool (line, "Use_Outbound_Proxy") && *outbound != '\0')
    {
      g_autoptr(GError) error = NULL;
      char *uri = dp_sip_server_uri (outbound, line->transport, &error);

      if (uri == NULL)
        g_warning ("line %u: outbound proxy ignored: %s", line->index, error->message);
      return uri;
    }
  return g_strdup (dp_sip_failover_proxy (line));
}

static void
apply_agent_params (DpSipLine *line)
{
  DpConfig *config = line->ctx->config;
  g_autofree char *user_agent =
    dp_sip_expand_user_agent (dp_config_get (config, "SIP_User_Agent_Name"),
                              dp_core_get_version (line->ctx->core));
  const char *user = dp_sip_line_get (line, "User_ID");
  const char *display = dp_sip_line_get (line, "Display_Name");
  const char *proxy = dp_sip_line_get (line, "Proxy");
  g_autofree char *from = NULL;
  g_autofree char *proxy_uri = NULL;
  guint t1 = (guint) (dp_config_get_double (config, "SIP_T1") * 1000);
  guint t2 = (guint) (dp_config_get_double (config, "SIP_T2") * 1000);
  guint t4 = (guint) (dp_config_get_double (config, "SIP_T4") * 1000);
  gboolean srv = dp_sip_line_get_bool (line, "Use_DNS_SRV");
  gint64 fallback = dp_sip_line_get_int (line, "Proxy_Fallback_Intvl");

  if (*user != '\0' && *proxy != '\0')
    {
      g_autofree char *aor = dp_sip_aor (user, proxy, NULL);

      if (aor != NULL && *display != '\0')
        {
          /* A quoted display name: escape what would end the quotes. */
          GString *quoted = g_string_new ("\"");

          for (const char *p = display; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (quoted, '\\');
              if ((guchar) *p >= ' ')
                g_string_append_c (quoted, *p);
            }
          g_string_append_printf (quoted, "\" <%s>", aor);
          from = g_string_free (quoted, FALSE);
        }
      else
        from = g_steal_pointer (&aor);
    }
  proxy_uri = dp_sip_line_proxy_uri (line);
  nua_set_params (line->agent->nua,
                  NUTAG_USER_AGENT (*user_agent != '\0' ? user_agent : NULL),
                  NUTAG_M_USERNAME (*user != '\0' ? user : "deskphone"),
                  NUTAG_M_DISPLAY (*display != '\0' ? display : NULL),
                  TAG_IF (from != NULL, SIPTAG_FROM_STR (from)),
                  NUTAG_PROXY (proxy_uri),
                  NUTAG_OUTBOUND (dp_sip_line_nat_outbound (line)),
                  NTATAG_CLIENT_RPORT (dp_config_get_bool (config, "Insert_VIA_rport")),
                  NTATAG_SERVER_RPORT (dp_config_get_bool (config, "Send_Resp_To_Src_Port")
                                       ? 2 : 1),
                  TAG_IF (t1 > 0, NTATAG_SIP_T1 (t1)),
                  TAG_IF (t2 > 0, NTATAG_SIP_T2 (t2)),
                  TAG_IF (t4 > 0, NTATAG_SIP_T4 (t4)),
                  /* sofia's own RFC 3263 lookups, for URIs the line does
                   * not route through an SRV target of dp-sip-failover.c
                   * (NUTAG_PROXY, which all its requests follow): NAPTR/SRV
                   * only with Use_DNS_SRV_n_; a target that timed out is
                   * avoided for Proxy_Fallback_Intvl_n_ s. */
                  NTATAG_USE_SRV (srv),
                  NTATAG_USE_NAPTR (srv),
                  TAG_IF (fallback > 0, NTATAG_GRAYLIST ((unsigned) MIN (fallback, 86400))),
                  NUTAG_AUTOALERT (0),
                  NUTAG_AUTOANSWER (0),
                  NUTAG_ENABLEMESSAGE (1),
                  /* Unsolicited NOTIFY (resync, reboot, MWI) is ours to
                   * answer; nua still answers those of our subscriptions. */
                  NUTAG_APPL_METHOD ("NOTIFY"),
                  TAG_END ());
}

static gboolean
create_agent (DpSipLine *line)
{
  DpSipAgent *agent = g_new0 (DpSipAgent, 1);
  g_autofree char *url = agent_url (line, (guint) dp_sip_line_get_int (line, "SIP_Port"));
  g_autoptr(GError) tls_error = NULL;
  const char *resolv_conf = g_getenv ("DESKPHONE_SIP_RESOLV_CONF");

  agent->line = line;
  agent->owner = line;
  agent->own_sdp = dp_core_get_media_provider (line->ctx->core) != NULL;
  if (line->transport == DP_SIP_TRANSPORT_TLS)
    {
      agent->tls_dir = dp_sip_tls_prepare (dp_core_get_state_dir (line->ctx->core),
                                           dp_config_get (line->ctx->config, DP_SIP_TLS_CA),
                                           &tls_error);
      if (agent->tls_dir == NULL)
        {
          g_warning ("line %u: %s", line->index, tls_error->message);
          g_free (agent);
          set_registration (line, DP_REGISTRATION_FAILED, tls_error->message);
          return FALSE;
        }
    }
  /* The TLS tags are read when the listening transport is made, here; a
   * server must chain to cafile.pem and be named by the URI's host. */
  agent->nua = nua_create (line->ctx->root, on_nua_event, agent,
                           NUTAG_URL (url),
                           TAG_IF (resolv_conf != NULL, SRESTAG_RESOLV_CONF (resolv_conf)),
                           NUTAG_MEDIA_ENABLE (!agent->own_sdp),
                           TAG_IF (agent->tls_dir != NULL, TPTAG_CERTIFICATE (agent->tls_dir)),
                           TAG_IF (agent->tls_dir != NULL,
                                   TPTAG_TLS_VERIFY_POLICY (TPTLS_VERIFY_SUBJECTS_OUT)),
                           TAG_IF (agent->tls_dir != NULL, TPTAG_TLS_VERIFY_DEPTH (8)),
                           TAG_END ());
  if (agent->nua == NULL)
    {
      g_autofree char *error = g_strdup_printf (_("cannot listen on %s"), url);

      g_warning ("line %u: %s", line->index, error);
      g_free (agent->tls_dir);
      g_free (agent);
      set_registration (line, DP_REGISTRATION_FAILED, error);
      return FALSE;
    }
  line->agent = agent;
  apply_agent_params (line);
  /* The reply names the port and address sofia bound (port 0 = any). */
  nua_get_params (agent->nua, NTATAG_CONTACT (NULL), TAG_END ());
  g_debug ("line %u listens on %s", line->index, url);
  return TRUE;
}

static void
on_get_params (DpSipAgent *agent, tagi_t tags[])
{
  sip_contact_t const *contact = NULL;

  tl_gets (tags, NTATAG_CONTACT_REF (contact), TAG_END ());
  if (contact == NULL)
    return;
  agent->port = contact->m_url->url_port ? (guint) strtoul (contact->m_url->url_port, NULL, 10)
                                         : 5060;
  g_free (agent->contact_host);
  agent->contact_host = g_strdup (contact->m_url->url_host);
  if (agent->line != NULL)
    {
      dp_core_set_port (agent->line->ctx->core, "sip", agent->line->index, agent->port);
      g_message ("line %u: SIP on %s:%u (%s)", agent->line->index, agent->contact_host,
                 agent->port, dp_sip_transport_to_param (agent->line->transport));
    }
}

/* ---- registration ---- */

static gboolean
on_retry (gpointer user_data)
{
  DpSipLine *line = user_data;

  line->retry_id = 0;
  start_registration (line);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (DpSipLine *line, guint seconds)
{
  g_clear_handle_id (&line->retry_id, g_source_remove);
  /* Not g_timeout_add_seconds(): it may fire up to a second early, and a
   * retry must not come before the interval (or a Retry-After). */
  line->retry_id = g_timeout_add ((guint) MIN (MAX (seconds, 1), 86400) * 1000, on_retry, line);
}

static void
drop_handle (nua_handle_t **nh)
{
  if (*nh != NULL)
    {
      nua_handle_destroy (*nh);
      *nh = NULL;
    }
}

static void
start_registration (DpSipLine *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *registrar = NULL;
  g_autofree char *expires = NULL;
  const char *user = dp_sip_line_get (line, "User_ID");
  const char *proxy = dp_sip_line_get (line, "Proxy");
  const char *reg_agent = dp_config_get (line->ctx->config, "SIP_Reg_User_Agent_Name");
  g_autofree char *reg_user_agent = NULL;
  gint64 seconds;

  g_clear_handle_id (&line->retry_id, g_source_remove);
  dp_sip_line_cancel_tls_check (line);
  drop_handle (&line->reg_nh);
  line->registered = FALSE;
  if (line->agent == NULL)
    return;
  if (!line_should_register (line))
    {
      set_registration (line, DP_REGISTRATION_NONE, NULL);
      return;
    }
  aor = dp_sip_aor (user, proxy, &error);
  if (aor != NULL)
    registrar = dp_sip_server_uri (proxy, line->transport, &error);
  if (registrar == NULL)
    {
      set_registration (line, DP_REGISTRATION_FAILED, error->message);
      return;
    }
  seconds = dp_sip_line_get_int (line, "Register_Expires");
  if (seconds <= 0)
    seconds = 3600;
  expires = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  g_free (line->reg_credentials_user);
  g_free (line->reg_credentials_password);
  line->reg_credentials_user = g_strdup (dp_sip_line_get_bool (line, "Use_Auth_ID")
                                         ? dp_sip_line_get (line, "Auth_ID") : user);
  line->reg_credentials_password = g_strdup (dp_sip_line_get (line, "Password"));
  line->auth_attempts = 0;
  if (reg_agent != NULL && *reg_agent != '\0')
    reg_user_agent = dp_sip_expand_user_agent (reg_agent, dp_core_get_version (line->ctx->core));

  set_registration (line, DP_REGISTRATION_REGISTERING, NULL);
  /* An SRV lookup first: it starts the registration again. */
  if (dp_sip_failover_prepare (line))
    return;
  line->reg_nh = nua_handle (line->agent->nua, NULL,
                             SIPTAG_TO_STR (aor),
                             SIPTAG_FROM_STR (aor),
                             TAG_END ());
  nua_register (line->reg_nh,
                NUTAG_REGISTRAR (registrar),
                SIPTAG_EXPIRES_STR (expires),
                TAG_IF (reg_user_agent != NULL, SIPTAG_USER_AGENT_STR (reg_user_agent)),
                TAG_END ());
  g_debug ("line %u: REGISTER %s at %s", line->index, aor, registrar);
  /* sofia reports a refused TLS server only by a timeout (32 s): the same
   * check made aside ends the attempt at once, with the reason. */
  if (line->transport == DP_SIP_TRANSPORT_TLS)
    dp_sip_line_diagnose_tls (line);
}

/* From dp-sip-failover.c: its SRV lookup is done. */
void
dp_sip_line_register_now (DpSipLine *line)
{
  if (line->reg_nh == NULL)
    start_registration (line);
}

static void restart_registration (DpSipLine *line);

/* From dp-sip-failover.c: back to the top server. */
void
dp_sip_line_reregister (DpSipLine *line)
{
  restart_registration (line);
}

/* Un-REGISTERs what the line registered, then (optionally) registers anew:
 * the un-REGISTER of the old binding must not overtake the new one. */
static void
restart_registration (DpSipLine *line)
{
  g_clear_handle_id (&line->retry_id, g_source_remove);
  if (line->unreg_nh != NULL)
    {
      drop_handle (&line->reg_nh);
      line->register_after_unregister = TRUE;
      return;
    }
  if (line->reg_nh != NULL && line->registered)
    {
      line->unreg_nh = line->reg_nh;
      line->reg_nh = NULL;
      line->registered = FALSE;
      g_free (line->unreg_credentials_user);
      g_free (line->unreg_credentials_password);
      line->unreg_credentials_user = g_steal_pointer (&line->reg_credentials_user);
      line->unreg_credentials_password = g_steal_pointer (&line->reg_credentials_password);
      line->register_after_unregister = TRUE;
      nua_unregister (line->unreg_nh, TAG_END ());
      return;
    }
  start_registration (line);
}

static gboolean
authenticate (nua_handle_t *nh, sip_t const *sip, const char *user, const char *password)
{
  sip_www_authenticate_t const *au = NULL;
  const char *realm;
  g_autofree char *credentials = NULL;

  if (sip != NULL)
    au = sip->sip_www_authenticate ? sip->sip_www_authenticate
                                   : (sip_www_authenticate_t const *) sip->sip_proxy_authenticate;
  realm = au ? msg_params_find (au->au_params, "realm=") : NULL;
  if (realm == NULL || user == NULL)
    return FALSE;
  credentials = dp_sip_digest_credentials (realm, user, password ? password : "");
  nua_authenticate (nh, NUTAG_AUTH (credentials), TAG_END ());
  return TRUE;
}

char *
dp_sip_line_auth_user (DpSipLine *line)
{
  return g_strdup (dp_sip_line_get_bool (line, "Use_Auth_ID") ? dp_sip_line_get (line, "Auth_ID")
                                                              : dp_sip_line_get (line, "User_ID"));
}

/* Answers a challenge to a request on @nh with the line's credentials. */
gboolean
dp_sip_line_authenticate (DpSipLine *line, nua_handle_t *nh, sip_t const *sip)
{
  g_autofree char *user = dp_sip_line_auth_user (line);

  return authenticate (nh, sip, user, dp_sip_line_get (line, "Password"));
}

static void
restart_subscriptions (DpSipLine *line)
{
  g_autoptr(GPtrArray) subs = g_ptr_array_new_with_free_func (g_object_unref);

  /* A restart may end in a signal handler that drops a subscription. */
  for (guint i = 0; i < line->subscriptions->len; i++)
    g_ptr_array_add (subs, g_object_ref (g_ptr_array_index (line->subscriptions, i)));
  for (guint i = 0; i < subs->len; i++)
    dp_sip_subscription_restart (g_ptr_array_index (subs, i));
}

static gint64
granted_expiry (DpSipLine *line, sip_t const *sip)
{
  gint64 expires = dp_sip_line_get_int (line, "Register_Expires");

  if (sip == NULL)
    return expires;
  if (sip->sip_expires != NULL)
    expires = sip->sip_expires->ex_delta;
  /* The registrar lists every binding of the AOR; ours is the one with
   * our address and port. */
  for (sip_contact_t const *m = sip->sip_contact; m != NULL; m = m->m_next)
    {
      guint port = m->m_url->url_port ? (guint) strtoul (m->m_url->url_port, NULL, 10) : 5060;

      if (m->m_expires != NULL && line->agent != NULL && port == line->agent->port &&
          g_strcmp0 (m->m_url->url_host, line->agent->contact_host) == 0)
        expires = (gint64) strtoul (m->m_expires, NULL, 10);
    }
  return expires;
}

static void
on_unregister_response (DpSipLine *line, int status, sip_t const *sip)
{
  if (status < 200)
    return;
  if ((status == 401 || status == 407) && line->auth_attempts++ == 0 &&
      authenticate (line->unreg_nh, sip, line->unreg_credentials_user,
                    line->unreg_credentials_password))
    return;
  drop_handle (&line->unreg_nh);
  line->auth_attempts = 0;
  if (line->register_after_unregister)
    {
      line->register_after_unregister = FALSE;
      start_registration (line);
    }
}

/* Ends the registration attempt in flight; the next one starts after
 * @retry_after seconds (a 503's Retry-After) or Reg_Retry_Intvl. */
static guint
config_seconds (DpSipLine *line, const char *name)
{
  /* Blank optional timers read as 0 (off). */
  return (guint) CLAMP (dp_config_get_int (line->ctx->config, name), 0, G_MAXUINT);
}

static void
registration_failed (DpSipLine *line, const char *error, guint retry_after)
{
  DpSipRetryPolicy policy = {
    .interval = config_seconds (line, "Reg_Retry_Intvl"),
    .long_interval = config_seconds (line, "Reg_Retry_Long_Intvl"),
    .random_delay = config_seconds (line, "Reg_Retry_Random_Delay"),
    .long_random_delay = config_seconds (line, "Reg_Retry_Long_Random_Delay"),
    .cap = config_seconds (line, "Reg_Retry_Intvl_Cap"),
  };
  guint retry = retry_after;

  line->registered = FALSE;
  line->reg_failures++;
  drop_handle (&line->reg_nh);
  set_registration (line, DP_REGISTRATION_FAILED, error);
  if (retry == 0)
    retry = dp_sip_retry_delay (&policy, line->reg_failures, g_random_double ());
  if (retry == 0)
    {
      g_message ("line %u: registration failed (%s) %u times, no more retries "
                 "(Reg_Retry_Long_Intvl is 0)", line->index, error, line->reg_failures);
      return;
    }
  g_message ("line %u: registration failed (%s), retry in %u s", line->index, error, retry);
  schedule_retry (line, retry);
}

/* A failure found outside nua (dp-sip-tls.c): the attempt in flight ends. */
void
dp_sip_line_registration_failed (DpSipLine *line, const char *error)
{
  registration_failed (line, error, 0);
}

static void
on_register_response (DpSipLine *line, int status, const char *phrase, sip_t const *sip)
{
  g_autofree char *error = NULL;
  guint retry;

  if (status < 200)
    return;
  if (status == 401 || status == 407)
    {
      /* Answer a challenge once; a second one for the same request means
       * the credentials are wrong. */
      if (line->auth_attempts == 0 &&
          authenticate (line->reg_nh, sip, line->reg_credentials_user,
                        line->reg_credentials_password))
        {
          line->auth_attempts++;
          return;
        }
    }
  if (status >= 200 && status < 300)
    {
      gint64 expires = granted_expiry (line, sip);
      DpLine *dp_line = core_line (line);

      gboolean was_registered = line->registered;

      line->auth_attempts = 0;
      line->reg_failures = 0;
      line->registered = TRUE;
      dp_sip_failover_registered (line);
      set_registration (line, DP_REGISTRATION_REGISTERED, NULL);
      /* (Re-)registered after being without: the server may have lost the
       * subscriptions' dialogs, and those waiting for it can go now. */
      if (!was_registered)
        restart_subscriptions (line);
      if (dp_line != NULL)
        dp_line_set_expires_at (dp_line, g_get_real_time () / G_USEC_PER_SEC + expires);
      g_message ("line %u: registered for %" G_GINT64_FORMAT " s", line->index, expires);
      return;
    }

  error = g_strdup_printf ("%03d %s", status, phrase ? phrase : "");
  if (dp_sip_failover_next (line, status))
    {
      line->registered = FALSE;
      drop_handle (&line->reg_nh);
      set_registration (line, DP_REGISTRATION_FAILED, error);
      start_registration (line);
      return;
    }
  retry = 0;
  if (status == 503 && sip != NULL && sip->sip_retry_after != NULL &&
      sip->sip_retry_after->af_delta > 0)
    retry = (guint) MIN (sip->sip_retry_after->af_delta, 86400);
  registration_failed (line, error, retry);
  /* No answer from a TLS server: name what its certificate lacks. */
  if (line->transport == DP_SIP_TRANSPORT_TLS && (status == 408 || status == 503))
    dp_sip_line_diagnose_tls (line);
}

/* Frees retired agents whose shutdown has finished (or all of them). */
static void
reap_retired (DpSipLine *line, gboolean all)
{
  for (guint i = 0; i < line->retiring->len;)
    {
      DpSipAgent *agent = g_ptr_array_index (line->retiring, i);

      if (agent->shutdown_done || all)
        {
          g_ptr_array_remove_index (line->retiring, i);
          agent_free (agent);
        }
      else
        i++;
    }
}

static gboolean
on_reap (gpointer user_data)
{
  DpSipLine *line = user_data;

  line->reap_id = 0;
  reap_retired (line, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_nua_event (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              sip_t const  *sip,
              tagi_t        tags[])
{
  DpSipAgent *agent = magic;
  DpSipLine *line = agent->line;

  g_debug ("nua %p: %s %d %s", (void *) nua, nua_event_name (event), status,
           phrase ? phrase : "");

  if (event == nua_r_shutdown)
    {
      if (status >= 200 && !agent->shutdown_done)
        {
          agent->shutdown_done = TRUE;
          /* nua_destroy() must not run inside nua's own callback. */
          if (agent->owner != NULL && agent->owner->reap_id == 0)
            agent->owner->reap_id = g_idle_add (on_reap, agent->owner);
        }
      return;
    }
  if (event == nua_r_get_params)
    {
      on_get_params (agent, tags);
      return;
    }
  if (hmagic != NULL)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (hmagic, DP_TYPE_SIP_SUBSCRIPTION))
        dp_sip_subscription_handle_event (DP_SIP_SUBSCRIPTION (hmagic), event, status, phrase,
                                          sip, tags);
      else
        dp_sip_call_handle_event (DP_SIP_CALL (hmagic), event, status, phrase, sip, tags);
      return;
    }
  if (line == NULL)
    return;   /* a retired agent: nua finishes on its own */

  if (nh != NULL && g_ptr_array_find (line->orphan_handles, nh, NULL))
    {
      /* An un-SUBSCRIBE whose subscription object is gone. */
      int substate = nua_substate_embryonic;

      tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
      /* After a 2xx the notifier's terminating NOTIFY ends the usage;
       * destroying the handle before it would un-SUBSCRIBE again. */
      if ((event == nua_r_unsubscribe && status >= 300) ||
          (event == nua_i_notify && substate == nua_substate_terminated))
        {
          g_ptr_array_remove (line->orphan_handles, nh);
          nua_handle_destroy (nh);
        }
      return;
    }

  if (nh != NULL && nh == line->reg_nh && (event == nua_r_register || event == nua_r_unregister))
    on_register_response (line, status, phrase, sip);
  else if (nh != NULL && nh == line->unreg_nh && event == nua_r_unregister)
    on_unregister_response (line, status, sip);
  else if (event == nua_i_invite)
    dp_sip_line_incoming_invite (line, nh, sip);
  else if (event == nua_i_notify && nh != NULL && nh != line->reg_nh && nh != line->unreg_nh)
    {
      dp_sip_line_incoming_notify (line, nua, nh, status, sip);
      nua_handle_destroy (nh);
    }
  else if (nh != NULL && nh != line->reg_nh && nh != line->unreg_nh &&
           nua_event_is_incoming_request (event))
    {
      /* Out-of-dialog requests nua answered itself (OPTIONS, MESSAGE ...):
       * their handles are ours to free. */
      nua_handle_destroy (nh);
    }
}

/* ---- public ---- */

DpSipLine *
dp_sip_line_new (DpSipContext *ctx, guint index)
{
  DpSipLine *line = g_new0 (DpSipLine, 1);

  line->ctx = ctx;
  line->index = index;
  line->dial_policy = -1;
  line->dial_call_waiting = -1;
  line->dial_block_cid = -1;
  line->retiring = g_ptr_array_new ();
  line->calls = g_ptr_array_new_with_free_func (g_object_unref);
  line->subscriptions = g_ptr_array_new ();
  line->orphan_handles = g_ptr_array_new ();
  return line;
}

void
dp_sip_line_free (DpSipLine *line)
{
  if (line == NULL)
    return;
  g_clear_handle_id (&line->retry_id, g_source_remove);
  g_clear_handle_id (&line->reap_id, g_source_remove);
  dp_sip_line_drop_shared (line);
  dp_sip_line_cancel_tls_check (line);
  dp_sip_line_stop_keepalive (line);
  if (line->agent != NULL)
    retire_agent (line);
  dp_sip_failover_free (line);
  /* The users of the subscriptions may keep them: they end here. */
  while (line->subscriptions->len > 0)
    {
      DpSipSubscription *sub = g_ptr_array_steal_index (line->subscriptions, 0);

      dp_sip_subscription_line_gone (sub);
    }
  g_clear_object (&line->mwi);
  dp_sip_line_call_back_cancel (line);
  reap_retired (line, TRUE);
  g_ptr_array_unref (line->retiring);
  g_ptr_array_unref (line->subscriptions);
  g_ptr_array_unref (line->orphan_handles);
  g_free (line->mwi_signature);
  g_free (line->notify_nonce);
  g_ptr_array_unref (line->calls);
  g_free (line->bind_address);
  g_free (line->dial_codecs);
  g_free (line->reg_credentials_user);
  g_free (line->reg_credentials_password);
  g_free (line->unreg_credentials_user);
  g_free (line->unreg_credentials_password);
  g_free (line->agent_signature);
  g_free (line->registration_signature);
  g_free (line);
}

static char *
registration_signature (DpSipLine *line)
{
  static const char * const families[] = {
    "Register", "Proxy", "User_ID", "Auth_ID", "Use_Auth_ID", "Password",
    "Register_Expires", "Outbound_Proxy", "Use_Outbound_Proxy", "Display_Name",
    "Use_DNS_SRV",
  };
  GString *sig = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_string_append (sig, dp_sip_line_get (line, families[i]));
      g_string_append_c (sig, '\n');
    }
  return g_string_free (sig, FALSE);
}

/**
 * dp_sip_line_reconfigure:
 * @line: a line
 *
 * Brings the line in line with the configuration: creates, replaces or
 * retires its nua and (re-)registers as needed. Called at activation and
 * after every change of a parameter the line reads.
 */
void
dp_sip_line_reconfigure (DpSipLine *line)
{
  g_autofree char *agent_sig = NULL;
  g_autofree char *reg_sig = NULL;
  const char *bind = dp_config_get (line->ctx->config, DP_SIP_BIND_ADDRESS);
  gboolean new_agent = FALSE;

  reap_retired (line, FALSE);
  line->configured = TRUE;
  if (!line_should_run (line))
    {
      gboolean enabled = dp_sip_line_get_bool (line, "Line_Enable");

      retire_agent (line);
      g_clear_pointer (&line->agent_signature, g_free);
      g_clear_pointer (&line->registration_signature, g_free);
      dp_core_set_port (line->ctx->core, "sip", line->index, 0);
      /* Not a failure: no last error (DpLine keeps one until a success). */
      set_registration (line, enabled ? DP_REGISTRATION_NONE : DP_REGISTRATION_DISABLED, NULL);
      dp_sip_line_update_mwi (line);
      dp_sip_line_update_shared (line);
      return;
    }

  /* A media provider that came or went since the nua was made needs the
   * other SDP mode (SOA or own), which nua fixes at creation. */
  agent_sig = g_strdup_printf ("%s|%s|%s|%d|%s", dp_sip_line_get (line, "SIP_Transport"),
                               dp_sip_line_get (line, "SIP_Port"), bind ? bind : "",
                               dp_core_get_media_provider (line->ctx->core) != NULL,
                               dp_sip_transport_from_string (
                                 dp_sip_line_get (line, "SIP_Transport")) == DP_SIP_TRANSPORT_TLS
                               ? dp_config_get (line->ctx->config, DP_SIP_TLS_CA) : "");
  if (line->agent == NULL || g_strcmp0 (agent_sig, line->agent_signature) != 0)
    {
      retire_agent (line);
      line->transport = dp_sip_transport_from_string (dp_sip_line_get (line, "SIP_Transport"));
      g_free (line->bind_address);
      line->bind_address = g_strdup (bind);
      g_clear_pointer (&line->agent_signature, g_free);
      if (!create_agent (line))
        return;
      line->agent_signature = g_steal_pointer (&agent_sig);
      new_agent = TRUE;
    }
  else
    apply_agent_params (line);

  reg_sig = registration_signature (line);
  if (new_agent || g_strcmp0 (reg_sig, line->registration_signature) != 0)
    {
      g_free (line->registration_signature);
      line->registration_signature = g_steal_pointer (&reg_sig);
      line->reg_failures = 0;   /* new settings: back-off starts over */
      dp_sip_failover_reset (line);
      if (new_agent)
        start_registration (line);
      else
        restart_registration (line);
    }
  if (new_agent)
    restart_subscriptions (line);
  dp_sip_line_update_mwi (line);
  dp_sip_line_update_shared (line);
  dp_sip_line_update_keepalive (line);
}

/* Whether the line should be registered and is not. */
gboolean
dp_sip_line_is_unregistered (DpSipLine *line)
{
  return line_should_register (line) && !line->registered;
}

/**
 * dp_sip_line_can_subscribe:
 *
 * Whether SUBSCRIBEs can go now: the line runs a nua and, if it should
 * register, is registered.
 */
gboolean
dp_sip_line_can_subscribe (DpSipLine *line)
{
  return line->agent != NULL && (!line_should_register (line) || line->registered);
}

void
dp_sip_line_forget_subscription (DpSipLine *line, DpSipSubscription *subscription)
{
  g_ptr_array_remove (line->subscriptions, subscription);
}

/* Takes over a handle whose un-SUBSCRIBE is still in flight. */
void
dp_sip_line_adopt_handle (DpSipLine *line, nua_handle_t *nh)
{
  if (line->agent == NULL)
    {
      nua_handle_destroy (nh);
      return;
    }
  g_ptr_array_add (line->orphan_handles, nh);
}

/**
 * dp_sip_line_shutdown:
 *
 * Ends the line's calls and shuts its nua down (un-REGISTER). Completion
 * is reported by dp_sip_line_shutdown_pending().
 */
void
dp_sip_line_shutdown (DpSipLine *line)
{
  g_clear_handle_id (&line->retry_id, g_source_remove);
  retire_agent (line);
  set_registration (line, DP_REGISTRATION_DISABLED, NULL);
}

gboolean
dp_sip_line_shutdown_pending (DpSipLine *line)
{
  for (guint i = 0; i < line->retiring->len; i++)
    if (!((DpSipAgent *) g_ptr_array_index (line->retiring, i))->shutdown_done)
      return TRUE;
  return FALSE;
}

void
dp_sip_line_forget_call (DpSipLine *line, DpCall *call)
{
  g_ptr_array_remove (line->calls, call);
}

/**
 * dp_sip_line_media_address:
 *
 * The address RTP binds to and SDP announces: `SIP_Bind_Address` when
 * set, else the host sofia put in our Contact, else 127.0.0.1.
 */
const char *
dp_sip_line_media_address (DpSipLine *line)
{
  if (line->bind_address != NULL && *line->bind_address != '\0')
    return line->bind_address;
  if (line->agent != NULL && line->agent->contact_host != NULL)
    return line->agent->contact_host;
  return "127.0.0.1";
}

/**
 * dp_sip_line_srtp_policy:
 *
 * The line's SRTP policy (spa9x2-reference §12.3 leaves the mapping open):
 * `Secure_Call_Serv` No (Phone tab, the service is off) -> off;
 * `Secure_Call_Setting` Yes (User tab, "all calls secure") -> required;
 * otherwise optional (SRTP offered when SDES may be sent, plain RTP
 * accepted). The per-call star codes override this (dp-sip-call.c).
 */
DpSrtpPolicy
dp_sip_line_srtp_policy (DpSipLine *line)
{
  DpConfig *config = line->ctx->config;

  if (!dp_config_get_bool (config, "Secure_Call_Serv"))
    return DP_SRTP_OFF;
  if (dp_config_get_bool (config, "Secure_Call_Setting"))
    return DP_SRTP_REQUIRED;
  return DP_SRTP_OPTIONAL;
}

/**
 * dp_sip_line_build_sdp:
 *
 * The phone's capabilities for SOA: the preferred codec first, then G.711
 * µ-law and A-law (always enabled on the SPA) unless
 * `Use_Pref_Codec_Only_n_`, telephone-event on `AVT_Dynamic_Payload`, an
 * even RTP port rotating through `RTP_Port_Min`..`RTP_Port_Max`.
 */
char *
dp_sip_line_build_sdp (DpSipLine *line)
{
  DpConfig *config = line->ctx->config;
  const char *codecs[4] = { NULL };
  guint n = 0;
  const char *preferred = dp_sip_codec_from_preference (dp_sip_line_get (line, "Preferred_Codec"));
  gboolean only = dp_sip_line_get_bool (line, "Use_Pref_Codec_Only");
  guint min = (guint) CLAMP (dp_config_get_int (config, "RTP_Port_Min"), 1024, 65534);
  guint max = (guint) CLAMP (dp_config_get_int (config, "RTP_Port_Max"), min, 65535);
  guint span = (max - min) / 2 + 1;
  guint port;
  const char *address;

  if (preferred != NULL)
    codecs[n++] = preferred;
  if (!only || preferred == NULL)
    {
      if (g_strcmp0 (preferred, "PCMU") != 0)
        codecs[n++] = "PCMU";
      if (g_strcmp0 (preferred, "PCMA") != 0)
        codecs[n++] = "PCMA";
    }
  port = (min + 1) / 2 * 2 + 2 * (line->ctx->next_rtp_port++ % span);
  if (port > max)
    port = (min + 1) / 2 * 2;
  address = dp_sip_line_media_address (line);
  return dp_sip_sdp_build_offer (address, port, codecs,
                                 (guint) dp_config_get_int (config, "AVT_Dynamic_Payload"),
                                 (guint64) g_get_real_time ());
}

/**
 * dp_sip_line_dial:
 *
 * Places a call. Refused when the line should be registered and is not,
 * unless `Make_Call_Without_Reg_n_` is Yes.
 */
static const char *
star_lookup (const char *name, gpointer user_data)
{
  return dp_config_get (user_data, name);
}

static gboolean
set_param (DpSipLine *line, const char *name, const char *value, const char *code)
{
  g_autoptr(GError) error = NULL;

  if (!dp_config_set (line->ctx->config, name, value, &error))
    {
      g_warning ("line %u: %s: cannot set %s: %s", line->index, code, name, error->message);
      return FALSE;
    }
  g_message ("line %u: %s: %s = %s", line->index, code, name, value);
  return TRUE;
}

/* Applies the feature codes @target begins with (see the top of the
 * file). Returns what is left to dial (may be ""), or NULL with @error
 * set; *policy gets the per-call SRTP policy or stays -1. */
static char *
apply_star_codes (DpSipLine *line, const char *target, int *policy, GError **error)
{
  g_autofree char *keys = g_strdup (target);

  for (;;)
    {
      DpStarMatch match = { 0 };
      const char *param = NULL;
      const char *value = NULL;
      char *rest;

      if (dp_star_code_resolve (keys, DP_STAR_CONTEXT_DIAL_TONE, star_lookup,
                                line->ctx->config, &match) != DP_STAR_RESULT_MATCH)
        {
          dp_star_match_clear (&match);
          return g_steal_pointer (&keys);
        }
      switch (match.action)
        {
        case DP_STAR_ACTION_SECURE_ALL_CALL_ACT: param = "Secure_Call_Setting"; value = "Yes"; break;
        case DP_STAR_ACTION_SECURE_NO_CALL_ACT: param = "Secure_Call_Setting"; value = "No"; break;
        case DP_STAR_ACTION_DND_ACT: param = "DND_Setting"; value = "Yes"; break;
        case DP_STAR_ACTION_DND_DEACT: param = "DND_Setting"; value = "No"; break;
        case DP_STAR_ACTION_CFWD_ALL_ACT: param = "Cfwd_All_Dest"; value = match.argument; break;
        case DP_STAR_ACTION_CFWD_ALL_DEACT: param = "Cfwd_All_Dest"; value = ""; break;
        case DP_STAR_ACTION_CFWD_BUSY_ACT: param = "Cfwd_Busy_Dest"; value = match.argument; break;
        case DP_STAR_ACTION_CFWD_BUSY_DEACT: param = "Cfwd_Busy_Dest"; value = ""; break;
        case DP_STAR_ACTION_CFWD_NO_ANS_ACT: param = "Cfwd_No_Ans_Dest"; value = match.argument; break;
        case DP_STAR_ACTION_CFWD_NO_ANS_DEACT: param = "Cfwd_No_Ans_Dest"; value = ""; break;
        case DP_STAR_ACTION_SECURE_ONE_CALL_ACT: *policy = DP_SRTP_REQUIRED; break;
        case DP_STAR_ACTION_SECURE_ONE_CALL_DEACT: *policy = DP_SRTP_OFF; break;
        case DP_STAR_ACTION_CW_ACT: param = "CW_Setting"; value = "Yes"; break;
        case DP_STAR_ACTION_CW_DEACT: param = "CW_Setting"; value = "No"; break;
        case DP_STAR_ACTION_CW_PER_CALL_ACT: line->dial_call_waiting = 1; break;
        case DP_STAR_ACTION_CW_PER_CALL_DEACT: line->dial_call_waiting = 0; break;
        case DP_STAR_ACTION_BLOCK_CID_ACT: param = "Block_CID_Setting"; value = "Yes"; break;
        case DP_STAR_ACTION_BLOCK_CID_DEACT: param = "Block_CID_Setting"; value = "No"; break;
        case DP_STAR_ACTION_BLOCK_CID_PER_CALL_ACT: line->dial_block_cid = 1; break;
        case DP_STAR_ACTION_BLOCK_CID_PER_CALL_DEACT: line->dial_block_cid = 0; break;
        case DP_STAR_ACTION_BLOCK_ANC_ACT: param = "Block_ANC_Setting"; value = "Yes"; break;
        case DP_STAR_ACTION_BLOCK_ANC_DEACT: param = "Block_ANC_Setting"; value = "No"; break;
        case DP_STAR_ACTION_CODEC_PREFER:
        case DP_STAR_ACTION_CODEC_FORCE:
          g_free (line->dial_codecs);
          line->dial_codecs = g_strconcat (match.codec,
                                           match.action == DP_STAR_ACTION_CODEC_PREFER ? ",*" : "",
                                           NULL);
          g_message ("line %u: %s: %s %s for this call", line->index, match.code,
                     match.action == DP_STAR_ACTION_CODEC_PREFER ? "prefer" : "only", match.codec);
          break;
        case DP_STAR_ACTION_CALL_RETURN:
          /* The last caller is the number: nothing may follow. */
          dp_star_match_clear (&match);
          g_message ("line %u: call return", line->index);
          return dp_sip_line_call_return_target (line, error);
        case DP_STAR_ACTION_CALL_BACK_ACT:
          dp_star_match_clear (&match);
          return dp_sip_line_call_back_start (line, error) ? g_strdup ("") : NULL;
        case DP_STAR_ACTION_CALL_BACK_DEACT:
          if (!dp_sip_line_call_back_cancel (line))
            g_message ("line %u: %s: no call back order to cancel", line->index, match.code);
          break;
        default:
          /* Not ours (yet): the network gets the code as dialled. */
          dp_star_match_clear (&match);
          return g_steal_pointer (&keys);
        }
      if (param != NULL)
        set_param (line, param, value, match.code);
      /* A code taking a number consumed it; the others chain. */
      rest = dp_star_action_get_argument (match.action) == DP_STAR_ARGUMENT_NUMBER
        ? g_strdup ("") : g_strdup (match.argument);
      dp_star_match_clear (&match);
      g_free (keys);
      keys = rest;
      if (*keys == '\0')
        return g_steal_pointer (&keys);
    }
}

DpCall *
dp_sip_line_dial (DpSipLine *line, const char *target, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *number = NULL;
  DpSipCall *call;
  int policy = -1;

  if (line->agent == NULL)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE,
                   _("line %u is not in service (disabled, or no proxy or user ID set)"),
                   line->index);
      return NULL;
    }
  if (line_should_register (line) && !line->registered &&
      !dp_sip_line_get_bool (line, "Make_Call_Without_Reg"))
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE,
                   _("line %u is not registered"), line->index);
      return NULL;
    }
  number = apply_star_codes (line, target, &policy, error);
  if (number == NULL)
    return NULL;
  if (*number == '\0')
    {
      /* *18 and *19 alone apply to the next call. */
      if (policy >= 0)
        line->dial_policy = policy;
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_FAILED,
                   _("%s: feature code(s) applied, no call placed"), target);
      return NULL;
    }
  uri = dp_sip_target_uri (number, dp_sip_line_get (line, "Proxy"), line->transport,
                           &local_error);
  if (uri == NULL)
    {
      g_set_error_literal (error, DP_CALL_ERROR, DP_CALL_ERROR_BAD_NUMBER, local_error->message);
      return NULL;
    }
  if (policy >= 0)
    line->dial_policy = policy;
  call = dp_sip_call_new_outgoing (line, uri, error);
  /* used by this call (or its failure) */
  line->dial_policy = -1;
  line->dial_call_waiting = -1;
  line->dial_block_cid = -1;
  g_clear_pointer (&line->dial_codecs, g_free);
  if (call == NULL)
    return NULL;
  g_message ("line %u: calling %s (call %s)", line->index, uri, dp_call_get_id (DP_CALL (call)));
  g_object_unref (call);   /* the line and the core hold it */
  return DP_CALL (call);
}
