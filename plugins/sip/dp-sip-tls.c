/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SIP over TLS (`SIP_Transport_n_` TLS): the files sofia's TLS transport
 * reads, and the diagnosis that names why a server was refused.
 *
 * Decisions:
 * - sofia-sip 1.12.11 does TLS with OpenSSL inside libsofia-sip-ua; it reads
 *   one directory (TPTAG_CERTIFICATE) holding `agent.pem` (the phone's own
 *   key and certificate, for its listening socket) and `cafile.pem` (the
 *   CAs a server must chain to). That directory is `sip-tls/` in the state
 *   dir, written here before a TLS nua is made.
 * - Trust: the extension parameter `SIP_TLS_CA` holds PEM text
 *   ("-----BEGIN CERTIFICATE-----..."), or the name of a PEM file (absolute,
 *   or relative to the state dir). Empty: the system store
 *   (/etc/ssl/certs/ca-certificates.crt). A value that holds no certificate
 *   is refused with a clear error and the line does not start.
 * - The phone's own certificate: a self-signed ECDSA P-256 one generated
 *   with GnuTLS on first use and kept in `sip-tls/agent.pem` (0600). Servers
 *   connecting to the phone (incoming requests over TLS) see it; nothing
 *   verifies it against a CA, so a generated one does as well as any.
 * - The server check (sofia, TPTLS_VERIFY_SUBJECTS_OUT): the chain must end
 *   at a CA of cafile.pem and the certificate must name the host of the URI
 *   (subjectAltName DNS/IP or CN). A refused server closes the connection
 *   before a byte of SIP is written; nothing falls back to TCP or UDP.
 * - sofia does not say why it dropped a connection: the REGISTER just times
 *   out (408 after 64*T1). So when a TLS line starts to register (and when
 *   a registration fails without a response), the same check is made aside
 *   with GIO (GnuTLS), one extra handshake: a refused server ends the
 *   attempt at once with the reason as the line's last error: "TLS:
 *   certificate not trusted (unknown CA)", "TLS: certificate is not for
 *   127.0.0.1", "TLS: cannot connect: ...". The check only names problems;
 *   what sofia accepts and refuses is sofia's own check above.
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-tls.h"
#include "dp-build-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <errno.h>
#include <string.h>

#define TLS_DIR "sip-tls"
#define SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
/* Ten years: the phone's certificate is not checked by anyone. */
#define AGENT_LIFETIME_S (10 * 365 * 24 * 3600)

static gboolean
gnutls_failed (int rc, const char *what, GError **error)
{
  if (rc >= 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS: %s: %s", what, gnutls_strerror (rc));
  return TRUE;
}

/* A self-signed key and certificate, both PEM, key first (agent.pem). */
static char *
generate_agent_pem (GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t crt_pem = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  char *result = NULL;

  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] &= 0x7f;   /* a positive serial number */
  if (gnutls_failed (gnutls_x509_privkey_init (&key), "key", error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                   0), "key generation", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "certificate", error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "certificate version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 3600), "validity", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + AGENT_LIFETIME_S),
                     "validity", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    "deskphone", strlen ("deskphone")),
                     "subject", error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), "public key", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                     "key usage", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                     "key purpose", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0),
                     "key purpose", error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0),
                     "signature", error) ||
      gnutls_failed (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem),
                     "key export", error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem),
                     "certificate export", error))
    goto out;
  result = g_strdup_printf ("%.*s%.*s", (int) key_pem.size, (const char *) key_pem.data,
                            (int) crt_pem.size, (const char *) crt_pem.data);
out:
  gnutls_free (key_pem.data);
  gnutls_free (crt_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return result;
}

/* The certificates of @pem written out again as plain PEM, or %NULL when
 * none parses. OpenSSL (sofia) is stricter than GnuTLS about line breaks,
 * which a PEM passed through a profile's XML or a web form may have lost. */
