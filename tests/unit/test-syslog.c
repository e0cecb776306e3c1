/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Logging: server parsing, Debug_Level filter, secret scrubbing, RFC 5424
 * formatting, and the DpLogger end to end against UDP sockets on 127.0.0.1. */

#include "dp-log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The logger under test. GLib allows one writer per process, so main()
 * installs a forwarder and each test points it at a fresh logger. */
static DpLogger *current;

static GLogWriterOutput
forward_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (current != NULL)
    return dp_logger_writer_func (level, fields, n_fields, current);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Messages the logger under test emits also go to stderr; keep the test
 * output readable by sending fd 2 to /dev/null while they fly. */
static int saved_stderr = -1;

static void
quiet_stderr (void)
{
  int null_fd = open ("/dev/null", O_WRONLY);

  g_assert_cmpint (null_fd, >=, 0);
  fflush (stderr);
  saved_stderr = dup (2);
  dup2 (null_fd, 2);
  close (null_fd);
}

static void
restore_stderr (void)
{
  fflush (stderr);
  dup2 (saved_stderr, 2);
  close (saved_stderr);
  saved_stderr = -1;
}

static DpLogger *
logger_begin (void)
{
  DpLogger *logger = dp_logger_new ();

  dp_logger_set_hostname (logger, "testhost");
  current = logger;
  quiet_stderr ();
  return logger;
}

static void
logger_end (DpLogger *logger)
{
  current = NULL;
  restore_stderr ();
  g_object_unref (logger);
}

static void
log_direct (DpLogger *logger, GLogLevelFlags level, const char *domain, const char *message)
{
  const GLogField fields[] = {
    { "GLIB_DOMAIN", domain, -1 },
    { "MESSAGE", message, -1 },
  };

  dp_logger_writer_func (level, fields, G_N_ELEMENTS (fields), logger);
}

/* ------------------------------------------------------------ receiver */

typedef struct {
  GSocket *socket;
  guint16 port;
  char *spec;
} Receiver;

static Receiver *
receiver_new (void)
{
  Receiver *receiver = g_new0 (Receiver, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  receiver->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                   G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (receiver->socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (receiver->socket, FALSE);
  bound = g_socket_get_local_address (receiver->socket, &error);
  g_assert_no_error (error);
  receiver->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  receiver->spec = g_strdup_printf ("127.0.0.1:%u", receiver->port);
  return receiver;
}

static void
receiver_free (Receiver *receiver)
{
  g_object_unref (receiver->socket);
  g_free (receiver->spec);
  g_free (receiver);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_free)

/* Waits (bounded, running the default main context so lookups finish) for
 * the next datagram. Returns NULL after 5 s. */
static GBytes *
receiver_next (Receiver *receiver)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  char buffer[65536];

  while (g_get_monotonic_time () < deadline)
    {
      gssize n = g_socket_receive (receiver->socket, buffer, sizeof buffer, NULL, NULL);

      if (n >= 0)
        return g_bytes_new (buffer, (gsize) n);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_socket_condition_timed_wait (receiver->socket, G_IO_IN, 10000, NULL, NULL);
    }
  return NULL;
}

/* The fields of one received datagram. */
typedef struct {
  guint pri;
  char *timestamp;
  char *hostname;
  char *app;
  char *procid;
  char *msgid;
  char *msg;
  gsize size;
} Datagram;

static void
datagram_free (Datagram *datagram)
{
  g_free (datagram->timestamp);
  g_free (datagram->hostname);
  g_free (datagram->app);
  g_free (datagram->procid);
  g_free (datagram->msgid);
  g_free (datagram->msg);
  g_free (datagram);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Datagram, datagram_free)

static Datagram *
datagram_parse (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = g_strndup (data, size);
  Datagram *datagram = g_new0 (Datagram, 1);
  char *p = text, *end;
  char **slots[] = { &datagram->timestamp, &datagram->hostname, &datagram->app,
                     &datagram->procid, &datagram->msgid };

  g_assert_cmpuint (strlen (text), ==, size);
  datagram->size = size;
  g_assert_cmpint (*p, ==, '<');
  datagram->pri = (guint) g_ascii_strtoull (p + 1, &end, 10);
  g_assert_true (g_str_has_prefix (end, ">1 "));
  p = end + 3;
  for (gsize i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      end = strchr (p, ' ');
      g_assert_nonnull (end);
      g_assert_cmpint (end - p, >, 0);
      *slots[i] = g_strndup (p, (gsize) (end - p));
      p = end + 1;
    }
  g_assert_true (g_str_has_prefix (p, "- \xEF\xBB\xBF"));
  datagram->msg = g_strdup (p + 5);
  g_assert_true (g_utf8_validate (datagram->msg, -1, NULL));
  return datagram;
}

static Datagram *
expect_datagram (Receiver *receiver)
{
  g_autoptr(GBytes) bytes = receiver_next (receiver);

  g_assert_nonnull (bytes);
  return datagram_parse (bytes);
}

static void
expect_message (Receiver *receiver, const char *msgid, const char *msg, guint pri)
{
  g_autoptr(Datagram) datagram = expect_datagram (receiver);

  g_assert_cmpstr (datagram->msg, ==, msg);
  g_assert_cmpstr (datagram->msgid, ==, msgid);
  g_assert_cmpuint (datagram->pri, ==, pri);
}

/* Ends a stretch in which nothing may arrive: logs a message that must pass
 * and checks that it is the next datagram (loopback UDP keeps the order). */
static void
expect_only_sentinel (Receiver *receiver)
{
  static guint serial;
  g_autofree char *text = g_strdup_printf ("sentinel %u", ++serial);

  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "%s", text);
  expect_message (receiver, "dp-test", text, DP_LOG_FACILITY * 8 + 5);
}

