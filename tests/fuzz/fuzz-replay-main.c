/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Replays every file of a seed corpus through a fuzz target, so that normal
 * (gcc) builds keep the targets compiling and the seeds crash-free. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
replay_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      const char *entry;
      int count = 0;

      if (dir == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return -1;
        }
      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, entry, NULL);
          int n = replay_path (child);
          if (n < 0)
            return -1;
          count += n;
        }
      return count;
    }
  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int argc, char **argv)
{
  int total = 0;

  for (int i = 1; i < argc; i++)
    {
      int n = replay_path (argv[i]);
      if (n < 0)
        return 1;
      total += n;
    }
  /* An empty corpus would make this test assert nothing. */
  if (total == 0)
    {
      fprintf (stderr, "no seed inputs found\n");
      return 1;
    }
  printf ("1..1\nok 1 - replayed %d seed inputs\n", total);
  return 0;
}
