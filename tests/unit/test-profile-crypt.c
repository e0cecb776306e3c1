/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Encrypted and gzip profiles (spec §1.7.1, §1.8): the fixed-salt vector of
 * conformance-vectors.md §4.3 byte for byte, files made at test time by the
 * real `openssl enc` (MD5 and SHA-256 derivations), truncation, wrong keys,
 * zip bombs, and the decrypt-then-inflate order of dp_profile_parse(). */
#include "dp-profile.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define VECTOR_KEY "SecretPhrase1234"
#define VECTOR_PLAIN "<flat-profile>\n<GPP_A>hello</GPP_A>\n</flat-profile>\n"
#define VECTOR_FILE_HEX \
  "53616c7465645f5f0102030405060708" \
  "89ccfcf021f430d4cd891457669424fb6e7c5a2c0f1a3f4620e32cf5c4b34a73" \
  "75d2c6cf110f77ca5b766f55984886fcad8b8f82bd918b84db1f2f814344fe42"

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize length = strlen (hex) / 2;
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) * 16 + g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, length);
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
assert_bytes_equal (GBytes *actual, GBytes *expected)
{
  gsize actual_length, expected_length;
  const guint8 *a = g_bytes_get_data (actual, &actual_length);
  const guint8 *e = g_bytes_get_data (expected, &expected_length);

  g_assert_cmpmem (a, actual_length, e, expected_length);
}

static GBytes *
gzip_bytes (GBytes *plain)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  gsize length;
  const void *data = g_bytes_get_data (plain, &length);

  g_output_stream_write_all (stream, data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static GBytes *
concat (GBytes *a, GBytes *b)
{
  GByteArray *array = g_byte_array_new ();
  gsize length;
  const guint8 *data = g_bytes_get_data (a, &length);

  g_byte_array_append (array, data, (guint) length);
  data = g_bytes_get_data (b, &length);
  g_byte_array_append (array, data, (guint) length);
  return g_byte_array_free_to_bytes (array);
}

static void
test_vector_decrypts (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);
  g_autoptr(GBytes) expected = bytes_from_string (VECTOR_PLAIN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) md5_only = NULL;

  g_assert_true (dp_profile_is_encrypted (file));
  plain = dp_profile_decrypt (file, VECTOR_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, 52);
  assert_bytes_equal (plain, expected);

  md5_only = dp_profile_decrypt_with_kdf (file, VECTOR_KEY, DP_PROFILE_KDF_MD5, &error);
  g_assert_no_error (error);
  assert_bytes_equal (md5_only, expected);
}

static void
test_vector_negative_sha256 (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = dp_profile_decrypt_with_kdf (file, VECTOR_KEY, DP_PROFILE_KDF_SHA256,
                                                         &error);

  /* `openssl enc -d -md sha256` must fail on the MD5 vector. */
  g_assert_null (plain);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT);
}

static void
test_vector_encrypts (void)
{
  static const guint8 salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(GBytes) plain = bytes_from_string (VECTOR_PLAIN);
  g_autoptr(GBytes) expected = bytes_from_hex (VECTOR_FILE_HEX);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = dp_profile_encrypt_with_salt (plain, VECTOR_KEY, DP_PROFILE_KDF_MD5,
                                                         salt, &error);

  g_assert_no_error (error);
  assert_bytes_equal (file, expected);
}

static void
test_vector_profile (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) none = dp_profile_parse (file, NULL, NULL, &error);
  g_autoptr(DpProfile) empty_key = NULL;
  g_autoptr(DpProfile) profile = NULL;

  g_assert_null (none);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_NEEDS_KEY);
  g_clear_error (&error);
  empty_key = dp_profile_parse (file, "", NULL, &error);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_NEEDS_KEY);
  g_clear_error (&error);

  profile = dp_profile_parse (file, VECTOR_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dp_profile_get_n_assignments (profile), ==, 1);
  g_assert_cmpstr (dp_profile_lookup (profile, "GPP_A")->value, ==, "hello");
}

static void
test_wrong_key (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);

  /* Several wrong keys: any that happens to give valid padding must still
   * be caught by the plausibility check. */
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("wrong-key-%d", i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) plain = dp_profile_decrypt (file, key, &error);

      g_assert_null (plain);
      g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT);
      g_assert_cmpstr (error->message, ==, "wrong key or corrupt data");
    }
}