/* ------------------------------------------------------------ parsers */

static void
test_parse_server_valid (void)
{
  static const struct {
    const char *text;
    const char *host;
    guint16 port;
  } cases[] = {
    { "192.168.1.10", "192.168.1.10", 514 },
    { "192.168.1.10:5140", "192.168.1.10", 5140 },
    { "  syslog.example.com:65535 ", "syslog.example.com", 65535 },
    { "log_host-1", "log_host-1", 514 },
    { "localhost:1", "localhost", 1 },
    { "[::1]:515", "::1", 515 },
    { "[fe80::1]", "fe80::1", 514 },
    { "2001:db8::7", "2001:db8::7", 514 },
    { "", NULL, 514 },
    { " \t ", NULL, 514 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 0;

      g_assert_true (dp_log_parse_server (cases[i].text, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
      g_assert_true (dp_log_check_server (cases[i].text, NULL));
    }
  g_assert_true (dp_log_parse_server (NULL, NULL, NULL, NULL));
}

static void
test_parse_server_invalid (void)
{
  static const struct {
    const char *text;
    const char *fragment;
  } cases[] = {
    { "host:", "position 6: the port is empty" },
    { "host:0", "position 6: the port must be 1 to 65535" },
    { "host:65536", "position 6: the port must be 1 to 65535" },
    { "host:12a", "position 8: the port must be a number" },
    { "host:-1", "position 6: the port must be a number" },
    { "ho st", "position 3: a host name may only hold" },
    { "  bad/host", "position 6: a host name may only hold" },
    { ":514", "position 1: the host name is empty" },
    { "[::1", "position 1: “[” without a closing “]”" },
    { "[1.2.3.4]:5", "position 2: not an IPv6 address" },
    { "[::1]x", "position 6: expected “:” and a port" },
    { "[::1]:", "position 7: the port is empty" },
    { "a:b:c", "position 1: not an IPv6 address" },
    { "syslog.example.com:514 x", "position 23: the port must be a number" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;

      g_assert_false (dp_log_parse_server (cases[i].text, &host, &port, &error));
      g_assert_error (error, DP_LOG_ERROR, DP_LOG_ERROR_INVALID_SERVER);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("“%s”: message “%s” lacks “%s”", cases[i].text, error->message, cases[i].fragment);
      g_assert_null (host);
      g_clear_error (&error);
      g_assert_false (dp_log_check_server (cases[i].text, &error));
      g_assert_nonnull (error);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *long_name = g_strnfill (254, 'a');

    g_assert_false (dp_log_parse_server (long_name, NULL, NULL, &error));
    g_assert_nonnull (strstr (error->message, "longer than 253"));
  }
}

static void
test_level_filter (void)
{
  static const struct {
    GLogLevelFlags level;
    const char *domain;
    gboolean at[4];
  } cases[] = {
    { G_LOG_LEVEL_ERROR, "dp-media", { TRUE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_CRITICAL, NULL, { TRUE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_WARNING, "GLib-GIO", { TRUE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_MESSAGE, "dp-provisioning", { TRUE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_INFO, "dp-media", { FALSE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_INFO, "dp-sip", { FALSE, TRUE, TRUE, TRUE } },
    { G_LOG_LEVEL_DEBUG, "dp-sip", { FALSE, FALSE, TRUE, TRUE } },
    { G_LOG_LEVEL_DEBUG, "dp-sip-transport", { FALSE, FALSE, TRUE, TRUE } },
    { G_LOG_LEVEL_DEBUG, "dp-si", { FALSE, FALSE, FALSE, TRUE } },
    { G_LOG_LEVEL_DEBUG, "dp-media", { FALSE, FALSE, FALSE, TRUE } },
    { G_LOG_LEVEL_DEBUG, NULL, { FALSE, FALSE, FALSE, TRUE } },
    { 1 << G_LOG_LEVEL_USER_SHIFT, "dp-media", { FALSE, FALSE, FALSE, TRUE } },
    { G_LOG_LEVEL_MESSAGE | G_LOG_FLAG_FATAL, "dp-x", { TRUE, TRUE, TRUE, TRUE } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint level = 0; level < 4; level++)
      g_assert_cmpint (dp_log_level_enabled (level, cases[i].level, cases[i].domain), ==,
                       cases[i].at[level]);
  /* Above 3 counts as 3. */
  g_assert_true (dp_log_level_enabled (9, G_LOG_LEVEL_DEBUG, "dp-media"));
}

static void
test_severity (void)
{
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_ERROR), ==, 3);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_CRITICAL), ==, 4);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_WARNING), ==, 4);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_MESSAGE), ==, 5);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_INFO), ==, 6);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_DEBUG), ==, 7);
  g_assert_cmpuint (dp_log_level_to_severity (G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL), ==, 4);
}

