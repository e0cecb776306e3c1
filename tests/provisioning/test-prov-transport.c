/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Provisioning transports against real servers on 127.0.0.1, driven through
 * dp_prov_fetch_async() on the main loop:
 * - nginx with `ssl_verify_client on`, certificates made here by certtool:
 *   the right CA + client certificate succeed; a server certificate from
 *   another CA, expired, for another host name, or not matching a pin fails,
 *   and so does a phone without (or with a foreign) client certificate; the
 *   SPA `CN=host/extra` form is accepted. Failures return no bytes.
 * - nginx over plain HTTP with auth_basic (htpasswd from `openssl passwd`).
 * - servers.py (POST bodies, User-Agent, Digest auth, timeouts, size limits).
 * - tftpd-hpa (`in.tftpd -L`): files, file not found, 16-bit block wrap.
 * Every child is started here on free ports and stopped by pid. */
#include "dp-prov-fetch.h"
#include "dp-prov-tftp.h"
#include "dp-prov-trust.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#define PROFILE_TEXT "<flat-profile><GPP_A>provisioned over %s</GPP_A></flat-profile>\n"

static char *tmpdir;
static char *certtool, *nginx, *tftpd, *openssl, *python;
static GPtrArray *children;          /* GSubprocess */

static guint16 port_good, port_other_ca, port_expired, port_wrong_host, port_cn_form, port_http;
static guint16 port_py, port_tftp;
static char *pin_good, *pin_other;   /* from `certtool --key-info` */

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static char *
path_in (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
find_tool (const char *name)
{
  char *found = g_find_program_in_path (name);
  static const char *const extra[] = { "/usr/sbin", "/sbin", "/usr/bin" };

  for (guint i = 0; found == NULL && i < G_N_ELEMENTS (extra); i++)
    {
      g_autofree char *candidate = g_build_filename (extra[i], name, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        found = g_steal_pointer (&candidate);
    }
  if (found == NULL)
    g_error ("%s is needed by this test and is not installed (see scripts/debian-packages.txt)", name);
  return found;
}

static void
write_file (const char *name, const char *contents, gssize length)
{
  g_autofree char *path = path_in (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  g_chmod (path, 0644);
}

/* Runs a tool to completion (they are all quick); returns stdout. */
static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  char *out_text = NULL;
  int status;

  if (!g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out_text, &err_text, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err_text);
  return out_text;
}

static void
make_key (const char *name)
{
  g_autofree char *out = NULL;
  const char *argv[] = { certtool, "--generate-privkey", "--key-type=ecdsa", "--outfile", name, NULL };

  out = run_tool (argv);
}

static char *
key_pin (const char *key)
{
  const char *argv[] = { certtool, "--key-info", "--load-privkey", key, NULL };
  g_autofree char *out = run_tool (argv);
  const char *at = strstr (out, "pin-sha256:");
  const char *end;

  g_assert_nonnull (at);
  at += strlen ("pin-sha256:");
  end = at;
  while (*end && !g_ascii_isspace (*end))
    end++;
  {
    g_autofree char *base64 = g_strndup (at, (gsize) (end - at));

    return g_strconcat ("sha256/", base64, NULL);
  }
}

static void
make_cert (const char *name, const char *key, const char *ca, const char *ca_key,
           const char *template_text)
{
  g_autofree char *template_name = g_strconcat (name, ".tmpl", NULL);
  g_autofree char *out = NULL;

  write_file (template_name, template_text, -1);
  if (ca == NULL)
    {
      const char *argv[] = { certtool, "--generate-self-signed", "--load-privkey", key,
                             "--template", template_name, "--outfile", name, NULL };
      out = run_tool (argv);
    }
  else
    {
      const char *argv[] = { certtool, "--generate-certificate", "--load-privkey", key,
                             "--load-ca-certificate", ca, "--load-ca-privkey", ca_key,
                             "--template", template_name, "--outfile", name, NULL };
      out = run_tool (argv);
    }
}

static guint16
free_port (GSocketType type)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Runs in the forked child: if this test dies (failed assertion), the
 * servers die with it instead of lingering on their ports. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (GSubprocessFlags flags, const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_set_cwd (launcher, tmpdir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_ptr_array_add (children, g_object_ref (child));
  return child;
}

static gboolean
tcp_port_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

static void
wait_tcp (GSubprocess *child, const guint16 *ports, guint n_ports, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  for (guint i = 0; i < n_ports; i++)
    while (!tcp_port_open (ports[i]))
      {
        g_autofree char *log = NULL;

        if (g_subprocess_get_identifier (child) == NULL || g_get_monotonic_time () > deadline)
          {
            g_autofree char *log_path = path_in ("nginx-error.log");

            g_file_get_contents (log_path, &log, NULL, NULL);
            g_error ("%s did not listen on port %u in time\n%s", what, ports[i], log ? log : "");
          }
        g_usleep (50000);
      }
}

static void
stop_children (void)
{
  for (guint i = 0; i < children->len; i++)
    {
      GSubprocess *child = g_ptr_array_index (children, i);
      gint64 deadline;

      if (g_subprocess_get_identifier (child) == NULL)
        continue;
      g_subprocess_send_signal (child, SIGTERM);
      deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      while (g_subprocess_get_identifier (child) != NULL && g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (20000);
        }
      if (g_subprocess_get_identifier (child) != NULL)
        {
          g_subprocess_force_exit (child);
          g_subprocess_wait (child, NULL, NULL);
        }
    }
  g_ptr_array_set_size (children, 0);
}

typedef struct {
  gboolean done;
  GBytes *bytes;
  GError *error;
} Outcome;

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *o = user_data;

  o->bytes = dp_prov_fetch_finish (result, &o->error);
  o->done = TRUE;
}

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("fetch did not finish in time");
  return G_SOURCE_REMOVE;
}

static Outcome *
fetch (const DpProvFetchRequest *req)
{
  Outcome *o = g_new0 (Outcome, 1);
  guint watchdog = g_timeout_add_seconds (120, on_watchdog, NULL);

  dp_prov_fetch_async (req, NULL, on_fetched, o);
  while (!o->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
  return o;
}

static void
outcome_free (Outcome *o)
{
  g_clear_pointer (&o->bytes, g_bytes_unref);
  g_clear_error (&o->error);
  g_free (o);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Outcome, outcome_free)

static void
assert_text (Outcome *o, const char *expected)
{
  g_assert_no_error (o->error);
  g_assert_nonnull (o->bytes);
  g_assert_cmpmem (g_bytes_get_data (o->bytes, NULL), g_bytes_get_size (o->bytes),
                   expected, strlen (expected));
}

static void
assert_fails (Outcome *o, DpProvFetchError code, const char *needle)
{
  /* Nothing fetched may reach the caller: no partial body, ever. */
  g_assert_null (o->bytes);
  g_assert_nonnull (o->error);
  g_test_message ("expected failure: %s", o->error->message);
  if (!g_error_matches (o->error, DP_PROV_FETCH_ERROR, (gint) code) ||
      strstr (o->error->message, needle) == NULL)
    g_error ("expected error %d containing \"%s\", got %s %d: %s", code, needle,
             g_quark_to_string (o->error->domain), o->error->code, o->error->message);
}

static DpProvTrust *
make_trust (const char *ca, const char *client, const char *pins)
{
  g_autoptr(DpProvTrust) trust = dp_prov_trust_new ();
  g_autoptr(GError) error = NULL;

  if (ca != NULL)
    {
      g_autofree char *ca_path = path_in (ca);

      g_assert_true (dp_prov_trust_add_ca_file (trust, ca_path, &error));
      g_assert_no_error (error);
    }
  if (client != NULL)
    {
      g_autofree char *cert = g_strconcat (tmpdir, "/", client, ".pem", NULL);
      g_autofree char *key = g_strconcat (tmpdir, "/", client, ".key", NULL);

      g_assert_true (dp_prov_trust_set_client_files (trust, cert, key, &error));
      g_assert_no_error (error);
    }
  if (pins != NULL)
    {
      g_assert_true (dp_prov_trust_set_pins (trust, pins, &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&trust);
}

static DpProvFetchRequest *
https_request (const char *host, guint16 port, const char *path, DpProvTrust *trust)
{
  DpProvFetchRequest *req = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTPS, host, port, path);

  req->trust = trust ? g_object_ref (trust) : NULL;
  req->timeout_s = 20;
  return req;
}

static Outcome *
fetch_https (const char *host, guint16 port, const char *ca, const char *client, const char *pins)
{
  g_autoptr(DpProvTrust) trust = make_trust (ca, client, pins);
  g_autoptr(DpProvFetchRequest) req = https_request (host, port, "/spa962.cfg", trust);

  return fetch (req);
}

/* ------------------------------------------------------------------ */
/* Servers                                                              */

static void
make_certificates (void)
{
  static const char ca_tmpl[] = "cn = \"Deskphone Test CA\"\nca\ncert_signing_key\nexpiration_days = 30\n";
  static const char other_ca_tmpl[] = "cn = \"Some Other CA\"\nca\ncert_signing_key\nexpiration_days = 30\n";
  static const char server_tmpl[] =
    "cn = \"localhost\"\ndns_name = \"localhost\"\nip_address = \"127.0.0.1\"\n"
    "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n";
  static const char expired_tmpl[] =
    "cn = \"localhost\"\ndns_name = \"localhost\"\nip_address = \"127.0.0.1\"\n"
    "tls_www_server\nsigning_key\nencryption_key\n"
    "activation_date = \"2019-01-01 00:00:00\"\nexpiration_date = \"2020-01-01 00:00:00\"\n";
  static const char wrong_host_tmpl[] =
    "cn = \"prov.example.net\"\ndns_name = \"prov.example.net\"\n"
    "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n";
  static const char cn_form_tmpl[] =
    "cn = \"localhost/admin@example.net\"\ntls_www_server\nsigning_key\nencryption_key\n"
    "expiration_days = 30\n";
  static const char client_tmpl[] =
    "cn = \"SPA-962\"\nunit = \"SPA-962\"\nlocality = \"88012BA01234\"\nstate = \"000e08abcdef\"\n"
    "tls_www_client\nsigning_key\nexpiration_days = 30\n";

  make_key ("ca.key");
  make_cert ("ca.pem", "ca.key", NULL, NULL, ca_tmpl);
  make_key ("other-ca.key");
  make_cert ("other-ca.pem", "other-ca.key", NULL, NULL, other_ca_tmpl);

  make_key ("server.key");
  make_cert ("server.pem", "server.key", "ca.pem", "ca.key", server_tmpl);
  make_key ("other-server.key");
  make_cert ("other-server.pem", "other-server.key", "other-ca.pem", "other-ca.key", server_tmpl);
  make_key ("expired.key");
  make_cert ("expired.pem", "expired.key", "ca.pem", "ca.key", expired_tmpl);
  make_key ("wrong-host.key");
  make_cert ("wrong-host.pem", "wrong-host.key", "ca.pem", "ca.key", wrong_host_tmpl);
  make_key ("cn-form.key");
  make_cert ("cn-form.pem", "cn-form.key", "ca.pem", "ca.key", cn_form_tmpl);

  make_key ("client.key");
  make_cert ("client.pem", "client.key", "ca.pem", "ca.key", client_tmpl);
  make_key ("rogue.key");
  make_cert ("rogue.pem", "rogue.key", "other-ca.pem", "other-ca.key", client_tmpl);

  pin_good = key_pin ("server.key");
  pin_other = key_pin ("other-server.key");
}

static char *
tls_server_block (guint16 port, const char *cert)
{
  return g_strdup_printf ("  server {\n"
                          "    listen 127.0.0.1:%u ssl;\n"
                          "    ssl_certificate %s/%s.pem;\n"
                          "    ssl_certificate_key %s/%s.key;\n"
                          "    ssl_client_certificate %s/ca.pem;\n"
                          "    ssl_verify_client on;\n"
                          "    root %s/www;\n"
                          "  }\n",
                          port, tmpdir, cert, tmpdir, cert, tmpdir, tmpdir);
}

static void
start_nginx (void)
{
  g_autofree char *conf_path = path_in ("nginx.conf");
  g_autofree char *error_log = path_in ("nginx-error.log");
  g_autoptr(GString) conf = g_string_new (NULL);
  g_autofree char *htpasswd_line = NULL;
  g_autofree char *hash = NULL;
  guint16 ports[6];
  GSubprocess *child;
  const char *argv[] = { nginx, "-p", tmpdir, "-c", conf_path, "-e", error_log, NULL };
  const char *passwd_argv[] = { openssl, "passwd", "-apr1", "s3cret", NULL };
  static const char *const names[] = { "server", "other-server", "expired", "wrong-host", "cn-form" };

  hash = run_tool (passwd_argv);
  g_strstrip (hash);
  htpasswd_line = g_strdup_printf ("prov:%s\n", hash);
  write_file ("htpasswd", htpasswd_line, -1);

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    ports[i] = free_port (G_SOCKET_TYPE_STREAM);
  port_good = ports[0];
  port_other_ca = ports[1];
  port_expired = ports[2];
  port_wrong_host = ports[3];
  port_cn_form = ports[4];
  port_http = ports[5];

  g_string_append_printf (conf,
                          "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                          "pid %s/nginx.pid;\nerror_log %s info;\n"
                          "events { worker_connections 64; }\n"
                          "http {\n"
                          "  access_log %s/nginx-access.log;\n"
                          "  client_body_temp_path %s/nginx-tmp/body;\n"
                          "  proxy_temp_path %s/nginx-tmp/proxy;\n"
                          "  fastcgi_temp_path %s/nginx-tmp/fastcgi;\n"
                          "  uwsgi_temp_path %s/nginx-tmp/uwsgi;\n"
                          "  scgi_temp_path %s/nginx-tmp/scgi;\n"
                          "  default_type application/octet-stream;\n"
                          /* No TLS session reuse: every fetch must pass the
                           * full handshake with its own client certificate. */
                          "  ssl_session_tickets off;\n"
                          "  ssl_session_cache off;\n",
                          tmpdir, error_log, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *block = tls_server_block (ports[i], names[i]);

      g_string_append (conf, block);
    }
  g_string_append_printf (conf,
                          "  server {\n"
                          "    listen 127.0.0.1:%u;\n"
                          "    root %s/www;\n"
                          "    location /auth/ {\n"
                          "      auth_basic \"provisioning\";\n"
                          "      auth_basic_user_file %s/htpasswd;\n"
                          "    }\n"
                          "  }\n"
                          "}\n",
                          port_http, tmpdir, tmpdir);
  write_file ("nginx.conf", conf->str, -1);

  child = spawn (G_SUBPROCESS_FLAGS_NONE, argv);
  wait_tcp (child, ports, G_N_ELEMENTS (ports), "nginx");
}

static void
start_python (void)
{
  const char *script = g_getenv ("DP_PROV_SERVERS_PY");
  g_autofree char *fallback = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  if (script == NULL)
    script = fallback = g_build_filename (g_getenv ("DP_SOURCE_ROOT") ? g_getenv ("DP_SOURCE_ROOT") : ".",
                                          "tests", "provisioning", "servers.py", NULL);
  {
    const char *argv[] = { python, script, NULL };

    child = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE, argv);
  }
  /* servers.py prints its port right after binding; if it dies instead,
   * the pipe closes and the read returns NULL (no unbounded wait). */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "PORT "))
    g_error ("servers.py did not start (%s)", line ? line : "no output");
  port_py = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  g_assert_cmpuint (port_py, >, 0);
}