static void
test_truncated_and_not_encrypted (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);
  gsize length;
  const guint8 *data = g_bytes_get_data (file, &length);
  static const gsize cuts[] = { 8, 16, 31, 40, 79 };

  for (gsize i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (data, cuts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) plain = dp_profile_decrypt (cut, VECTOR_KEY, &error);

      g_assert_null (plain);
      g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TRUNCATED);
    }

  {
    g_autoptr(GBytes) text = bytes_from_string ("<flat-profile/>  not encrypted, long enough ...");
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) plain = dp_profile_decrypt (text, VECTOR_KEY, &error);

    g_assert_false (dp_profile_is_encrypted (text));
    g_assert_null (plain);
    g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT);
  }
  {
    /* A whole block dropped from the end: the padding is gone. */
    g_autoptr(GBytes) shorter = g_bytes_new (data, length - 16);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) plain = dp_profile_decrypt (shorter, VECTOR_KEY, &error);

    g_assert_null (plain);
    g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_DECRYPT);
  }
}

static void
test_round_trip_random_salt (void)
{
  static const char *plains[] = { "", "x", "0123456789abcdef", VECTOR_PLAIN };

  for (gsize i = 0; i < G_N_ELEMENTS (plains); i++)
    {
      g_autoptr(GBytes) plain = bytes_from_string (plains[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) one = dp_profile_encrypt (plain, "k", &error);
      g_autoptr(GBytes) two = dp_profile_encrypt (plain, "k", &error);
      g_autoptr(GBytes) back = NULL;

      g_assert_no_error (error);
      /* PKCS#7 always adds 1..16 bytes. */
      g_assert_cmpuint (g_bytes_get_size (one), ==, 16 + (strlen (plains[i]) / 16 + 1) * 16);
      g_assert_false (g_bytes_equal (one, two));
      back = dp_profile_decrypt (one, "k", &error);
      g_assert_no_error (error);
      assert_bytes_equal (back, plain);
    }
}

/* --- the real openssl CLI as a peer --- */

typedef struct {
  char *dir;
  char *openssl;
} OpensslFixture;

static void
openssl_setup (OpensslFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->openssl = g_find_program_in_path ("openssl");
  fixture->dir = g_dir_make_tmp ("dp-profile-crypt-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
openssl_teardown (OpensslFixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, entry, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->openssl);
}

static void
run_openssl (OpensslFixture *fixture, gboolean decrypt, const char *md, const char *key,
             GBytes *input, GBytes **output)
{
  g_autofree char *in = g_build_filename (fixture->dir, "in", NULL);
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *out_data = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  int status = 0;
  const char *argv[] = { fixture->openssl, "enc", decrypt ? "-d" : "-e", "-aes-256-cbc",
                         "-md", md, "-k", key, "-in", in, "-out", out, NULL };
  const char *data = g_bytes_get_data (input, &length);

  g_file_set_contents (in, data, (gssize) length, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl failed: %s", err);
  g_file_get_contents (out, &out_data, &length, &error);
  g_assert_no_error (error);
  *output = g_bytes_new_take (g_steal_pointer (&out_data), length);
}

static void
test_openssl_md5_and_sha256 (OpensslFixture *fixture, gconstpointer data)
{
  static const char *mds[] = { "md5", "sha256" };
  g_autoptr(GBytes) plain = bytes_from_string ("# plain text\nGPP_B ! \"from openssl\";\n");

  if (fixture->openssl == NULL)
    {
      g_test_skip ("openssl CLI not installed");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (mds); i++)
    {
      g_autoptr(GBytes) file = NULL;
      g_autoptr(GBytes) back = NULL;
      g_autoptr(GError) error = NULL;

      run_openssl (fixture, FALSE, mds[i], "Another Secret", plain, &file);
      g_assert_true (dp_profile_is_encrypted (file));
      back = dp_profile_decrypt (file, "Another Secret", &error);
      g_assert_no_error (error);
      assert_bytes_equal (back, plain);
    }
}

static void
test_openssl_reads_ours (OpensslFixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) plain = bytes_from_string ("report: 42 parameters applied\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ours = NULL;
  g_autoptr(GBytes) ours_sha = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) back_sha = NULL;

  if (fixture->openssl == NULL)
    {
      g_test_skip ("openssl CLI not installed");
      return;
    }
  ours = dp_profile_encrypt (plain, "phone key", &error);
  g_assert_no_error (error);
  run_openssl (fixture, TRUE, "md5", "phone key", ours, &back);
  assert_bytes_equal (back, plain);

  ours_sha = dp_profile_encrypt_with_salt (plain, "phone key", DP_PROFILE_KDF_SHA256, NULL, &error);
  g_assert_no_error (error);
  run_openssl (fixture, TRUE, "sha256", "phone key", ours_sha, &back_sha);
  assert_bytes_equal (back_sha, plain);
}

static void
test_openssl_gzip_then_encrypt (OpensslFixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) xml = bytes_from_string ("<flat-profile>\n<Resync_Periodic> 3600 </Resync_Periodic>"
                                             "\n<Dial_Plan_1_ ua=\"rw\"/>\n</flat-profile>\n");
  g_autoptr(GBytes) compressed = gzip_bytes (xml);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DpProfile) profile = NULL;

  if (fixture->openssl == NULL)
    {
      g_test_skip ("openssl CLI not installed");
      return;
    }
  /* The documented order: gzip first, then encrypt. */
  run_openssl (fixture, FALSE, "md5", VECTOR_KEY, compressed, &file);
  profile = dp_profile_parse (file, VECTOR_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dp_profile_get_n_assignments (profile), ==, 2);
  g_assert_cmpstr (dp_profile_lookup (profile, "Resync_Periodic")->value, ==, "3600");
  g_assert_cmpint (dp_profile_lookup (profile, "Dial_Plan_1_")->access, ==, DP_ACCESS_RW);
}