static void
test_scrub (void)
{
  static const char *const secrets[] = { "hunter22", "hunter22-extended", "abc", "", NULL };
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "plain text stays", "plain text stays" },
    { "login with hunter22 ok, again hunter22", "login with **** ok, again ****" },
    { "longer hunter22-extended masked whole", "longer **** masked whole" },
    { "short secret abc is not registered", "short secret abc is not registered" },
    { "REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"100\", response=\"5f2a\"\r\nCSeq: 2\r\n",
      "REGISTER sip:a SIP/2.0\r\nAuthorization: ****\r\nCSeq: 2\r\n" },
    { "proxy-authorization:Digest x\nVia: y", "proxy-authorization:****\nVia: y" },
    { "GET / HTTP/1.1\nCookie: session=abcdef\nSet-Cookie: sid=1", "GET / HTTP/1.1\nCookie: ****\nSet-Cookie: ****" },
    { "Authorization:\r\n", "Authorization:\r\n" },
    { "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32",
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:****|2^20|1:32" },
    { "rule [--key SecretKey1 ]https://p/x.cfg", "rule [--key **** ]https://p/x.cfg" },
    { "--key=abc123 next", "--key=**** next" },
    { "a--key b", "a--key b" },
    { "fetch https://admin:pa55w0rd@prov.example.com/a.xml", "fetch https://admin:****@prov.example.com/a.xml" },
    { "fetch https://prov.example.com:443/a@b", "fetch https://prov.example.com:443/a@b" },
    { "User_Password=xyz&Admin_Passwd=q1 Password_1_ = \"two words\"",
      "User_Password=****&Admin_Passwd=**** Password_1_ = \"****\"" },
    { "{\"password\": \"s3cr\", \"user\": \"bob\"}", "{\"password\": \"****\", \"user\": \"bob\"}" },
    { "<Admin_Passwd ua=\"na\">topsecret</Admin_Passwd><User_ID_1_>100</User_ID_1_>",
      "<Admin_Passwd ua=\"na\">****</Admin_Passwd><User_ID_1_>100</User_ID_1_>" },
    { "<Password_1_/> <Password_2_></Password_2_>", "<Password_1_/> <Password_2_></Password_2_>" },
    { "csrf_token: 0123abcd; pwd=x; client_secret=\"y\"", "csrf_token: ****; pwd=****; client_secret=\"****\"" },
    { "password changed", "password changed" },
    { "if (password == NULL) x", "if (password == NULL) x" },
    { "Xpasswordless=ok", "Xpasswordless=****" },
    { "password=", "password=" },
    { "password='unterminated", "password='****" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = dp_log_scrub (cases[i].in, secrets);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    g_autofree char *out = dp_log_scrub ("no secrets list hunter22", NULL);

    g_assert_cmpstr (out, ==, "no secrets list hunter22");
  }
}

