/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SDP / SDES parsing and generation and codec negotiation: pure code, no
 * GStreamer initialisation (the table is used with a NULL filter).
 */
#include "dp-gst-g726.h"
#include <spandsp.h>
#include "dp-media-codec.h"
#include "dp-media-sdp.h"

#include <string.h>

static char *
shared_path (const char *relative)
{
  const char *dir = g_getenv ("DP_SHARED_DIR");

  if (dir == NULL)
    return NULL;
  return g_build_filename (dir, relative, NULL);
}

/* Renders keys like the TSV column: b64|lifetime-or-|mki:len-or- joined " ; " */
static char *
render_keys (const DpSdesCrypto *crypto)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < crypto->keys->len; i++)
    {
      const DpSdesKey *key = crypto->keys->pdata[i];
      gsize size;
      const guchar *data = g_bytes_get_data (key->key_salt, &size);
      g_autofree char *b64 = g_base64_encode (data, size);

      if (i > 0)
        g_string_append (out, " ; ");
      g_string_append_printf (out, "%s|%s|", b64, key->lifetime != NULL ? key->lifetime : "-");
      if (key->has_mki)
        g_string_append_printf (out, "%u:%u", key->mki, key->mki_length);
      else
        g_string_append (out, "-");
    }
  return g_string_free (out, FALSE);
}

static void
test_crypto_corpus (void)
{
  g_autofree char *path = shared_path ("corpora/sdp/sdes-crypto-lines.tsv");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint valid = 0, invalid = 0, unsupported = 0;

  if (path == NULL)
    {
      g_test_skip ("DP_SHARED_DIR is not set");
      return;
    }
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      g_autoptr(DpSdesCrypto) crypto = NULL;
      g_autoptr(GError) parse_error = NULL;

      if (lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cols), >=, 7);
      crypto = dp_sdes_crypto_parse (cols[0], &parse_error);
      g_test_message ("row %u: %s -> %s", i, cols[1], parse_error != NULL ? parse_error->message : "ok");

      if (strcmp (cols[1], "valid") == 0)
        {
          g_autofree char *keys = NULL;

          g_assert_no_error (parse_error);
          g_assert_cmpuint (crypto->tag, ==, (guint) g_ascii_strtoull (cols[2], NULL, 10));
          g_assert_cmpstr (crypto->suite_name, ==, cols[3]);
          keys = render_keys (crypto);
          g_assert_cmpstr (keys, ==, cols[4]);
          g_assert_cmpstr (crypto->session_params != NULL ? crypto->session_params : "-", ==, cols[5]);
          if (strcmp (cols[6], "-") != 0)
            {
              g_autofree char *canonical = dp_sdes_crypto_to_string (crypto);
              g_assert_cmpstr (canonical, ==, cols[6]);
            }
          valid++;
        }
      else if (strcmp (cols[1], "unsupported-suite") == 0)
        {
          /* Our choice: parse the line, mark the suite unknown, never pick it. */
          g_assert_no_error (parse_error);
          g_assert_cmpint (crypto->suite, ==, DP_SRTP_SUITE_UNKNOWN);
          unsupported++;
        }
      else
        {
          g_assert_cmpstr (cols[1], ==, "invalid");
          g_assert_null (crypto);
          g_assert_error (parse_error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP);
          invalid++;
        }
    }
  g_assert_cmpuint (valid, ==, 16);
  g_assert_cmpuint (invalid, ==, 4);
  g_assert_cmpuint (unsupported, ==, 2);
}

