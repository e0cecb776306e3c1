/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-prov"

#include "dp-build-config.h"
#include "dp-prov-trust.h"
#include "dp-prov-fetch.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

/* Longest chain a server may send; real chains are 1-3 certificates. */
#define MAX_CHAIN 16

struct _DpProvTrust
{
  GObject parent_instance;

  GPtrArray *cas;     /* GBytes, DER */
  GPtrArray *pins;    /* GBytes, DP_PROV_PIN_SIZE bytes */
  GTlsCertificate *client_certificate;
};

G_DEFINE_FINAL_TYPE (DpProvTrust, dp_prov_trust, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* GnuTLS helpers                                                      */

static void
crt_array_free (gnutls_x509_crt_t *crts, guint n)
{
  for (guint i = 0; i < n; i++)
    if (crts[i] != NULL)
      gnutls_x509_crt_deinit (crts[i]);
}

static gnutls_x509_crt_t
crt_from_der (GBytes *der)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  gsize len;

  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = (unsigned int) len;
  if (gnutls_x509_crt_init (&crt) < 0)
    return NULL;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

static char *
crt_dn (gnutls_x509_crt_t crt, gboolean issuer)
{
  gnutls_datum_t dn = { NULL, 0 };
  char *result;
  int ret;

  ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0)
               : gnutls_x509_crt_get_dn3 (crt, &dn, 0);
  if (ret < 0)
    return g_strdup ("?");
  result = g_strndup ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);
  return result;
}

static char *
format_time (time_t t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) t);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

static GBytes *
spki_sha256 (gnutls_x509_crt_t crt)
{
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t spki = { NULL, 0 };
  guint8 digest[DP_PROV_PIN_SIZE];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) sum = NULL;

  if (gnutls_pubkey_init (&pubkey) < 0)
    return NULL;
  if (gnutls_pubkey_import_x509 (pubkey, crt, 0) < 0 ||
      gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &spki) < 0)
    {
      gnutls_pubkey_deinit (pubkey);
      return NULL;
    }
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, spki.data, spki.size);
  g_checksum_get_digest (sum, digest, &digest_len);
  gnutls_free (spki.data);
  gnutls_pubkey_deinit (pubkey);
  return g_bytes_new (digest, digest_len);
}

static char *
pin_to_string (GBytes *pin)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (pin, &len);
  g_autofree char *b64 = g_base64_encode (data, len);

  return g_strconcat ("sha256/", b64, NULL);
}

/* Does the CN, in the SPA's `host/extra` form, name @host? Only consulted
 * when the certificate has no DNS or IP subjectAltName (RFC 6125 §6.4.4:
 * the CN is a fallback only). */
static gboolean
spa_cn_matches (gnutls_x509_crt_t crt, const char *host)
{
  char cn[1024];
  size_t cn_size;
  const char *slash;
  gsize host_len;

  for (unsigned int i = 0;; i++)
    {
      char san[1024];
      size_t san_size = sizeof san;
      int type = gnutls_x509_crt_get_subject_alt_name (crt, i, san, &san_size, NULL);

      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_IPADDRESS)
        return FALSE;
      if (type < 0 && type != GNUTLS_E_SHORT_MEMORY_BUFFER)
        break;
    }

  /* Every CN must be considered the same way GnuTLS does: take the last. */
  for (unsigned int i = 0;; i++)
    {
      char tmp[1024];
      size_t tmp_size = sizeof tmp - 1;

      if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, i, 0,
                                         tmp, &tmp_size) < 0)
        {
          if (i == 0)
            return FALSE;
          break;
        }
      memcpy (cn, tmp, tmp_size);
      cn[tmp_size] = '\0';
      cn_size = tmp_size;
    }

  if (strlen (cn) != cn_size)
    return FALSE;   /* embedded NUL: never a name */
  slash = strchr (cn, '/');
  if (slash == NULL)
    return FALSE;   /* plain CN: GnuTLS already judged it */
  host_len = strlen (host);
  return (gsize) (slash - cn) == host_len && host_len > 0 &&
         g_ascii_strncasecmp (cn, host, host_len) == 0;
}