static void
test_format (void)
{
  /* 2024-02-29T23:59:59.000001Z */
  gint64 when = G_GINT64_CONSTANT (1709251199) * G_USEC_PER_SEC + 1;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Datagram) datagram = NULL;
  gsize size;
  const char *data;

  bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_WARNING, "dp-sip", "hello\nworld", when,
                                 "phone-1", 4242, DP_LOG_MAX_DATAGRAM);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpmem (data, size,
                   "<132>1 2024-02-29T23:59:59.000001Z phone-1 deskphone 4242 dp-sip - \xEF\xBB\xBFhello\nworld",
                   strlen ("<132>1 2024-02-29T23:59:59.000001Z phone-1 deskphone 4242 dp-sip - \xEF\xBB\xBFhello\nworld"));
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Header fields are printable US-ASCII; MSGID is cut to 32; NULL is "-";
   * invalid UTF-8 becomes U+FFFD. */
  bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_DEBUG, "a-very-long-log-domain-name-exceeding-32", "bad \xff byte",
                                 when, "my host\x01", 1, DP_LOG_MAX_DATAGRAM);
  datagram = datagram_parse (bytes);
  g_assert_cmpuint (datagram->pri, ==, DP_LOG_FACILITY * 8 + 7);
  g_assert_cmpstr (datagram->hostname, ==, "my_host_");
  g_assert_cmpstr (datagram->msgid, ==, "a-very-long-log-domain-name-exce");
  g_assert_cmpuint (strlen (datagram->msgid), ==, 32);
  g_assert_cmpstr (datagram->msg, ==, "bad \xEF\xBF\xBD byte");
  g_clear_pointer (&datagram, datagram_free);
  g_clear_pointer (&bytes, g_bytes_unref);

  bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_INFO, NULL, "", when, NULL, 7, DP_LOG_MAX_DATAGRAM);
  datagram = datagram_parse (bytes);
  g_assert_cmpstr (datagram->msgid, ==, "-");
  g_assert_cmpstr (datagram->hostname, ==, "-");
  g_assert_cmpstr (datagram->msg, ==, "");
  g_assert_cmpuint (datagram->pri, ==, 134);
  g_clear_pointer (&datagram, datagram_free);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Truncation on a character boundary: "é" is two bytes. */
  {
    g_autoptr(GString) long_text = g_string_new (NULL);

    for (int i = 0; i < 3000; i++)
      g_string_append (long_text, "é");
    for (gsize max = 480; max <= 2048; max += 1)
      {
        bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_MESSAGE, "dp-x", long_text->str, when, "h", 1, max);
        data = g_bytes_get_data (bytes, &size);
        g_assert_cmpuint (size, <=, max);
        g_assert_cmpuint (size, >=, max - 1);
        datagram = datagram_parse (bytes);
        g_assert_true (g_str_has_prefix (long_text->str, datagram->msg));
        g_clear_pointer (&datagram, datagram_free);
        g_clear_pointer (&bytes, g_bytes_unref);
      }
    /* Below the RFC 5426 minimum the limit is raised to 480. */
    bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_MESSAGE, "dp-x", long_text->str, when, "h", 1, 10);
    g_assert_cmpuint (g_bytes_get_size (bytes), >=, 479);
    g_assert_cmpuint (g_bytes_get_size (bytes), <=, 480);
  }
}

/* Hostile input: random bytes through every pure function. */
static void
test_hostile_input (void)
{
  static const char *const secrets[] = { "hunter22", NULL };
  static const char alphabet[] = "ab:/@=<>\"' \r\n-[]passwordPWDtokenAuthorization:inline|;&\xc3\xa9\xff";

  for (int round = 0; round < 3000; round++)
    {
      gsize len = (gsize) g_test_rand_int_range (0, 200);
      g_autofree char *text = g_malloc (len + 1);
      g_autofree char *scrubbed = NULL;
      g_autoptr(GBytes) bytes = NULL;

      for (gsize i = 0; i < len; i++)
        text[i] = round % 2 ? alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]
                            : (char) g_test_rand_int_range (1, 256);
      text[len] = '\0';
      if (round % 7 == 0 && len > 10)
        memcpy (text + len / 2, "hunter22", MIN (8, len - len / 2));

      scrubbed = dp_log_scrub (text, secrets);
      g_assert_null (strstr (scrubbed, "hunter22"));
      bytes = dp_log_format_rfc5424 (G_LOG_LEVEL_MESSAGE, text, scrubbed, 0, text, 1, 480);
      g_assert_cmpuint (g_bytes_get_size (bytes), <=, 480);
      dp_log_parse_server (text, NULL, NULL, NULL);
    }
}

/* ------------------------------------------------------------ the logger */

