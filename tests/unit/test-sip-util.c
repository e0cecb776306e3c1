/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sip plugin's pure helpers: dial targets to request URIs, server URIs
 * and AORs, the User-Agent text, digest credentials, SIP INFO DTMF bodies,
 * and its SDP reader/writer. The plugin sources are compiled into this test
 * (they need nothing but GLib). */
#include "../../plugins/sip/dp-sip-util.c"
#include "../../plugins/sip/dp-sip-sdp.c"

static void
assert_target (const char *target, const char *proxy, DpSipTransport transport,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = dp_sip_target_uri (target, proxy, transport, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, expected);
}

static void
assert_target_error (const char *target, const char *proxy, const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = dp_sip_target_uri (target, proxy, DP_SIP_TRANSPORT_UDP, &error);

  g_assert_null (uri);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_target_uri (void)
{
  assert_target ("5551234", "sip.example.com", DP_SIP_TRANSPORT_UDP,
                 "sip:5551234@sip.example.com");
  assert_target (" 100 ", "10.0.0.1:5070", DP_SIP_TRANSPORT_UDP, "sip:100@10.0.0.1:5070");
  assert_target ("100", "sip:pbx.lan", DP_SIP_TRANSPORT_TCP, "sip:100@pbx.lan;transport=tcp");
  assert_target ("*72#", "pbx", DP_SIP_TRANSPORT_UDP, "sip:*72%23@pbx");
  assert_target ("+4930123", "pbx", DP_SIP_TRANSPORT_TLS, "sip:+4930123@pbx;transport=tls");
  /* IP dialing and given URIs do not need a proxy. */
  assert_target ("1000@192.168.1.10", NULL, DP_SIP_TRANSPORT_UDP, "sip:1000@192.168.1.10");
  assert_target ("192.168.1.10:5062", "", DP_SIP_TRANSPORT_TCP,
                 "sip:192.168.1.10:5062;transport=tcp");
  assert_target ("sip:bob@example.org;transport=tcp", NULL, DP_SIP_TRANSPORT_UDP,
                 "sip:bob@example.org;transport=tcp");
  assert_target ("SIPS:bob@example.org", NULL, DP_SIP_TRANSPORT_UDP, "SIPS:bob@example.org");
  /* An explicit transport in the target is kept. */
  assert_target ("bob@host;transport=udp", NULL, DP_SIP_TRANSPORT_TCP, "sip:bob@host;transport=udp");
}

static void
test_target_uri_errors (void)
{
  assert_target_error ("", "pbx", "nothing to dial");
  assert_target_error ("   ", "pbx", "nothing to dial");
  assert_target_error ("100", "", "no proxy set to call '100'");
  assert_target_error ("100", NULL, "no proxy");
  assert_target_error ("10 0", "pbx", "character 3");
  assert_target_error ("bob<", "pbx", "character 4");
  assert_target_error ("sip:", NULL, "has no host");
  assert_target_error ("sip:bob@", NULL, "has no host");
  assert_target_error ("@host", NULL, "empty user");
  assert_target_error ("bob@ho/st", NULL, "bad host at position 7");
  assert_target_error ("ab:c", "pbx", "character 3");
  assert_target_error ("100", "pb x", "proxy 'pb x': bad host at position 3");
  assert_target_error ("100", "pbx/1", "bad host at position 4");
}

static void
test_server_and_aor (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = dp_sip_server_uri ("127.0.0.1:5070", DP_SIP_TRANSPORT_TCP, &error);
  g_autofree char *aor = NULL;
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, "sip:127.0.0.1:5070;transport=tcp");
  g_clear_pointer (&uri, g_free);
  uri = dp_sip_server_uri ("sip:[::1]:5060", DP_SIP_TRANSPORT_UDP, &error);
  g_assert_cmpstr (uri, ==, "sip:[::1]:5060");

  aor = dp_sip_aor ("1001", "pbx.example.com:5080", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aor, ==, "sip:1001@pbx.example.com:5080");

  bad = dp_sip_aor ("", "pbx", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "no User ID set");
  g_clear_error (&error);
  bad = dp_sip_aor ("a@b", "pbx", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "User ID 'a@b': character 2 is not allowed in a SIP user");
  g_clear_error (&error);
  bad = dp_sip_aor ("1001", ":5060", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "proxy ':5060': bad host at position 1");
  g_clear_error (&error);
  bad = dp_sip_server_uri ("", DP_SIP_TRANSPORT_UDP, &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

static void
test_transport (void)
{
  g_assert_cmpint (dp_sip_transport_from_string ("UDP"), ==, DP_SIP_TRANSPORT_UDP);
  g_assert_cmpint (dp_sip_transport_from_string ("tcp"), ==, DP_SIP_TRANSPORT_TCP);
  g_assert_cmpint (dp_sip_transport_from_string ("TLS"), ==, DP_SIP_TRANSPORT_TLS);
  g_assert_cmpint (dp_sip_transport_from_string (NULL), ==, DP_SIP_TRANSPORT_UDP);
  g_assert_cmpint (dp_sip_transport_from_string ("SCTP"), ==, DP_SIP_TRANSPORT_UDP);
  g_assert_cmpstr (dp_sip_transport_to_param (DP_SIP_TRANSPORT_TLS), ==, "tls");
}

static void
test_user_agent (void)
{
  g_autofree char *a = dp_sip_expand_user_agent ("$VERSION", "0.1.0");
  g_autofree char *b = dp_sip_expand_user_agent ("Acme $VERSION ($$5)", "2.0");
  g_autofree char *c = dp_sip_expand_user_agent ("", "1");
  g_autofree char *d = dp_sip_expand_user_agent ("x\r\nEvil: 1", "1");
  g_autofree char *e = dp_sip_expand_user_agent ("$VERS", "1");

  g_assert_cmpstr (a, ==, "deskphone/0.1.0");
  g_assert_cmpstr (b, ==, "Acme deskphone/2.0 ($5)");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "xEvil: 1");
  g_assert_cmpstr (e, ==, "$VERS");
}

static void
test_credentials_and_dtmf (void)
{
  g_autofree char *quoted = dp_sip_digest_credentials ("\"pbx\"", "1001", "s:e\"c");
  g_autofree char *bare = dp_sip_digest_credentials ("pbx", "1001", "x");
  g_autofree char *five = dp_sip_dtmf_info_body ('5', 160, NULL);
  g_autofree char *star = dp_sip_dtmf_info_body ('*', 100, NULL);
  g_autofree char *a = dp_sip_dtmf_info_body ('a', 160, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = dp_sip_dtmf_info_body ('x', 160, &error);

  g_assert_cmpstr (quoted, ==, "Digest:\"pbx\":1001:s:e\"c");
  g_assert_cmpstr (bare, ==, "Digest:\"pbx\":1001:x");
  g_assert_cmpstr (five, ==, "Signal=5\r\nDuration=160\r\n");
  g_assert_cmpstr (star, ==, "Signal=*\r\nDuration=100\r\n");
  g_assert_cmpstr (a, ==, "Signal=A\r\nDuration=160\r\n");
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "'x' is not a DTMF digit (0-9 * # A-D)");
}

static void
parse_ok (const char *sdp, DpSipSdpInfo *info)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_sip_sdp_parse (sdp, strlen (sdp), info, &error));
  g_assert_no_error (error);
}

