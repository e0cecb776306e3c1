/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * OpenSSL `enc` compatible profile encryption (spec §1.8): "Salted__", an
 * 8-byte salt, then AES-256-CBC with PKCS#7 padding; key and IV come from
 * EVP_BytesToKey (one iteration) over the passphrase and the salt. GnuTLS
 * does the cryptography; OpenSSL is only needed by the tests, as a peer. */
#define G_LOG_DOMAIN "dp-profile"

#include "dp-profile-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <string.h>

#define MAGIC "Salted__"
#define MAGIC_LENGTH 8
#define SALT_LENGTH 8
#define HEADER_LENGTH (MAGIC_LENGTH + SALT_LENGTH)
#define BLOCK 16
#define KEY_LENGTH 32
#define IV_LENGTH 16

static const char *
kdf_name (DpProfileKdf kdf)
{
  return kdf == DP_PROFILE_KDF_MD5 ? "MD5" : "SHA-256";
}

/* EVP_BytesToKey, count 1: D_i = H(D_{i-1} || passphrase || salt), and the
 * concatenation D_1 D_2 ... is cut into the key and the IV. */
static gboolean
derive_key (DpProfileKdf  kdf,
            const char   *passphrase,
            const guint8 *salt,
            guint8        key[KEY_LENGTH],
            guint8        iv[IV_LENGTH],
            GError      **error)
{
  gnutls_digest_algorithm_t algorithm = kdf == DP_PROFILE_KDF_MD5 ? GNUTLS_DIG_MD5
                                                                   : GNUTLS_DIG_SHA256;
  gsize digest_length = gnutls_hash_get_len (algorithm);
  gsize passphrase_length = strlen (passphrase);
  gsize input_length = digest_length + passphrase_length + SALT_LENGTH;
  g_autofree guint8 *input = g_malloc (input_length);
  guint8 material[KEY_LENGTH + IV_LENGTH + 64];
  gsize have = 0;
  gsize previous = 0;     /* bytes of D_{i-1} at the start of input */
  gboolean ok = TRUE;

  while (have < KEY_LENGTH + IV_LENGTH)
    {
      int rc;

      memcpy (input + previous, passphrase, passphrase_length);
      memcpy (input + previous + passphrase_length, salt, SALT_LENGTH);
      rc = gnutls_hash_fast (algorithm, input, previous + passphrase_length + SALT_LENGTH,
                             material + have);
      if (rc < 0)
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT,
                       _("%s key derivation failed: %s"), kdf_name (kdf), gnutls_strerror (rc));
          ok = FALSE;
          break;
        }
      memcpy (input, material + have, digest_length);
      previous = digest_length;
      have += digest_length;
    }

  if (ok)
    {
      memcpy (key, material, KEY_LENGTH);
      memcpy (iv, material + KEY_LENGTH, IV_LENGTH);
    }
  gnutls_memset (material, 0, sizeof material);
  gnutls_memset (input, 0, input_length);
  return ok;
}

static gboolean
run_cipher (gboolean      encrypt,
            const guint8  key[KEY_LENGTH],
            const guint8  iv[IV_LENGTH],
            const guint8 *in,
            guint8       *out,
            gsize         length,
            GError      **error)
{
  gnutls_cipher_hd_t handle;
  gnutls_datum_t key_datum = { (unsigned char *) key, KEY_LENGTH };
  gnutls_datum_t iv_datum = { (unsigned char *) iv, IV_LENGTH };
  int rc;

  rc = gnutls_cipher_init (&handle, GNUTLS_CIPHER_AES_256_CBC, &key_datum, &iv_datum);
  if (rc >= 0)
    {
      rc = encrypt ? gnutls_cipher_encrypt2 (handle, in, length, out, length)
                   : gnutls_cipher_decrypt2 (handle, in, length, out, length);
      gnutls_cipher_deinit (handle);
    }
  if (rc < 0)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT,
                   _("AES-256-CBC failed: %s"), gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

/* Checks the container; the ciphertext is what follows the header. */
static gboolean
check_format (GBytes        *data,
              const guint8 **salt,
              const guint8 **ciphertext,
              gsize         *ciphertext_length,
              GError       **error)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  if (length == 0 || memcmp (bytes, MAGIC, MIN (length, MAGIC_LENGTH)) != 0)
    {
      g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT,
                           _("not an encrypted profile (no \"Salted__\" header)"));
      return FALSE;
    }
  if (length > (gsize) DP_PROFILE_MAX_SIZE + HEADER_LENGTH + BLOCK)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("encrypted profile is %zu bytes, more than the limit of %d"),
                   length, DP_PROFILE_MAX_SIZE);
      return FALSE;
    }
  if (length < HEADER_LENGTH + BLOCK || (length - HEADER_LENGTH) % BLOCK != 0)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TRUNCATED,
                   _("encrypted profile of %zu bytes is truncated "
                   "(expected a 16-byte header and whole 16-byte blocks)"), length);
      return FALSE;
    }
  *salt = bytes + MAGIC_LENGTH;
  *ciphertext = bytes + HEADER_LENGTH;
  *ciphertext_length = length - HEADER_LENGTH;
  return TRUE;
}

