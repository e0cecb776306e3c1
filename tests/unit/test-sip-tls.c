/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sip plugin's TLS files (dp-sip-tls.c, compiled in: GIO and GnuTLS
 * only): SIP_TLS_CA as PEM text or file, refused values, the generated
 * agent.pem, and the wording of certificate problems. */
#include "../../plugins/sip/dp-sip-tls.c"

#include <sys/stat.h>

typedef struct {
  char *state_dir;
  char *ca_pem;
} Fixture;

/* A self-signed certificate made with GnuTLS stands in for a CA. */
static char *
make_certificate_pem (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = generate_agent_pem (&error);
  const char *begin;

  g_assert_no_error (error);
  begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  g_assert_nonnull (begin);
  return g_strdup (begin);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->state_dir = g_dir_make_tmp ("dp-sip-tls-XXXXXX", &error);
  g_assert_no_error (error);
  f->ca_pem = make_certificate_pem ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  /* Everything a test may leave, files before their folder. */
  static const char * const left[] = {
    TLS_DIR "/agent.pem", TLS_DIR "/cafile.pem", TLS_DIR, "pbx-ca.pem", "not-a-ca.pem",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (left); i++)
    {
      g_autofree char *path = g_build_filename (f->state_dir, left[i], NULL);

      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (f->state_dir), ==, 0);
  g_free (f->state_dir);
  g_free (f->ca_pem);
}

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_pem_text (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = dp_sip_tls_prepare (f->state_dir, f->ca_pem, &error);
  g_autofree char *cafile = NULL;

  g_assert_no_error (error);
  cafile = read_file (dir, "cafile.pem");
  g_assert_cmpstr (cafile, ==, f->ca_pem);
}

static void
test_pem_text_without_line_breaks (Fixture *f, gconstpointer data)
{
  /* What a web form or a profile may make of it: one line. */
  g_autofree char *flat = g_strdup (f->ca_pem);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cafile = NULL;

  for (char *p = flat; *p != '\0'; p++)
    if (*p == '\n')
      *p = ' ';
  dir = dp_sip_tls_prepare (f->state_dir, flat, &error);
  g_assert_no_error (error);
  cafile = read_file (dir, "cafile.pem");
  g_assert_cmpstr (cafile, ==, f->ca_pem);
}

static void
test_file_relative_to_state_dir (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->state_dir, "pbx-ca.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cafile = NULL;

  g_assert_true (g_file_set_contents (path, f->ca_pem, -1, NULL));
  dir = dp_sip_tls_prepare (f->state_dir, "pbx-ca.pem", &error);
  g_assert_no_error (error);
  cafile = read_file (dir, "cafile.pem");
  g_assert_cmpstr (cafile, ==, f->ca_pem);
  /* The absolute name works as well. */
  g_clear_pointer (&dir, g_free);
  dir = dp_sip_tls_prepare (f->state_dir, path, &error);
  g_assert_no_error (error);
}

static void
test_refused_values (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->state_dir, "not-a-ca.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tls_dir = g_build_filename (f->state_dir, TLS_DIR, NULL);

  dir = dp_sip_tls_prepare (f->state_dir, "missing.pem", &error);
  g_assert_null (dir);
  g_assert_nonnull (strstr (error->message, "SIP_TLS_CA"));
  g_assert_nonnull (strstr (error->message, "missing.pem"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "hello\n", -1, NULL));
  dir = dp_sip_tls_prepare (f->state_dir, "not-a-ca.pem", &error);
  g_assert_null (dir);
  g_assert_nonnull (strstr (error->message, "no PEM certificate"));
  g_clear_error (&error);

  dir = dp_sip_tls_prepare (f->state_dir, "-----BEGIN CERTIFICATE-----\nbroken\n"
                            "-----END CERTIFICATE-----\n", &error);
  g_assert_null (dir);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* Nothing was written for a refused value. */
  g_assert_false (g_file_test (tls_dir, G_FILE_TEST_EXISTS));
}

static void
test_agent_generated_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = dp_sip_tls_prepare (f->state_dir, f->ca_pem, &error);
  g_autofree char *agent_path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *again = NULL;
  struct stat st;

  g_assert_no_error (error);
  agent_path = g_build_filename (dir, "agent.pem", NULL);
  first = read_file (dir, "agent.pem");
  g_assert_nonnull (strstr (first, "PRIVATE KEY-----"));
  g_assert_nonnull (strstr (first, "-----BEGIN CERTIFICATE-----"));
  g_assert_cmpint (g_stat (agent_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  again = dp_sip_tls_prepare (f->state_dir, f->ca_pem, &error);
  g_assert_no_error (error);
  second = read_file (dir, "agent.pem");
  g_assert_cmpstr (first, ==, second);
}

static void
test_describe_flags (void)
{
  g_autofree char *unknown = dp_sip_tls_describe_flags (G_TLS_CERTIFICATE_UNKNOWN_CA, "h");
  g_autofree char *both = dp_sip_tls_describe_flags (G_TLS_CERTIFICATE_UNKNOWN_CA |
                                                     G_TLS_CERTIFICATE_BAD_IDENTITY,
                                                     "pbx.example.org");
  g_autofree char *expired = dp_sip_tls_describe_flags (G_TLS_CERTIFICATE_EXPIRED, "h");
  g_autofree char *none = dp_sip_tls_describe_flags (0, "h");

  g_assert_cmpstr (unknown, ==, "certificate not trusted (unknown CA)");
  g_assert_cmpstr (both, ==, "certificate not trusted (unknown CA), "
                             "certificate is not for pbx.example.org");
  g_assert_cmpstr (expired, ==, "certificate expired");
  g_assert_cmpstr (none, ==, "certificate not accepted");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sip/tls/pem-text", Fixture, NULL, fixture_set_up, test_pem_text,
              fixture_tear_down);
  g_test_add ("/sip/tls/pem-text-without-line-breaks", Fixture, NULL, fixture_set_up,
              test_pem_text_without_line_breaks, fixture_tear_down);
  g_test_add ("/sip/tls/file", Fixture, NULL, fixture_set_up, test_file_relative_to_state_dir,
              fixture_tear_down);
  g_test_add ("/sip/tls/refused", Fixture, NULL, fixture_set_up, test_refused_values,
              fixture_tear_down);
  g_test_add ("/sip/tls/agent", Fixture, NULL, fixture_set_up, test_agent_generated_once,
              fixture_tear_down);
  g_test_add_func ("/sip/tls/describe-flags", test_describe_flags);
  return g_test_run ();
}
