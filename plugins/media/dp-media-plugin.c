/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The media plugin: registers itself as the core's DpMediaProvider and
 * hands out DpGstMediaSession objects. Loading it does not initialise
 * GStreamer; the first session does.
 */
#define G_LOG_DOMAIN "dp-media"

#include <deskphone.h>
#include <libpeas/peas.h>

#include "dp-gst-media-session.h"

#define MEDIA_MODULE "media"

static const DpParamDecl media_params[] = {
  /* Audio_Source lives in the core catalogue; its sink counterpart is ours. */
  {
    .name = "Audio_Sink",
    .type = DP_PARAM_STRING,
    .default_value = "",
    .group = "System/Deskphone",
    .flags = DP_PARAM_FLAG_EXTENSION,
  },
  /* Architecture 6: SDES keys travel in clear over UDP/TCP SIP, so they are
   * only offered on TLS unless the administrator says otherwise. */
  {
    .name = "SDES_Over_Insecure_Transport",
    .type = DP_PARAM_BOOL,
    .default_value = "No",
    .group = "SIP/RTP_Parameters",
    .flags = DP_PARAM_FLAG_EXTENSION,
  },
};

#define DP_TYPE_MEDIA_PLUGIN (dp_media_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpMediaPlugin, dp_media_plugin, DP, MEDIA_PLUGIN, GObject)

struct _DpMediaPlugin
{
  GObject parent_instance;

  DpCore *core;
};

static void dp_media_plugin_plugin_iface_init (DpPluginInterface *iface);
static void dp_media_plugin_provider_iface_init (DpMediaProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpMediaPlugin, dp_media_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_media_plugin_plugin_iface_init)
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_MEDIA_PROVIDER,
                                                               dp_media_plugin_provider_iface_init))

static gboolean
register_params (DpConfig *config, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (media_params); i++)
    {
      const DpParam *existing = dp_config_lookup (config, media_params[i].name);

      /* DpConfig has no unregister: a re-activation finds ours. */
      if (existing == NULL)
        {
          if (!dp_config_register (config, MEDIA_MODULE, &media_params[i], 1, error))
            return FALSE;
        }
      else if (g_strcmp0 (dp_param_get_owner (existing), MEDIA_MODULE) != 0)
        {
          g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                       "%s is already registered by '%s'", media_params[i].name,
                       dp_param_get_owner (existing));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
dp_media_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpMediaPlugin *self = DP_MEDIA_PLUGIN (plugin);

  if (!register_params (dp_core_get_config (core), error))
    return FALSE;
  g_set_object (&self->core, core);
  dp_core_set_media_provider (core, DP_MEDIA_PROVIDER (self));
  return TRUE;
}

static void
dp_media_plugin_deactivate (DpPlugin *plugin)
{
  DpMediaPlugin *self = DP_MEDIA_PLUGIN (plugin);

  if (self->core != NULL && dp_core_get_media_provider (self->core) == DP_MEDIA_PROVIDER (self))
    dp_core_set_media_provider (self->core, NULL);
  g_clear_object (&self->core);
}

static DpMediaSession *
dp_media_plugin_create_session (DpMediaProvider *provider, guint line, DpSrtpPolicy policy,
                                gboolean signalling_secure, GError **error)
{
  DpMediaPlugin *self = DP_MEDIA_PLUGIN (provider);
  DpConfig *config = self->core != NULL ? dp_core_get_config (self->core) : NULL;
  gboolean sdes_allowed = signalling_secure ||
                          (config != NULL && dp_config_get_bool (config, "SDES_Over_Insecure_Transport"));

  return dp_gst_media_session_new (config, line, policy, sdes_allowed, error);
}

static void
dp_media_plugin_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_media_plugin_activate;
  iface->deactivate = dp_media_plugin_deactivate;
}

static void
dp_media_plugin_provider_iface_init (DpMediaProviderInterface *iface)
{
  iface->create_session = dp_media_plugin_create_session;
}

static void
dp_media_plugin_dispose (GObject *object)
{
  dp_media_plugin_deactivate (DP_PLUGIN (object));
  G_OBJECT_CLASS (dp_media_plugin_parent_class)->dispose (object);
}

static void
dp_media_plugin_class_init (DpMediaPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_media_plugin_dispose;
}

static void
dp_media_plugin_class_finalize (DpMediaPluginClass *klass)
{
}

static void
dp_media_plugin_init (DpMediaPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  GModule *library = peas_object_module_get_library (module);

  /* The session type is static and GStreamer/libsrtp keep global state
   * pointing into this module: it must never be unloaded. */
  if (library != NULL)
    g_module_make_resident (library);
  dp_media_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_MEDIA_PLUGIN);
}
