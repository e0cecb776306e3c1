/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The media plugin: registers itself as the core's DpMediaProvider and
 * hands out DpGstMediaSession objects. This module does not link GStreamer:
 * the sessions and the tone player live in a separate GModule (the backend,
 * dp-media-loader.c) opened on the first session or tone, so an idle phone
 * maps no GStreamer library. When the backend cannot be opened, that call
 * or tone fails with an error saying why.
 *
 * Tones: the provider's play_tone/stop_tone play on a DpTonePlayer (the
 * local audio sink), also reachable as the core actions "play-tone"
 * (argument: a tone parameter name, Ring1..Ring10 or a literal script) and
 * "stop-tone". When a call becomes secure (DpCore::call-changed with
 * secure TRUE, once per call id) Secure_Call_Indication_Tone (unless blank) plays once on
 * the local sink, not into the RTP stream: the indication is for the
 * local user, and the far end plays its own.
 */
#define G_LOG_DOMAIN "dp-media"

#include "dp-build-config.h"
#include <deskphone.h>
#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "dp-media-loader.h"
#include "dp-media-codec.h"
#include "dp-media-volume.h"

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
  /* Which earpiece or speaker a call plays on, and so which volume
   * setting applies (dp-media-volume.h): the GUI sets it from the hook
   * switch and the speaker/headset keys. */
  {
    .name = DP_MEDIA_AUDIO_PATH_PARAM,
    .type = DP_PARAM_ENUM,
    .default_value = "Handset",
    .choices = "Handset|Speaker|Headset",
    .group = "User/Audio_Volume",
    .user_access = DP_ACCESS_RW,
    .flags = DP_PARAM_FLAG_EXTENSION,
  },
  /* G.726's bit order on the wire (dp-media-codec.h): RFC 3551, or AAL2
   * for peers that send that under the RFC 3551 name. */
  {
    .name = DP_MEDIA_G726_PACKING_PARAM,
    .type = DP_PARAM_ENUM,
    .default_value = "RFC3551",
    .choices = "RFC3551|AAL2",
    .group = "SIP/SDP_Payload_Types",
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
  GObject *tones;                 /* the backend's DpTonePlayer, made on first use */
  GHashTable *secure_calls;       /* call ids already announced as secure */
  gulong call_changed_id;
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
                       _("%s is already registered by '%s'"), media_params[i].name,
                       dp_param_get_owner (existing));
          return FALSE;
        }
    }
  return TRUE;
}

/* Plays on the tone player, loading the backend and creating the player
 * the first time. */
static gboolean
play (DpMediaPlugin *self, const char *name_or_script, GError **error)
{
  const DpMediaBackend *backend = dp_media_loader_get (error);

  if (backend == NULL)
    return FALSE;
  if (self->tones == NULL)
    self->tones = backend->tone_player_new (self->core != NULL ? dp_core_get_config (self->core)
                                                               : NULL);
  return backend->tone_play (self->tones, name_or_script, error);
}

/* A player exists only once the backend is loaded. */
static void
stop_tones (DpMediaPlugin *self)
{
  if (self->tones != NULL)
    dp_media_loader_get (NULL)->tone_stop (self->tones);
}

static gboolean
dp_media_plugin_play_tone (DpMediaProvider *provider, const char *name_or_script, GError **error)
{
  return play (DP_MEDIA_PLUGIN (provider), name_or_script, error);
}

static void
dp_media_plugin_stop_tone (DpMediaProvider *provider)
{
  stop_tones (DP_MEDIA_PLUGIN (provider));
}

static gboolean
action_play_tone (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  if (argument == NULL || *argument == '\0')
    {
      g_set_error_literal (error, DP_MEDIA_ERROR, DP_MEDIA_ERROR_FAILED,
                           _("play-tone needs a tone parameter name, Ring1..Ring10 or a script"));
      return FALSE;
    }
  return dp_media_plugin_play_tone (DP_MEDIA_PROVIDER (user_data), argument, error);
}

static gboolean
action_stop_tone (DpCore *core, const char *argument, gpointer user_data, GError **error)
{
  dp_media_plugin_stop_tone (DP_MEDIA_PROVIDER (user_data));
  return TRUE;
}