/* Decrypts with one derivation. Returns NULL with *bad_padding set when the
 * key is wrong (or the data corrupt), NULL with @error on a GnuTLS failure. */
static GBytes *
decrypt_once (const guint8 *salt,
              const guint8 *ciphertext,
              gsize         length,
              const char   *passphrase,
              DpProfileKdf  kdf,
              gboolean     *bad_padding,
              GError      **error)
{
  guint8 key[KEY_LENGTH], iv[IV_LENGTH];
  guint8 *plain;
  guint8 padding;
  gboolean ok;

  *bad_padding = FALSE;
  if (!derive_key (kdf, passphrase, salt, key, iv, error))
    return NULL;
  plain = g_malloc (length);
  ok = run_cipher (FALSE, key, iv, ciphertext, plain, length, error);
  gnutls_memset (key, 0, sizeof key);
  gnutls_memset (iv, 0, sizeof iv);
  if (!ok)
    {
      g_free (plain);
      return NULL;
    }

  padding = plain[length - 1];
  ok = padding >= 1 && padding <= BLOCK;
  for (guint i = 1; ok && i <= padding; i++)
    ok = plain[length - i] == padding;
  if (!ok)
    {
      gnutls_memset (plain, 0, length);
      g_free (plain);
      *bad_padding = TRUE;
      return NULL;
    }
  return g_bytes_new_take (plain, length - padding);
}

/* A right key gives gzip or text; a wrong one that happens to end in valid
 * padding (about 1 in 256) gives noise, which this tells apart. */
static gboolean
is_plausible_payload (GBytes *payload)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (payload, &length);

  if (dp_profile_is_gzip (payload))
    return TRUE;
  for (gsize i = 0; i < length; i++)
    if ((bytes[i] < 0x20 && bytes[i] != '\t' && bytes[i] != '\n' && bytes[i] != '\r')
        || bytes[i] == 0x7f)
      return FALSE;
  return g_utf8_validate ((const char *) bytes, (gssize) length, NULL);
}

static void
set_wrong_key (GError **error)
{
  g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT,
                       _("wrong key or corrupt data"));
}

/**
 * dp_profile_decrypt_with_kdf:
 * @data: an OpenSSL `enc` salted file
 * @key: the passphrase
 * @kdf: the key-derivation digest
 * @error: return location for a #GError
 *
 * Decrypts with exactly one derivation, checking only the padding.
 *
 * Returns: (transfer full): the plaintext, or %NULL with @error set
 */
GBytes *
dp_profile_decrypt_with_kdf (GBytes       *data,
                             const char   *key,
                             DpProfileKdf  kdf,
                             GError      **error)
{
  const guint8 *salt, *ciphertext;
  gsize length;
  gboolean bad_padding;
  GBytes *plain;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (kdf == DP_PROFILE_KDF_MD5 || kdf == DP_PROFILE_KDF_SHA256, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_format (data, &salt, &ciphertext, &length, error))
    return NULL;
  plain = decrypt_once (salt, ciphertext, length, key, kdf, &bad_padding, error);
  if (plain == NULL && bad_padding)
    set_wrong_key (error);
  return plain;
}

/**
 * dp_profile_decrypt:
 * @data: an OpenSSL `enc` salted file
 * @key: the passphrase
 * @error: return location for a #GError
 *
 * Decrypts a profile made by `openssl enc -aes-256-cbc -k KEY`, with the MD5
 * derivation of openssl 0.9.x (`-md md5`, what the SPA expects) or, when
 * that gives bad padding or an implausible payload, the SHA-256 derivation
 * of newer OpenSSL. Data without the `Salted__` header is
 * %DP_PROFILE_ERROR_DECRYPT; a header without whole 16-byte blocks (or
 * shorter than 32 bytes) is %DP_PROFILE_ERROR_TRUNCATED. The payload is not
 * inflated.
 *
 * Returns: (transfer full): the plaintext, or %NULL with @error set
 */