static gboolean
host_matches (gnutls_x509_crt_t crt, const char *host)
{
  if (gnutls_x509_crt_check_hostname2 (crt, host, 0))
    return TRUE;
  return spa_cn_matches (crt, host);
}

/* The whole server check, shared by dp_prov_trust_verify() and the TLS
 * database. @cas and @pins are only read, so this is safe from the TLS
 * handshake thread. */
static GTlsCertificateFlags
verify_chain (GPtrArray       *cas,
              GPtrArray       *pins,
              GTlsCertificate *peer,
              const char      *host,
              char           **failure)
{
  gnutls_x509_crt_t chain[MAX_CHAIN] = { NULL };
  gnutls_x509_crt_t *ca_crts = NULL;
  gnutls_x509_trust_list_t list = NULL;
  gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID,
                                    (unsigned char *) GNUTLS_KP_TLS_WWW_SERVER, 0 };
  GTlsCertificateFlags flags = 0;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  unsigned int status = 0;
  guint n = 0;
  GTlsCertificate *c;

  for (c = peer; c != NULL && n < MAX_CHAIN; c = g_tls_certificate_get_issuer (c))
    {
      g_autoptr(GByteArray) der = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_object_get (c, "certificate", &der, NULL);
      if (der == NULL)
        break;
      bytes = g_bytes_new (der->data, der->len);
      chain[n] = crt_from_der (bytes);
      if (chain[n] == NULL)
        {
          g_ptr_array_add (problems, g_strdup (_("server certificate does not parse")));
          flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
          goto out;
        }
      n++;
    }
  if (n == 0)
    {
      g_ptr_array_add (problems, g_strdup (_("server sent no certificate")));
      flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
      goto out;
    }

  if (cas->len == 0)
    {
      g_ptr_array_add (problems, g_strdup (_("unknown CA: no provisioning CA installed")));
      flags |= G_TLS_CERTIFICATE_UNKNOWN_CA;
    }
  else
    {
      guint n_cas = 0;

      ca_crts = g_new0 (gnutls_x509_crt_t, cas->len);
      for (guint i = 0; i < cas->len; i++)
        if ((ca_crts[n_cas] = crt_from_der (g_ptr_array_index (cas, i))) != NULL)
          n_cas++;
      if (gnutls_x509_trust_list_init (&list, 0) < 0 ||
          gnutls_x509_trust_list_add_cas (list, ca_crts, n_cas, 0) < 0)
        {
          crt_array_free (ca_crts, n_cas);
          g_ptr_array_add (problems, g_strdup (_("cannot build the trust list")));
          flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
          goto out;
        }
      /* The trust list owns the CA certificates from here on. */
      if (gnutls_x509_trust_list_verify_crt2 (list, chain, n, &purpose, 1, 0, &status, NULL) < 0)
        status |= GNUTLS_CERT_INVALID;

      if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
                    GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
        {
          g_autofree char *issuer = crt_dn (chain[n - 1], TRUE);

          flags |= G_TLS_CERTIFICATE_UNKNOWN_CA;
          g_ptr_array_add (problems, g_strdup_printf (_("unknown CA: the server certificate is not "
                                                      "signed by the provisioning CA (issuer %s)"),
                                                      issuer));
        }
      if (status & GNUTLS_CERT_EXPIRED)
        {
          g_autofree char *when = format_time (gnutls_x509_crt_get_expiration_time (chain[0]));

          flags |= G_TLS_CERTIFICATE_EXPIRED;
          g_ptr_array_add (problems, g_strdup_printf (_("expired: a certificate of the server chain "
                                                      "is past its validity (server certificate "
                                                      "valid until %s)"), when));
        }
      if (status & GNUTLS_CERT_NOT_ACTIVATED)
        {
          g_autofree char *when = format_time (gnutls_x509_crt_get_activation_time (chain[0]));

          flags |= G_TLS_CERTIFICATE_NOT_ACTIVATED;
          g_ptr_array_add (problems, g_strdup_printf (_("not yet valid: server certificate valid "
                                                      "from %s"), when));
        }
      if (status & GNUTLS_CERT_REVOKED)
        {
          flags |= G_TLS_CERTIFICATE_REVOKED;
          g_ptr_array_add (problems, g_strdup (_("revoked")));
        }
      if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        {
          flags |= G_TLS_CERTIFICATE_INSECURE;
          g_ptr_array_add (problems, g_strdup (_("insecure signature algorithm")));
        }
      if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
        {
          flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
          g_ptr_array_add (problems, g_strdup (_("key purpose: not a TLS server certificate")));
        }
      if (status != 0 && flags == 0)
        {
          flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
          g_ptr_array_add (problems, g_strdup_printf (_("chain verification failed (GnuTLS status 0x%x)"),
                                                      status));
        }
    }

  if (host == NULL || *host == '\0' || !host_matches (chain[0], host))
    {
      g_autofree char *subject = crt_dn (chain[0], FALSE);

      flags |= G_TLS_CERTIFICATE_BAD_IDENTITY;
      g_ptr_array_add (problems, g_strdup_printf (_("host name: the server certificate (%s) is not "
                                                  "for \"%s\""), subject, host ? host : ""));
    }

  if (pins != NULL && pins->len > 0)
    {
      gboolean pinned = FALSE;
      g_autofree char *leaf_pin = NULL;

      for (guint i = 0; i < n && !pinned; i++)
        {
          g_autoptr(GBytes) hash = spki_sha256 (chain[i]);

          if (hash == NULL)
            continue;
          if (i == 0)
            leaf_pin = pin_to_string (hash);
          for (guint j = 0; j < pins->len && !pinned; j++)
            pinned = g_bytes_equal (hash, g_ptr_array_index (pins, j));
        }
      if (!pinned)
        {
          flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;
          g_ptr_array_add (problems, g_strdup_printf (_("pin mismatch: no key of the server chain "
                                                      "matches Provisioning_Key_Pins (server key "
                                                      "is %s)"), leaf_pin ? leaf_pin : "?"));
        }
    }