static void
on_call_changed (DpCore *core, DpCall *call, gpointer user_data)
{
  DpMediaPlugin *self = user_data;
  const char *id = dp_call_get_id (call);
  g_autoptr(GError) error = NULL;

  if (id == NULL)
    return;
  if (dp_call_get_state (call) == DP_CALL_STATE_ENDED)
    {
      g_hash_table_remove (self->secure_calls, id);
      return;
    }
  /* call-changed fires for every change; the indication plays once, when
   * the call first shows as secure. */
  if (!dp_call_get_secure (call) || g_hash_table_contains (self->secure_calls, id))
    return;
  g_hash_table_add (self->secure_calls, g_strdup (id));
  {
    const char *script = dp_config_get (dp_core_get_config (self->core), "Secure_Call_Indication_Tone");

    /* A blank script means the administrator wants no indication. */
    if (script == NULL || *script == '\0')
      return;
  }
  if (!play (self, "Secure_Call_Indication_Tone", &error))
    g_warning ("secure call indication: %s", error->message);
}

static gboolean
dp_media_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpMediaPlugin *self = DP_MEDIA_PLUGIN (plugin);

  if (!register_params (dp_core_get_config (core), error))
    return FALSE;
  g_set_object (&self->core, core);
  dp_core_set_media_provider (core, DP_MEDIA_PROVIDER (self));
  dp_core_add_action (core, "play-tone", action_play_tone, self, NULL);
  dp_core_add_action (core, "stop-tone", action_stop_tone, self, NULL);
  self->call_changed_id = g_signal_connect (core, "call-changed",
                                            G_CALLBACK (on_call_changed), self);
  return TRUE;
}

static void
dp_media_plugin_deactivate (DpPlugin *plugin)
{
  DpMediaPlugin *self = DP_MEDIA_PLUGIN (plugin);

  if (self->core != NULL && dp_core_get_media_provider (self->core) == DP_MEDIA_PROVIDER (self))
    dp_core_set_media_provider (self->core, NULL);
  if (self->core != NULL)
    {
      dp_core_remove_action (self->core, "play-tone");
      dp_core_remove_action (self->core, "stop-tone");
      g_clear_signal_handler (&self->call_changed_id, self->core);
    }
  stop_tones (self);
  g_clear_object (&self->tones);
  g_hash_table_remove_all (self->secure_calls);
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
  const DpMediaBackend *backend = dp_media_loader_get (error);

  if (backend == NULL)
    return NULL;
  return backend->create_session (config, line, policy, sdes_allowed, error);
}

/* Sessions exist only once the backend is loaded, so this finds it loaded. */
static gboolean
dp_media_plugin_join_sessions (DpMediaProvider *provider, DpMediaSession *a, DpMediaSession *b,
                               GError **error)
{
  const DpMediaBackend *backend = dp_media_loader_get (error);

  if (backend == NULL)
    return FALSE;
  return backend->join_sessions (a, b, error);
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
  iface->play_tone = dp_media_plugin_play_tone;
  iface->stop_tone = dp_media_plugin_stop_tone;
  iface->join_sessions = dp_media_plugin_join_sessions;
}

static void
dp_media_plugin_dispose (GObject *object)
{
  dp_media_plugin_deactivate (DP_PLUGIN (object));
  G_OBJECT_CLASS (dp_media_plugin_parent_class)->dispose (object);
}

static void
dp_media_plugin_finalize (GObject *object)
{
  g_hash_table_unref (DP_MEDIA_PLUGIN (object)->secure_calls);
  G_OBJECT_CLASS (dp_media_plugin_parent_class)->finalize (object);
}

static void
dp_media_plugin_class_init (DpMediaPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_media_plugin_dispose;
  G_OBJECT_CLASS (klass)->finalize = dp_media_plugin_finalize;
}

static void
dp_media_plugin_class_finalize (DpMediaPluginClass *klass)
{
}

static void
dp_media_plugin_init (DpMediaPlugin *self)
{
  self->secure_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  GModule *library = peas_object_module_get_library (module);

  /* The backend loader keeps its state here and the backend, once opened,
   * stays: this module must never be unloaded either. */
  if (library != NULL)
    g_module_make_resident (library);
  dp_media_loader_set_directory (peas_object_module_get_path (module));
  dp_media_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_MEDIA_PLUGIN);
}
