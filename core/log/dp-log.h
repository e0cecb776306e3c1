/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-log
 * @title: Logging
 *
 * deskphone logs through GLib structured logging; every plugin uses its own
 * log domain (`dp-sip`, `dp-media`, `dp-provisioning` ...). The daemon creates
 * one #DpLogger, installs it with dp_logger_install() and feeds it the SPA
 * parameters `Debug_Level`, `Syslog_Server`, `Debug_Server` and the values of
 * every secret parameter.
 *
 * ## Which messages are emitted (`Debug_Level`)
 *
 * | Debug_Level | emitted |
 * |---|---|
 * | 0 (SPA default) | error, critical, warning, message (notable events such as resync logs) |
 * | 1 | + info |
 * | 2 | + debug of the SIP domains (`dp-sip` and every domain starting with `dp-sip`) |
 * | 3 | + all debug |
 *
 * Values above 3 are treated as 3. Levels GLib does not name (user-defined
 * bits) count as debug.
 *
 * ## Where they go
 *
 * - stderr: every emitted message. With dp_logger_set_verbose() (daemon
 *   `--verbose`) *every* message goes to stderr whatever the Debug_Level;
 *   the network destinations still follow Debug_Level. When stderr is
 *   connected to journald the line is `<N>domain: message` (N = syslog
 *   severity, which journald parses); otherwise
 *   `HH:MM:SS.mmm LEVEL domain: message`.
 * - `Syslog_Server`: every emitted message except debug ones.
 * - `Debug_Server`: every emitted message, debug included. The SPA sends its
 *   syslog messages to the debug server too when both are set; so does
 *   deskphone. With only `Syslog_Server` set, debug output (SIP traces) is not
 *   sent over the network: set `Debug_Server` as the SPA documentation says.
 *   When both name the same host and port a message is sent once.
 *
 * ## Wire format (RFC 5424 over UDP, RFC 5426)
 *
 * One UDP datagram per message:
 * `<PRI>1 TIMESTAMP HOSTNAME deskphone PROCID MSGID - BOM MSG`
 *
 * - facility local0 (16), chosen so administrators can route the phone's log
 *   apart from the host's own user-facility traffic; PRI = 16 * 8 + severity;
 * - severity as GLib's own journald writer maps levels: error 3, critical 4,
 *   warning 4, message 5, info 6, debug 7;
 * - TIMESTAMP in UTC with microseconds (`2025-01-31T12:00:00.123456Z`);
 * - HOSTNAME from dp_logger_set_hostname() (the daemon passes the SPA
 *   `Host_Name`), else the system host name; characters outside printable
 *   US-ASCII become `_`;
 * - MSGID is the log domain (at most 32 characters, `-` when there is none);
 * - no structured data (`-`); MSG is UTF-8 (invalid bytes become U+FFFD)
 *   preceded by the byte order mark RFC 5424 §6.4 requires for UTF-8 text.
 * - A datagram is at most %DP_LOG_MAX_DATAGRAM bytes (2048, what RFC 5426
 *   says every receiver SHOULD accept): longer messages are cut on a UTF-8
 *   character boundary. 2048 rather than the legacy 1024 so most SIP messages
 *   logged at Debug_Level 2 arrive whole.
 *
 * ## Server addresses and name resolution
 *
 * `host[:port]`, `[ipv6]:port` or a bare IPv6 literal; the port defaults to
 * 514. Numeric addresses and `localhost` (taken as 127.0.0.1) are used at
 * once, without any lookup. Other names are resolved with the default
 * #GResolver asynchronously on the thread-default main context of the
 * caller, so nothing ever blocks on DNS. Until the lookup finishes, up to
 * %DP_LOG_MAX_PENDING datagrams per server are queued (later ones are dropped
 * and counted) and sent when the address is known; if the lookup fails they
 * are dropped and a warning is logged. Names are resolved once, when the
 * server is set; setting the same value again keeps the result (or the
 * running lookup) and only retries a name whose lookup failed.
 *
 * Sending never blocks: the sockets are non-blocking UDP and an unreachable
 * or silent server only costs the failed send (counted in the dropped
 * counter, see dp_logger_get_counters()).
 *
 * ## Secrets are never logged
 *
 * Before a message goes anywhere (stderr included) dp_log_scrub() replaces
 * with `****`:
 * - every occurrence of a value registered with dp_logger_add_secret()
 *   (values shorter than %DP_LOG_MIN_SECRET_LENGTH bytes are ignored: masking
 *   two-letter strings would garble every message, and the patterns below
 *   still catch them where they appear as a value);
 * - the value of `Authorization:`, `Proxy-Authorization:`, `Cookie:` and
 *   `Set-Cookie:` headers, up to the end of the line (digest responses allow
 *   offline password guessing);
 * - SDES keys: the text after `inline:` up to `|`, `;` or white space;
 * - the argument of a profile-rule `--key` option;
 * - the password of a URL user-info part (`scheme://user:****@host`);
 * - the value of any `NAME=value`, `NAME: value`, `"NAME": "value"` pair and
 *   the content of any `<NAME ...>value</NAME>` element whose NAME contains
 *   (any case) `passw`, `pwd`, `secret`, `passphrase` or `token`, e.g.
 *   `User_Password`, `Admin_Passwd`, `password=`. Quoted values are masked
 *   up to the closing quote; unquoted ones up to white space or one of
 *   `&;,"'<>()[]{}`.
 * Escaped forms of a secret (URL-encoded, XML entities) are not recognised.
 *
 * ## Threads
 *
 * The writer may be called from any thread (GStreamer streaming threads log
 * too). The setters must be called from the thread whose main context should
 * run name lookups, normally the main thread.
 */