GBytes *
dp_profile_decrypt (GBytes     *data,
                    const char *key,
                    GError    **error)
{
  static const DpProfileKdf kdfs[] = { DP_PROFILE_KDF_MD5, DP_PROFILE_KDF_SHA256 };
  const guint8 *salt, *ciphertext;
  gsize length;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_format (data, &salt, &ciphertext, &length, error))
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (kdfs); i++)
    {
      gboolean bad_padding;
      g_autoptr(GBytes) plain = decrypt_once (salt, ciphertext, length, key, kdfs[i],
                                              &bad_padding, error);

      if (plain == NULL && !bad_padding)
        return NULL;
      if (plain != NULL && is_plausible_payload (plain))
        return g_steal_pointer (&plain);
    }
  set_wrong_key (error);
  return NULL;
}

/**
 * dp_profile_encrypt_with_salt:
 * @data: the plaintext
 * @key: the passphrase
 * @kdf: the key-derivation digest
 * @salt: (array fixed-size=8) (nullable): the salt, or %NULL for a random one
 * @error: return location for a #GError
 *
 * Like dp_profile_encrypt(), with a chosen digest and (for tests) salt.
 *
 * Returns: (transfer full): `Salted__`, the salt, then the ciphertext
 */
GBytes *
dp_profile_encrypt_with_salt (GBytes       *data,
                              const char   *key,
                              DpProfileKdf  kdf,
                              const guint8 *salt,
                              GError      **error)
{
  guint8 derived_key[KEY_LENGTH], iv[IV_LENGTH];
  guint8 *out, *padded_plain;
  gsize length, padded, padding;
  const guint8 *plain;
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (kdf == DP_PROFILE_KDF_MD5 || kdf == DP_PROFILE_KDF_SHA256, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plain = g_bytes_get_data (data, &length);
  if (length > DP_PROFILE_MAX_SIZE)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("%zu bytes, more than the limit of %d"),
                   length, DP_PROFILE_MAX_SIZE);
      return NULL;
    }

  /* PKCS#7 always pads, a whole block when the length is already aligned. */
  padding = BLOCK - length % BLOCK;
  padded = length + padding;
  out = g_malloc (HEADER_LENGTH + padded);
  memcpy (out, MAGIC, MAGIC_LENGTH);
  if (salt != NULL)
    {
      memcpy (out + MAGIC_LENGTH, salt, SALT_LENGTH);
    }
  else
    {
      int rc = gnutls_rnd (GNUTLS_RND_NONCE, out + MAGIC_LENGTH, SALT_LENGTH);

      if (rc < 0)
        {
          g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT,
                       _("no random salt: %s"), gnutls_strerror (rc));
          g_free (out);
          return NULL;
        }
    }
  padded_plain = g_malloc (padded);
  if (length > 0)
    memcpy (padded_plain, plain, length);
  memset (padded_plain + length, (int) padding, padding);

  ok = derive_key (kdf, key, out + MAGIC_LENGTH, derived_key, iv, error)
       && run_cipher (TRUE, derived_key, iv, padded_plain, out + HEADER_LENGTH, padded, error);
  gnutls_memset (padded_plain, 0, padded);
  g_free (padded_plain);
  gnutls_memset (derived_key, 0, sizeof derived_key);
  gnutls_memset (iv, 0, sizeof iv);
  if (!ok)
    {
      gnutls_memset (out, 0, HEADER_LENGTH + padded);
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, HEADER_LENGTH + padded);
}

/**
 * dp_profile_encrypt:
 * @data: the plaintext (gzip it first if wanted: compress, then encrypt)
 * @key: the passphrase
 * @error: return location for a #GError
 *
 * Encrypts like `openssl enc -e -aes-256-cbc -md md5 -k KEY`, with a random
 * salt, so that the phone can encrypt its reports for the same server.
 *
 * Returns: (transfer full): the encrypted file, or %NULL with @error set
 */
GBytes *
dp_profile_encrypt (GBytes     *data,
                    const char *key,
                    GError    **error)
{
  return dp_profile_encrypt_with_salt (data, key, DP_PROFILE_KDF_MD5, NULL, error);
}
