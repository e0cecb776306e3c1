/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Device facts for the provisioning macros (see dp-prov-device.h). */
#define G_LOG_DOMAIN "dp-provisioning"

#include "dp-build-config.h"
#include "dp-prov-device.h"
#include "dp-prov-fetch.h"
#include <glib/gi18n-lib.h>

#include <gio/gio.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#define DEVICE_GROUP "Device"

struct _DpProvDevice
{
  char *mac;          /* 12 lower-case hex digits */
  char *interface;    /* where the MAC came from, NULL for device.ini */
  char *serial;
  char *product;
  char *series;
  char *hw_version;
  char *sw_version;
};

void
dp_prov_device_free (DpProvDevice *self)
{
  if (self == NULL)
    return;
  g_free (self->mac);
  g_free (self->interface);
  g_free (self->serial);
  g_free (self->product);
  g_free (self->series);
  g_free (self->hw_version);
  g_free (self->sw_version);
  g_free (self);
}

/* "00:0e:08:AA:bb:cc" / "000e08aabbcc" / "00-0e-…" → "000e08aabbcc". */
static char *
normalise_mac (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (*p != ':' && *p != '-')
        break;
    }
  if (out->len != 12 || strspn (text, "0123456789abcdefABCDEF:-") != strlen (text))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
mac_from_sysfs (const char *root, char **mac, char **interface)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strcmp (name, "lo") != 0)
      g_ptr_array_add (names, g_strdup (name));
  /* Sorted, so the choice does not depend on readdir order. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (root, names->pdata[i], "address", NULL);
      g_autofree char *text = NULL;
      g_autofree char *normal = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      g_strstrip (text);
      normal = normalise_mac (text);
      if (normal == NULL || strcmp (normal, "000000000000") == 0)
        continue;
      *mac = g_steal_pointer (&normal);
      *interface = g_strdup (names->pdata[i]);
      return TRUE;
    }
  return FALSE;
}

static char *
key_or (GKeyFile *keyfile, const char *key)
{
  g_autofree char *value = NULL;

  if (keyfile == NULL)
    return NULL;
  value = g_key_file_get_string (keyfile, DEVICE_GROUP, key, NULL);
  if (value == NULL)
    return NULL;
  g_strstrip (value);
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/**
 * dp_prov_device_new_from_keyfile:
 * @keyfile: (nullable): the `device.ini` contents
 * @sys_class_net: folder to read interfaces from (`/sys/class/net`)
 * @sw_version: the deskphone version (`$SWVER`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the facts, or %NULL when device.ini
 *   holds an invalid MAC or no MAC can be found at all
 */
DpProvDevice *
dp_prov_device_new_from_keyfile (GKeyFile *keyfile, const char *sys_class_net,
                                 const char *sw_version, GError **error)
{
  g_autoptr(DpProvDevice) self = g_new0 (DpProvDevice, 1);
  g_autofree char *mac_text = key_or (keyfile, "Mac");

  if (mac_text != NULL)
    {
      self->mac = normalise_mac (mac_text);
      if (self->mac == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("device.ini: Mac=%s is not a MAC address (12 hex digits, "
                       "optionally separated by ':' or '-')"), mac_text);
          return NULL;
        }
    }
  else if (!mac_from_sysfs (sys_class_net, &self->mac, &self->interface))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("no network interface with a MAC address in %s and no Mac in device.ini"),
                   sys_class_net);
      return NULL;
    }
  self->serial = key_or (keyfile, "Serial");
  if (self->serial == NULL)
    self->serial = g_ascii_strup (self->mac, -1);
  self->product = key_or (keyfile, "Product");
  if (self->product == NULL)
    self->product = g_strdup ("SPA962");
  self->series = key_or (keyfile, "ProductSeries");
  if (self->series == NULL)
    self->series = g_strdup ("962");
  self->hw_version = key_or (keyfile, "HardwareVersion");
  if (self->hw_version == NULL)
    self->hw_version = g_strdup ("1.0.0");
  self->sw_version = g_strdup (sw_version);
  return g_steal_pointer (&self);
}

/**
 * dp_prov_device_new:
 * @state_dir: the state dir (for `device.ini`)
 * @sw_version: the deskphone version
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the facts of this phone
 */
DpProvDevice *
dp_prov_device_new (const char *state_dir, const char *sw_version, GError **error)
{
  g_autofree char *path = g_build_filename (state_dir, "device.ini", NULL);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %s", path, local->message);
          return NULL;
        }
      g_clear_pointer (&keyfile, g_key_file_unref);
    }
  return dp_prov_device_new_from_keyfile (keyfile, "/sys/class/net", sw_version, error);
}

const char *dp_prov_device_get_mac (DpProvDevice *self) { return self->mac; }
const char *dp_prov_device_get_serial (DpProvDevice *self) { return self->serial; }
const char *dp_prov_device_get_product (DpProvDevice *self) { return self->product; }
const char *dp_prov_device_get_series (DpProvDevice *self) { return self->series; }
const char *dp_prov_device_get_hw_version (DpProvDevice *self) { return self->hw_version; }
const char *dp_prov_device_get_sw_version (DpProvDevice *self) { return self->sw_version; }
const char *dp_prov_device_get_interface (DpProvDevice *self) { return self->interface; }

/**
 * dp_prov_device_get_model:
 * @self: the facts
 *
 * Returns: (transfer full): the model as the SPA writes it in its
 *   User-Agent: `SPA962` → `SPA-962` (a `-` between the leading letters
 *   and the rest; a product without that shape is used as it is)
 */
char *
dp_prov_device_get_model (DpProvDevice *self)
{
  const char *p = self->product;

  while (g_ascii_isalpha (*p))
    p++;
  if (p == self->product || *p == '\0' || *p == '-')
    return g_strdup (self->product);
  return g_strdup_printf ("%.*s-%s", (int) (p - self->product), self->product, p);
}

/**
 * dp_prov_device_get_ip:
 * @self: the facts
 *
 * Returns: (transfer full) (nullable): the first IPv4 address of an
 *   interface that is up and not loopback (the MAC's interface first)
 */
char *
dp_prov_device_get_ip (DpProvDevice *self)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;
  for (int pass = 0; pass < 2 && found == NULL; pass++)
    for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
      {
        char text[INET_ADDRSTRLEN];

        if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
            (ifa->ifa_flags & IFF_LOOPBACK) || !(ifa->ifa_flags & IFF_UP))
          continue;
        if (pass == 0 && g_strcmp0 (ifa->ifa_name, self->interface) != 0)
          continue;
        if (inet_ntop (AF_INET, &((struct sockaddr_in *) (void *) ifa->ifa_addr)->sin_addr,
                       text, sizeof text) != NULL)
          found = g_strdup (text);
      }
  freeifaddrs (list);
  return found;
}

/**
 * dp_prov_device_build_user_agent:
 * @self: the facts
 *
 * Returns: (transfer full): `Deskphone/SPA-962-VERSION (SERIAL)`
 */
char *
dp_prov_device_build_user_agent (DpProvDevice *self)
{
  g_autofree char *model = dp_prov_device_get_model (self);

  return dp_prov_user_agent_build ("Deskphone", model, self->sw_version, self->serial);
}