static void
test_crypto_strict (void)
{
  static const char *const bad[] = {
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtx",  /* short key */
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^49",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20",
    "a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 key:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    "a=crypto:-1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
  };
  g_autoptr(DpSdesCrypto) unpadded = NULL;
  g_autoptr(DpSdesCrypto) local = NULL;
  g_autoptr(DpSdesCrypto) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(DpSdesCrypto) c = dp_sdes_crypto_parse (bad[i], &e);

      g_test_message ("%s -> %s", bad[i], e != NULL ? e->message : "accepted");
      g_assert_null (c);
      g_assert_error (e, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP);
    }

  /* Unpadded base64 of a 46-byte AES-256 key||salt is accepted. */
  unpadded = dp_sdes_crypto_parse ("a=crypto:1 AES_256_CM_HMAC_SHA1_80 "
                                   "inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj/Jl+xZQ4qrEUAzDN67dOAQ",
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (((DpSdesKey *) unpadded->keys->pdata[0])->key_salt), ==, 46);

  /* Local keys: right length, random, and they round-trip. */
  local = dp_sdes_crypto_new_local (3, DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32, &error);
  g_assert_no_error (error);
  line = dp_sdes_crypto_to_string (local);
  g_assert_true (g_str_has_prefix (line, "a=crypto:3 AES_256_CM_HMAC_SHA1_32 inline:"));
  reparsed = dp_sdes_crypto_parse (line, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (((DpSdesKey *) reparsed->keys->pdata[0])->key_salt,
                                ((DpSdesKey *) local->keys->pdata[0])->key_salt));
  {
    g_autoptr(DpSdesCrypto) other = dp_sdes_crypto_new_local (3, DP_SRTP_SUITE_AES_256_CM_HMAC_SHA1_32, NULL);
    g_assert_false (g_bytes_equal (((DpSdesKey *) other->keys->pdata[0])->key_salt,
                                   ((DpSdesKey *) local->keys->pdata[0])->key_salt));
  }
}

static void
test_attr_corpus (void)
{
  g_autofree char *path = shared_path ("corpora/sdp/pjsip-sdp-attr-values.tsv");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint checked = 0;

  if (path == NULL)
    {
      g_test_skip ("DP_SHARED_DIR is not set");
      return;
    }
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok, expect_ok;
      guint64 expected = 0;

      if (lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      expect_ok = strcmp (cols[2], "valid") == 0;
      if (expect_ok)
        expected = g_ascii_strtoull (strchr (cols[3], '=') + 1, NULL, 10);
      if (strcmp (cols[0], "rtpmap") == 0)
        {
          DpSdpFormat format = { 0 };

          ok = dp_sdp_parse_rtpmap (cols[1], &format, &error);
          if (ok)
            g_assert_cmpuint (format.clock_rate, ==, expected);
          g_free (format.encoding);
        }
      else if (strcmp (cols[0], "rtcp") == 0)
        {
          guint port = 0;

          ok = dp_sdp_parse_rtcp (cols[1], &port, &error);
          if (ok)
            g_assert_cmpuint (port, ==, expected);
        }
      else
        {
          guint32 ssrc = 0;

          g_assert_cmpstr (cols[0], ==, "ssrc");
          ok = dp_sdp_parse_ssrc (cols[1], &ssrc, &error);
          if (ok)
            g_assert_cmpuint (ssrc, ==, expected);
        }
      g_assert_cmpint (ok, ==, expect_ok);
      if (!ok)
        g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 20);
}

