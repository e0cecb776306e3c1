/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Proxy redundancy by DNS SRV (`Use_DNS_SRV_n_`, `Proxy_Fallback_Intvl_n_`;
 * spa9x2-reference §12.2 "Proxy redundancy").
 *
 * Decisions:
 * - It applies when `Use_DNS_SRV_n_` is Yes, no outbound proxy is used and
 *   `Proxy_n_` is a host name without a port. The line then looks up the
 *   SRV records itself (`_sip._udp.`, `_sip._tcp.` or `_sips._tcp.` by
 *   transport) with sofia's resolver, orders the targets by priority (then
 *   weight, heaviest first) and registers through one of them at a time
 *   (NUTAG_PROXY; the Request-URI and AOR keep the proxy's name). sofia
 *   1.12.11 would move to the next target on a timeout or transport error
 *   but not on a 503, so the choice is made here.
 * - A REGISTER that fails with a timeout (408), a transport error or any
 *   5xx/6xx moves to the next target at once; only when every target failed
 *   does the retry back-off (dp-sip-retry.c) apply, starting again at the
 *   top. 401/403/404 and the like are the same everywhere: no failover.
 * - Registered at a lower target, the line returns to the top after
 *   `Proxy_Fallback_Intvl_n_` seconds (0: stays): it looks the records up
 *   again and registers from the top, moving down again if needed.
 * - No SRV records: the name is left to sofia (A/AAAA).
 */
#define G_LOG_DOMAIN "dp-sip"

/* sofia passes the line to on_srv_answers() */
#define SRES_CONTEXT_T struct _DpSipLine
#include "dp-sip-private.h"

#include <sofia-sip/sresolv.h>
#include <string.h>

struct _DpSipFailover {
  sres_resolver_t *resolver;
  sres_query_t    *query;
  char            *name;       /* the proxy the targets are for */
  GPtrArray       *targets;    /* char* URIs in order; NULL until looked up */
  guint            index;
  guint            fallback_id;
};

static void
on_srv_answers (DpSipLine *line, sres_query_t *query, sres_record_t **answers);

static DpSipFailover *
failover_of (DpSipLine *line)
{
  if (line->failover == NULL)
    line->failover = g_new0 (DpSipFailover, 1);
  return line->failover;
}

static void
forget_targets (DpSipFailover *failover)
{
  if (failover->query != NULL)
    {
      /* The resolver keeps the query; its answer goes nowhere now. */
      sres_query_bind (failover->query, NULL, NULL);
      failover->query = NULL;
    }
  g_clear_pointer (&failover->targets, g_ptr_array_unref);
  g_clear_pointer (&failover->name, g_free);
  failover->index = 0;
}

/* The proxy name the line's SRV lookup is for, or NULL when failover does
 * not apply (see the top of the file). */
static char *
srv_domain (DpSipLine *line)
{
  const char *proxy = dp_sip_line_get (line, "Proxy");
  const char *outbound = dp_sip_line_get (line, "Outbound_Proxy");
  g_autofree char *host = NULL;

  if (!dp_sip_line_get_bool (line, "Use_DNS_SRV") || *proxy == '\0' ||
      (dp_sip_line_get_bool (line, "Use_Outbound_Proxy") && *outbound != '\0'))
    return NULL;
  /* A port, a parameter or an address: a server, not a service name. */
  if (strpbrk (proxy, ":;[]@ ") != NULL || g_hostname_is_ip_address (proxy))
    return NULL;
  host = g_ascii_strdown (proxy, -1);
  return g_steal_pointer (&host);
}

static const char *
srv_prefix (DpSipTransport transport)
{
  switch (transport)
    {
    case DP_SIP_TRANSPORT_TCP:
      return "_sip._tcp.";
    case DP_SIP_TRANSPORT_TLS:
      return "_sips._tcp.";
    case DP_SIP_TRANSPORT_UDP:
    default:
      return "_sip._udp.";
    }
}

static gint
compare_srv (gconstpointer a, gconstpointer b)
{
  const sres_srv_record_t *x = *(sres_srv_record_t * const *) a;
  const sres_srv_record_t *y = *(sres_srv_record_t * const *) b;

  if (x->srv_priority != y->srv_priority)
    return x->srv_priority < y->srv_priority ? -1 : 1;
  return (y->srv_weight > x->srv_weight) - (y->srv_weight < x->srv_weight);
}

static void
on_srv_answers (DpSipLine *line, sres_query_t *query, sres_record_t **answers)
{
  DpSipFailover *failover = line->failover;
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  failover->query = NULL;
  failover->targets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; answers != NULL && answers[i] != NULL; i++)
    if (answers[i]->sr_record->r_type == sres_type_srv && answers[i]->sr_record->r_status == 0)
      g_ptr_array_add (records, answers[i]->sr_srv);
  g_ptr_array_sort (records, compare_srv);
  for (guint i = 0; i < records->len; i++)
    {
      const sres_srv_record_t *srv = g_ptr_array_index (records, i);
      g_autofree char *target = g_strdup (srv->srv_target);
      gsize len = strlen (target);

      if (len > 0 && target[len - 1] == '.')
        target[len - 1] = '\0';
      if (*target == '\0')
        continue;   /* "." : the service is not offered there */
      g_ptr_array_add (failover->targets,
                       g_strdup_printf ("sip:%s:%u;transport=%s", target, srv->srv_port,
                                        dp_sip_transport_to_param (line->transport)));
    }
  g_message ("line %u: %s%s has %u SRV target(s)", line->index, srv_prefix (line->transport),
             failover->name, failover->targets->len);
  if (answers != NULL && failover->resolver != NULL)
    sres_free_answers (failover->resolver, answers);
  dp_sip_line_register_now (line);
}

