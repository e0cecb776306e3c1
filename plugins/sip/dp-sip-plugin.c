/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sip plugin: SIP registration and calls on sofia-sip's nua, run by
 * the default GMainContext through su_glib (no thread, no other loop).
 * It implements DpCallProvider, so the core's dial requests (D-Bus,
 * deskphonectl, GUI) come here, and publishes DpSipCall objects.
 *
 * One DpSipLine per extension (dp-sip-line.c) owns a nua; configuration
 * changes arrive as DpConfig "changed" signals and are applied from an idle
 * callback, so that a profile changing many parameters reconfigures each
 * line once.
 *
 * Extension parameters (not on the SPA):
 * - `SIP_Bind_Address`, the local address the SIP sockets bind to and the
 *   SDP announces; empty (default) binds every interface. Tests set it to
 *   127.0.0.1.
 * - `SIP_TLS_CA`, the CAs a SIP server must chain to on TLS lines: PEM
 *   text, or a PEM file name (absolute or relative to the state dir);
 *   empty (default) is the system store (dp-sip-tls.c).
 */
#define G_LOG_DOMAIN "dp-sip"

#include "dp-sip-private.h"

#include <libpeas/peas.h>
#include <sofia-sip/su_log.h>
#include <stdio.h>
#include <string.h>

#define SIP_MODULE "sip"
/* How long deactivate() lets the nuas un-REGISTER and send BYEs. */
#define SHUTDOWN_TIMEOUT_US (3 * G_USEC_PER_SEC)

static const DpParamDecl sip_params[] = {
  {
    .name = DP_SIP_BIND_ADDRESS,
    .type = DP_PARAM_STRING,
    .default_value = "",
    .group = "SIP/SIP_Parameters",
    .flags = DP_PARAM_FLAG_EXTENSION,
    .user_access = DP_ACCESS_NA,
  },
  {
    .name = DP_SIP_TLS_CA,
    .type = DP_PARAM_STRING,
    .default_value = "",
    .group = "SIP/SIP_Parameters",
    .flags = DP_PARAM_FLAG_EXTENSION,
    .user_access = DP_ACCESS_NA,
  },
};

/* Global parameters every line reads when it (re)configures its nua. */
static const char * const global_params[] = {
  "SIP_User_Agent_Name", "SIP_Reg_User_Agent_Name", "SIP_T1", "SIP_T2", "SIP_T4",
  DP_SIP_BIND_ADDRESS, DP_SIP_TLS_CA, "NAT_Keep_Alive_Intvl", "Insert_VIA_rport",
  "Send_Resp_To_Src_Port",
};

#define DP_TYPE_SIP_PLUGIN (dp_sip_plugin_get_type ())
G_DECLARE_FINAL_TYPE (DpSipPlugin, dp_sip_plugin, DP, SIP_PLUGIN, GObject)

struct _DpSipPlugin
{
  GObject parent_instance;

  DpSipContext ctx;
  GSource *source;
  GPtrArray *lines;          /* DpSipLine*, index 0 = line 1 */
  gulong changed_id;
  guint apply_id;
  guint32 dirty_lines;       /* bit n-1 = line n */
};

static void dp_sip_plugin_iface_init (DpPluginInterface *iface);
static void dp_sip_plugin_provider_init (DpCallProviderInterface *iface);
static void dp_sip_plugin_subscriber_init (DpSubscriberInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (DpSipPlugin, dp_sip_plugin, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_PLUGIN,
                                                               dp_sip_plugin_iface_init)
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_CALL_PROVIDER,
                                                               dp_sip_plugin_provider_init)
                                G_IMPLEMENT_INTERFACE_DYNAMIC (DP_TYPE_SUBSCRIBER,
                                                               dp_sip_plugin_subscriber_init))