static char *
canonical_certificates (const char *pem, gsize len)
{
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n = 0;
  gnutls_datum_t datum = { (unsigned char *) pem, (unsigned int) len };
  GString *out = g_string_new (NULL);

  if (gnutls_x509_crt_list_import2 (&crts, &n, &datum, GNUTLS_X509_FMT_PEM, 0) < 0)
    n = 0;
  for (unsigned int i = 0; i < n; i++)
    {
      gnutls_datum_t one = { NULL, 0 };

      if (gnutls_x509_crt_export2 (crts[i], GNUTLS_X509_FMT_PEM, &one) >= 0)
        g_string_append_len (out, (const char *) one.data, one.size);
      gnutls_free (one.data);
      gnutls_x509_crt_deinit (crts[i]);
    }
  gnutls_free (crts);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* The PEM text SIP_TLS_CA stands for (see the top of the file). */
static char *
load_ca (const char *state_dir, const char *value, gsize *len, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pem = NULL;
  char *canonical;

  if (value != NULL && strstr (value, "-----BEGIN") != NULL)
    {
      pem = g_strdup (value);
      *len = strlen (pem);
    }
  else
    {
      if (value == NULL || *value == '\0')
        path = g_strdup (SYSTEM_CA_FILE);
      else if (g_path_is_absolute (value))
        path = g_strdup (value);
      else
        path = g_build_filename (state_dir, value, NULL);
      if (!g_file_get_contents (path, &pem, len, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "TLS: %s: %s", DP_SIP_TLS_CA,
                       local_error->message);
          return NULL;
        }
    }
  canonical = canonical_certificates (pem, *len);
  if (canonical == NULL)
    {
      if (path != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("TLS: %s holds no PEM certificate in %s"), DP_SIP_TLS_CA, path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("TLS: %s holds no PEM certificate"), DP_SIP_TLS_CA);
      return NULL;
    }
  *len = strlen (canonical);
  return canonical;
}

static gboolean
write_private (const char *path, const char *contents, gsize len, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_sip_tls_prepare:
 * @state_dir: the phone's state dir
 * @ca: the value of `SIP_TLS_CA`
 *
 * Writes `sip-tls/cafile.pem` from @ca and generates `sip-tls/agent.pem`
 * when there is none.
 *
 * Returns: (transfer full): the directory for TPTAG_CERTIFICATE, or %NULL
 *   with @error naming the problem.
 */
char *
dp_sip_tls_prepare (const char *state_dir, const char *ca, GError **error)
{
  g_autofree char *dir = g_build_filename (state_dir, TLS_DIR, NULL);
  g_autofree char *agent = g_build_filename (dir, "agent.pem", NULL);
  g_autofree char *cafile = g_build_filename (dir, "cafile.pem", NULL);
  g_autofree char *pem = NULL;
  gsize len = 0;

  pem = load_ca (state_dir, ca, &len, error);
  if (pem == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "TLS: cannot create %s: %s",
                   dir, g_strerror (errno));
      return NULL;
    }
  if (!write_private (cafile, pem, len, error))
    return NULL;
  if (!g_file_test (agent, G_FILE_TEST_EXISTS))
    {
      g_autofree char *generated = generate_agent_pem (error);

      if (generated == NULL || !write_private (agent, generated, strlen (generated), error))
        return NULL;
      g_message ("generated the phone's SIP TLS certificate in %s", agent);
    }
  return g_steal_pointer (&dir);
}

/* ---- diagnosis ---- */

typedef struct {
  GTlsCertificateFlags flags;
  char *host;
} Diagnosis;

static void
diagnosis_free (Diagnosis *diagnosis)
{
  g_free (diagnosis->host);
  g_free (diagnosis);
}

static gboolean
on_accept_certificate (GTlsConnection *connection, GTlsCertificate *peer,
                       GTlsCertificateFlags errors, gpointer user_data)
{
  Diagnosis *diagnosis = user_data;

  diagnosis->flags = errors;
  return FALSE;
}

/**
 * dp_sip_tls_describe_flags:
 *
 * Returns: (transfer full): "certificate not trusted (unknown CA)" etc. for
 *   the problems in @flags.
 */
char *
dp_sip_tls_describe_flags (GTlsCertificateFlags flags, const char *host)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } problems[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("certificate not trusted (unknown CA)") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, NULL },   /* names the host */
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("certificate not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("certificate expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("certificate revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("certificate uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("certificate invalid") },
  };
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      if (!(flags & problems[i].flag))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      if (problems[i].flag == G_TLS_CERTIFICATE_BAD_IDENTITY)
        g_string_append_printf (text, _("certificate is not for %s"), host);
      else
        g_string_append (text, _(problems[i].text));
    }
  if (text->len == 0)
    g_string_append (text, _("certificate not accepted"));
  return g_string_free (text, FALSE);
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Diagnosis *diagnosis = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || diagnosis->flags != 0)
    {
      g_autofree char *problem = dp_sip_tls_describe_flags (diagnosis->flags, diagnosis->host);

      g_task_return_pointer (task, g_strdup_printf ("TLS: %s", problem), g_free);
      return;
    }
  g_task_return_pointer (task, g_strdup_printf (_("TLS: handshake failed: %s"), error->message),
                         g_free);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Diagnosis *diagnosis = g_task_get_task_data (task);
  const char *cafile = g_object_get_data (G_OBJECT (task), "cafile");
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      g_task_return_pointer (task, g_strdup_printf (_("TLS: cannot connect: %s"), error->message),
                             g_free);
      return;
    }
  database = g_tls_file_database_new (cafile, &error);
  if (database == NULL)
    {
      g_task_return_pointer (task, g_strdup_printf ("TLS: %s", error->message), g_free);
      return;
    }
  identity = g_network_address_new (diagnosis->host, 0);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (tls == NULL)
    {
      g_task_return_pointer (task, g_strdup_printf ("TLS: %s", error->message), g_free);
      return;
    }
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), diagnosis);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_handshake,
                                    g_object_ref (task));
}

/**
 * dp_sip_tls_diagnose_async:
 * @dir: the directory of dp_sip_tls_prepare()
 * @host: the server's host (name or address) as in the proxy URI
 * @port: its TLS port
 *
 * Connects to the server and checks its certificate as sofia does (chain
 * to cafile.pem, name matches @host). Finishes with %NULL when the server
 * passes, else with the reason ("TLS: ...").
 */
void
dp_sip_tls_diagnose_async (const char *dir, const char *host, guint16 port,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Diagnosis *diagnosis = g_new0 (Diagnosis, 1);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  diagnosis->host = g_strdup (host);
  g_task_set_task_data (task, diagnosis, (GDestroyNotify) diagnosis_free);
  g_object_set_data_full (G_OBJECT (task), "cafile", g_build_filename (dir, "cafile.pem", NULL),
                          g_free);
  g_socket_client_set_timeout (client, 10);
  g_socket_client_connect_to_host_async (client, host, port, cancellable, on_connected, task);
}

char *
dp_sip_tls_diagnose_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
