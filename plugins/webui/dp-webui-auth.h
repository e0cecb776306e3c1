/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Web UI authentication primitives: PBKDF2 password hashes, random tokens,
 * constant-time comparison, sessions with CSRF tokens and the login back-off.
 * Everything here is pure (the clock is passed in) so the unit tests can
 * drive it without a server.
 *
 * Password storage: `Admin_Passwd` / `User_Password` keep the SPA plain
 * value only until the plugin sees it; then the parameter value itself is
 * replaced by `$pbkdf2-sha256$ITERATIONS$SALT$HASH` (SALT and HASH in
 * standard base64, SALT 16 random bytes, HASH 32 bytes). A profile
 * that sets a plain password therefore still works, the state file ends up
 * holding only the hash, and a value that already has the prefix is taken as
 * a hash (so an exported-and-reimported hash stays valid).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DP_WEBUI_HASH_PREFIX "$pbkdf2-sha256$"
#define DP_WEBUI_PBKDF2_ITERATIONS 100000
#define DP_WEBUI_PBKDF2_MIN_ITERATIONS 1000
#define DP_WEBUI_PBKDF2_MAX_ITERATIONS 10000000

gboolean  dp_webui_pbkdf2_sha256    (const char   *password,
                                     const guint8 *salt,
                                     gsize         salt_len,
                                     guint         iterations,
                                     guint8       *out,
                                     gsize         out_len,
                                     GError      **error);
char     *dp_webui_hash_password    (const char   *password,
                                     guint         iterations,
                                     GError      **error);
gboolean  dp_webui_is_password_hash (const char   *value);
gboolean  dp_webui_verify_password  (const char   *stored,
                                     const char   *password);
gboolean  dp_webui_const_equal      (const char   *a,
                                     const char   *b);
char     *dp_webui_random_token     (gsize         n_bytes);

typedef enum {
  DP_WEBUI_ROLE_USER,
  DP_WEBUI_ROLE_ADMIN,
} DpWebuiRole;

typedef struct {
  char *id;
  char *csrf;
  DpWebuiRole role;
  gint64 expires_us;
} DpWebuiSession;

/* Idle lifetime of a session; each authenticated request renews it. */
#define DP_WEBUI_SESSION_IDLE_US (G_GINT64_CONSTANT (30) * 60 * G_USEC_PER_SEC)
#define DP_WEBUI_MAX_SESSIONS 32

typedef struct _DpWebuiSessions DpWebuiSessions;

DpWebuiSessions      *dp_webui_sessions_new     (void);
void                  dp_webui_sessions_free    (DpWebuiSessions *sessions);
const DpWebuiSession *dp_webui_sessions_create  (DpWebuiSessions *sessions,
                                                 DpWebuiRole      role,
                                                 gint64           now_us);
const DpWebuiSession *dp_webui_sessions_lookup  (DpWebuiSessions *sessions,
                                                 const char      *id,
                                                 gint64           now_us);
void                  dp_webui_sessions_remove  (DpWebuiSessions *sessions,
                                                 const char      *id);
void                  dp_webui_sessions_clear   (DpWebuiSessions *sessions);
guint                 dp_webui_sessions_count   (DpWebuiSessions *sessions);

/* Login back-off, per client address: DP_WEBUI_FREE_FAILURES wrong
 * passwords cost nothing, each further one locks the address out for twice
 * as long as the previous (1 s, 2 s, 4 s ... capped at 300 s). While locked,
 * even the right password is refused, so guessing gains nothing by going
 * faster. A success clears the record. */
#define DP_WEBUI_FREE_FAILURES 3
#define DP_WEBUI_MAX_LOCK_S 300
#define DP_WEBUI_MAX_TRACKED 1024

typedef struct _DpWebuiBackoff DpWebuiBackoff;

DpWebuiBackoff *dp_webui_backoff_new          (void);
void            dp_webui_backoff_free         (DpWebuiBackoff *backoff);
guint           dp_webui_backoff_locked_for_s (DpWebuiBackoff *backoff,
                                               const char     *client,
                                               gint64          now_us);
void            dp_webui_backoff_failure      (DpWebuiBackoff *backoff,
                                               const char     *client,
                                               gint64          now_us);
void            dp_webui_backoff_success      (DpWebuiBackoff *backoff,
                                               const char     *client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpWebuiSessions, dp_webui_sessions_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpWebuiBackoff, dp_webui_backoff_free)

G_END_DECLS
