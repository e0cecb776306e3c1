/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Bench: the deterministic configuration paths, for wall time and for
 * callgrind instruction counts (run-bench.py runs it under valgrind with
 * --rounds 1). For each round:
 *   - core: dp_core_new() (every core parameter registered, the factory
 *     state) in a fresh state folder;
 *   - parse: dp_profile_parse() of a profile file (default: the SPA962
 *     5.1.15 dump from the shared corpora, about 86 KB);
 *   - apply: dp_config_apply() of that profile, which validates it and
 *     writes config.xml atomically (temporary file, fsync, rename, fsync
 *     of the folder) before anything changes in memory.
 * Prints the medians and a JSON line. The apply must succeed with at least
 * one parameter applied (a bench of a failing path would mislead).
 *
 * Usage: bench-config [--rounds N] [PROFILE]
 */
#define G_LOG_DOMAIN "bench-config"

#include <deskphone.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median_ms (GArray *values)
{
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  guint rounds = 9;
  const char *path = NULL;
  g_autofree char *default_path = NULL;
  g_autoptr(GArray) core_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parse_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) apply_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_assignments = 0, n_applied = 0;
  gsize size = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--rounds") == 0 && i + 1 < argc)
        {
          /* Not inside MAX(): it evaluates its arguments twice. */
          rounds = (guint) strtoul (argv[++i], NULL, 10);
          rounds = MAX (rounds, 1);
        }
      else
        path = argv[i];
    }
  if (path == NULL)
    {
      const char *shared = g_getenv ("DP_SHARED_DIR");

      default_path = g_build_filename (shared ? shared : "../shared", "corpora", "spa962-dump",
                                       "spa962-5.1.15.xml", NULL);
      path = default_path;
    }
  {
    char *contents = NULL;

    if (!g_file_get_contents (path, &contents, &size, &error))
      {
        fprintf (stderr, "bench-config: %s\n", error->message);
        return 1;
      }
    bytes = g_bytes_new_take (contents, size);
  }

  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *state_dir = g_dir_make_tmp ("dp-bench-config-XXXXXX", &error);
      g_autoptr(DpCore) core = NULL;
      g_autoptr(DpProfile) profile = NULL;
      DpApplyStats stats = { 0 };
      gint64 t0, t1, t2, t3;

      if (state_dir == NULL)
        {
          fprintf (stderr, "bench-config: %s\n", error->message);
          return 1;
        }
      t0 = g_get_monotonic_time ();
      core = dp_core_new (state_dir);
      t1 = g_get_monotonic_time ();
      profile = dp_profile_parse (bytes, NULL, NULL, &error);
      t2 = g_get_monotonic_time ();
      if (profile == NULL)
        {
          fprintf (stderr, "bench-config: %s: %s\n", path, error->message);
          return 1;
        }
      if (!dp_config_apply (dp_core_get_config (core), profile, &stats, &error))
        {
          fprintf (stderr, "bench-config: apply: %s\n", error->message);
          return 1;
        }
      t3 = g_get_monotonic_time ();
      if (stats.applied == 0)
        {
          fprintf (stderr, "bench-config: the profile applied nothing\n");
          return 1;
        }
      n_assignments = dp_profile_get_n_assignments (profile);
      n_applied = stats.applied;
      g_array_append_vals (core_us, &(gint64) { t1 - t0 }, 1);
      g_array_append_vals (parse_us, &(gint64) { t2 - t1 }, 1);
      g_array_append_vals (apply_us, &(gint64) { t3 - t2 }, 1);
      g_clear_object (&core);
      remove_tree (state_dir);
    }

  printf ("config paths, %s (%" G_GSIZE_FORMAT " bytes, %u assignments, %u applied), median of %u:\n",
          path, size, n_assignments, n_applied, rounds);
  printf ("  dp_core_new (catalogue): %.2f ms\n", median_ms (core_us));
  printf ("  profile parse:           %.2f ms\n", median_ms (parse_us));
  printf ("  apply + atomic save:     %.2f ms\n", median_ms (apply_us));
  printf ("{\"profile_bytes\": %" G_GSIZE_FORMAT ", \"assignments\": %u, \"applied\": %u, "
          "\"core_new_ms\": %.3f, \"parse_ms\": %.3f, \"apply_save_ms\": %.3f}\n",
          size, n_assignments, n_applied, median_ms (core_us), median_ms (parse_us),
          median_ms (apply_us));
  return 0;
}
