/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the media plugin's SDP and SDES crypto parsers: a peer's
 * SDP is hostile input. The whole input is parsed as an SDP body (without a
 * terminating NUL), and each of its lines as an a=crypto line. */
#include "../../plugins/media/dp-media-sdp.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so that a read past the end is caught. */
  char *body = g_memdup2 (data, size);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;
  DpSdpSession *session;

  session = dp_sdp_parse (body, (gssize) size, NULL);
  if (session != NULL)
    {
      dp_sdp_session_find_audio (session, NULL);
      dp_sdp_session_free (session);
    }
  lines = g_strsplit (text, "\n", 64);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      DpSdesCrypto *crypto = dp_sdes_crypto_parse (lines[i], NULL);

      if (crypto != NULL)
        dp_sdes_crypto_free (crypto);
    }
  g_free (body);
  return 0;
}
