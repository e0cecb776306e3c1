/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#if !defined(__DESKPHONE_H_INSIDE__) && !defined(DP_COMPILATION)
#error "Only <deskphone.h> can be included directly."
#endif

#include <gio/gio.h>
#include "dp-param.h"

G_BEGIN_DECLS

/**
 * SECTION:dp-profile
 * @title: DpProfile
 * @short_description: SPA flat-profile XML and plain-text profile parsers
 *
 * A #DpProfile is the list of assignments of one provisioning profile, in
 * document order. Repeated names are all kept: the applier walks the list in
 * order, so the last occurrence wins (spec §1.7.1, §1.7.3).
 *
 * Decisions where the SPA documents are silent or disagree:
 *
 * XML (dp_profile_parse_xml()):
 * - A `<!DOCTYPE>` is rejected (no DTD, no entity declarations, so no
 *   external entities and no entity-expansion bombs); the document is read as
 *   UTF-8 whatever its XML declaration says, and never touches the network.
 * - Only direct children of a `<flat-profile>` element are parameters; a
 *   `<flat-profile>` may sit anywhere, and one nested directly inside another
 *   `<flat-profile>` is a container too, not a parameter.
 * - An element inside a parameter element (`<A>x<b/></A>`) is an error
 *   (%DP_PROFILE_ERROR_MALFORMED): the value would otherwise be guessed.
 * - A document without any `<flat-profile>` element is an error, so that an
 *   HTML error page served instead of a profile is not taken as "no change".
 * - Value text (character data and CDATA, comments skipped) is trimmed of XML
 *   white space (space, TAB, CR, LF) at both ends; every remaining LF or CR
 *   becomes one space; TABs are kept. Values are UTF-8 (deskphone accepts
 *   more than the SPA's ASCII).
 * - `ua` is matched case-insensitively (`na`, `ro`, `rw`); any other value is
 *   an error naming it. Every other attribute is ignored.
 *
 * Plain text, the SPC source format (dp_profile_parse_text()):
 * - `Name [!|?] ["value"] ;` — statements end at `;`, several may share a
 *   line and one may span lines. `!` = user rw, `?` = user ro, no mark =
 *   user na (so every plain-text statement sets the access).
 * - `Name ;` (no value) resets to the factory default (%DP_VALUE_RESET, the
 *   PG data-types note; spec §1.7.3 CONFLICT resolved for plain text only);
 *   `Name "" ;` sets the empty string; `Name ! ;` / `Name ? ;` only change the
 *   access (%DP_VALUE_KEEP).
 * - Names are `[A-Za-z_][A-Za-z0-9_.-]*`, optionally followed by `[n]`
 *   (decimal), mapped to `Name_n_`.
 * - In a quoted value `\"` is a quote and `\\` a backslash; any other
 *   backslash is kept as it is. A value cannot contain a line break: an
 *   unterminated quote is reported at the quote.
 * - `#` starts a comment to the end of the line, outside quotes.
 * - `import FILE` as the first word of a line (between statements) splices
 *   FILE; FILE may be written bare, `"FILE"` or `<FILE>`, and a trailing `;`
 *   or `# comment` is ignored. Relative names resolve against the importing
 *   file's folder (the top level uses @base_dir; with @base_dir %NULL any
 *   import fails). Imports nest up to %DP_PROFILE_MAX_IMPORT_DEPTH deep,
 *   at most %DP_PROFILE_MAX_IMPORTS files per parse, all files together at
 *   most %DP_PROFILE_MAX_SIZE bytes; a file importing itself (directly or
 *   not) is a cycle and fails (%DP_PROFILE_ERROR_IMPORT).
 * - Lines and columns in messages count from 1; columns count bytes.
 *
 * Encryption (dp_profile_decrypt()): OpenSSL `enc` salted AES-256-CBC with
 * PKCS#7 padding. The key and IV come from EVP_BytesToKey with one iteration,
 * MD5 first (openssl 0.9.x / `-md md5`, what the SPA does); if that gives bad
 * padding, or a payload that is neither gzip nor plausible text (UTF-8
 * without control characters other than TAB, CR, LF), SHA-256 (the OpenSSL
 * >= 1.1 default) is tried too. dp_profile_encrypt() always uses MD5.
 */

#define DP_PROFILE_ERROR (dp_profile_error_quark ())

/**
 * DpProfileError:
 * @DP_PROFILE_ERROR_MALFORMED: the document does not parse (message names line/position)
 * @DP_PROFILE_ERROR_DECRYPT: wrong key, bad padding, or not an encrypted profile
 * @DP_PROFILE_ERROR_TRUNCATED: the input ends early (encrypted or gzip data)
 * @DP_PROFILE_ERROR_TOO_LARGE: input (or inflated input) exceeds %DP_PROFILE_MAX_SIZE
 * @DP_PROFILE_ERROR_NEEDS_KEY: the profile is encrypted and no key was given
 * @DP_PROFILE_ERROR_IMPORT: an `import` in a plain-text profile failed
 */
typedef enum {
  DP_PROFILE_ERROR_MALFORMED,
  DP_PROFILE_ERROR_DECRYPT,
  DP_PROFILE_ERROR_TRUNCATED,
  DP_PROFILE_ERROR_TOO_LARGE,
  DP_PROFILE_ERROR_NEEDS_KEY,
  DP_PROFILE_ERROR_IMPORT,
} DpProfileError;