static const char offer_text[] =
  "v=0\r\n"
  "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n"
  "s=\r\n"
  "c=IN IP4 192.0.2.1\r\n"
  "t=0 0\r\n"
  "m=video 51372 RTP/AVP 31\r\n"
  "a=rtpmap:31 H261/90000\r\n"
  "m=audio 49170 RTP/SAVP 0 8 97 101\r\n"
  "c=IN IP4 192.0.2.2\r\n"
  "a=rtpmap:0 FOO/8000\r\n"
  "a=rtpmap:97 iLBC/8000\r\n"
  "a=rtpmap:101 TELEPHONE-EVENT/8000\r\n"
  "a=fmtp:101 0-15\r\n"
  "a=rtcp:53020\r\n"
  "a=ptime:20\r\n"
  "a=sendonly\r\n"
  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4\r\n";

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpSdpSession) session = dp_sdp_parse (offer_text, -1, &error);
  const DpSdpMedia *audio;
  const DpSdpFormat *format;
  guint index;

  g_assert_no_error (error);
  g_assert_cmpuint (session->media->len, ==, 2);
  audio = dp_sdp_session_find_audio (session, &index);
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpuint (audio->port, ==, 49170);
  g_assert_cmpstr (audio->address, ==, "192.0.2.2");
  g_assert_cmpuint (audio->rtcp_port, ==, 53020);
  g_assert_cmpuint (audio->ptime, ==, 20);
  g_assert_cmpint (audio->direction, ==, DP_MEDIA_SENDONLY);
  g_assert_true (dp_sdp_media_is_hold (audio));
  g_assert_true (dp_sdp_media_is_secure_proto (audio));
  g_assert_cmpuint (audio->cryptos->len, ==, 1);
  /* Static payload names come from RFC 3551, not from the peer. */
  format = dp_sdp_media_find_format (audio, 0);
  g_assert_cmpstr (format->encoding, ==, "PCMU");
  format = dp_sdp_media_find_format (audio, 8);
  g_assert_cmpstr (format->encoding, ==, "PCMA");
  format = dp_sdp_media_find_format (audio, 101);
  g_assert_cmpstr (format->fmtp, ==, "0-15");
  g_assert_cmpuint (format->clock_rate, ==, 8000);

  /* LF-only bodies and session-level c= are fine too. */
  {
    g_autoptr(DpSdpSession) lf = dp_sdp_parse ("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\n"
                                               "t=0 0\nm=audio 4000 RTP/AVP 0\n", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dp_sdp_session_find_audio (lf, NULL)->address, ==, "1.2.3.4");
    g_assert_cmpint (dp_sdp_session_find_audio (lf, NULL)->direction, ==, DP_MEDIA_SENDRECV);
  }
}

static void
test_parse_errors (void)
{
  static const struct { const char *sdp; const char *needle; } cases[] = {
    { "", "line 1" },
    { "x=0\r\n", "line 1" },
    { "v=1\r\n", "line 1" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nbogus\r\n", "line 3" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n", "line 4" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP\r\n", "line 5" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0 x\r\n", "line 5" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 96\r\n"
      "a=rtpmap:96 opus/4294967296\r\n", "line 6" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:short\r\n", "line 6" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN XX 1.2.3.4\r\n", "line 4" },
    /* PROTOS c07-sip sdp-connection-ip: a host name is never resolved. */
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 aaaa.example\r\n", "not an IP address" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 10.10.10.a\r\n", "not an IP address" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\n", "no c= line" },
    { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n\r\nc=IN IP4 1.2.3.4\r\n", "line 4" },
    { "v=0\r\ns=-\r\n", "o= line" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DpSdpSession) session = dp_sdp_parse (cases[i].sdp, -1, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error != NULL ? error->message : "accepted");
      g_assert_null (session);
      g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }

  /* Embedded NUL bytes and garbage never crash. */
  {
    static const char nul[] = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\0\r\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(DpSdpSession) session = dp_sdp_parse (nul, sizeof nul - 1, &error);
    g_assert_null (session);
    g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_SDP);
  }
}

static void
test_build_answer_rejects_others (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpSdpSession) offer = dp_sdp_parse (offer_text, -1, &error);
  g_autoptr(GPtrArray) formats = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sdp_format_free);
  g_autoptr(DpSdpSession) reparsed = NULL;
  g_autofree char *text = NULL;
  DpSdpBuild build = { 0 };
  const DpSdpMedia *audio;

  g_ptr_array_add (formats, dp_sdp_format_new (8, "PCMA", 8000, 0, NULL));
  g_ptr_array_add (formats, dp_sdp_format_new (101, "telephone-event", 8000, 0, "0-15"));
  build.address = "127.0.0.1";
  build.session_id = 42;
  build.version = 2;
  build.port = 16400;
  build.proto = "RTP/SAVP";
  build.direction = DP_MEDIA_RECVONLY;
  build.ptime = 30;
  build.formats = formats;
  build.offer = offer;
  build.audio_index = 1;
  text = dp_sdp_build (&build);
  g_assert_true (g_str_has_prefix (text, "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\n"));
  g_assert_nonnull (strstr (text, "m=video 0 RTP/AVP 31\r\nm=audio 16400 RTP/SAVP 8 101\r\n"));
  g_assert_nonnull (strstr (text, "a=ptime:30\r\n"));
  g_assert_nonnull (strstr (text, "a=recvonly\r\n"));
  reparsed = dp_sdp_parse (text, -1, &error);
  g_assert_no_error (error);
  audio = dp_sdp_session_find_audio (reparsed, NULL);
  g_assert_cmpuint (audio->formats->len, ==, 2);
  g_assert_cmpstr (((DpSdpFormat *) audio->formats->pdata[1])->encoding, ==, "telephone-event");
}