static void
test_logger_levels (void)
{
  g_autoptr(Receiver) debug_server = receiver_new ();
  DpLogger *logger = logger_begin ();

  g_assert_true (dp_logger_set_debug_server (logger, debug_server->spec, NULL));
  g_assert_cmpstr (dp_logger_get_debug_server (logger), ==, debug_server->spec);

  /* Debug_Level 0: messages and above only. */
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "resync %d", 1);
  expect_message (debug_server, "dp-test", "resync 1", 133);
  log_direct (logger, G_LOG_LEVEL_WARNING, "dp-media", "warn");
  expect_message (debug_server, "dp-media", "warn", 132);
  log_direct (logger, G_LOG_LEVEL_CRITICAL, "dp-media", "crit");
  expect_message (debug_server, "dp-media", "crit", 132);
  log_direct (logger, G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL, "dp-core", "err");
  expect_message (debug_server, "dp-core", "err", 131);
  g_log ("dp-test", G_LOG_LEVEL_INFO, "info hidden");
  g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "sip hidden");
  g_assert_false (dp_logger_would_log (logger, G_LOG_LEVEL_DEBUG, "dp-sip"));
  expect_only_sentinel (debug_server);

  dp_logger_set_debug_level (logger, 1);
  g_log ("dp-test", G_LOG_LEVEL_INFO, "info shown");
  expect_message (debug_server, "dp-test", "info shown", 134);
  g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "sip hidden");
  expect_only_sentinel (debug_server);

  dp_logger_set_debug_level (logger, 2);
  g_assert_true (dp_logger_would_log (logger, G_LOG_LEVEL_DEBUG, "dp-sip"));
  g_assert_false (dp_logger_would_log (logger, G_LOG_LEVEL_DEBUG, "dp-media"));
  g_log ("dp-media", G_LOG_LEVEL_DEBUG, "media hidden");
  g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "INVITE sip:100@x SIP/2.0");
  expect_message (debug_server, "dp-sip", "INVITE sip:100@x SIP/2.0", 135);
  g_log ("dp-sip-transport", G_LOG_LEVEL_DEBUG, "sent");
  expect_message (debug_server, "dp-sip-transport", "sent", 135);
  expect_only_sentinel (debug_server);

  dp_logger_set_debug_level (logger, 7);
  g_assert_cmpuint (dp_logger_get_debug_level (logger), ==, 3);
  g_log ("dp-media", G_LOG_LEVEL_DEBUG, "media shown");
  expect_message (debug_server, "dp-media", "media shown", 135);

  /* Structured logging and a MESSAGE field that is not NUL-terminated. */
  g_log_structured ("dp-test", G_LOG_LEVEL_MESSAGE, "MESSAGE", "structured %s", "ok");
  expect_message (debug_server, "dp-test", "structured ok", 133);
  {
    const GLogField fields[] = {
      { "MESSAGE", "abcdef", 3 },
      { "GLIB_DOMAIN", "dp-raw", -1 },
    };
    dp_logger_writer_func (G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS (fields), logger);
    expect_message (debug_server, "dp-raw", "abc", 133);
  }

  /* Header fields of a real datagram. */
  {
    g_autoptr(Datagram) datagram = NULL;
    g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "header check");
    datagram = expect_datagram (debug_server);
    g_assert_cmpstr (datagram->hostname, ==, "testhost");
    g_assert_cmpstr (datagram->app, ==, "deskphone");
    g_assert_cmpstr (datagram->procid, ==, pid);
    g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                         datagram->timestamp, 0, 0));
  }

  /* Off again: nothing is sent. */
  {
    guint64 sent_before, sent_after;

    g_assert_true (dp_logger_set_debug_server (logger, "", NULL));
    dp_logger_get_counters (logger, &sent_before, NULL);
    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "not sent");
    dp_logger_get_counters (logger, &sent_after, NULL);
    g_assert_cmpuint (sent_after, ==, sent_before);
  }

  logger_end (logger);
}

static void
test_logger_syslog_and_debug (void)
{
  g_autoptr(Receiver) syslog_server = receiver_new ();
  g_autoptr(Receiver) debug_server = receiver_new ();
  DpLogger *logger = logger_begin ();
  g_autoptr(GError) error = NULL;
  guint64 sent_before, sent_after;

  g_assert_true (dp_logger_set_syslog_server (logger, syslog_server->spec, NULL));
  dp_logger_set_debug_level (logger, 3);

  /* Only Syslog_Server: no debug output over the network. */
  g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "not to syslog");
  g_log ("dp-test", G_LOG_LEVEL_INFO, "info to syslog");
  expect_message (syslog_server, "dp-test", "info to syslog", 134);
  expect_only_sentinel (syslog_server);

  /* Both: syslog messages go to both, debug only to the debug server. */
  g_assert_true (dp_logger_set_debug_server (logger, debug_server->spec, NULL));
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "to both");
  expect_message (syslog_server, "dp-test", "to both", 133);
  expect_message (debug_server, "dp-test", "to both", 133);
  g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "debug only");
  expect_message (debug_server, "dp-sip", "debug only", 135);
  expect_only_sentinel (syslog_server);
  {
    g_autoptr(Datagram) datagram = expect_datagram (debug_server);

    g_assert_true (g_str_has_prefix (datagram->msg, "sentinel "));
  }

  /* A malformed value is refused and the old server stays. */
  g_assert_false (dp_logger_set_syslog_server (logger, "bad host", &error));
  g_assert_error (error, DP_LOG_ERROR, DP_LOG_ERROR_INVALID_SERVER);
  g_assert_cmpstr (dp_logger_get_syslog_server (logger), ==, syslog_server->spec);

  /* The same host and port named twice: one datagram. */
  {
    g_autofree char *same = g_strdup_printf ("127.0.0.1:%u", syslog_server->port);

    g_assert_true (dp_logger_set_debug_server (logger, same, NULL));
    dp_logger_get_counters (logger, &sent_before, NULL);
    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "once");
    dp_logger_get_counters (logger, &sent_after, NULL);
    g_assert_cmpuint (sent_after - sent_before, ==, 1);
    expect_message (syslog_server, "dp-test", "once", 133);
    /* Debug still reaches it through the debug role. */
    g_log ("dp-sip", G_LOG_LEVEL_DEBUG, "debug via same");
    expect_message (syslog_server, "dp-sip", "debug via same", 135);
    expect_only_sentinel (syslog_server);
  }

  /* "localhost" is used without a lookup. */
  {
    g_autofree char *spec = g_strdup_printf ("localhost:%u", debug_server->port);

    g_assert_true (dp_logger_set_syslog_server (logger, "", NULL));
    g_assert_true (dp_logger_set_debug_server (logger, spec, NULL));
    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "via localhost");
    {
      g_autoptr(GBytes) bytes = NULL;
      gsize n;
      char buffer[4096];

      /* Already sent: readable without running the main loop. */
      g_assert_true (g_socket_condition_timed_wait (debug_server->socket, G_IO_IN,
                                                    5 * G_USEC_PER_SEC, NULL, NULL));
      n = (gsize) g_socket_receive (debug_server->socket, buffer, sizeof buffer, NULL, NULL);
      bytes = g_bytes_new (buffer, n);
      g_autoptr(Datagram) datagram = datagram_parse (bytes);
      g_assert_cmpstr (datagram->msg, ==, "via localhost");
    }
  }

  logger_end (logger);
}

