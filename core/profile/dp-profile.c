/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DpProfile: the ordered assignments of one provisioning profile, and the
 * front door that recognises encryption, gzip, XML and plain text. */
#define G_LOG_DOMAIN "dp-profile"

#include "dp-profile-private.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _DpProfile
{
  GObject parent_instance;

  GPtrArray *assignments;   /* of DpAssignment*, document order */
};

G_DEFINE_FINAL_TYPE (DpProfile, dp_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (dp-profile-error-quark, dp_profile_error)

G_DEFINE_BOXED_TYPE (DpAssignment, dp_assignment, dp_assignment_copy, dp_assignment_free)

/**
 * dp_assignment_copy:
 * @assignment: a #DpAssignment
 *
 * Returns: (transfer full): a deep copy of @assignment
 */
DpAssignment *
dp_assignment_copy (const DpAssignment *assignment)
{
  DpAssignment *copy;

  g_return_val_if_fail (assignment != NULL, NULL);

  copy = g_new0 (DpAssignment, 1);
  copy->name = g_strdup (assignment->name);
  copy->op = assignment->op;
  copy->value = g_strdup (assignment->value);
  copy->has_access = assignment->has_access;
  copy->access = assignment->access;
  return copy;
}

/**
 * dp_assignment_free:
 * @assignment: (nullable): a #DpAssignment
 *
 * Frees @assignment and its strings.
 */
void
dp_assignment_free (DpAssignment *assignment)
{
  if (assignment == NULL)
    return;
  g_free (assignment->name);
  g_free (assignment->value);
  g_free (assignment);
}

static void
dp_profile_finalize (GObject *object)
{
  DpProfile *self = DP_PROFILE (object);

  g_clear_pointer (&self->assignments, g_ptr_array_unref);

  G_OBJECT_CLASS (dp_profile_parent_class)->finalize (object);
}

static void
dp_profile_class_init (DpProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dp_profile_finalize;
}

static void
dp_profile_init (DpProfile *self)
{
  self->assignments = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_assignment_free);
}

/**
 * dp_profile_new:
 *
 * Returns: (transfer full): an empty profile
 */
DpProfile *
dp_profile_new (void)
{
  return g_object_new (DP_TYPE_PROFILE, NULL);
}

/**
 * dp_profile_add:
 * @self: a #DpProfile
 * @name: the parameter name (XML form)
 * @op: what to do with the value
 * @value: (nullable): the value; required for %DP_VALUE_SET, ignored otherwise
 * @has_access: whether @access applies
 * @access: the user access
 *
 * Appends one assignment.
 */