static void
start_tftpd (void)
{
  g_autofree char *root = path_in ("tftp");
  g_autofree char *address = NULL;
  const char *argv[7];

  port_tftp = free_port (G_SOCKET_TYPE_DATAGRAM);
  address = g_strdup_printf ("127.0.0.1:%u", port_tftp);
  argv[0] = tftpd;
  argv[1] = "-L";
  argv[2] = "-a";
  argv[3] = address;
  argv[4] = "-s";
  argv[5] = root;
  argv[6] = NULL;
  spawn (G_SUBPROCESS_FLAGS_NONE, argv);
}

static void
make_content (void)
{
  g_autofree char *www = path_in ("www");
  g_autofree char *auth = path_in ("www/auth");
  g_autofree char *tftp = path_in ("tftp");
  g_autofree char *profile_https = g_strdup_printf (PROFILE_TEXT, "https");
  g_autofree char *profile_http = g_strdup_printf (PROFILE_TEXT, "http");
  g_autofree char *profile_tftp = g_strdup_printf (PROFILE_TEXT, "tftp");
  g_autofree char *big = g_malloc (300000);
  g_autofree char *tmp = path_in ("nginx-tmp");

  g_mkdir_with_parents (www, 0755);
  g_mkdir_with_parents (auth, 0755);
  g_mkdir_with_parents (tftp, 0755);
  g_mkdir_with_parents (tmp, 0755);
  memset (big, 'b', 300000);

  write_file ("www/spa962.cfg", profile_https, -1);
  write_file ("www/plain.cfg", profile_http, -1);
  write_file ("www/big.bin", big, 300000);
  write_file ("www/auth/secret.cfg", "secret profile\n", -1);
  write_file ("tftp/spa962.cfg", profile_tftp, -1);
  write_file ("tftp/exact.bin", big, 1024);
  write_file ("tftp/probe", "ok", -1);
}