static void
test_directions (void)
{
  g_assert_cmpint (dp_media_direction_reverse (DP_MEDIA_SENDONLY), ==, DP_MEDIA_RECVONLY);
  g_assert_cmpint (dp_media_direction_reverse (DP_MEDIA_INACTIVE), ==, DP_MEDIA_INACTIVE);
  g_assert_cmpint (dp_media_direction_intersect (DP_MEDIA_SENDRECV, DP_MEDIA_RECVONLY), ==,
                   DP_MEDIA_RECVONLY);
  g_assert_cmpint (dp_media_direction_intersect (DP_MEDIA_SENDONLY, DP_MEDIA_RECVONLY), ==,
                   DP_MEDIA_INACTIVE);
}

static DpSdpMedia *
audio_of (const char *fmt_lines, DpSdpSession **keep)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n"
                                           "c=IN IP4 1.2.3.4\r\nt=0 0\r\n%s", fmt_lines);

  *keep = dp_sdp_parse (text, -1, &error);
  g_assert_no_error (error);
  return (DpSdpMedia *) dp_sdp_session_find_audio (*keep, NULL);
}

static void
test_negotiation (void)
{
  g_autoptr(GPtrArray) prefs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpSdpSession) s1 = NULL;
  g_autoptr(DpSdpSession) s2 = NULL;
  g_autoptr(DpSdpSession) s3 = NULL;
  DpMediaChoice choice;
  DpSdpMedia *media;

  /* No config: Preferred_Codec G711u first, then the rest of the table. */
  prefs = dp_media_codec_preferences (NULL, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[0])->name, ==, "G711u");
  g_assert_cmpuint (prefs->len, >=, 4);

  /* Answerer: our preference wins over the offer's order; the dynamic
   * telephone-event type of the offer is echoed. */
  media = audio_of ("m=audio 4000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\n", &s1);
  g_assert_true (dp_media_negotiate_codec (prefs, media, TRUE, NULL, &choice, &error));
  g_assert_cmpstr (choice.codec->name, ==, "G711u");
  g_assert_cmpuint (choice.pt, ==, 0);
  g_assert_cmpint (choice.dtmf_pt, ==, 96);

  /* Offerer reading an answer: the answer's first known codec wins;
   * dynamic types are matched by name case-insensitively; telephone-event
   * at another rate is not taken. */
  media = audio_of ("m=audio 4000 RTP/AVP 120 8 101\r\na=rtpmap:120 OPUS/48000/2\r\n"
                    "a=rtpmap:101 telephone-event/8000\r\n", &s2);
  g_assert_true (dp_media_negotiate_codec (prefs, media, FALSE, NULL, &choice, &error));
  g_assert_cmpstr (choice.codec->name, ==, "Opus");
  g_assert_cmpuint (choice.pt, ==, 120);
  g_assert_cmpint (choice.dtmf_pt, ==, -1);

  /* Nothing common: 488. */
  media = audio_of ("m=audio 4000 RTP/AVP 18 96\r\na=rtpmap:96 AMR/8000\r\n", &s3);
  g_assert_false (dp_media_negotiate_codec (prefs, media, TRUE, NULL, &choice, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
  g_clear_error (&error);

  /* An explicit list means "only these", in that order. */
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (NULL, 1, "G722, g711a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prefs->len, ==, 2);
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[0])->name, ==, "G722");
  g_assert_null (dp_media_codec_preferences (NULL, 1, "G729a", NULL, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_RESOURCE);
  g_clear_error (&error);

  /* The codec selection codes spell G.726 as its parameters do. */
  g_assert_nonnull (dp_media_codec_lookup ("G726-32"));
  g_assert_true (dp_media_codec_lookup ("g726r32") == dp_media_codec_lookup ("G726-32"));
  g_assert_true (dp_media_codec_lookup ("G726r16") == dp_media_codec_lookup ("G726-16"));
  g_assert_null (dp_media_codec_lookup ("G726r33"));
  g_assert_null (dp_media_codec_lookup ("G726r"));
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (NULL, 1, "G726r24", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prefs->len, ==, 1);
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[0])->name, ==, "G726-24");

  /* A trailing "*" (a Prefer_*_Code call): these first, then the line's
   * list (G711u first, the rest of the table), unknown names skipped. */
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (NULL, 1, "G729a, G711a, *", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[0])->name, ==, "G711a");
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[1])->name, ==, "G711u");
  {
    gsize n_codecs;

    dp_media_codec_table (&n_codecs);
    g_assert_cmpuint (prefs->len, ==, n_codecs);
  }
}