static void
test_logger_secrets (void)
{
  g_autoptr(Receiver) server = receiver_new ();
  DpLogger *logger = logger_begin ();

  g_assert_true (dp_logger_set_syslog_server (logger, server->spec, NULL));
  dp_logger_add_secret (logger, "s3cretPW");
  dp_logger_add_secret (logger, "s3cretPW");
  dp_logger_add_secret (logger, "abc");
  dp_logger_add_secret (logger, NULL);

  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "auth with s3cretPW for abc");
  expect_message (server, "dp-test", "auth with **** for abc", 133);
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "SIP/2.0 401\r\nProxy-Authorization: Digest response=\"aa\"\r\n");
  expect_message (server, "dp-test", "SIP/2.0 401\r\nProxy-Authorization: ****\r\n", 133);

  dp_logger_clear_secrets (logger);
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "after clear s3cretPW");
  expect_message (server, "dp-test", "after clear s3cretPW", 133);

  logger_end (logger);
}

static void
test_logger_truncation (void)
{
  g_autoptr(Receiver) server = receiver_new ();
  DpLogger *logger = logger_begin ();
  g_autofree char *long_text = g_strnfill (5000, 'x');
  g_autoptr(Datagram) datagram = NULL;

  g_assert_true (dp_logger_set_syslog_server (logger, server->spec, NULL));
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "%s", long_text);
  datagram = expect_datagram (server);
  g_assert_cmpuint (datagram->size, ==, DP_LOG_MAX_DATAGRAM);
  g_assert_cmpuint (strspn (datagram->msg, "x"), ==, strlen (datagram->msg));
  g_assert_cmpuint (strlen (datagram->msg), >, 1900);

  logger_end (logger);
}

static void
test_logger_unreachable (void)
{
  g_autoptr(Receiver) alive = receiver_new ();
  DpLogger *logger = logger_begin ();
  g_autofree char *dead_spec = NULL;
  guint64 sent, dropped;
  gint64 start, elapsed = 0;

  /* A port that was bound a moment ago and is now closed: nothing listens
   * and the kernel answers with ICMP port unreachable. */
  {
    g_autoptr(Receiver) dead = receiver_new ();

    dead_spec = g_strdup (dead->spec);
  }
  g_assert_true (dp_logger_set_syslog_server (logger, dead_spec, NULL));
  g_assert_true (dp_logger_set_debug_server (logger, alive->spec, NULL));

  /* In batches, draining the live server in between so its receive
   * buffer never overflows; only the logging calls are timed. */
  for (int batch = 0; batch < 10; batch++)
    {
      start = g_get_monotonic_time ();
      for (int i = 0; i < 50; i++)
        g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "line %d", batch * 50 + i);
      elapsed += g_get_monotonic_time () - start;
      for (int i = 0; i < 50; i++)
        {
          g_autofree char *text = g_strdup_printf ("line %d", batch * 50 + i);

          expect_message (alive, "dp-test", text, 133);
        }
    }
  /* 500 lines must not take anywhere near one blocking timeout. */
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);

  dp_logger_get_counters (logger, &sent, &dropped);
  g_assert_cmpuint (sent + dropped, ==, 1000);
  g_assert_cmpuint (sent, >=, 500);

  logger_end (logger);
}