/* --- gzip --- */

static void
test_inflate (void)
{
  g_autoptr(GBytes) text = bytes_from_string ("Resync_Periodic \"7200\";\n");
  g_autoptr(GBytes) compressed = gzip_bytes (text);
  g_autoptr(GBytes) twice = concat (compressed, compressed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) plain_twice = NULL;
  g_autoptr(GBytes) expected_twice = concat (text, text);
  g_autoptr(DpProfile) profile = NULL;

  g_assert_true (dp_profile_is_gzip (compressed));
  plain = dp_profile_inflate (compressed, &error);
  g_assert_no_error (error);
  assert_bytes_equal (plain, text);

  /* Members back to back, as `cat a.gz b.gz` makes them. */
  plain_twice = dp_profile_inflate (twice, &error);
  g_assert_no_error (error);
  assert_bytes_equal (plain_twice, expected_twice);

  profile = dp_profile_parse (compressed, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (profile, "Resync_Periodic")->value, ==, "7200");
}

static void
test_inflate_bad (void)
{
  g_autoptr(GBytes) text = bytes_from_string ("<flat-profile><GPP_A>x</GPP_A></flat-profile>");
  g_autoptr(GBytes) compressed = gzip_bytes (text);
  gsize length;
  const guint8 *data = g_bytes_get_data (compressed, &length);
  g_autoptr(GBytes) garbage = bytes_from_string ("junk");
  g_autoptr(GBytes) trailing = concat (compressed, garbage);
  g_autoptr(GBytes) magic_only = g_bytes_new (data, 2);
  g_autoptr(GError) error = NULL;
  guint8 *corrupt = g_memdup2 (data, length);
  g_autoptr(GBytes) corrupt_bytes = NULL;

  for (gsize cut = 2; cut < length; cut += 5)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GBytes) plain = dp_profile_inflate (part, &error);

      g_assert_null (plain);
      g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TRUNCATED);
      g_clear_error (&error);
    }
  g_assert_null (dp_profile_inflate (magic_only, &error));
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TRUNCATED);
  g_clear_error (&error);

  g_assert_null (dp_profile_inflate (trailing, &error));
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "offset"));
  g_clear_error (&error);

  /* Flip the stored CRC-32: the data no longer checks. */
  corrupt[length - 8] ^= 0xff;
  corrupt_bytes = g_bytes_new_take (corrupt, length);
  g_assert_null (dp_profile_inflate (corrupt_bytes, &error));
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED);
}

