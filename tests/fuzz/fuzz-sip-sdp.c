/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the sip plugin's SDP reader (a peer's SDP is hostile
 * input) and its dial-target parser. The whole input is parsed as an SDP
 * body without a terminating NUL; its first line is also turned into a
 * request URI, through a proxy and as a server. */
#include "../../plugins/sip/dp-sip-util.c"
#include "../../plugins/sip/dp-sip-sdp.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so that a read past the end is caught. */
  char *body = g_memdup2 (data, size);
  DpSipSdpInfo info;
  GError *error = NULL;
  g_autofree char *first_line = g_strndup ((const char *) data, size);
  char *uri;

  if (dp_sip_sdp_parse (body, size, &info, &error))
    {
      (void) dp_sip_sdp_info_is_hold (&info);
      dp_sip_sdp_info_clear (&info);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL);
      g_clear_error (&error);
    }
  g_free (body);

  first_line[strcspn (first_line, "\r\n")] = '\0';
  uri = dp_sip_target_uri (first_line, "pbx.example.com:5060", DP_SIP_TRANSPORT_TCP, &error);
  g_assert ((uri == NULL) == (error != NULL));
  g_free (uri);
  g_clear_error (&error);
  uri = dp_sip_server_uri (first_line, DP_SIP_TRANSPORT_UDP, &error);
  g_assert ((uri == NULL) == (error != NULL));
  g_free (uri);
  g_clear_error (&error);
  uri = dp_sip_aor (first_line, "pbx", &error);
  g_assert ((uri == NULL) == (error != NULL));
  g_free (uri);
  g_clear_error (&error);
  return 0;
}