GQuark dp_profile_error_quark (void);

/**
 * DP_PROFILE_MAX_SIZE:
 *
 * Largest profile accepted, before and after inflation (bytes).
 */
#define DP_PROFILE_MAX_SIZE (16 * 1024 * 1024)
/**
 * DP_PROFILE_MAX_IMPORT_DEPTH:
 *
 * Deepest nesting of plain-text `import`s.
 */
#define DP_PROFILE_MAX_IMPORT_DEPTH 8
/**
 * DP_PROFILE_MAX_IMPORTS:
 *
 * Most `import`s followed in one plain-text parse.
 */
#define DP_PROFILE_MAX_IMPORTS 256

/**
 * DpValueOp:
 * @DP_VALUE_KEEP: leave the value as it is (XML `<x/>`, plain text `x ! ;`)
 * @DP_VALUE_SET: set the value
 * @DP_VALUE_RESET: back to the factory default (plain text `x ;`)
 */
typedef enum {
  DP_VALUE_KEEP,
  DP_VALUE_SET,
  DP_VALUE_RESET,
} DpValueOp;

/**
 * DpProfileKdf:
 * @DP_PROFILE_KDF_MD5: EVP_BytesToKey with MD5 (openssl 0.9.x, `-md md5`)
 * @DP_PROFILE_KDF_SHA256: EVP_BytesToKey with SHA-256 (OpenSSL >= 1.1 default)
 *
 * The digest that derives key and IV from the passphrase and the salt.
 */
typedef enum {
  DP_PROFILE_KDF_MD5,
  DP_PROFILE_KDF_SHA256,
} DpProfileKdf;

/**
 * DpAssignment:
 * @name: the parameter name, in XML form (`Proxy_1_`; plain-text `Proxy[1]` is mapped)
 * @op: what to do with the value
 * @value: the new value when @op is %DP_VALUE_SET, else %NULL
 * @has_access: whether the assignment sets the user access
 * @access: the user access, when @has_access
 *
 * One entry of a profile, in document order.
 */
typedef struct {
  char *name;
  DpValueOp op;
  char *value;
  gboolean has_access;
  DpAccess access;
} DpAssignment;

#define DP_TYPE_ASSIGNMENT (dp_assignment_get_type ())
GType               dp_assignment_get_type      (void) G_GNUC_CONST;
DpAssignment       *dp_assignment_copy          (const DpAssignment *assignment);
void                dp_assignment_free          (DpAssignment *assignment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DpAssignment, dp_assignment_free)

#define DP_TYPE_PROFILE (dp_profile_get_type ())
G_DECLARE_FINAL_TYPE (DpProfile, dp_profile, DP, PROFILE, GObject)

DpProfile          *dp_profile_new              (void);
void                dp_profile_add              (DpProfile    *self,
                                                 const char   *name,
                                                 DpValueOp     op,
                                                 const char   *value,
                                                 gboolean      has_access,
                                                 DpAccess      access);
guint               dp_profile_get_n_assignments (DpProfile   *self);
/**
 * dp_profile_get_assignment:
 * @self: a #DpProfile
 * @index: position, from 0
 *
 * Returns: (transfer none): the assignment at @index
 */
const DpAssignment *dp_profile_get_assignment   (DpProfile    *self,
                                                 guint         index);
/**
 * dp_profile_lookup:
 * @self: a #DpProfile
 * @name: a parameter name (XML form, case-sensitive)
 *
 * Returns: (transfer none) (nullable): the last assignment to @name, the one
 *   that wins, or %NULL when the profile does not mention @name
 */
const DpAssignment *dp_profile_lookup           (DpProfile    *self,
                                                 const char   *name);

/* Parsers: pure functions over bytes (fuzz targets call these). */
DpProfile          *dp_profile_parse_xml        (const char   *data,
                                                 gsize         length,
                                                 GError      **error);
DpProfile          *dp_profile_parse_text       (const char   *data,
                                                 gsize         length,
                                                 const char   *base_dir,
                                                 GError      **error);
GBytes             *dp_profile_decrypt          (GBytes       *data,
                                                 const char   *key,
                                                 GError      **error);
GBytes             *dp_profile_decrypt_with_kdf (GBytes       *data,
                                                 const char   *key,
                                                 DpProfileKdf  kdf,
                                                 GError      **error);
GBytes             *dp_profile_encrypt          (GBytes       *data,
                                                 const char   *key,
                                                 GError      **error);
GBytes             *dp_profile_encrypt_with_salt (GBytes      *data,
                                                 const char   *key,
                                                 DpProfileKdf  kdf,
                                                 const guint8 *salt,
                                                 GError      **error);
GBytes             *dp_profile_inflate          (GBytes       *data,
                                                 GError      **error);
gboolean            dp_profile_is_encrypted     (GBytes       *data);
gboolean            dp_profile_is_gzip          (GBytes       *data);

DpProfile          *dp_profile_parse            (GBytes       *data,
                                                 const char   *key,
                                                 const char   *base_dir,
                                                 GError      **error);
DpProfile          *dp_profile_parse_file       (const char   *path,
                                                 const char   *key,
                                                 GError      **error);

G_END_DECLS