static void
test_zip_bomb (void)
{
  gsize size = DP_PROFILE_MAX_SIZE + 1;
  g_autoptr(GBytes) zeros = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr(GBytes) exact = g_bytes_new_from_bytes (zeros, 0, DP_PROFILE_MAX_SIZE);
  g_autoptr(GBytes) bomb = gzip_bytes (zeros);
  g_autoptr(GBytes) at_limit = gzip_bytes (exact);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(DpProfile) profile = NULL;

  g_assert_cmpuint (g_bytes_get_size (bomb), <, 64 * 1024);
  g_assert_null (dp_profile_inflate (bomb, &error));
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  profile = dp_profile_parse (bomb, NULL, NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  plain = dp_profile_inflate (at_limit, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, DP_PROFILE_MAX_SIZE);
}

static void
test_encrypted_gzip_text_profile (void)
{
  g_autoptr(GBytes) text = bytes_from_string ("Proxy[1] ! \"sip.example.net\";\nGPP_C ;\n");
  g_autoptr(GBytes) compressed = gzip_bytes (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = dp_profile_encrypt (compressed, "k3y", &error);
  g_autoptr(GBytes) inner = NULL;
  g_autoptr(DpProfile) profile = NULL;
  const DpAssignment *reset;

  g_assert_no_error (error);
  /* decrypt() alone does not inflate. */
  inner = dp_profile_decrypt (file, "k3y", &error);
  g_assert_no_error (error);
  g_assert_true (dp_profile_is_gzip (inner));

  profile = dp_profile_parse (file, "k3y", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (profile, "Proxy_1_")->value, ==, "sip.example.net");
  reset = dp_profile_lookup (profile, "GPP_C");
  g_assert_cmpint (reset->op, ==, DP_VALUE_RESET);
}

static void
test_parse_file_encrypted (void)
{
  g_autoptr(GBytes) file = bytes_from_hex (VECTOR_FILE_HEX);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DpProfile) profile = NULL;
  int fd = g_file_open_tmp ("dp-profile-XXXXXX.cfg", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_file_set_contents (path, g_bytes_get_data (file, NULL), (gssize) g_bytes_get_size (file), &error);
  g_assert_no_error (error);
  profile = dp_profile_parse_file (path, VECTOR_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dp_profile_lookup (profile, "GPP_A")->value, ==, "hello");
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile-crypt/vector-decrypt", test_vector_decrypts);
  g_test_add_func ("/profile-crypt/vector-negative-sha256", test_vector_negative_sha256);
  g_test_add_func ("/profile-crypt/vector-encrypt", test_vector_encrypts);
  g_test_add_func ("/profile-crypt/vector-profile", test_vector_profile);
  g_test_add_func ("/profile-crypt/wrong-key", test_wrong_key);
  g_test_add_func ("/profile-crypt/truncated", test_truncated_and_not_encrypted);
  g_test_add_func ("/profile-crypt/round-trip", test_round_trip_random_salt);
  g_test_add ("/profile-crypt/openssl-md5-sha256", OpensslFixture, NULL, openssl_setup,
              test_openssl_md5_and_sha256, openssl_teardown);
  g_test_add ("/profile-crypt/openssl-reads-ours", OpensslFixture, NULL, openssl_setup,
              test_openssl_reads_ours, openssl_teardown);
  g_test_add ("/profile-crypt/openssl-gzip", OpensslFixture, NULL, openssl_setup,
              test_openssl_gzip_then_encrypt, openssl_teardown);
  g_test_add_func ("/profile-crypt/inflate", test_inflate);
  g_test_add_func ("/profile-crypt/inflate-bad", test_inflate_bad);
  g_test_add_func ("/profile-crypt/zip-bomb", test_zip_bomb);
  g_test_add_func ("/profile-crypt/encrypted-gzip-text", test_encrypted_gzip_text_profile);
  g_test_add_func ("/profile-crypt/parse-file-encrypted", test_parse_file_encrypted);

  return g_test_run ();
}