#define DP_LOG_DEFAULT_PORT 514
#define DP_LOG_FACILITY 16
#define DP_LOG_MAX_DATAGRAM 2048
#define DP_LOG_MAX_PENDING 64
#define DP_LOG_MIN_SECRET_LENGTH 4
#define DP_LOG_MAX_DEBUG_LEVEL 3
#define DP_LOG_APP_NAME "deskphone"

#define DP_LOG_ERROR (dp_log_error_quark ())

/**
 * DpLogError:
 * @DP_LOG_ERROR_INVALID_SERVER: a server address is malformed
 *
 * Errors of the logging component.
 */
typedef enum {
  DP_LOG_ERROR_INVALID_SERVER,
} DpLogError;

GQuark    dp_log_error_quark         (void);

/**
 * dp_log_parse_server:
 * @text: a `Syslog_Server` / `Debug_Server` value
 * @host: (out) (optional) (transfer full) (nullable): the host, %NULL when
 *   @text is empty (logging to that server is off)
 * @port: (out) (optional): the port (%DP_LOG_DEFAULT_PORT when not given)
 * @error: names the 1-based character position and the problem
 *
 * Parses `host[:port]`, `[ipv6]:port` or a bare IPv6 literal. Surrounding
 * white space is ignored; an empty or blank value means "off".
 *
 * Returns: %TRUE if @text is valid
 */
gboolean  dp_log_parse_server        (const char  *text,
                                      char       **host,
                                      guint16     *port,
                                      GError     **error);

/**
 * dp_log_check_server:
 * @value: a candidate value
 * @error: names the position of the fault
 *
 * A #DpSyntaxCheckFunc for `Syslog_Server` and `Debug_Server`.
 *
 * Returns: %TRUE if @value is valid
 */
gboolean  dp_log_check_server        (const char  *value,
                                      GError     **error);

/**
 * dp_log_level_enabled:
 * @debug_level: the `Debug_Level` (0..3, larger values count as 3)
 * @level: a GLib log level (only the lowest set level bit counts)
 * @domain: (nullable): the log domain
 *
 * The Debug_Level filter described in the section documentation.
 *
 * Returns: %TRUE if a message of @level in @domain is emitted
 */
gboolean  dp_log_level_enabled       (guint           debug_level,
                                      GLogLevelFlags  level,
                                      const char     *domain);

/**
 * dp_log_level_to_severity:
 * @level: a GLib log level
 *
 * Returns: the syslog severity (0..7) for @level
 */
guint     dp_log_level_to_severity   (GLogLevelFlags  level);

/**
 * dp_log_scrub:
 * @message: a message (any bytes, NUL-terminated)
 * @secrets: (nullable) (array zero-terminated=1): secret values to mask
 *
 * Masks secrets as the section documentation lists.
 *
 * Returns: (transfer full): the scrubbed message
 */
char     *dp_log_scrub               (const char          *message,
                                      const char * const  *secrets);

/**
 * dp_log_format_rfc5424:
 * @level: the GLib log level
 * @domain: (nullable): the log domain (becomes MSGID)
 * @message: the (already scrubbed) message, any bytes
 * @time_us: wall-clock time in microseconds since the epoch
 * @hostname: (nullable): HOSTNAME, %NULL or "" for `-`
 * @procid: the process id
 * @max_bytes: the largest datagram to produce (at least 480)
 *
 * Builds one RFC 5424 datagram, cut to @max_bytes on a character boundary.
 *
 * Returns: (transfer full): the datagram
 */