void
dp_profile_add (DpProfile  *self,
                const char *name,
                DpValueOp   op,
                const char *value,
                gboolean    has_access,
                DpAccess    access)
{
  DpAssignment *assignment;

  g_return_if_fail (DP_IS_PROFILE (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (op == DP_VALUE_KEEP || op == DP_VALUE_SET || op == DP_VALUE_RESET);
  g_return_if_fail (op != DP_VALUE_SET || value != NULL);
  g_return_if_fail (access == DP_ACCESS_NA || access == DP_ACCESS_RO || access == DP_ACCESS_RW);

  assignment = g_new0 (DpAssignment, 1);
  assignment->name = g_strdup (name);
  assignment->op = op;
  /* Only SET carries a value, so consumers never see a stale one. */
  assignment->value = op == DP_VALUE_SET ? g_strdup (value) : NULL;
  assignment->has_access = has_access != FALSE;
  assignment->access = has_access ? access : DP_ACCESS_NA;
  g_ptr_array_add (self->assignments, assignment);
}

/**
 * dp_profile_get_n_assignments:
 * @self: a #DpProfile
 *
 * Returns: how many assignments the profile holds (repeats included)
 */
guint
dp_profile_get_n_assignments (DpProfile *self)
{
  g_return_val_if_fail (DP_IS_PROFILE (self), 0);

  return self->assignments->len;
}

const DpAssignment *
dp_profile_get_assignment (DpProfile *self,
                           guint      index)
{
  g_return_val_if_fail (DP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (index < self->assignments->len, NULL);

  return g_ptr_array_index (self->assignments, index);
}

const DpAssignment *
dp_profile_lookup (DpProfile  *self,
                   const char *name)
{
  g_return_val_if_fail (DP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = self->assignments->len; i > 0; i--)
    {
      const DpAssignment *assignment = g_ptr_array_index (self->assignments, i - 1);

      if (strcmp (assignment->name, name) == 0)
        return assignment;
    }
  return NULL;
}

/**
 * dp_profile_is_encrypted:
 * @data: profile bytes
 *
 * Returns: whether @data starts with the OpenSSL `Salted__` header
 */
gboolean
dp_profile_is_encrypted (GBytes *data)
{
  gsize length;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &length);
  return length >= 8 && memcmp (bytes, "Salted__", 8) == 0;
}

/**
 * dp_profile_is_gzip:
 * @data: profile bytes
 *
 * Returns: whether @data starts with the gzip magic 1f 8b
 */
gboolean
dp_profile_is_gzip (GBytes *data)
{
  gsize length;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &length);
  return length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

static gboolean
is_xml_document (const char *text,
                 gsize       length,
                 gboolean   *empty)
{
  gsize i = 0;

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (text[i]))
    i++;
  *empty = i == length;
  return i < length && text[i] == '<';
}

/**
 * dp_profile_parse:
 * @data: the profile as fetched
 * @key: (nullable): the passphrase for an encrypted profile
 * @base_dir: (nullable): folder that plain-text `import`s resolve against;
 *   %NULL (for anything fetched over the network) makes `import` an error
 * @error: return location for a #GError
 *
 * Decrypts (when @data starts with `Salted__`), inflates (when the payload
 * starts with the gzip magic), then parses XML when the first non-blank
 * character is `<`, the plain-text format otherwise. An empty or blank
 * payload is %DP_PROFILE_ERROR_MALFORMED. An empty @key counts as no key.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
DpProfile *
dp_profile_parse (GBytes     *data,
                  const char *key,
                  const char *base_dir,
                  GError    **error)
{
  g_autoptr(GBytes) payload = NULL;
  const char *text;
  gsize length;
  gboolean empty;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_bytes_get_size (data) > DP_PROFILE_MAX_SIZE)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("profile is %zu bytes, more than the limit of %d"),
                   g_bytes_get_size (data), DP_PROFILE_MAX_SIZE);
      return NULL;
    }

  payload = g_bytes_ref (data);
  if (dp_profile_is_encrypted (payload))
    {
      GBytes *plain;

      if (key == NULL || *key == '\0')
        {
          g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_NEEDS_KEY,
                               _("the profile is encrypted and no key was given"));
          return NULL;
        }
      plain = dp_profile_decrypt (payload, key, error);
      if (plain == NULL)
        return NULL;
      g_bytes_unref (payload);
      payload = plain;
    }

  /* Compress-then-encrypt is the documented order, so gzip is looked for
   * only after decryption (spec §1.7.1, §1.8). */
  if (dp_profile_is_gzip (payload))
    {
      GBytes *inflated = dp_profile_inflate (payload, error);

      if (inflated == NULL)
        return NULL;
      g_bytes_unref (payload);
      payload = inflated;
    }

  text = g_bytes_get_data (payload, &length);
  if (is_xml_document (text, length, &empty))
    return dp_profile_parse_xml (text, length, error);
  if (empty)
    {
      g_set_error_literal (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_MALFORMED,
                           _("the profile is empty"));
      return NULL;
    }
  return dp_profile_parse_text (text, length, base_dir, error);
}

gboolean
dp_profile_read_file (const char  *path,
                      gsize        max_size,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize filled = 0;
  gsize capacity;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      /* A FIFO or device could feed data forever; profiles are files. */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s: not a regular file"), path);
      close (fd);
      return FALSE;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("%s: %llu bytes, more than the limit of %zu"),
                   path, (unsigned long long) st.st_size, max_size);
      close (fd);
      return FALSE;
    }

  /* Read up to one byte past the limit, so a file that grows while being
   * read is still caught. */
  capacity = (gsize) st.st_size + 1;
  buffer = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n;

      if (filled == capacity)
        {
          if (capacity > max_size)
            break;
          capacity = MIN (capacity * 2, max_size + 1);
          buffer = g_realloc (buffer, capacity + 1);
        }
      n = read (fd, buffer + filled, capacity - filled);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "%s: %s", path, g_strerror (saved_errno));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      filled += (gsize) n;
    }
  close (fd);

  if (filled > max_size)
    {
      g_set_error (error, DP_PROFILE_ERROR, DP_PROFILE_ERROR_TOO_LARGE,
                   _("%s: more than the limit of %zu bytes"), path, max_size);
      return FALSE;
    }
  buffer[filled] = '\0';
  *contents = g_steal_pointer (&buffer);
  *length = filled;
  return TRUE;
}

/**
 * dp_profile_parse_file:
 * @path: a profile file
 * @key: (nullable): the passphrase for an encrypted profile
 * @error: return location for a #GError
 *
 * Reads @path (at most %DP_PROFILE_MAX_SIZE bytes) and parses it with
 * dp_profile_parse(), resolving `import`s against the file's folder.
 * Read failures are reported in the %G_FILE_ERROR domain.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
DpProfile *
dp_profile_parse_file (const char *path,
                       const char *key,
                       GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base_dir = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dp_profile_read_file (path, DP_PROFILE_MAX_SIZE, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  base_dir = g_path_get_dirname (path);
  return dp_profile_parse (bytes, key, base_dir, error);
}
