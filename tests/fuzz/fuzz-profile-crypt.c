/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target: encrypted / gzip profiles. The input goes through decrypt,
 * inflate and the full dp_profile_parse() as it is, and is also encrypted
 * and decrypted again, which must give it back byte for byte. */
#include "dp-profile.h"

#include <stdint.h>
#include <string.h>

#define FUZZ_KEY "SecretPhrase1234"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const guint8 salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(GBytes) input = g_bytes_new (data, size);
  g_autoptr(GError) decrypt_error = NULL;
  g_autoptr(GError) inflate_error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) round_error = NULL;
  g_autoptr(GBytes) plain = dp_profile_decrypt (input, FUZZ_KEY, &decrypt_error);
  g_autoptr(GBytes) inflated = dp_profile_inflate (input, &inflate_error);
  g_autoptr(DpProfile) profile = dp_profile_parse (input, FUZZ_KEY, NULL, &parse_error);
  g_autoptr(GBytes) encrypted = NULL;
  g_autoptr(GBytes) decrypted = NULL;

  g_assert ((plain == NULL) == (decrypt_error != NULL));
  g_assert ((inflated == NULL) == (inflate_error != NULL));
  g_assert ((profile == NULL) == (parse_error != NULL));
  g_assert (inflated == NULL || g_bytes_get_size (inflated) <= DP_PROFILE_MAX_SIZE);

  encrypted = dp_profile_encrypt_with_salt (input, FUZZ_KEY, DP_PROFILE_KDF_MD5, salt, &round_error);
  g_assert (encrypted != NULL);
  decrypted = dp_profile_decrypt_with_kdf (encrypted, FUZZ_KEY, DP_PROFILE_KDF_MD5, &round_error);
  g_assert (decrypted != NULL && g_bytes_equal (decrypted, input));
  return 0;
}