GBytes   *dp_log_format_rfc5424      (GLogLevelFlags  level,
                                      const char     *domain,
                                      const char     *message,
                                      gint64          time_us,
                                      const char     *hostname,
                                      guint           procid,
                                      gsize           max_bytes);

#define DP_TYPE_LOGGER (dp_logger_get_type ())
G_DECLARE_FINAL_TYPE (DpLogger, dp_logger, DP, LOGGER, GObject)

DpLogger   *dp_logger_new                (void);

/**
 * dp_logger_install:
 * @self: a #DpLogger
 *
 * Makes @self the process-wide GLib log writer (g_log_set_writer_func()),
 * keeping a reference. GLib allows this once per process.
 */
void        dp_logger_install            (DpLogger        *self);

/**
 * dp_logger_writer_func:
 * @log_level: the level
 * @fields: (array length=n_fields): the fields
 * @n_fields: number of @fields
 * @user_data: a #DpLogger
 *
 * The #GLogWriterFunc dp_logger_install() installs; callable directly, e.g.
 * to forward to a logger from another writer.
 *
 * Returns: %G_LOG_WRITER_HANDLED
 */
GLogWriterOutput dp_logger_writer_func   (GLogLevelFlags   log_level,
                                          const GLogField *fields,
                                          gsize            n_fields,
                                          gpointer         user_data);

void        dp_logger_set_debug_level    (DpLogger        *self,
                                          guint            level);
guint       dp_logger_get_debug_level    (DpLogger        *self);

/**
 * dp_logger_set_syslog_server:
 * @self: a #DpLogger
 * @server: (nullable): `host[:port]`, or %NULL / "" to stop sending
 * @error: set when @server is malformed
 *
 * On error the previous server stays in use.
 *
 * Returns: %TRUE on success
 */
gboolean    dp_logger_set_syslog_server  (DpLogger        *self,
                                          const char      *server,
                                          GError         **error);
const char *dp_logger_get_syslog_server  (DpLogger        *self);

/**
 * dp_logger_set_debug_server:
 * @self: a #DpLogger
 * @server: (nullable): `host[:port]`, or %NULL / "" to stop sending
 * @error: set when @server is malformed
 *
 * Like dp_logger_set_syslog_server() for `Debug_Server`.
 *
 * Returns: %TRUE on success
 */
gboolean    dp_logger_set_debug_server   (DpLogger        *self,
                                          const char      *server,
                                          GError         **error);
const char *dp_logger_get_debug_server   (DpLogger        *self);

void        dp_logger_set_verbose        (DpLogger        *self,
                                          gboolean         verbose);
gboolean    dp_logger_get_verbose        (DpLogger        *self);

/**
 * dp_logger_set_hostname:
 * @self: a #DpLogger
 * @hostname: (nullable): the RFC 5424 HOSTNAME; %NULL or "" for the system
 *   host name
 */
void        dp_logger_set_hostname       (DpLogger        *self,
                                          const char      *hostname);

/**
 * dp_logger_add_secret:
 * @self: a #DpLogger
 * @value: (nullable): a secret value; ignored when shorter than
 *   %DP_LOG_MIN_SECRET_LENGTH bytes
 *
 * From now on every occurrence of @value in a message is masked.
 */
void        dp_logger_add_secret         (DpLogger        *self,
                                          const char      *value);
void        dp_logger_clear_secrets      (DpLogger        *self);

/**
 * dp_logger_would_log:
 * @self: a #DpLogger
 * @level: a log level
 * @domain: (nullable): a log domain
 *
 * Lets a caller skip building an expensive message (a SIP trace) nobody
 * will see.
 *
 * Returns: %TRUE if a message of @level in @domain goes anywhere
 */
gboolean    dp_logger_would_log          (DpLogger        *self,
                                          GLogLevelFlags   level,
                                          const char      *domain);

/**
 * dp_logger_get_counters:
 * @self: a #DpLogger
 * @sent: (out) (optional): datagrams sent
 * @dropped: (out) (optional): datagrams not sent (send failure, pending
 *   queue full, name lookup failed)
 */
void        dp_logger_get_counters       (DpLogger        *self,
                                          guint64         *sent,
                                          guint64         *dropped);

G_END_DECLS