out:
  if (list != NULL)
    gnutls_x509_trust_list_deinit (list, 1);
  g_free (ca_crts);
  crt_array_free (chain, n);

  if (failure != NULL)
    {
      if (problems->len > 0)
        {
          g_ptr_array_add (problems, NULL);
          *failure = g_strjoinv ("; ", (char **) problems->pdata);
        }
      else
        *failure = NULL;
    }
  return flags;
}

/* ------------------------------------------------------------------ */
/* The TLS database a fetch uses: this trust only, never the system's.  */

#define DP_PROV_TYPE_TLS_DATABASE (dp_prov_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (DpProvTlsDatabase, dp_prov_tls_database, DP_PROV, TLS_DATABASE, GTlsDatabase)

struct _DpProvTlsDatabase
{
  GTlsDatabase parent_instance;

  GPtrArray *cas;
  GPtrArray *pins;

  /* Written from the handshake thread, read on the main thread. */
  GMutex lock;
  char *failure;
  gboolean verified;
};

G_DEFINE_FINAL_TYPE (DpProvTlsDatabase, dp_prov_tls_database, G_TYPE_TLS_DATABASE)

static char *
identity_host (GSocketConnectable *identity)
{
  if (G_IS_NETWORK_ADDRESS (identity))
    return g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (identity)));
  if (G_IS_NETWORK_SERVICE (identity))
    return g_strdup (g_network_service_get_domain (G_NETWORK_SERVICE (identity)));
  if (G_IS_INET_SOCKET_ADDRESS (identity))
    return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (identity)));
  return NULL;
}

static GTlsCertificateFlags
dp_prov_tls_database_verify_chain (GTlsDatabase            *database,
                                   GTlsCertificate         *chain,
                                   const gchar             *purpose,
                                   GSocketConnectable      *identity,
                                   GTlsInteraction         *interaction,
                                   GTlsDatabaseVerifyFlags  flags,
                                   GCancellable            *cancellable,
                                   GError                 **error)
{
  DpProvTlsDatabase *self = DP_PROV_TLS_DATABASE (database);
  g_autofree char *host = identity ? identity_host (identity) : NULL;
  char *failure = NULL;
  GTlsCertificateFlags result;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;

  result = verify_chain (self->cas, self->pins, chain, host, &failure);

  g_mutex_lock (&self->lock);
  g_free (self->failure);
  self->failure = failure;
  self->verified = (result == 0);
  g_mutex_unlock (&self->lock);

  return result;
}