/* A resolver that knows "syslog.test" (127.0.0.1) and nothing else, and
 * answers from an idle so the lookup is really asynchronous. */
#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver {
  GResolver parent_instance;
  guint lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static gboolean
answer_lookup (gpointer user_data)
{
  GTask *task = user_data;
  const char *name = g_task_get_task_data (task);

  if (g_strcmp0 (name, "syslog.test") == 0)
    {
      GList *list = g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

      g_task_return_pointer (task, list, (GDestroyNotify) g_resolver_free_addresses);
    }
  else
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "no such host %s", name);
    }
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);

  TEST_RESOLVER (resolver)->lookups++;
  g_task_set_task_data (task, g_strdup (hostname), g_free);
  g_idle_add (answer_lookup, task);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

static void
test_logger_async_lookup (void)
{
  g_autoptr(Receiver) server = receiver_new ();
  g_autoptr(GResolver) saved = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_autofree char *spec = g_strdup_printf ("syslog.test:%u", server->port);
  DpLogger *logger = logger_begin ();
  guint64 sent, dropped;

  g_resolver_set_default (G_RESOLVER (resolver));

  /* Queued until the name is known, then sent in order. */
  g_assert_true (dp_logger_set_syslog_server (logger, spec, NULL));
  g_assert_cmpuint (resolver->lookups, ==, 1);
  for (int i = 0; i < DP_LOG_MAX_PENDING + 5; i++)
    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "early %d", i);
  dp_logger_get_counters (logger, &sent, &dropped);
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (dropped, ==, 5);
  /* Setting the same value again neither restarts the lookup nor drops. */
  g_assert_true (dp_logger_set_syslog_server (logger, spec, NULL));
  g_assert_cmpuint (resolver->lookups, ==, 1);

  for (int i = 0; i < DP_LOG_MAX_PENDING; i++)
    {
      g_autofree char *text = g_strdup_printf ("early %d", i);

      expect_message (server, "dp-test", text, 133);
    }
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "late");
  expect_message (server, "dp-test", "late", 133);
  dp_logger_get_counters (logger, &sent, &dropped);
  g_assert_cmpuint (sent, ==, DP_LOG_MAX_PENDING + 1);

  /* A name that does not resolve: a warning, queued lines dropped, the
   * process goes on. */
  g_assert_true (dp_logger_set_syslog_server (logger, "nowhere.test", NULL));
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "lost");
  g_test_expect_message ("dp-log", G_LOG_LEVEL_WARNING, "Syslog_Server “nowhere.test”: cannot resolve*");
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    guint64 dropped_before = dropped;

    do
      {
        g_main_context_iteration (NULL, FALSE);
        dp_logger_get_counters (logger, NULL, &dropped);
      }
    while (dropped == dropped_before && g_get_monotonic_time () < deadline);
    g_assert_cmpuint (dropped, ==, dropped_before + 1);
  }
  g_test_assert_expected_messages ();

  /* A change while a lookup is running discards the stale answer. */
  g_assert_true (dp_logger_set_syslog_server (logger, spec, NULL));
  g_assert_true (dp_logger_set_syslog_server (logger, server->spec, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "numeric");
  expect_message (server, "dp-test", "numeric", 133);

  logger_end (logger);
  g_resolver_set_default (saved);
}

typedef struct {
  DpLogger *logger;
  int serial;
} ThreadData;

static gpointer
log_from_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (int i = 0; i < 200; i++)
    g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "thread %d line %d pw0rdXYZ", data->serial, i);
  return NULL;
}

