/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * PBKDF2 password hashes, tokens, sessions and the login back-off; see
 * dp-webui-auth.h for the formats and policies.
 */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-auth.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#define SALT_BYTES 16
#define HASH_BYTES 32

gboolean
dp_webui_pbkdf2_sha256 (const char   *password,
                        const guint8 *salt,
                        gsize         salt_len,
                        guint         iterations,
                        guint8       *out,
                        gsize         out_len,
                        GError      **error)
{
  gnutls_datum_t key = { (unsigned char *) password, (unsigned int) strlen (password) };
  gnutls_datum_t salt_datum = { (unsigned char *) salt, (unsigned int) salt_len };
  int rc;

  rc = gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, iterations, out, out_len);
  if (rc < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("PBKDF2 failed: %s"),
                   gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

char *
dp_webui_hash_password (const char *password, guint iterations, GError **error)
{
  guint8 salt[SALT_BYTES];
  guint8 hash[HASH_BYTES];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  rc = gnutls_rnd (GNUTLS_RND_RANDOM, salt, sizeof salt);
  if (rc < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("no random salt: %s"),
                   gnutls_strerror (rc));
      return NULL;
    }
  if (!dp_webui_pbkdf2_sha256 (password, salt, sizeof salt, iterations, hash, sizeof hash, error))
    return NULL;
  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);
  gnutls_memset (hash, 0, sizeof hash);
  return g_strdup_printf (DP_WEBUI_HASH_PREFIX "%u$%s$%s", iterations, salt64, hash64);
}

/* Splits a stored hash; FALSE for anything that is not exactly our format,
 * so a malformed value can never verify. */
static gboolean
parse_hash (const char *stored, guint *iterations, guint8 **salt, gsize *salt_len,
            guint8 **hash, gsize *hash_len)
{
  g_auto(GStrv) parts = NULL;
  guint64 iter;
  char *end;

  if (!g_str_has_prefix (stored, DP_WEBUI_HASH_PREFIX))
    return FALSE;
  parts = g_strsplit (stored + strlen (DP_WEBUI_HASH_PREFIX), "$", -1);
  if (g_strv_length (parts) != 3 || parts[0][0] == '\0' || parts[1][0] == '\0' ||
      parts[2][0] == '\0')
    return FALSE;
  if (!g_ascii_isdigit (parts[0][0]))
    return FALSE;
  iter = g_ascii_strtoull (parts[0], &end, 10);
  if (*end != '\0' || iter < DP_WEBUI_PBKDF2_MIN_ITERATIONS ||
      iter > DP_WEBUI_PBKDF2_MAX_ITERATIONS)
    return FALSE;
  for (guint i = 1; i < 3; i++)
    for (const char *p = parts[i]; *p; p++)
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        return FALSE;
  *iterations = (guint) iter;
  *salt = g_base64_decode (parts[1], salt_len);
  *hash = g_base64_decode (parts[2], hash_len);
  if (*salt_len < 8 || *hash_len != HASH_BYTES)
    {
      g_clear_pointer (salt, g_free);
      g_clear_pointer (hash, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
dp_webui_is_password_hash (const char *value)
{
  guint iterations;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *hash = NULL;
  gsize salt_len, hash_len;

  return value != NULL &&
         parse_hash (value, &iterations, &salt, &salt_len, &hash, &hash_len);
}

static gboolean
const_equal_bytes (const guint8 *a, gsize a_len, const guint8 *b, gsize b_len)
{
  guint8 diff = a_len != b_len;
  gsize n = MIN (a_len, b_len);

  for (gsize i = 0; i < n; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

gboolean
dp_webui_const_equal (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  return const_equal_bytes ((const guint8 *) a, strlen (a), (const guint8 *) b, strlen (b));
}

/* An empty stored value never verifies: an account without a password is
 * closed (see the first-boot flow in dp-webui-server.h), not open. A stored
 * value that is not a hash is a plain SPA value the plugin has not rehashed
 * yet. */
gboolean
dp_webui_verify_password (const char *stored, const char *password)
{
  guint iterations;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *hash = NULL;
  gsize salt_len, hash_len;
  guint8 computed[HASH_BYTES];
  gboolean ok;

  if (stored == NULL || *stored == '\0' || password == NULL)
    return FALSE;
  if (!g_str_has_prefix (stored, DP_WEBUI_HASH_PREFIX))
    return dp_webui_const_equal (stored, password);
  if (!parse_hash (stored, &iterations, &salt, &salt_len, &hash, &hash_len))
    return FALSE;
  if (!dp_webui_pbkdf2_sha256 (password, salt, salt_len, iterations, computed,
                               sizeof computed, NULL))
    return FALSE;
  ok = const_equal_bytes (computed, sizeof computed, hash, hash_len);
  gnutls_memset (computed, 0, sizeof computed);
  return ok;
}

char *
dp_webui_random_token (gsize n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);

  /* GNUTLS_RND_KEY: tokens are bearer credentials. If the generator fails
   * the process cannot produce safe sessions at all. */
  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, n_bytes) < 0)
    g_error ("the random generator failed; refusing to issue predictable tokens");
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

/* Sessions */

struct _DpWebuiSessions
{
  GHashTable *by_id;
};

static void
session_free (gpointer data)
{
  DpWebuiSession *session = data;

  g_free (session->id);
  g_free (session->csrf);
  g_free (session);
}

DpWebuiSessions *
dp_webui_sessions_new (void)
{
  DpWebuiSessions *sessions = g_new0 (DpWebuiSessions, 1);

  sessions->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, session_free);
  return sessions;
}

void
dp_webui_sessions_free (DpWebuiSessions *sessions)
{
  if (sessions == NULL)
    return;
  g_hash_table_unref (sessions->by_id);
  g_free (sessions);
}

static void
expire_sessions (DpWebuiSessions *sessions, gint64 now_us)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, sessions->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((DpWebuiSession *) value)->expires_us <= now_us)
      g_hash_table_iter_remove (&iter);
}