static GTlsCertificate *
dp_prov_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                                GTlsCertificate          *certificate,
                                                GTlsInteraction          *interaction,
                                                GTlsDatabaseLookupFlags   flags,
                                                GCancellable             *cancellable,
                                                GError                  **error)
{
  DpProvTlsDatabase *self = DP_PROV_TLS_DATABASE (database);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gnutls_x509_crt_t crt;
  GTlsCertificate *issuer = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  bytes = g_bytes_new (der->data, der->len);
  crt = crt_from_der (bytes);
  if (crt == NULL)
    return NULL;

  for (guint i = 0; i < self->cas->len && issuer == NULL; i++)
    {
      gnutls_x509_crt_t ca = crt_from_der (g_ptr_array_index (self->cas, i));

      if (ca != NULL && gnutls_x509_crt_check_issuer (crt, ca))
        {
          gnutls_datum_t pem = { NULL, 0 };

          if (gnutls_x509_crt_export2 (ca, GNUTLS_X509_FMT_PEM, &pem) >= 0)
            {
              issuer = g_tls_certificate_new_from_pem ((const char *) pem.data, pem.size, NULL);
              gnutls_free (pem.data);
            }
        }
      if (ca != NULL)
        gnutls_x509_crt_deinit (ca);
    }
  gnutls_x509_crt_deinit (crt);
  return issuer;
}

static GList *
dp_prov_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                    GByteArray               *issuer_raw_dn,
                                                    GTlsInteraction          *interaction,
                                                    GTlsDatabaseLookupFlags   flags,
                                                    GCancellable             *cancellable,
                                                    GError                  **error)
{
  /* Only used by TLS servers to list acceptable client CAs. */
  return NULL;
}

static gchar *
dp_prov_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                                GTlsCertificate *certificate)
{
  return NULL;
}

static GTlsCertificate *
dp_prov_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                    const gchar              *handle,
                                                    GTlsInteraction          *interaction,
                                                    GTlsDatabaseLookupFlags   flags,
                                                    GCancellable             *cancellable,
                                                    GError                  **error)
{
  return NULL;
}

static void
dp_prov_tls_database_finalize (GObject *object)
{
  DpProvTlsDatabase *self = DP_PROV_TLS_DATABASE (object);

  g_clear_pointer (&self->cas, g_ptr_array_unref);
  g_clear_pointer (&self->pins, g_ptr_array_unref);
  g_clear_pointer (&self->failure, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dp_prov_tls_database_parent_class)->finalize (object);
}

static void
dp_prov_tls_database_class_init (DpProvTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = dp_prov_tls_database_finalize;
  database_class->verify_chain = dp_prov_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = dp_prov_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = dp_prov_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = dp_prov_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = dp_prov_tls_database_lookup_certificate_for_handle;
}

static void
dp_prov_tls_database_init (DpProvTlsDatabase *self)
{
  g_mutex_init (&self->lock);
}

static GPtrArray *
bytes_array_copy (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_bytes_ref (g_ptr_array_index (array, i)));
  return copy;
}

/* ------------------------------------------------------------------ */
/* DpProvTrust                                                          */

static void
dp_prov_trust_finalize (GObject *object)
{
  DpProvTrust *self = DP_PROV_TRUST (object);

  g_clear_pointer (&self->cas, g_ptr_array_unref);
  g_clear_pointer (&self->pins, g_ptr_array_unref);
  g_clear_object (&self->client_certificate);

  G_OBJECT_CLASS (dp_prov_trust_parent_class)->finalize (object);
}

static void
dp_prov_trust_class_init (DpProvTrustClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dp_prov_trust_finalize;
}