/**
 * dp_sip_failover_prepare:
 *
 * Called before each REGISTER of a fresh registration: points the nua at
 * the current SRV target. Returns %TRUE when the lookup has to run first
 * (the registration starts again from its answer).
 */
gboolean
dp_sip_failover_prepare (DpSipLine *line)
{
  g_autofree char *domain = srv_domain (line);
  DpSipFailover *failover;
  g_autofree char *service = NULL;

  if (domain == NULL)
    {
      if (line->failover != NULL && line->failover->name != NULL)
        {
          g_autofree char *proxy = NULL;

          forget_targets (line->failover);
          proxy = dp_sip_line_proxy_uri (line);
          nua_set_params (line->agent->nua, NUTAG_PROXY (proxy), TAG_END ());
        }
      return FALSE;
    }
  failover = failover_of (line);
  if (g_strcmp0 (failover->name, domain) != 0)
    {
      forget_targets (failover);
      failover->name = g_strdup (domain);
    }
  if (failover->targets != NULL)
    {
      nua_set_params (line->agent->nua, NUTAG_PROXY (dp_sip_failover_proxy (line)), TAG_END ());
      return FALSE;
    }
  if (failover->query != NULL)
    return TRUE;
  if (failover->resolver == NULL)
    {
      const char *conf = g_getenv ("DESKPHONE_SIP_RESOLV_CONF");

      failover->resolver = sres_resolver_create (line->ctx->root, conf, TAG_END ());
      if (failover->resolver == NULL)
        {
          g_warning ("line %u: no DNS resolver: SRV failover off", line->index);
          failover->targets = g_ptr_array_new_with_free_func (g_free);
          return FALSE;
        }
    }
  service = g_strconcat (srv_prefix (line->transport), domain, NULL);
  failover->query = sres_query (failover->resolver, on_srv_answers, line, sres_type_srv, service);
  if (failover->query == NULL)
    {
      g_warning ("line %u: cannot look up %s: SRV failover off", line->index, service);
      failover->targets = g_ptr_array_new_with_free_func (g_free);
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_sip_failover_proxy:
 *
 * Returns: (nullable): the SRV target the line uses now, %NULL when
 *   failover does not apply or found no targets.
 */
const char *
dp_sip_failover_proxy (DpSipLine *line)
{
  DpSipFailover *failover = line->failover;

  if (failover == NULL || failover->targets == NULL || failover->index >= failover->targets->len)
    return NULL;
  return g_ptr_array_index (failover->targets, failover->index);
}

/**
 * dp_sip_failover_next:
 * @status: the failed REGISTER's status
 *
 * Returns: %TRUE when another target is to be tried at once (it is
 *   selected), %FALSE when the failure stands (the next attempt starts at
 *   the top, looked up again).
 */
gboolean
dp_sip_failover_next (DpSipLine *line, int status)
{
  DpSipFailover *failover = line->failover;

  if (failover == NULL || failover->targets == NULL || failover->targets->len == 0)
    return FALSE;
  if (status != 408 && status < 500)
    return FALSE;
  if (failover->index + 1 < failover->targets->len)
    {
      failover->index++;
      g_message ("line %u: %d from the proxy, trying %s", line->index, status,
                 dp_sip_failover_proxy (line));
      return TRUE;
    }
  forget_targets (failover);
  return FALSE;
}

static gboolean
on_fallback (gpointer user_data)
{
  DpSipLine *line = user_data;

  line->failover->fallback_id = 0;
  g_message ("line %u: Proxy_Fallback_Intvl over: registering at the top server again",
             line->index);
  forget_targets (line->failover);
  dp_sip_line_reregister (line);
  return G_SOURCE_REMOVE;
}

/* Registered: below the top, come back after Proxy_Fallback_Intvl_n_. */
void
dp_sip_failover_registered (DpSipLine *line)
{
  DpSipFailover *failover = line->failover;
  gint64 interval = dp_sip_line_get_int (line, "Proxy_Fallback_Intvl");

  if (failover == NULL || failover->index == 0 || failover->fallback_id != 0 || interval <= 0)
    return;
  failover->fallback_id = g_timeout_add ((guint) MIN (interval, 86400) * 1000, on_fallback,
                                         line);
}

/* Forgets targets and timers (new settings, nua replaced, line gone). */
void
dp_sip_failover_reset (DpSipLine *line)
{
  if (line->failover == NULL)
    return;
  g_clear_handle_id (&line->failover->fallback_id, g_source_remove);
  forget_targets (line->failover);
}

void
dp_sip_failover_free (DpSipLine *line)
{
  if (line->failover == NULL)
    return;
  dp_sip_failover_reset (line);
  if (line->failover->resolver != NULL)
    sres_resolver_destroy (line->failover->resolver);
  g_clear_pointer (&line->failover, g_free);
}