/* sofia-sip hands us its own printf format and arguments: the format is
 * sofia's literal, not data from the network. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
sofia_logger (void *stream, char const *fmt, va_list ap)
{
  g_autofree char *text = g_strdup_vprintf (fmt, ap);

  g_strchomp (text);
  if (*text != '\0')
    g_debug ("sofia: %s", text);
}
#pragma GCC diagnostic pop

static gboolean
on_apply (gpointer user_data)
{
  DpSipPlugin *self = user_data;
  guint32 dirty = self->dirty_lines;

  self->apply_id = 0;
  self->dirty_lines = 0;
  for (guint i = 0; i < self->lines->len; i++)
    if (dirty & (1u << i))
      dp_sip_line_reconfigure (g_ptr_array_index (self->lines, i));
  return G_SOURCE_REMOVE;
}

/* "Proxy_3_" -> 3; 0 when the name is not a per-extension parameter. */
static guint
line_of_param (const char *name)
{
  gsize len = strlen (name);
  gsize i;

  if (len < 4 || name[len - 1] != '_')
    return 0;
  i = len - 1;
  while (i > 0 && g_ascii_isdigit (name[i - 1]))
    i--;
  if (i == len - 1 || i == 0 || name[i - 1] != '_' || len - 1 - i > 1)
    return 0;
  return (guint) (name[i] - '0');
}

static void
on_config_changed (DpConfig *config, const char *name, gpointer user_data)
{
  DpSipPlugin *self = user_data;
  guint line = line_of_param (name);
  guint32 mask = 0;

  if (line >= 1 && line <= self->lines->len)
    mask = 1u << (line - 1);
  else
    for (gsize i = 0; i < G_N_ELEMENTS (global_params); i++)
      if (g_strcmp0 (name, global_params[i]) == 0)
        mask = (1u << self->lines->len) - 1;
  if (mask == 0)
    return;
  self->dirty_lines |= mask;
  if (self->apply_id == 0)
    self->apply_id = g_idle_add (on_apply, self);
}

static gboolean
register_params (DpConfig *config, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sip_params); i++)
    {
      const DpParam *existing = dp_config_lookup (config, sip_params[i].name);

      /* DpConfig has no unregister: after deactivate/activate the
       * parameter is still ours. */
      if (existing == NULL)
        {
          if (!dp_config_register (config, SIP_MODULE, &sip_params[i], 1, error))
            return FALSE;
          continue;
        }
      if (g_strcmp0 (dp_param_get_owner (existing), SIP_MODULE) != 0)
        {
          g_set_error (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                       _("%s is already registered by '%s'"), sip_params[i].name,
                       dp_param_get_owner (existing));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
dp_sip_plugin_activate (DpPlugin *plugin, DpCore *core, GError **error)
{
  DpSipPlugin *self = DP_SIP_PLUGIN (plugin);
  DpConfig *config = dp_core_get_config (core);

  if (!register_params (config, error))
    return FALSE;

  su_init ();
  su_log_redirect (NULL, sofia_logger, NULL);
  self->ctx.root = su_glib_root_create (NULL);
  if (self->ctx.root == NULL)
    {
      su_deinit ();
      g_set_error_literal (error, DP_PLUGIN_ERROR, DP_PLUGIN_ERROR_ACTIVATE,
                           _("cannot create the sofia-sip main loop root"));
      return FALSE;
    }
  /* nua keeps its stack in a thread of its own (su_clone_start). Running
   * it on this root instead (su_root_threading (root, 0)) was tried and
   * measured: the PROTOS c07-sip run took 175 s instead of 55 s, and under
   * that load the phone's receive buffer dropped CANCELs (calls left
   * ringing); the idle wake-ups did not change (nua's 1 s stack timer). */
  self->source = su_glib_root_gsource (self->ctx.root);
  g_source_attach (self->source, NULL);

  self->ctx.core = g_object_ref (core);
  self->ctx.config = g_object_ref (config);
  self->ctx.shared = g_ptr_array_new ();
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_sip_line_free);
  for (guint i = 1; i <= dp_core_get_n_lines (core) && i <= 32; i++)
    g_ptr_array_add (self->lines, dp_sip_line_new (&self->ctx, i));

  self->changed_id = g_signal_connect (config, "changed", G_CALLBACK (on_config_changed), self);
  /* Plugins activate in no fixed order and nua fixes its SDP mode (SOA, or
   * SDP from the core's media provider) at creation: the lines start from
   * the main loop, once every plugin, the media one included, is active. */
  self->dirty_lines = self->lines->len >= 32 ? G_MAXUINT32 : (1u << self->lines->len) - 1;
  self->apply_id = g_idle_add (on_apply, self);
  dp_core_set_call_provider (core, DP_CALL_PROVIDER (self));
  dp_core_set_subscriber (core, DP_SUBSCRIBER (self));
  return TRUE;
}

static gboolean
on_shutdown_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
shutdown_pending (DpSipPlugin *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    if (dp_sip_line_shutdown_pending (g_ptr_array_index (self->lines, i)))
      return TRUE;
  return FALSE;
}

static void
stop (DpSipPlugin *self)
{
  if (self->ctx.core == NULL)
    return;
  if (dp_core_get_call_provider (self->ctx.core) == DP_CALL_PROVIDER (self))
    dp_core_set_call_provider (self->ctx.core, NULL);
  if (dp_core_get_subscriber (self->ctx.core) == DP_SUBSCRIBER (self))
    dp_core_set_subscriber (self->ctx.core, NULL);
  g_clear_signal_handler (&self->changed_id, self->ctx.config);
  g_clear_handle_id (&self->apply_id, g_source_remove);

  for (guint i = 0; i < self->lines->len; i++)
    dp_sip_line_shutdown (g_ptr_array_index (self->lines, i));

  /* Un-REGISTER and BYE need the loop; the daemon has left its main loop
   * already (SIGTERM), so run the default context here, bounded. */
  if (shutdown_pending (self) && g_main_context_acquire (NULL))
    {
      gboolean expired = FALSE;
      guint timeout_id = g_timeout_add (SHUTDOWN_TIMEOUT_US / 1000, on_shutdown_timeout,
                                        &expired);

      while (!expired && shutdown_pending (self))
        g_main_context_iteration (NULL, TRUE);
      if (!expired)
        g_source_remove (timeout_id);
      g_main_context_release (NULL);
    }

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->ctx.shared, g_ptr_array_unref);
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      self->source = NULL;
    }
  g_clear_pointer (&self->ctx.root, su_root_destroy);
  su_deinit ();
  g_clear_object (&self->ctx.config);
  g_clear_object (&self->ctx.core);
}