static void
dp_prov_trust_init (DpProvTrust *self)
{
  self->cas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->pins = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

/**
 * dp_prov_trust_new:
 *
 * Returns: (transfer full): a trust with no CA (every server is refused),
 *   no pins and no client certificate
 */
DpProvTrust *
dp_prov_trust_new (void)
{
  return g_object_new (DP_PROV_TYPE_TRUST, NULL);
}

static char *
state_path (const char *state_dir, const char *name)
{
  if (g_path_is_absolute (name) || state_dir == NULL)
    return g_strdup (name);
  return g_build_filename (state_dir, name, NULL);
}

/**
 * dp_prov_trust_new_for_state_dir:
 * @state_dir: the daemon's state dir
 * @provisioning_ca: (nullable): value of `Provisioning_CA`; %NULL or empty = %DP_PROV_TRUST_DEFAULT_CA
 * @key_pins: (nullable): value of `Provisioning_Key_Pins`
 * @error: a #GError
 *
 * Builds the trust the way the daemon configures it (see the section doc).
 * A missing CA file is not an error (HTTPS then fails at fetch time, saying
 * no CA is installed); a CA file that does not parse, malformed pins, or a
 * client certificate without its key (or not matching it) are.
 *
 * Returns: (transfer full) (nullable): the trust, or %NULL with @error set
 */
DpProvTrust *
dp_prov_trust_new_for_state_dir (const char  *state_dir,
                                 const char  *provisioning_ca,
                                 const char  *key_pins,
                                 GError     **error)
{
  g_autoptr(DpProvTrust) self = dp_prov_trust_new ();
  g_autofree char *ca_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean have_cert, have_key;

  g_return_val_if_fail (state_dir != NULL, NULL);

  if (provisioning_ca == NULL || *provisioning_ca == '\0')
    provisioning_ca = DP_PROV_TRUST_DEFAULT_CA;
  ca_path = state_path (state_dir, provisioning_ca);
  if (g_file_test (ca_path, G_FILE_TEST_EXISTS) &&
      !dp_prov_trust_add_ca_file (self, ca_path, error))
    return NULL;

  if (key_pins != NULL && !dp_prov_trust_set_pins (self, key_pins, error))
    return NULL;

  cert_path = g_build_filename (state_dir, DP_PROV_TRUST_CLIENT_CERT_FILE, NULL);
  key_path = g_build_filename (state_dir, DP_PROV_TRUST_CLIENT_KEY_FILE, NULL);
  have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);
  have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);
  if (have_cert != have_key)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("client certificate incomplete: %s exists but %s does not"),
                   have_cert ? cert_path : key_path, have_cert ? key_path : cert_path);
      return NULL;
    }
  if (have_cert && !dp_prov_trust_set_client_files (self, cert_path, key_path, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * dp_prov_trust_add_ca_pem:
 * @self: a #DpProvTrust
 * @pem: PEM text with one or more certificates
 * @length: length of @pem, or -1 if NUL-terminated
 * @error: a #GError
 *
 * Adds every certificate of @pem as a trusted provisioning CA.
 *
 * Returns: %TRUE on success; %FALSE with %DP_PROV_FETCH_ERROR_TRUST if @pem
 *   holds no certificate or one that does not parse
 */
gboolean
dp_prov_trust_add_ca_pem (DpProvTrust *self,
                          const char  *pem,
                          gssize       length,
                          GError     **error)
{
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n = 0;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), FALSE);
  g_return_val_if_fail (pem != NULL, FALSE);

  datum.data = (unsigned char *) pem;
  datum.size = (unsigned int) (length < 0 ? strlen (pem) : (gsize) length);
  ret = gnutls_x509_crt_list_import2 (&crts, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0 || n == 0)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("provisioning CA: no valid PEM certificate (%s)"),
                   ret < 0 ? gnutls_strerror (ret) : "empty");
      return FALSE;
    }

  for (unsigned int i = 0; i < n; i++)
    {
      gnutls_datum_t der = { NULL, 0 };

      if (gnutls_x509_crt_export2 (crts[i], GNUTLS_X509_FMT_DER, &der) >= 0)
        {
          g_ptr_array_add (self->cas, g_bytes_new (der.data, der.size));
          gnutls_free (der.data);
        }
      gnutls_x509_crt_deinit (crts[i]);
    }
  gnutls_free (crts);
  return TRUE;
}

/**
 * dp_prov_trust_add_ca_file:
 * @self: a #DpProvTrust
 * @path: PEM file
 * @error: a #GError
 *
 * Like dp_prov_trust_add_ca_pem() for a file's contents.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_prov_trust_add_ca_file (DpProvTrust *self,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("provisioning CA: %s"), local_error->message);
      return FALSE;
    }
  if (!dp_prov_trust_add_ca_pem (self, contents, (gssize) length, &local_error))
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_prov_trust_get_n_cas:
 * @self: a #DpProvTrust
 *
 * Returns: how many CA certificates are trusted
 */