static void
test_logger_threads (void)
{
  g_autoptr(Receiver) server = receiver_new ();
  DpLogger *logger = logger_begin ();
  GThread *threads[8];
  ThreadData data[8];
  guint64 sent, dropped;
  guint received = 0;
  char buffer[4096];
  gssize n;

  g_assert_true (dp_logger_set_syslog_server (logger, server->spec, NULL));
  dp_logger_add_secret (logger, "pw0rdXYZ");
  for (int i = 0; i < 8; i++)
    {
      data[i].logger = logger;
      data[i].serial = i;
      threads[i] = g_thread_new ("logger", log_from_thread, &data[i]);
    }
  /* Reconfigure while the threads log. */
  for (int i = 0; i < 50; i++)
    {
      dp_logger_set_debug_level (logger, (guint) i % 4);
      dp_logger_add_secret (logger, "another-secret");
      dp_logger_set_hostname (logger, i % 2 ? "a" : NULL);
    }
  for (int i = 0; i < 8; i++)
    g_thread_join (threads[i]);

  dp_logger_get_counters (logger, &sent, &dropped);
  g_assert_cmpuint (sent + dropped, ==, 1600);
  /* The receive buffer may overflow, but whatever arrived is whole and
   * masked. */
  while ((n = g_socket_receive (server->socket, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (buffer, (gsize) n);
      g_autoptr(Datagram) datagram = datagram_parse (bytes);

      g_assert_true (g_regex_match_simple ("^thread \\d line \\d+ \\*\\*\\*\\*$", datagram->msg, 0, 0));
      received++;
    }
  g_assert_cmpuint (received, >, 0);

  logger_end (logger);
}

/* stderr, through the real dp_logger_install() in a child process. */
static void
test_logger_stderr (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DpLogger) logger = dp_logger_new ();

      dp_logger_install (logger);
      dp_logger_add_secret (logger, "hunter22");
      g_log ("dp-test", G_LOG_LEVEL_MESSAGE, "hello hunter22");
      g_log ("dp-test", G_LOG_LEVEL_DEBUG, "hidden debug");
      g_log ("dp-sip", G_LOG_LEVEL_INFO, "hidden info");
      dp_logger_set_verbose (logger, TRUE);
      g_assert_true (dp_logger_get_verbose (logger));
      g_assert_true (dp_logger_would_log (logger, G_LOG_LEVEL_DEBUG, "dp-media"));
      g_log ("dp-media", G_LOG_LEVEL_DEBUG, "shown debug\n");
      g_log (NULL, G_LOG_LEVEL_MESSAGE, "no domain");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*??:??:??.??? MESSAGE dp-test: hello ****\n*");
  g_test_trap_assert_stderr_unmatched ("*hunter22*");
  g_test_trap_assert_stderr_unmatched ("*hidden*");
  g_test_trap_assert_stderr ("*DEBUG dp-media: shown debug\n??:*");
  g_test_trap_assert_stderr ("*??:??:??.??? MESSAGE no domain\n*");
}

static void
count_notify (int *counter)
{
  (*counter)++;
}

static void
test_logger_properties (void)
{
  g_autoptr(DpLogger) logger = dp_logger_new ();
  g_autofree char *hostname = NULL;
  g_autofree char *syslog_server = NULL;
  guint level;
  int notified = 0;

  g_signal_connect_swapped (logger, "notify::debug-level", G_CALLBACK (count_notify), &notified);
  g_object_set (logger, "debug-level", 2, "hostname", "desk-1", NULL);
  g_assert_cmpint (notified, ==, 1);
  dp_logger_set_debug_level (logger, 2);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (dp_logger_set_syslog_server (logger, "10.0.0.1", NULL));
  g_object_get (logger, "debug-level", &level, "hostname", &hostname,
                "syslog-server", &syslog_server, NULL);
  g_assert_cmpuint (level, ==, 2);
  g_assert_cmpstr (hostname, ==, "desk-1");
  g_assert_cmpstr (syslog_server, ==, "10.0.0.1");
  dp_logger_set_hostname (logger, "");
  g_clear_pointer (&hostname, g_free);
  g_object_get (logger, "hostname", &hostname, NULL);
  g_assert_cmpstr (hostname, ==, g_get_host_name ());
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    g_log_set_writer_func (forward_writer, NULL, NULL);
  /* GTest echoes every g_log() line into the TAP stream; the lines under
   * test are thousands long and go to the logger anyway. */
  g_log_set_default_handler (g_log_default_handler, NULL);

  g_test_add_func ("/syslog/parse-server/valid", test_parse_server_valid);
  g_test_add_func ("/syslog/parse-server/invalid", test_parse_server_invalid);
  g_test_add_func ("/syslog/level-filter", test_level_filter);
  g_test_add_func ("/syslog/severity", test_severity);
  g_test_add_func ("/syslog/scrub", test_scrub);
  g_test_add_func ("/syslog/format", test_format);
  g_test_add_func ("/syslog/hostile-input", test_hostile_input);
  g_test_add_func ("/syslog/logger/levels", test_logger_levels);
  g_test_add_func ("/syslog/logger/syslog-and-debug", test_logger_syslog_and_debug);
  g_test_add_func ("/syslog/logger/secrets", test_logger_secrets);
  g_test_add_func ("/syslog/logger/truncation", test_logger_truncation);
  g_test_add_func ("/syslog/logger/unreachable", test_logger_unreachable);
  g_test_add_func ("/syslog/logger/async-lookup", test_logger_async_lookup);
  g_test_add_func ("/syslog/logger/threads", test_logger_threads);
  g_test_add_func ("/syslog/logger/stderr", test_logger_stderr);
  g_test_add_func ("/syslog/logger/properties", test_logger_properties);

  return g_test_run ();
}