/* ------------------------------------------------------------------ */
/* HTTPS                                                                */

static void
test_https_good (void)
{
  g_autoptr(Outcome) by_ip = fetch_https ("127.0.0.1", port_good, "ca.pem", "client", NULL);
  g_autoptr(Outcome) by_name = fetch_https ("localhost", port_good, "ca.pem", "client", NULL);

  assert_text (by_ip, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  assert_text (by_name, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
}

static void
test_https_other_ca (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_other_ca, "ca.pem", "client", NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "unknown CA");
}

static void
test_https_other_ca_trusted_elsewhere (void)
{
  /* Trusting only the other CA, the good server is the stranger: the trust
   * store really is the configured CA, not a fixed one. */
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_good, "other-ca.pem", "client", NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "unknown CA");
}

static void
test_https_expired (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_expired, "ca.pem", "client", NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "expired");
  g_assert_null (strstr (o->error->message, "unknown CA"));
}

static void
test_https_wrong_host (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_wrong_host, "ca.pem", "client", NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "host name");
  g_assert_nonnull (strstr (o->error->message, "\"127.0.0.1\""));
}

static void
test_https_cn_form (void)
{
  g_autoptr(Outcome) ok = fetch_https ("localhost", port_cn_form, "ca.pem", "client", NULL);
  g_autoptr(Outcome) other_name = fetch_https ("127.0.0.1", port_cn_form, "ca.pem", "client", NULL);

  assert_text (ok, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  assert_fails (other_name, DP_PROV_FETCH_ERROR_TRUST, "host name");
}

static void
test_https_pins (void)
{
  g_autofree char *rotation = g_strdup_printf ("%s, %s", pin_other, pin_good);
  g_autoptr(Outcome) good = fetch_https ("127.0.0.1", port_good, "ca.pem", "client", pin_good);
  g_autoptr(Outcome) rotated = fetch_https ("127.0.0.1", port_good, "ca.pem", "client", rotation);
  g_autoptr(Outcome) wrong = fetch_https ("127.0.0.1", port_good, "ca.pem", "client", pin_other);
  g_autofree char *server_pem = path_in ("server.pem");
  g_autoptr(GTlsCertificate) server = g_tls_certificate_new_from_file (server_pem, NULL);
  g_autofree char *computed = dp_prov_pin_for_certificate (server, NULL);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GPtrArray) parsed = dp_prov_pins_parse (pin_good, NULL);
  g_autoptr(GString) hex = g_string_new (NULL);

  assert_text (good, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  assert_text (rotated, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  assert_fails (wrong, DP_PROV_FETCH_ERROR_TRUST, "pin mismatch");
  /* the message tells the administrator the key the server has */
  g_assert_nonnull (strstr (wrong->error->message, pin_good));
  /* our SPKI hash agrees with certtool's */
  g_assert_cmpstr (computed, ==, pin_good);

  /* the same pin written as colon-separated hex works too */
  g_assert_nonnull (parsed);
  for (gsize i = 0; i < DP_PROV_PIN_SIZE; i++)
    g_string_append_printf (hex, i ? ":%02X" : "%02X",
                            ((const guint8 *) g_bytes_get_data (g_ptr_array_index (parsed, 0), NULL))[i]);
  {
    g_autoptr(Outcome) by_hex = fetch_https ("127.0.0.1", port_good, "ca.pem", "client", hex->str);

    assert_text (by_hex, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  }
}

static void
test_https_no_client_certificate (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_good, "ca.pem", NULL, NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "none is installed");
}

static void
test_https_foreign_client_certificate (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_good, "ca.pem", "rogue", NULL);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "client certificate refused");
}