guint
dp_prov_trust_get_n_cas (DpProvTrust *self)
{
  g_return_val_if_fail (DP_PROV_IS_TRUST (self), 0);
  return self->cas->len;
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* One pin token [start, end) of @text; fills 32 bytes or fails naming the
 * token's position (1-based column). */
static GBytes *
parse_one_pin (const char *text, gsize start, gsize end, GError **error)
{
  const char *token = text + start;
  gsize len = end - start;
  guint8 pin[DP_PROV_PIN_SIZE];
  gsize n = 0;

  if (len > 7 && g_ascii_strncasecmp (token, "sha256/", 7) == 0)
    {
      token += 7;
      len -= 7;
      start += 7;
    }

  if (len == 44 && token[43] == '=')
    {
      g_autofree char *copy = g_strndup (token, len);
      g_autofree guchar *raw = NULL;
      gsize raw_len = 0;

      for (gsize i = 0; i < 43; i++)
        if (!g_ascii_isalnum (token[i]) && token[i] != '+' && token[i] != '/')
          {
            g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                         _("Provisioning_Key_Pins: position %zu"
                         ": '%c' is not a base64 character"), start + i + 1, token[i]);
            return NULL;
          }
      raw = g_base64_decode (copy, &raw_len);
      if (raw_len != DP_PROV_PIN_SIZE)
        {
          g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                       _("Provisioning_Key_Pins: position %zu"
                       ": base64 pin is not 32 bytes"), start + 1);
          return NULL;
        }
      return g_bytes_new (raw, raw_len);
    }

  for (gsize i = 0; i < len; i++)
    {
      int hi, lo;

      if (token[i] == ':' && i > 0 && i + 1 < len && token[i - 1] != ':')
        continue;
      hi = hex_value (token[i]);
      lo = i + 1 < len ? hex_value (token[i + 1]) : -1;
      if (hi < 0 || lo < 0 || n == DP_PROV_PIN_SIZE)
        {
          g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                       _("Provisioning_Key_Pins: position %zu"
                       ": a pin is 64 hex digits or 44 base64 characters"), start + i + 1);
          return NULL;
        }
      pin[n++] = (guint8) (hi * 16 + lo);
      i++;
    }
  if (n != DP_PROV_PIN_SIZE)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_INVALID,
                   _("Provisioning_Key_Pins: position %zu"
                   ": hex pin has %zu bytes, not 32"), start + 1, n);
      return NULL;
    }
  return g_bytes_new (pin, sizeof pin);
}

/**
 * dp_prov_pins_parse:
 * @text: a `Provisioning_Key_Pins` value
 * @error: a #GError
 *
 * Parses the pin list (format in the section doc). Pure function.
 *
 * Returns: (transfer full) (element-type GBytes) (nullable): the pins (empty
 *   array for blank text), or %NULL with %DP_PROV_FETCH_ERROR_INVALID naming
 *   the position (1-based byte column) of the first bad pin
 */
GPtrArray *
dp_prov_pins_parse (const char *text, GError **error)
{
  g_autoptr(GPtrArray) pins = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize i = 0;

  g_return_val_if_fail (text != NULL, NULL);

  while (text[i] != '\0')
    {
      gsize start;
      GBytes *pin;

      if (text[i] == ',' || text[i] == ';' || g_ascii_isspace (text[i]))
        {
          i++;
          continue;
        }
      start = i;
      while (text[i] != '\0' && text[i] != ',' && text[i] != ';' && !g_ascii_isspace (text[i]))
        i++;
      pin = parse_one_pin (text, start, i, error);
      if (pin == NULL)
        return NULL;
      g_ptr_array_add (pins, pin);
    }
  return g_steal_pointer (&pins);
}

/**
 * dp_prov_trust_set_pins:
 * @self: a #DpProvTrust
 * @pins: a `Provisioning_Key_Pins` value (empty = no pinning)
 * @error: a #GError
 *
 * Replaces the pins. On error the previous pins stay.
 *
 * Returns: %TRUE on success
 */