static void
dp_sip_plugin_deactivate (DpPlugin *plugin)
{
  stop (DP_SIP_PLUGIN (plugin));
}

static DpCall *
dp_sip_plugin_dial (DpCallProvider *provider, guint line, const char *target, GError **error)
{
  DpSipPlugin *self = DP_SIP_PLUGIN (provider);

  if (self->lines == NULL || line < 1 || line > self->lines->len)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE, _("there is no line %u"), line);
      return NULL;
    }
  return dp_sip_line_dial (g_ptr_array_index (self->lines, line - 1), target, error);
}

static DpSubscription *
dp_sip_plugin_subscribe (DpSubscriber *subscriber, guint line, const char *target,
                         const char *event, const char *accept, guint expires, GError **error)
{
  DpSipPlugin *self = DP_SIP_PLUGIN (subscriber);

  if (self->lines == NULL || line < 1 || line > self->lines->len)
    {
      g_set_error (error, DP_CALL_ERROR, DP_CALL_ERROR_LINE, _("there is no line %u"), line);
      return NULL;
    }
  return DP_SUBSCRIPTION (dp_sip_subscription_new (g_ptr_array_index (self->lines, line - 1),
                                                   target, event, accept, expires, error));
}

static void
dp_sip_plugin_subscriber_init (DpSubscriberInterface *iface)
{
  iface->subscribe = dp_sip_plugin_subscribe;
}

static void
dp_sip_plugin_iface_init (DpPluginInterface *iface)
{
  iface->activate = dp_sip_plugin_activate;
  iface->deactivate = dp_sip_plugin_deactivate;
}

static void
dp_sip_plugin_provider_init (DpCallProviderInterface *iface)
{
  iface->dial = dp_sip_plugin_dial;
}

static void
dp_sip_plugin_dispose (GObject *object)
{
  /* Also covers an instance dropped without deactivate(). */
  stop (DP_SIP_PLUGIN (object));
  G_OBJECT_CLASS (dp_sip_plugin_parent_class)->dispose (object);
}

static void
dp_sip_plugin_class_init (DpSipPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dp_sip_plugin_dispose;
}

static void
dp_sip_plugin_class_finalize (DpSipPluginClass *klass)
{
}

static void
dp_sip_plugin_init (DpSipPlugin *self)
{
}

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  dp_sip_call_register_type_in (G_TYPE_MODULE (module));
  dp_sip_subscription_register_type_in (G_TYPE_MODULE (module));
  dp_sip_plugin_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, DP_TYPE_PLUGIN, DP_TYPE_SIP_PLUGIN);
}