static void
test_https_no_ca (void)
{
  g_autoptr(Outcome) o = fetch_https ("127.0.0.1", port_good, NULL, "client", NULL);
  g_autoptr(DpProvFetchRequest) req = https_request ("127.0.0.1", port_good, "/spa962.cfg", NULL);
  g_autoptr(Outcome) no_trust = fetch (req);

  assert_fails (o, DP_PROV_FETCH_ERROR_TRUST, "no provisioning CA installed");
  assert_fails (no_trust, DP_PROV_FETCH_ERROR_TRUST, "no provisioning CA installed");
}

static void
test_https_not_found (void)
{
  g_autoptr(DpProvTrust) trust = make_trust ("ca.pem", "client", NULL);
  g_autoptr(DpProvFetchRequest) req = https_request ("127.0.0.1", port_good, "/missing.cfg", trust);
  g_autoptr(Outcome) o = fetch (req);

  assert_fails (o, DP_PROV_FETCH_ERROR_NOT_FOUND, "HTTP 404");
}

static void
copy_into (const char *state, const char *from, const char *to)
{
  g_autofree char *src = path_in (from);
  g_autofree char *dst = g_build_filename (state, to, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (dst, contents, (gssize) len, NULL));
}

static void
test_trust_state_dir (void)
{
  g_autofree char *state = path_in ("state");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(DpProvTrust) empty = NULL;
  g_autoptr(DpProvTrust) full = NULL;
  g_autoptr(GError) error = NULL;
  DpProvTrust *bad;

  g_mkdir_with_parents (state, 0700);
  cert = g_build_filename (state, DP_PROV_TRUST_CLIENT_CERT_FILE, NULL);
  key = g_build_filename (state, DP_PROV_TRUST_CLIENT_KEY_FILE, NULL);

  empty = dp_prov_trust_new_for_state_dir (state, NULL, "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_prov_trust_get_ccert (empty), ==, "Not Installed");
  g_assert_cmpuint (dp_prov_trust_get_n_cas (empty), ==, 0);

  copy_into (state, "ca.pem", DP_PROV_TRUST_DEFAULT_CA);
  copy_into (state, "client.pem", DP_PROV_TRUST_CLIENT_CERT_FILE);
  copy_into (state, "client.key", DP_PROV_TRUST_CLIENT_KEY_FILE);
  full = dp_prov_trust_new_for_state_dir (state, "", pin_good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_prov_trust_get_ccert (full), ==, "Installed");
  g_assert_cmpuint (dp_prov_trust_get_n_cas (full), ==, 1);
  g_assert_cmpuint (dp_prov_trust_get_n_pins (full), ==, 1);
  {
    g_autoptr(DpProvFetchRequest) req = https_request ("localhost", port_good, "/spa962.cfg", full);
    g_autoptr(Outcome) o = fetch (req);

    assert_text (o, "<flat-profile><GPP_A>provisioned over https</GPP_A></flat-profile>\n");
  }

  /* a CA named by Provisioning_CA that does not parse */
  write_file ("state/broken-ca.pem", "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n", -1);
  bad = dp_prov_trust_new_for_state_dir (state, "broken-ca.pem", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST);
  g_clear_error (&error);

  /* malformed pins name the position */
  bad = dp_prov_trust_new_for_state_dir (state, NULL, "sha256/short", &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "position 8"));
  g_clear_error (&error);

  /* a key that is not the certificate's */
  copy_into (state, "rogue.key", DP_PROV_TRUST_CLIENT_KEY_FILE);
  bad = dp_prov_trust_new_for_state_dir (state, NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST);
  g_assert_nonnull (strstr (error->message, "does not belong"));
  g_clear_error (&error);

  /* a certificate without its key */
  g_assert_cmpint (g_unlink (key), ==, 0);
  bad = dp_prov_trust_new_for_state_dir (state, NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST);
  g_assert_nonnull (strstr (error->message, "incomplete"));
}

