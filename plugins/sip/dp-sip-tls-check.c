/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The TLS check of a line's registration (see dp-sip-tls.c): made aside
 * when a TLS line starts to register or fails without an answer, it ends
 * the attempt or names the reason as the line's last error.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <sofia-sip/url.h>
#include <string.h>

static void
on_line_diagnosed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DpSipLine *line = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = dp_sip_tls_diagnose_finish (result, &error);
  DpLine *dp_line;

  /* Cancelled: the line started again or is gone (do not touch it). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&line->tls_check);
  dp_line = dp_core_get_line (line->ctx->core, line->index);
  if (problem == NULL || dp_line == NULL)
    return;
  switch (dp_line_get_registration_state (dp_line))
    {
    case DP_REGISTRATION_REGISTERING:
      /* sofia refuses the server too: its REGISTER would time out. */
      dp_sip_line_registration_failed (line, problem);
      break;
    case DP_REGISTRATION_FAILED:
      g_message ("line %u: registration failed: %s", line->index, problem);
      dp_line_set_registration (dp_line, DP_REGISTRATION_FAILED, problem);
      break;
    default:
      /* Registered: sofia (OpenSSL) accepted what GnuTLS refuses. */
      g_message ("line %u: registered although GnuTLS finds: %s", line->index, problem);
      break;
    }
}

/**
 * dp_sip_line_diagnose_tls:
 * @line: a TLS line whose REGISTER failed without a response from the server
 *
 * Checks the server's certificate the way sofia does and, when it fails,
 * makes the reason the line's last error.
 */
void
dp_sip_line_diagnose_tls (DpSipLine *line)
{
  const char *outbound = dp_sip_line_get (line, "Outbound_Proxy");
  const char *server = dp_sip_line_get_bool (line, "Use_Outbound_Proxy") && *outbound != '\0'
    ? outbound : dp_sip_line_get (line, "Proxy");
  g_autofree char *uri = dp_sip_server_uri (server, DP_SIP_TRANSPORT_TLS, NULL);
  su_home_t *home;
  url_t *url;

  dp_sip_line_cancel_tls_check (line);
  if (line->agent == NULL || line->agent->tls_dir == NULL || uri == NULL)
    return;
  home = su_home_new (sizeof (su_home_t));
  url = url_make (home, uri);
  if (url != NULL && url->url_host != NULL)
    {
      /* The first server of a name is tried like sofia's first try. */
      guint16 port = url->url_port != NULL ? (guint16) g_ascii_strtoull (url->url_port, NULL, 10)
                                           : 5061;
      g_autofree char *host = g_strdup (url->url_host);

      /* "[::1]" -> "::1" */
      if (host[0] == '[')
        {
          memmove (host, host + 1, strlen (host));
          host[strcspn (host, "]")] = '\0';
        }
      line->tls_check = g_cancellable_new ();
      dp_sip_tls_diagnose_async (line->agent->tls_dir, host, port, line->tls_check,
                                 on_line_diagnosed, line);
    }
  su_home_unref (home);
}

void
dp_sip_line_cancel_tls_check (DpSipLine *line)
{
  if (line->tls_check != NULL)
    {
      g_cancellable_cancel (line->tls_check);
      g_clear_object (&line->tls_check);
    }
}