const DpWebuiSession *
dp_webui_sessions_create (DpWebuiSessions *sessions, DpWebuiRole role, gint64 now_us)
{
  DpWebuiSession *session;

  expire_sessions (sessions, now_us);
  /* A bounded table: when full, the session closest to expiry goes, so a
   * login flood cannot exhaust memory. */
  while (g_hash_table_size (sessions->by_id) >= DP_WEBUI_MAX_SESSIONS)
    {
      GHashTableIter iter;
      gpointer value;
      DpWebuiSession *oldest = NULL;

      g_hash_table_iter_init (&iter, sessions->by_id);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (oldest == NULL || ((DpWebuiSession *) value)->expires_us < oldest->expires_us)
          oldest = value;
      g_hash_table_remove (sessions->by_id, oldest->id);
    }
  session = g_new0 (DpWebuiSession, 1);
  session->id = dp_webui_random_token (32);
  session->csrf = dp_webui_random_token (32);
  session->role = role;
  session->expires_us = now_us + DP_WEBUI_SESSION_IDLE_US;
  g_hash_table_insert (sessions->by_id, session->id, session);
  return session;
}

const DpWebuiSession *
dp_webui_sessions_lookup (DpWebuiSessions *sessions, const char *id, gint64 now_us)
{
  DpWebuiSession *session;

  if (id == NULL || *id == '\0')
    return NULL;
  session = g_hash_table_lookup (sessions->by_id, id);
  if (session == NULL)
    return NULL;
  if (session->expires_us <= now_us)
    {
      g_hash_table_remove (sessions->by_id, id);
      return NULL;
    }
  session->expires_us = now_us + DP_WEBUI_SESSION_IDLE_US;
  return session;
}

void
dp_webui_sessions_remove (DpWebuiSessions *sessions, const char *id)
{
  if (id != NULL)
    g_hash_table_remove (sessions->by_id, id);
}

void
dp_webui_sessions_clear (DpWebuiSessions *sessions)
{
  g_hash_table_remove_all (sessions->by_id);
}

guint
dp_webui_sessions_count (DpWebuiSessions *sessions)
{
  return g_hash_table_size (sessions->by_id);
}

/* Back-off */

typedef struct {
  guint failures;
  gint64 locked_until_us;
} BackoffRecord;

struct _DpWebuiBackoff
{
  GHashTable *by_client;
};

DpWebuiBackoff *
dp_webui_backoff_new (void)
{
  DpWebuiBackoff *backoff = g_new0 (DpWebuiBackoff, 1);

  backoff->by_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return backoff;
}

void
dp_webui_backoff_free (DpWebuiBackoff *backoff)
{
  if (backoff == NULL)
    return;
  g_hash_table_unref (backoff->by_client);
  g_free (backoff);
}

guint
dp_webui_backoff_locked_for_s (DpWebuiBackoff *backoff, const char *client, gint64 now_us)
{
  BackoffRecord *record = g_hash_table_lookup (backoff->by_client, client);

  if (record == NULL || record->locked_until_us <= now_us)
    return 0;
  return (guint) ((record->locked_until_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

void
dp_webui_backoff_failure (DpWebuiBackoff *backoff, const char *client, gint64 now_us)
{
  BackoffRecord *record = g_hash_table_lookup (backoff->by_client, client);

  if (record == NULL)
    {
      /* Bounded memory: when full, forget the records whose lock has run
       * out (their failure counts restart, which costs an attacker more
       * time than it saves). */
      if (g_hash_table_size (backoff->by_client) >= DP_WEBUI_MAX_TRACKED)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, backoff->by_client);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (((BackoffRecord *) value)->locked_until_us <= now_us)
              g_hash_table_iter_remove (&iter);
        }
      record = g_new0 (BackoffRecord, 1);
      g_hash_table_insert (backoff->by_client, g_strdup (client), record);
    }
  record->failures++;
  if (record->failures > DP_WEBUI_FREE_FAILURES)
    {
      guint excess = record->failures - DP_WEBUI_FREE_FAILURES - 1;
      gint64 lock_s = excess >= 9 ? DP_WEBUI_MAX_LOCK_S
                                  : MIN ((gint64) 1 << excess, DP_WEBUI_MAX_LOCK_S);

      record->locked_until_us = now_us + lock_s * G_USEC_PER_SEC;
    }
}

void
dp_webui_backoff_success (DpWebuiBackoff *backoff, const char *client)
{
  g_hash_table_remove (backoff->by_client, client);
}