/* ------------------------------------------------------------------ */
/* HTTP                                                                 */

static DpProvFetchRequest *
http_request (guint16 port, const char *path)
{
  DpProvFetchRequest *req = dp_prov_fetch_request_new (DP_PROV_SCHEME_HTTP, "127.0.0.1", port, path);

  req->timeout_s = 20;
  return req;
}

static void
test_http_nginx (void)
{
  g_autoptr(DpProvFetchRequest) get = http_request (port_http, "/plain.cfg");
  g_autoptr(DpProvFetchRequest) missing = http_request (port_http, "/nothing/here.cfg");
  g_autoptr(DpProvFetchRequest) big = http_request (port_http, "/big.bin");
  g_autoptr(Outcome) o_get = NULL;
  g_autoptr(Outcome) o_missing = NULL;
  g_autoptr(Outcome) o_big = NULL;
  g_autoptr(Outcome) o_big_ok = NULL;

  o_get = fetch (get);
  assert_text (o_get, "<flat-profile><GPP_A>provisioned over http</GPP_A></flat-profile>\n");
  o_missing = fetch (missing);
  assert_fails (o_missing, DP_PROV_FETCH_ERROR_NOT_FOUND, "HTTP 404");

  big->max_size = 299999;
  o_big = fetch (big);
  assert_fails (o_big, DP_PROV_FETCH_ERROR_TOO_LARGE, "Content-Length 300000");
  big->max_size = 300000;
  o_big_ok = fetch (big);
  g_assert_no_error (o_big_ok->error);
  g_assert_cmpuint (g_bytes_get_size (o_big_ok->bytes), ==, 300000);
}