static void
parse_fails (const char *sdp, const char *message)
{
  g_autoptr(GError) error = NULL;
  DpSipSdpInfo info;

  g_assert_false (dp_sip_sdp_parse (sdp, strlen (sdp), &info, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, message);
  dp_sip_sdp_info_clear (&info);
}

static void
test_sdp_offer_round_trip (void)
{
  const char *codecs[] = { "PCMA", "PCMU", "G726-32", NULL };
  g_autofree char *sdp = dp_sip_sdp_build_offer ("127.0.0.1", 16384, codecs, 101, 42);
  g_auto(DpSipSdpInfo) info = { 0 };

  g_assert_nonnull (strstr (sdp, "m=audio 16384 RTP/AVP 8 0 101\r\n"));
  g_assert_nonnull (strstr (sdp, "a=rtpmap:101 telephone-event/8000\r\n"));
  g_assert_nonnull (strstr (sdp, "o=deskphone 42 42 IN IP4 127.0.0.1\r\n"));
  parse_ok (sdp, &info);
  g_assert_cmpstr (info.codec, ==, "PCMA");
  g_assert_cmpuint (info.clock_rate, ==, 8000);
  g_assert_cmpuint (info.port, ==, 16384);
  g_assert_cmpstr (info.address, ==, "127.0.0.1");
  g_assert_cmpint (info.direction, ==, DP_SIP_MEDIA_SENDRECV);
  g_assert_false (dp_sip_sdp_info_is_hold (&info));
}

static void
test_sdp_ipv6_and_no_dtmf (void)
{
  const char *codecs[] = { "PCMU", NULL };
  g_autofree char *sdp = dp_sip_sdp_build_offer ("::1", 20000, codecs, 0, 1);

  g_assert_nonnull (strstr (sdp, "c=IN IP6 ::1\r\n"));
  g_assert_nonnull (strstr (sdp, "m=audio 20000 RTP/AVP 0\r\n"));
  g_assert_null (strstr (sdp, "telephone-event"));
}

static void
test_sdp_hold_forms (void)
{
  g_auto(DpSipSdpInfo) sendonly = { 0 };
  g_auto(DpSipSdpInfo) inactive_session = { 0 };
  g_auto(DpSipSdpInfo) rfc2543 = { 0 };
  g_auto(DpSipSdpInfo) recvonly = { 0 };
  g_auto(DpSipSdpInfo) media_overrides = { 0 };

  parse_ok ("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n", &sendonly);
  g_assert_cmpint (sendonly.direction, ==, DP_SIP_MEDIA_SENDONLY);
  g_assert_true (dp_sip_sdp_info_is_hold (&sendonly));

  parse_ok ("v=0\na=inactive\nm=audio 4000 RTP/AVP 8\nc=IN IP4 10.0.0.1\n", &inactive_session);
  g_assert_cmpint (inactive_session.direction, ==, DP_SIP_MEDIA_INACTIVE);
  g_assert_true (dp_sip_sdp_info_is_hold (&inactive_session));
  g_assert_cmpstr (inactive_session.codec, ==, "PCMA");

  /* RFC 2543: c=0.0.0.0 without any direction attribute. */
  parse_ok ("v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n", &rfc2543);
  g_assert_true (rfc2543.null_address);
  g_assert_true (dp_sip_sdp_info_is_hold (&rfc2543));

  /* The peer only receives: it holds nothing (we hold it). */
  parse_ok ("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=recvonly\r\n", &recvonly);
  g_assert_false (dp_sip_sdp_info_is_hold (&recvonly));

  parse_ok ("v=0\r\na=sendonly\r\nc=IN IP4 1.2.3.4/127\r\nm=audio 4000 RTP/AVP 0\r\n"
            "c=IN IP4 10.0.0.9\r\na=sendrecv\r\n", &media_overrides);
  g_assert_cmpint (media_overrides.direction, ==, DP_SIP_MEDIA_SENDRECV);
  g_assert_cmpstr (media_overrides.address, ==, "10.0.0.9");
}

static void
test_sdp_codecs (void)
{
  g_auto(DpSipSdpInfo) dynamic = { 0 };
  g_auto(DpSipSdpInfo) only_events = { 0 };
  g_auto(DpSipSdpInfo) video_first = { 0 };
  g_auto(DpSipSdpInfo) rejected = { 0 };

  parse_ok ("v=0\r\nc=IN IP4 1.1.1.1\r\nm=audio 5000 RTP/AVP 101 96 0\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:96 opus/48000/2\r\n", &dynamic);
  g_assert_cmpstr (dynamic.codec, ==, "opus");
  g_assert_cmpuint (dynamic.clock_rate, ==, 48000);

  parse_ok ("v=0\r\nm=audio 5000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n",
            &only_events);
  g_assert_null (only_events.codec);
  g_assert_null (only_events.address);

  parse_ok ("v=0\r\nm=video 6000 RTP/AVP 96\r\na=sendonly\r\nm=audio 5000 RTP/AVP 9\r\n"
            "m=audio 7000 RTP/AVP 0\r\n", &video_first);
  g_assert_cmpstr (video_first.codec, ==, "G722");
  g_assert_cmpuint (video_first.port, ==, 5000);
  g_assert_cmpint (video_first.direction, ==, DP_SIP_MEDIA_SENDRECV);

  parse_ok ("v=0\r\nm=audio 0 RTP/AVP 0\r\n", &rejected);
  g_assert_cmpuint (rejected.port, ==, 0);

  g_assert_cmpuint (dp_sip_codec_payload ("pcmu"), ==, 0);
  g_assert_cmpuint (dp_sip_codec_payload ("opus"), ==, G_MAXUINT);
  g_assert_cmpstr (dp_sip_codec_from_preference ("G711a"), ==, "PCMA");
  g_assert_null (dp_sip_codec_from_preference ("G726-32"));
}

static void
test_sdp_errors (void)
{
  parse_fails ("", "SDP body is empty");
  parse_fails ("v=1\r\n", "SDP line 1: expected v=0");
  parse_fails ("o=x\r\nv=0\r\n", "SDP line 1: expected v=0");
  parse_fails ("v=0\r\nbogus\r\n", "SDP line 2: not of the form x=value");
  parse_fails ("v=0\r\nX=1\r\n", "SDP line 2: not of the form x=value");
  parse_fails ("v=0\r\nc=IN IP4 1.1.1.1\r\n", "SDP has no m=audio stream");
  parse_fails ("v=0\r\nm=audio\r\n", "SDP line 2: bad m= line (media port proto formats)");
  parse_fails ("v=0\r\nm=audio 70000 RTP/AVP 0\r\n",
               "SDP line 2: bad m= line (media port proto formats)");
  parse_fails ("v=0\r\nm=audio 5000 RTP/AVP 0 200\r\n",
               "SDP line 2: payload type '200' is not 0-127");
  parse_fails ("v=0\r\nm=audio 5000 RTP/AVP 0\r\nc=IN IP9 x\r\n",
               "SDP line 3: bad c= line (expected IN IP4|IP6 address)");
  parse_fails ("v=0\r\nm=audio 5000 RTP/AVP 0\r\na=rtpmap:abc PCMU/8000\r\n",
               "SDP line 3: bad rtpmap (expected a=rtpmap:PT name/rate)");
}

static void
test_sdp_length_is_respected (void)
{
  /* The body is not NUL-terminated where the length ends. */
  const char body[] = "v=0\r\nm=audio 5000 RTP/AVP 0\r\nGARBAGE";
  g_auto(DpSipSdpInfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_sip_sdp_parse (body, strlen (body) - strlen ("GARBAGE"), &info, &error));
  g_assert_cmpstr (info.codec, ==, "PCMU");
  dp_sip_sdp_info_clear (&info);
  g_assert_false (dp_sip_sdp_parse ("v=0\r\n\0m=audio 1 RTP/AVP 0", 25, &info, &error));
  g_assert_nonnull (error);
}

/* RFC 2617 3.5's example; the no-qop response was computed independently
 * with Python's hashlib. */
static void
test_digest_verify (void)
{
  g_autoptr(GError) error = NULL;
  const char *good =
    "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
    "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"\r\n";

  /* RFC 2617's own example (method GET). */
  g_assert_true (dp_sip_digest_verify ("GET", "Circle Of Life", good, "Mufasa",
                                       "testrealm@host.com",
                                       "dcd98b7102dd2f0e8b11d0f600bfb0c093", &error));
  g_assert_no_error (error);
  /* Same header for another method: wrong. */
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "Circle Of Life", good, "Mufasa",
                                        "testrealm@host.com",
                                        "dcd98b7102dd2f0e8b11d0f600bfb0c093", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("GET", "wrong", good, "Mufasa", "testrealm@host.com",
                                        "dcd98b7102dd2f0e8b11d0f600bfb0c093", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  /* Another user, another nonce (replay of an old challenge). */
  g_assert_false (dp_sip_digest_verify ("GET", "Circle Of Life", good, "Simba",
                                        "testrealm@host.com",
                                        "dcd98b7102dd2f0e8b11d0f600bfb0c093", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("GET", "Circle Of Life", good, "Mufasa",
                                        "testrealm@host.com", "00", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* No qop (RFC 2069 form): MD5(HA1:nonce:HA2). */
  g_assert_true (dp_sip_digest_verify ("NOTIFY", "secret",
                                       "Digest username=\"phone\",realm=\"r\",nonce=\"n\","
                                       "uri=\"sip:phone@127.0.0.1\","
                                       "response=\"1251aa613e8a048bb590cbaa67085b57\"",
                                       "phone", "r", "n", &error));
  g_assert_no_error (error);
  /* Hostile forms: errors naming the position or the problem. */
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "x", "Basic abc", "u", "r", "n", &error));
  g_assert_nonnull (strstr (error->message, "position 1"));
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "x", "Digest username=\"u", "u", "r", "n",
                                        &error));
  g_assert_nonnull (strstr (error->message, "unterminated"));
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "x", "Digest =x", "u", "r", "n", &error));
  g_assert_nonnull (strstr (error->message, "position 8"));
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "x", "Digest username=u", "u", "r", "n",
                                        &error));
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);
  g_assert_false (dp_sip_digest_verify ("NOTIFY", "x",
                                        "Digest username=u,realm=r,nonce=n,uri=x,response=0,"
                                        "algorithm=SHA-256", "u", "r", "n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_message_summary (void)
{
  g_autoptr(GError) error = NULL;
  gboolean waiting = FALSE;
  guint fresh = 99, old = 99;
  const char *yes = "Messages-Waiting: yes\r\nMessage-Account: sip:1001@x\r\n"
                    "Voice-Message: 2/8 (0/2)\r\n";
  const char *no = "messages-waiting:   No  \n";
  const char *bad = "Voice-Message: 1/0\r\nMessages-Waiting: maybe\r\n";

  g_assert_true (dp_sip_message_summary_parse (yes, strlen (yes), &waiting, &fresh, &old, &error));
  g_assert_no_error (error);
  g_assert_true (waiting);
  g_assert_cmpuint (fresh, ==, 2);
  g_assert_cmpuint (old, ==, 8);
  g_assert_true (dp_sip_message_summary_parse (no, strlen (no), &waiting, &fresh, &old, &error));
  g_assert_false (waiting);
  g_assert_cmpuint (fresh, ==, 0);
  g_assert_false (dp_sip_message_summary_parse (bad, strlen (bad), &waiting, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_false (dp_sip_message_summary_parse ("", 0, &waiting, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "no Messages-Waiting"));
  g_clear_error (&error);
  /* The length is respected: the "yes" after it is not read. */
  g_assert_false (dp_sip_message_summary_parse (yes, 10, &waiting, NULL, NULL, &error));
  g_clear_error (&error);
  /* A NUL inside the body ends that line only. */
  g_assert_true (dp_sip_message_summary_parse ("X: a\0b\nMessages-Waiting: yes\n", 29, &waiting,
                                               NULL, NULL, &error));
  g_assert_true (waiting);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/target-uri", test_target_uri);
  g_test_add_func ("/sip/target-uri-errors", test_target_uri_errors);
  g_test_add_func ("/sip/server-and-aor", test_server_and_aor);
  g_test_add_func ("/sip/transport", test_transport);
  g_test_add_func ("/sip/user-agent", test_user_agent);
  g_test_add_func ("/sip/credentials-and-dtmf", test_credentials_and_dtmf);
  g_test_add_func ("/sip/sdp/offer-round-trip", test_sdp_offer_round_trip);
  g_test_add_func ("/sip/sdp/ipv6-no-dtmf", test_sdp_ipv6_and_no_dtmf);
  g_test_add_func ("/sip/sdp/hold-forms", test_sdp_hold_forms);
  g_test_add_func ("/sip/sdp/codecs", test_sdp_codecs);
  g_test_add_func ("/sip/sdp/errors", test_sdp_errors);
  g_test_add_func ("/sip/sdp/length", test_sdp_length_is_respected);
  g_test_add_func ("/sip/digest-verify", test_digest_verify);
  g_test_add_func ("/sip/message-summary", test_message_summary);
  return g_test_run ();
}