static gboolean
prefs_have (GPtrArray *prefs, const char *name)
{
  return g_ptr_array_find (prefs, dp_media_codec_lookup (name), NULL);
}

/* G726-xx_Enable_n_ = No: neither offered nor accepted on line n, unless a
 * Preferred_Codec parameter names the codec. */
static void
test_g726_enable (void)
{
  static const DpParamDecl params[] = {
    { .name = "Preferred_Codec_2_", .type = DP_PARAM_STRING, .default_value = "G711u" },
    { .name = "G726-16_Enable_2_", .type = DP_PARAM_BOOL, .default_value = "Yes" },
    { .name = "G726-32_Enable_2_", .type = DP_PARAM_BOOL, .default_value = "Yes" },
    { .name = "G726r32_Codec_Name", .type = DP_PARAM_STRING, .default_value = "G726-32" },
  };
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prefs = NULL;
  g_autoptr(DpSdpSession) s1 = NULL;
  g_autoptr(DpSdpSession) s2 = NULL;
  g_autoptr(DpSdpSession) s3 = NULL;
  const DpMediaCodec *g726_32 = dp_media_codec_lookup ("G726-32");
  DpMediaChoice choice;
  DpSdpMedia *media;

  g_assert_true (dp_config_register (config, "test", params, G_N_ELEMENTS (params), &error));
  g_assert_no_error (error);

  /* Enabled (the default): offered after the preferred codec, G726-32
   * with the SPA's default payload type 2 (G726r32_Dynamic_Payload). */
  prefs = dp_media_codec_preferences (config, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (prefs_have (prefs, "G726-32"));
  g_assert_true (prefs_have (prefs, "G726-16"));
  g_assert_cmpuint (dp_media_codec_payload_type (g726_32, config), ==, 2);

  g_assert_true (dp_config_set (config, "G726-16_Enable_2_", "No", &error));
  g_assert_true (dp_config_set (config, "G726-32_Enable_2_", "No", &error));
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (config, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prefs_have (prefs, "G726-32"));
  g_assert_false (prefs_have (prefs, "G726-16"));
  g_assert_true (prefs_have (prefs, "G711a"));
  /* ... nor accepted: an offer of only G726-32 is refused (488). */
  media = audio_of ("m=audio 4000 RTP/AVP 2\r\na=rtpmap:2 G726-32/8000\r\n", &s1);
  g_assert_false (dp_media_negotiate_codec (prefs, media, TRUE, config, &choice, &error));
  g_assert_error (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_NOT_ACCEPTABLE);
  g_clear_error (&error);

  /* The setting is per line: line 1 still has both. */
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (config, 1, NULL, NULL, &error);
  g_assert_true (prefs_have (prefs, "G726-32"));
  g_assert_true (prefs_have (prefs, "G726-16"));

  /* The preferred codec is kept although disabled; the other stays out. */
  g_assert_true (dp_config_set (config, "Preferred_Codec_2_", "G726-16", &error));
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (config, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((DpMediaCodec *) prefs->pdata[0])->name, ==, "G726-16");
  g_assert_false (prefs_have (prefs, "G726-32"));
  media = audio_of ("m=audio 4000 RTP/AVP 2 98\r\na=rtpmap:2 G726-32/8000\r\n"
                    "a=rtpmap:98 G726-16/8000\r\n", &s2);
  g_assert_true (dp_media_negotiate_codec (prefs, media, TRUE, config, &choice, &error));
  g_assert_cmpstr (choice.codec->name, ==, "G726-16");
  g_assert_cmpuint (choice.pt, ==, 98);

  /* G726r32_Codec_Name renames it in SDP, and the new name is matched. */
  g_assert_true (dp_config_set (config, "G726-32_Enable_2_", "Yes", &error));
  g_assert_true (dp_config_set (config, "G726r32_Codec_Name", "G726-32K", &error));
  g_clear_pointer (&prefs, g_ptr_array_unref);
  prefs = dp_media_codec_preferences (config, 2, NULL, NULL, &error);
  g_assert_cmpstr (dp_media_codec_encoding (g726_32, config), ==, "G726-32K");
  media = audio_of ("m=audio 4000 RTP/AVP 97\r\na=rtpmap:97 g726-32k/8000\r\n", &s3);
  g_assert_true (dp_media_negotiate_codec (prefs, media, TRUE, config, &choice, &error));
  g_assert_cmpstr (choice.codec->name, ==, "G726-32");
  g_assert_cmpuint (choice.pt, ==, 97);
}

/* RFC 3551 4.5.4: the first code in the least significant bits. */
static void
pack_rfc3551 (const guint8 *codes, gsize n_codes, guint bits, guint8 *out)
{
  memset (out, 0, (n_codes * bits + 7) / 8);
  for (gsize k = 0; k < n_codes; k++)
    for (guint i = 0; i < bits; i++)
      {
        gsize pos = k * bits + i;

        out[pos / 8] |= (guint8) (((codes[k] >> i) & 1) << (pos % 8));
      }
}

/* AAL2 (ITU-T I.366.2): the first code in the most significant bits. */
static void
pack_aal2 (const guint8 *codes, gsize n_codes, guint bits, guint8 *out)
{
  memset (out, 0, (n_codes * bits + 7) / 8);
  for (gsize k = 0; k < n_codes; k++)
    for (guint i = 0; i < bits; i++)
      {
        gsize pos = k * bits + bits - 1 - i;

        out[pos / 8] |= (guint8) (((codes[k] >> i) & 1) << (7 - pos % 8));
      }
}

static void
on_handoff (GstElement *sink, GstBuffer *buffer, GstPad *pad, gpointer user_data)
{
  GByteArray *out = user_data;
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_READ);
  g_byte_array_append (out, map.data, (guint) map.size);
  gst_buffer_unmap (buffer, &map);
}