static void
test_http_basic_auth (void)
{
  g_autoptr(DpProvFetchRequest) req = http_request (port_http, "/auth/secret.cfg");
  g_autoptr(Outcome) none = NULL;
  g_autoptr(Outcome) wrong = NULL;
  g_autoptr(Outcome) right = NULL;

  none = fetch (req);
  assert_fails (none, DP_PROV_FETCH_ERROR_AUTH, "no credentials");

  req->uid = g_strdup ("prov");
  req->pwd = g_strdup ("wrong");
  wrong = fetch (req);
  assert_fails (wrong, DP_PROV_FETCH_ERROR_AUTH, "credentials of user \"prov\" rejected");

  g_free (req->pwd);
  req->pwd = g_strdup ("s3cret");
  right = fetch (req);
  assert_text (right, "secret profile\n");
}

static void
test_http_post_and_user_agent (void)
{
  static const char body[] = "Product = \"SPA962\"; MAC_Addr = \"000e08aabbcc\";";
  g_autoptr(DpProvFetchRequest) post = http_request (port_py, "/echo");
  g_autoptr(DpProvFetchRequest) get = http_request (port_py, "/echo");
  g_autoptr(Outcome) o_post = NULL;
  g_autoptr(Outcome) o_get = NULL;
  g_autofree char *ua = dp_prov_user_agent_build ("Deskphone", "SPA-962", "0.1.0", "88012BA01234");
  g_autofree char *expected_post = NULL;
  g_autofree char *expected_get = NULL;

  g_assert_cmpstr (ua, ==, "Deskphone/SPA-962-0.1.0 (88012BA01234)");
  post->method = DP_PROV_METHOD_POST;
  post->body = g_bytes_new_static (body, strlen (body));
  post->user_agent = g_strdup (ua);
  o_post = fetch (post);
  expected_post = g_strdup_printf ("POST\n%s\ntext/plain; charset=utf-8\n%s", ua, body);
  assert_text (o_post, expected_post);

  get->user_agent = g_strdup (ua);
  o_get = fetch (get);
  expected_get = g_strdup_printf ("GET\n%s\n\n", ua);
  assert_text (o_get, expected_get);
}