gboolean
dp_prov_trust_set_pins (DpProvTrust *self, const char *pins, GError **error)
{
  GPtrArray *parsed;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), FALSE);

  parsed = dp_prov_pins_parse (pins ? pins : "", error);
  if (parsed == NULL)
    return FALSE;
  g_ptr_array_unref (self->pins);
  self->pins = parsed;
  return TRUE;
}

/**
 * dp_prov_trust_get_n_pins:
 * @self: a #DpProvTrust
 *
 * Returns: the number of pins (0 = no pinning)
 */
guint
dp_prov_trust_get_n_pins (DpProvTrust *self)
{
  g_return_val_if_fail (DP_PROV_IS_TRUST (self), 0);
  return self->pins->len;
}

/**
 * dp_prov_trust_set_client_files:
 * @self: a #DpProvTrust
 * @cert_path: PEM certificate (optionally followed by its chain)
 * @key_path: unencrypted PEM private key
 * @error: a #GError
 *
 * Loads the device certificate presented to servers that ask for one.
 *
 * Returns: %TRUE on success; %FALSE with %DP_PROV_FETCH_ERROR_TRUST if a file
 *   does not load or the key does not belong to the certificate
 */
gboolean
dp_prov_trust_set_client_files (DpProvTrust *self,
                                const char  *cert_path,
                                const char  *key_path,
                                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t key = NULL;
  guint8 crt_id[64], key_id[64];
  size_t crt_id_size = sizeof crt_id, key_id_size = sizeof key_id;
  gnutls_datum_t datum;
  gboolean match = FALSE;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), FALSE);

  if (!g_file_get_contents (cert_path, &cert_pem, NULL, &local_error) ||
      !g_file_get_contents (key_path, &key_pem, NULL, &local_error))
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("client certificate: %s"), local_error->message);
      return FALSE;
    }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("client certificate %s / %s: %s"), cert_path, key_path, local_error->message);
      return FALSE;
    }

  /* GIO does not check that the key belongs to the certificate; a mismatch
   * would only show as an obscure handshake failure on the server. */
  if (gnutls_x509_crt_init (&crt) >= 0 && gnutls_x509_privkey_init (&key) >= 0)
    {
      datum.data = (unsigned char *) cert_pem;
      datum.size = (unsigned int) strlen (cert_pem);
      if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) >= 0)
        {
          datum.data = (unsigned char *) key_pem;
          datum.size = (unsigned int) strlen (key_pem);
          if (gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0) >= 0 &&
              gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256, crt_id, &crt_id_size) >= 0 &&
              gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) >= 0)
            match = crt_id_size == key_id_size && memcmp (crt_id, key_id, crt_id_size) == 0;
        }
    }
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (!match)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("client certificate: the key in %s does not belong to the certificate in %s"),
                   key_path, cert_path);
      return FALSE;
    }

  g_set_object (&self->client_certificate, certificate);
  return TRUE;
}

/**
 * dp_prov_trust_get_client_certificate:
 * @self: a #DpProvTrust
 *
 * Returns: (transfer none) (nullable): the device certificate with its key
 */
GTlsCertificate *
dp_prov_trust_get_client_certificate (DpProvTrust *self)
{
  g_return_val_if_fail (DP_PROV_IS_TRUST (self), NULL);
  return self->client_certificate;
}

/**
 * dp_prov_trust_get_ccert:
 * @self: a #DpProvTrust
 *
 * Returns: the `$CCERT` macro value: `Installed` or `Not Installed`
 */
const char *
dp_prov_trust_get_ccert (DpProvTrust *self)
{
  g_return_val_if_fail (DP_PROV_IS_TRUST (self), "Not Installed");
  return self->client_certificate != NULL ? "Installed" : "Not Installed";
}