/* Our G.726 encoder (dp-gst-g726.h) writes RFC 3551 order at every rate
 * (AAL2 order with aal2=true): its output equals spandsp's codes (one per
 * byte) packed by the rule, which is itself checked on hand-worked
 * examples first. */
static void
test_g726_bit_order (void)
{
  static const struct {
    guint bits;
    guint8 codes[8];
    gsize n_codes;
    guint8 rfc3551[5];
    guint8 aal2[5];
  } examples[] = {
    { 2, { 0, 1, 2, 3 }, 4, { 0xe4 }, { 0x1b } },
    { 3, { 1, 2, 3, 4, 5, 6, 7, 0 }, 8, { 0xd1, 0x58, 0x1f }, { 0x29, 0xcb, 0xb8 } },
    { 4, { 1, 2, 3, 4 }, 4, { 0x21, 0x43 }, { 0x12, 0x34 } },
    { 5, { 1, 31, 0, 0, 0, 0, 0, 0 }, 8, { 0xe1, 0x03, 0, 0, 0 }, { 0x0f, 0xc0, 0, 0, 0 } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      guint8 packed[5];
      gsize len = (examples[i].n_codes * examples[i].bits + 7) / 8;

      pack_rfc3551 (examples[i].codes, examples[i].n_codes, examples[i].bits, packed);
      g_assert_cmpmem (packed, len, examples[i].rfc3551, len);
      pack_aal2 (examples[i].codes, examples[i].n_codes, examples[i].bits, packed);
      g_assert_cmpmem (packed, len, examples[i].aal2, len);
    }

  g_assert_true (gst_init_check (NULL, NULL, NULL));
  g_assert_true (dp_gst_g726_register ());
  for (guint round = 0; round < 8; round++)
    {
      guint bits = 2 + round % 4;
      gboolean aal2 = round >= 4;   /* G726_Packing AAL2: the element's aal2 */
      g_autofree char *description = g_strdup_printf (
        "audiotestsrc num-buffers=1 samplesperbuffer=160 freq=1000 volume=0.3 ! "
        "audio/x-raw,format=S16LE,rate=8000,channels=1 ! tee name=t ! queue ! "
        "dpg726enc bitrate=%u aal2=%s ! fakesink name=out signal-handoffs=true "
        "t. ! queue ! fakesink name=raw signal-handoffs=true", bits * 8000, aal2 ? "true" : "false");
      g_autoptr(GError) error = NULL;
      g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
      g_autoptr(GstElement) sink = NULL;
      g_autoptr(GstElement) raw_sink = NULL;
      g_autoptr(GByteArray) raw = g_byte_array_new ();
      g_autoptr(GstBus) bus = NULL;
      g_autoptr(GstMessage) done = NULL;
      g_autoptr(GByteArray) encoded = g_byte_array_new ();
      guint8 codes[160], expected[100];
      g726_state_t *reference = g726_init (NULL, (int) bits * 8000, G726_ENCODING_LINEAR,
                                           G726_PACKING_NONE);

      g_assert_no_error (error);
      sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
      g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), encoded);
      raw_sink = gst_bin_get_by_name (GST_BIN (pipeline), "raw");
      g_signal_connect (raw_sink, "handoff", G_CALLBACK (on_handoff), raw);
      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      bus = gst_element_get_bus (pipeline);
      done = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      g_assert_nonnull (done);
      g_assert_cmpint (GST_MESSAGE_TYPE (done), ==, GST_MESSAGE_EOS);
      gst_element_set_state (pipeline, GST_STATE_NULL);

      /* The very samples the encoder got, coded one per byte by spandsp. */
      g_assert_cmpuint (raw->len, ==, 160 * sizeof (int16_t));
      g_assert_cmpint (g726_encode (reference, codes, (const int16_t *) raw->data, 160), ==, 160);
      g726_free (reference);
      (aal2 ? pack_aal2 : pack_rfc3551) (codes, 160, bits, expected);
      g_test_message ("G.726 %u-bit codes, %s order: %u bytes encoded", bits,
                      aal2 ? "AAL2" : "RFC 3551", encoded->len);
      g_assert_cmpmem (encoded->data, encoded->len, expected, 160 * bits / 8);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media/sdes/corpus", test_crypto_corpus);
  g_test_add_func ("/media/sdes/strict", test_crypto_strict);
  g_test_add_func ("/media/sdp/attr-corpus", test_attr_corpus);
  g_test_add_func ("/media/sdp/parse", test_parse);
  g_test_add_func ("/media/sdp/parse-errors", test_parse_errors);
  g_test_add_func ("/media/sdp/build-answer", test_build_answer_rejects_others);
  g_test_add_func ("/media/sdp/directions", test_directions);
  g_test_add_func ("/media/codec/negotiation", test_negotiation);
  g_test_add_func ("/media/codec/g726-enable", test_g726_enable);
  g_test_add_func ("/media/codec/g726-bit-order", test_g726_bit_order);
  return g_test_run ();
}