static void
test_http_digest_auth (void)
{
  g_autoptr(DpProvFetchRequest) req = http_request (port_py, "/digest/spa962.cfg");
  g_autoptr(Outcome) wrong = NULL;
  g_autoptr(Outcome) right = NULL;

  req->uid = g_strdup ("duser");
  req->pwd = g_strdup ("nope");
  wrong = fetch (req);
  assert_fails (wrong, DP_PROV_FETCH_ERROR_AUTH, "rejected");

  g_free (req->pwd);
  req->pwd = g_strdup ("dpass");
  right = fetch (req);
  assert_text (right, "digest ok spa962.cfg");
}

static void
test_http_errors (void)
{
  g_autoptr(DpProvFetchRequest) slow = http_request (port_py, "/slow");
  g_autoptr(DpProvFetchRequest) nolength = http_request (port_py, "/nolength/2000000");
  g_autoptr(DpProvFetchRequest) redirect = http_request (port_py, "/redirect");
  g_autoptr(DpProvFetchRequest) status = http_request (port_py, "/status/503");
  g_autoptr(DpProvFetchRequest) gone = http_request (port_py, "/status/410");
  g_autoptr(DpProvFetchRequest) refused = http_request (free_port (G_SOCKET_TYPE_STREAM), "/x.cfg");
  g_autoptr(DpProvFetchRequest) bad_path = http_request (port_py, "/a\tb");
  g_autoptr(Outcome) o = NULL;
  gint64 start;

  slow->timeout_s = 2;
  start = g_get_monotonic_time ();
  o = fetch (slow);
  assert_fails (o, DP_PROV_FETCH_ERROR_TIMEOUT, "");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_clear_pointer (&o, outcome_free);

  nolength->max_size = 1000000;
  o = fetch (nolength);
  assert_fails (o, DP_PROV_FETCH_ERROR_TOO_LARGE, "larger than 1000000");
  g_clear_pointer (&o, outcome_free);
  nolength->max_size = 2000000;
  o = fetch (nolength);
  g_assert_no_error (o->error);
  g_assert_cmpuint (g_bytes_get_size (o->bytes), ==, 2000000);
  g_clear_pointer (&o, outcome_free);

  o = fetch (redirect);
  assert_fails (o, DP_PROV_FETCH_ERROR_SERVER, "redirect to http://127.0.0.1:1/elsewhere not followed");
  g_clear_pointer (&o, outcome_free);
  o = fetch (status);
  assert_fails (o, DP_PROV_FETCH_ERROR_SERVER, "HTTP 503");
  g_clear_pointer (&o, outcome_free);
  o = fetch (gone);
  assert_fails (o, DP_PROV_FETCH_ERROR_NOT_FOUND, "HTTP 410");
  g_clear_pointer (&o, outcome_free);
  o = fetch (refused);
  assert_fails (o, DP_PROV_FETCH_ERROR_FAILED, "");
  g_clear_pointer (&o, outcome_free);
  o = fetch (bad_path);
  assert_fails (o, DP_PROV_FETCH_ERROR_INVALID, "path position 3: control character 0x09");
}

/* ------------------------------------------------------------------ */
/* TFTP                                                                 */

static DpProvFetchRequest *
tftp_request (const char *path)
{
  DpProvFetchRequest *req = dp_prov_fetch_request_new (DP_PROV_SCHEME_TFTP, "127.0.0.1", port_tftp, path);

  req->timeout_s = 60;
  return req;
}

static void
on_probe (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *o = user_data;

  o->bytes = dp_prov_tftp_get_finish (result, &o->error);
  o->done = TRUE;
}

/* UDP has no "listening" to poll: the first read request is retried until
 * in.tftpd answers (bounded by the retries). */
static void
wait_tftpd (void)
{
  DpProvTftpOptions options = { .retransmit_ms = 100, .max_retries = 100 };
  g_autoptr(Outcome) o = g_new0 (Outcome, 1);

  dp_prov_tftp_get_async ("127.0.0.1", port_tftp, "/probe", &options, NULL, on_probe, o);
  while (!o->done)
    g_main_context_iteration (NULL, TRUE);
  assert_text (o, "ok");
}

static void
test_tftp_files (void)
{
  g_autoptr(DpProvFetchRequest) profile = tftp_request ("/spa962.cfg");
  g_autoptr(DpProvFetchRequest) exact = tftp_request ("/exact.bin");
  g_autoptr(DpProvFetchRequest) missing = tftp_request ("/spa000e08aabbcc.cfg");
  g_autoptr(Outcome) o = NULL;
  char expected_exact[1024];

  wait_tftpd ();
  o = fetch (profile);
  assert_text (o, "<flat-profile><GPP_A>provisioned over tftp</GPP_A></flat-profile>\n");
  g_clear_pointer (&o, outcome_free);

  o = fetch (exact);
  g_assert_no_error (o->error);
  memset (expected_exact, 'b', sizeof expected_exact);
  g_assert_cmpmem (g_bytes_get_data (o->bytes, NULL), g_bytes_get_size (o->bytes),
                   expected_exact, sizeof expected_exact);
  g_clear_pointer (&o, outcome_free);

  o = fetch (missing);
  assert_fails (o, DP_PROV_FETCH_ERROR_NOT_FOUND, "server error 1");
  g_clear_pointer (&o, outcome_free);

  exact->max_size = 1000;
  o = fetch (exact);
  assert_fails (o, DP_PROV_FETCH_ERROR_TOO_LARGE, "larger than 1000");
}