/**
 * dp_prov_trust_verify:
 * @self: a #DpProvTrust
 * @peer: the server certificate, its issuer chain linked through
 *   #GTlsCertificate:issuer
 * @host: the host name or IP literal the fetch connected to
 * @flags: (out) (optional): the failed checks as #GTlsCertificateFlags (pin
 *   mismatch and key purpose are %G_TLS_CERTIFICATE_GENERIC_ERROR)
 * @error: a #GError
 *
 * Runs every server check (section doc) outside of a TLS handshake.
 *
 * Returns: %TRUE if the server is trusted; %FALSE with
 *   %DP_PROV_FETCH_ERROR_TRUST naming every failed check
 */
gboolean
dp_prov_trust_verify (DpProvTrust          *self,
                      GTlsCertificate      *peer,
                      const char           *host,
                      GTlsCertificateFlags *flags,
                      GError              **error)
{
  g_autofree char *failure = NULL;
  GTlsCertificateFlags result;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (peer), FALSE);

  result = verify_chain (self->cas, self->pins, peer, host, &failure);
  if (flags != NULL)
    *flags = result;
  if (result != 0)
    {
      g_set_error (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                   _("server certificate rejected: %s"), failure);
      return FALSE;
    }
  return TRUE;
}

/**
 * dp_prov_trust_create_database:
 * @self: a #DpProvTrust
 *
 * Makes the #GTlsDatabase for one fetch (set it as #SoupSession:tls-database).
 * It snapshots the CAs and pins, and records why it last rejected a server
 * (dp_prov_trust_database_get_failure()), which #GTlsCertificateFlags cannot
 * express (pins, key purpose).
 *
 * Returns: (transfer full): a new database
 */
GTlsDatabase *
dp_prov_trust_create_database (DpProvTrust *self)
{
  DpProvTlsDatabase *database;

  g_return_val_if_fail (DP_PROV_IS_TRUST (self), NULL);

  database = g_object_new (DP_PROV_TYPE_TLS_DATABASE, NULL);
  database->cas = bytes_array_copy (self->cas);
  database->pins = bytes_array_copy (self->pins);
  return G_TLS_DATABASE (database);
}

/**
 * dp_prov_trust_database_get_failure:
 * @database: a database from dp_prov_trust_create_database()
 *
 * Returns: (transfer full) (nullable): why the last verified server was
 *   rejected, %NULL if none was rejected
 */
char *
dp_prov_trust_database_get_failure (GTlsDatabase *database)
{
  DpProvTlsDatabase *self;
  char *failure;

  g_return_val_if_fail (DP_PROV_IS_TLS_DATABASE (database), NULL);
  self = DP_PROV_TLS_DATABASE (database);
  g_mutex_lock (&self->lock);
  failure = g_strdup (self->failure);
  g_mutex_unlock (&self->lock);
  return failure;
}

/**
 * dp_prov_trust_database_get_verified:
 * @database: a database from dp_prov_trust_create_database()
 *
 * Returns: %TRUE if the last server verified passed every check (so a later
 *   handshake failure is the server refusing us, not us refusing it)
 */
gboolean
dp_prov_trust_database_get_verified (GTlsDatabase *database)
{
  DpProvTlsDatabase *self;
  gboolean verified;

  g_return_val_if_fail (DP_PROV_IS_TLS_DATABASE (database), FALSE);
  self = DP_PROV_TLS_DATABASE (database);
  g_mutex_lock (&self->lock);
  verified = self->verified;
  g_mutex_unlock (&self->lock);
  return verified;
}

/**
 * dp_prov_pin_for_certificate:
 * @certificate: a certificate
 * @error: a #GError
 *
 * Computes the pin of @certificate's public key, in the form an
 * administrator writes into `Provisioning_Key_Pins`.
 *
 * Returns: (transfer full) (nullable): `sha256/BASE64`
 */
char *
dp_prov_pin_for_certificate (GTlsCertificate *certificate, GError **error)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) hash = NULL;
  gnutls_x509_crt_t crt;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    {
      bytes = g_bytes_new (der->data, der->len);
      crt = crt_from_der (bytes);
      if (crt != NULL)
        {
          hash = spki_sha256 (crt);
          gnutls_x509_crt_deinit (crt);
        }
    }
  if (hash == NULL)
    {
      g_set_error_literal (error, DP_PROV_FETCH_ERROR, DP_PROV_FETCH_ERROR_TRUST,
                           _("certificate has no usable public key"));
      return NULL;
    }
  return pin_to_string (hash);
}
