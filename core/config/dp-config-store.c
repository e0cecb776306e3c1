/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Atomic file replacement for the persisted configuration: the new contents
 * go to a temporary file in the same folder, which is fsync'ed and renamed
 * over the old file, and then the folder is fsync'ed so the rename itself is
 * durable. A crash or power loss at any point leaves either the complete old
 * file or the complete new one. */
#define G_LOG_DOMAIN "dp-config"

#include "dp-config-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

static gboolean
write_all (int fd, const char *data, gsize length)
{
  while (length > 0)
    {
      ssize_t written = write (fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

static void
set_errno_error (GError **error, const char *what, const char *path, int saved_errno)
{
  g_set_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_STORAGE,
               _("cannot %s %s: %s"), what, path, g_strerror (saved_errno));
}

gboolean
dp_config_store_write (const char *path,
                       const char *contents,
                       gsize       length,
                       GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = NULL;
  int fd, dir_fd, saved_errno;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, "create folder", dir, errno);
      return FALSE;
    }

  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, "create temporary file in", dir, errno);
      return FALSE;
    }
  if (!write_all (fd, contents, length) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp_path);
      set_errno_error (error, "write", tmp_path, saved_errno);
      return FALSE;
    }
  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      set_errno_error (error, "close", tmp_path, saved_errno);
      return FALSE;
    }
  if (g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      set_errno_error (error, "replace", path, saved_errno);
      return FALSE;
    }

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      /* The new file is in place either way; a failed folder sync only
       * weakens durability against power loss, so it is reported, not fatal. */
      if (fsync (dir_fd) != 0)
        g_warning ("cannot sync folder %s: %s", dir, g_strerror (errno));
      close (dir_fd);
    }
  return TRUE;
}

void
dp_config_store_remove_leftovers (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *entry;

  if (folder == NULL)
    return;
  /* Temporary files of saves that a crash interrupted: never complete, never read. */
  while ((entry = g_dir_read_name (folder)) != NULL)
    if (g_str_has_prefix (entry, prefix))
      {
        g_autofree char *leftover = g_build_filename (dir, entry, NULL);
        g_unlink (leftover);
      }
}