static void
test_tftp_block_wrap (void)
{
  /* 65536 full blocks and a partial one: the block number goes 65535, 0, 1. */
  gsize size = 65537 * 512 + 77;
  g_autofree guint8 *content = g_malloc (size);
  g_autoptr(DpProvFetchRequest) req = tftp_request ("/wrap.bin");
  g_autoptr(Outcome) o = NULL;
  g_autoptr(GBytes) expected = NULL;

  for (gsize i = 0; i < size; i++)
    content[i] = (guint8) (i ^ (i >> 9));
  write_file ("tftp/wrap.bin", (const char *) content, (gssize) size);
  expected = g_bytes_new_static (content, size);

  wait_tftpd ();
  req->max_size = 64 << 20;
  o = fetch (req);
  g_assert_no_error (o->error);
  g_assert_true (g_bytes_equal (o->bytes, expected));
}

static void
test_fetch_invalid (void)
{
  g_autoptr(DpProvFetchRequest) post = tftp_request ("/spa962.cfg");
  g_autoptr(DpProvFetchRequest) no_server = dp_prov_fetch_request_new (DP_PROV_SCHEME_TFTP, "", 0, "/spa962.cfg");
  g_autoptr(Outcome) o = NULL;

  post->method = DP_PROV_METHOD_POST;
  o = fetch (post);
  assert_fails (o, DP_PROV_FETCH_ERROR_INVALID, "TFTP has no POST");
  g_clear_pointer (&o, outcome_free);
  o = fetch (no_server);
  assert_fails (o, DP_PROV_FETCH_ERROR_INVALID, "Provisioning_TFTP_Server");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  certtool = find_tool ("certtool");
  nginx = find_tool ("nginx");
  tftpd = find_tool ("in.tftpd");
  openssl = find_tool ("openssl");
  python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? g_strdup ("/usr/bin/python3")
                                                                        : find_tool ("python3");
  children = g_ptr_array_new_with_free_func (g_object_unref);

  tmpdir = g_dir_make_tmp ("dp-prov-transport-XXXXXX", &error);
  g_assert_no_error (error);
  /* tftpd drops privileges (nobody) inside its root: it must be readable. */
  g_chmod (tmpdir, 0755);

  make_content ();
  make_certificates ();
  start_nginx ();
  start_python ();
  start_tftpd ();

  g_test_add_func ("/prov-transport/https/good", test_https_good);
  g_test_add_func ("/prov-transport/https/other-ca", test_https_other_ca);
  g_test_add_func ("/prov-transport/https/only-configured-ca", test_https_other_ca_trusted_elsewhere);
  g_test_add_func ("/prov-transport/https/expired", test_https_expired);
  g_test_add_func ("/prov-transport/https/wrong-host", test_https_wrong_host);
  g_test_add_func ("/prov-transport/https/cn-form", test_https_cn_form);
  g_test_add_func ("/prov-transport/https/pins", test_https_pins);
  g_test_add_func ("/prov-transport/https/no-client-certificate", test_https_no_client_certificate);
  g_test_add_func ("/prov-transport/https/foreign-client-certificate", test_https_foreign_client_certificate);
  g_test_add_func ("/prov-transport/https/no-ca", test_https_no_ca);
  g_test_add_func ("/prov-transport/https/not-found", test_https_not_found);
  g_test_add_func ("/prov-transport/https/state-dir", test_trust_state_dir);
  g_test_add_func ("/prov-transport/http/nginx", test_http_nginx);
  g_test_add_func ("/prov-transport/http/basic-auth", test_http_basic_auth);
  g_test_add_func ("/prov-transport/http/post-user-agent", test_http_post_and_user_agent);
  g_test_add_func ("/prov-transport/http/digest-auth", test_http_digest_auth);
  g_test_add_func ("/prov-transport/http/errors", test_http_errors);
  g_test_add_func ("/prov-transport/tftp/files", test_tftp_files);
  g_test_add_func ("/prov-transport/tftp/block-wrap", test_tftp_block_wrap);
  g_test_add_func ("/prov-transport/fetch/invalid", test_fetch_invalid);

  result = g_test_run ();

  stop_children ();
  if (g_getenv ("DP_KEEP_TMP") == NULL)
    {
      g_autofree char *rm_argv0 = g_find_program_in_path ("rm");
      const char *rm_argv[] = { rm_argv0 ? rm_argv0 : "/bin/rm", "-rf", tmpdir, NULL };

      g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  return result;
}
