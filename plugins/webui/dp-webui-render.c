/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Page generation from the parameter metadata; see dp-webui-render.h.
 */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-render.h"

#include "dp-build-config.h"
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define T(lang, s) dp_webui_tr ((lang), (s))

/* Tab order of the SPA962 web UI; tabs that plugins add come after, in
 * registration order. */
static const char *known_tabs[] = {
  "Info", "System", "SIP", "Provisioning", "Regional", "Phone",
  "Ext_1", "Ext_2", "Ext_3", "Ext_4", "Ext_5", "Ext_6", "User", "SPA932",
};

/* Sections the basic view shows ("Tab/Section"; "Ext_*" matches every
 * extension). */
static const char *basic_sections[] = {
  "System/System_Configuration", "System/Internet_Connection_Type_",
  "System/_Static_IP_Settings", "System/Optional_Network_Configuration",
  "SIP/SIP_Parameters",
  "Regional/Miscellaneous",
  "Phone/General", "Phone/Line_Key_1", "Phone/Line_Key_2", "Phone/Line_Key_3",
  "Phone/Line_Key_4", "Phone/Line_Key_5", "Phone/Line_Key_6",
  "Ext_*/General", "Ext_*/Proxy_and_Registration", "Ext_*/Subscriber_Information",
  "Ext_*/Dial_Plan",
  "User/Call_Forward", "User/Speed_Dial", "User/Supplementary_Services", "User/Audio_Volume",
};

static void
esc (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  g_string_append (out, escaped);
}

char *
dp_webui_label (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    g_string_append_c (out, *p == '_' ? ' ' : *p);
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
tab_title (DpWebuiLang lang, const char *tab)
{
  if (g_str_equal (tab, "SPA932"))
    return g_strdup (T (lang, "Attendant Console"));
  if (g_str_has_prefix (tab, "Ext_"))
    return g_strdup_printf ("%s %s", T (lang, "Ext"), tab + 4);
  {
    g_autofree char *label = dp_webui_label (tab);
    return g_strdup (T (lang, label));
  }
}

gboolean
dp_webui_param_visible (DpConfig *config, const DpParam *param, DpWebuiRole role)
{
  guint flags = dp_param_get_flags (param);

  if (role == DP_WEBUI_ROLE_ADMIN)
    return TRUE;
  if (flags & DP_PARAM_FLAG_ADMIN_ONLY)
    return FALSE;
  return dp_config_get_access (config, dp_param_get_name (param)) != DP_ACCESS_NA;
}

gboolean
dp_webui_param_editable (DpConfig *config, const DpParam *param, DpWebuiRole role)
{
  guint flags = dp_param_get_flags (param);

  if (flags & DP_PARAM_FLAG_READONLY)
    return FALSE;
  if (role == DP_WEBUI_ROLE_ADMIN)
    return TRUE;
  if (flags & DP_PARAM_FLAG_ADMIN_ONLY)
    return FALSE;
  return dp_config_get_access (config, dp_param_get_name (param)) == DP_ACCESS_RW;
}

static gboolean
section_in_basic (const char *tab, const char *section)
{
  for (guint i = 0; i < G_N_ELEMENTS (basic_sections); i++)
    {
      const char *slash = strchr (basic_sections[i], '/');
      g_autofree char *btab = g_strndup (basic_sections[i], slash - basic_sections[i]);

      if (!g_str_equal (slash + 1, section))
        continue;
      if (g_str_equal (btab, tab) ||
          (g_str_equal (btab, "Ext_*") && g_str_has_prefix (tab, "Ext_")))
        return TRUE;
    }
  return FALSE;
}

static gboolean
tab_in_view (const DpWebuiPage *page, const char *tab)
{
  if (g_str_equal (tab, "Provisioning"))
    return page->role == DP_WEBUI_ROLE_ADMIN && page->advanced;
  return TRUE;
}

static void
page_head (GString *out, DpWebuiLang lang, const char *title, guint refresh_s)
{
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
                          dp_webui_lang_code (lang));
  if (refresh_s > 0)
    g_string_append_printf (out, "<meta http-equiv=\"refresh\" content=\"%u\">", refresh_s);
  g_string_append (out, "<meta name=\"viewport\" content=\"width=device-width\">"
                        "<link rel=\"stylesheet\" href=\"/assets/webui.css\"><title>");
  esc (out, title);
  g_string_append (out, "</title></head><body>");
}

static void
append_field (GString *out, const DpWebuiPage *page, const DpParam *param)
{
  const char *name = dp_param_get_name (param);
  guint flags = dp_param_get_flags (param);
  gboolean editable = dp_webui_param_editable (page->config, param, page->role);
  gboolean secret = (flags & DP_PARAM_FLAG_SECRET) != 0;
  const char *error = page->errors ? g_hash_table_lookup (page->errors, name) : NULL;
  const char *value = page->submitted ? g_hash_table_lookup (page->submitted, name) : NULL;
  g_autofree char *label = dp_webui_label (name);
  const char *disabled = editable ? "" : " disabled";

  if (value == NULL || secret)
    value = secret ? "" : dp_config_get (page->config, name);

  g_string_append_printf (out, "<div class=\"field%s\"><label for=\"f-", error ? " invalid" : "");
  esc (out, name);
  g_string_append (out, "\" title=\"");
  esc (out, name);
  g_string_append (out, "\">");
  esc (out, label);
  g_string_append (out, "</label>");

  if (secret)
    {
      g_string_append (out, "<input type=\"password\" autocomplete=\"new-password\" id=\"f-");
      esc (out, name);
      g_string_append (out, "\" name=\"");
      esc (out, name);
      g_string_append (out, "\" value=\"\" placeholder=\"");
      esc (out, T (page->lang, "(unchanged)"));
      g_string_append_printf (out, "\"%s>", disabled);
    }
  else if (dp_param_get_param_type (param) == DP_PARAM_BOOL ||
           dp_param_get_param_type (param) == DP_PARAM_ENUM)
    {
      static const char *const yes_no[] = { "Yes", "No", NULL };
      const char *const *choices = dp_param_get_param_type (param) == DP_PARAM_BOOL
                                   ? yes_no : dp_param_get_choices (param);
      gboolean current_bool = FALSE;
      gboolean is_bool = dp_param_get_param_type (param) == DP_PARAM_BOOL;
      gboolean matched = FALSE;

      /* An unparsable current boolean (e.g. blank) must not turn into a
       * silent "No" on the next submit: it is offered as it is. */
      if (is_bool && !dp_bool_parse (value, &current_bool))
        is_bool = FALSE, choices = yes_no;
      g_string_append (out, "<select id=\"f-");
      esc (out, name);
      g_string_append (out, "\" name=\"");
      esc (out, name);
      g_string_append_printf (out, "\"%s>", disabled);
      for (guint i = 0; choices && choices[i]; i++)
        {
          gboolean selected = is_bool ? (current_bool == (i == 0))
                                      : g_ascii_strcasecmp (choices[i], value) == 0;
          matched |= selected;
          g_string_append (out, "<option value=\"");
          esc (out, choices[i]);
          g_string_append_printf (out, "\"%s>", selected ? " selected" : "");
          esc (out, choices[i]);
          g_string_append (out, "</option>");
        }
      /* A value outside the choices (only possible after a rejected submit)
       * stays visible so the message next to it makes sense. */
      if (!matched && !is_bool)
        {
          g_string_append (out, "<option selected value=\"");
          esc (out, value);
          g_string_append (out, "\">");
          esc (out, value);
          g_string_append (out, "</option>");
        }
      g_string_append (out, "</select>");
    }
  else
    {
      DpParamType type = dp_param_get_param_type (param);

      g_string_append (out, "<input type=\"text\" id=\"f-");
      esc (out, name);
      g_string_append (out, "\" name=\"");
      esc (out, name);
      g_string_append (out, "\" value=\"");
      esc (out, value);
      g_string_append_printf (out, "\"%s%s>", disabled,
                              type == DP_PARAM_INT ? " inputmode=\"numeric\"" :
                              type == DP_PARAM_DECIMAL ? " inputmode=\"decimal\"" : "");
      if ((type == DP_PARAM_INT || type == DP_PARAM_DECIMAL) && dp_param_has_range (param))
        g_string_append_printf (out, "<span class=\"hint\">%.15g–%.15g</span>",
                                dp_param_get_min (param), dp_param_get_max (param));
    }
  if (error != NULL)
    {
      g_string_append (out, "<span class=\"error\" role=\"alert\" id=\"err-");
      esc (out, name);
      g_string_append (out, "\">");
      esc (out, error);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</div>");
}

/* Collects the tabs, in order, that have at least one parameter the page
 * shows. */
static GPtrArray *
collect_tabs (const DpWebuiPage *page, GPtrArray *names)
{
  GPtrArray *tabs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len; i++)
    {
      const DpParam *param = dp_config_lookup (page->config, names->pdata[i]);
      const char *tab = dp_param_get_tab (param);

      if (tab == NULL || g_hash_table_contains (present, tab))
        continue;
      if (!dp_webui_param_visible (page->config, param, page->role))
        continue;
      if (!page->advanced && !g_str_equal (tab, "Info") &&
          !section_in_basic (tab, dp_param_get_section (param)))
        continue;
      g_hash_table_add (present, g_strdup (tab));
      if (!g_strv_contains (known_tabs, tab))
        g_ptr_array_add (extra, g_strdup (tab));
    }
  g_ptr_array_add (tabs, g_strdup ("Info"));
  for (guint i = 1; i < G_N_ELEMENTS (known_tabs); i++)
    if (g_hash_table_contains (present, known_tabs[i]) && tab_in_view (page, known_tabs[i]))
      g_ptr_array_add (tabs, g_strdup (known_tabs[i]));
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (tabs, g_strdup (extra->pdata[i]));
  return tabs;
}

static void
append_tab_params (GString *out, const DpWebuiPage *page, GPtrArray *names, const char *tab,
                   gboolean readonly_only)
{
  const char *open_section = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const DpParam *param = dp_config_lookup (page->config, names->pdata[i]);
      const char *section = dp_param_get_section (param);

      if (g_strcmp0 (dp_param_get_tab (param), tab) != 0)
        continue;
      if (!dp_webui_param_visible (page->config, param, page->role))
        continue;
      if (!readonly_only && (dp_param_get_flags (param) & DP_PARAM_FLAG_READONLY))
        continue;
      if (!page->advanced && !readonly_only && !section_in_basic (tab, section))
        continue;
      if (g_strcmp0 (open_section, section) != 0)
        {
          g_autofree char *title = dp_webui_label (section ? section : "");

          if (open_section != NULL)
            g_string_append (out, "</fieldset>");
          g_string_append (out, "<fieldset><legend>");
          esc (out, title);
          g_string_append (out, "</legend>");
          open_section = section;
        }
      append_field (out, page, param);
    }
  if (open_section != NULL)
    g_string_append (out, "</fieldset>");
}

static void
kv_row (GString *out, const char *key, const char *value)
{
  g_string_append (out, "<tr><th>");
  esc (out, key);
  g_string_append (out, "</th><td>");
  esc (out, value);
  g_string_append (out, "</td></tr>");
}

static char *
json_scalar_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "Yes" : "No");
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
  return json_to_string (node, FALSE);
}

static void
object_rows (GString *out, JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *text = NULL;
      g_autofree char *label = dp_webui_label (l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          object_rows (out, json_node_get_object (node));
          continue;
        }
      text = json_scalar_text (node);
      kv_row (out, label, text);
    }
}

static void
append_info (GString *out, const DpWebuiPage *page, GPtrArray *names)
{
  g_autoptr(JsonNode) status = dp_core_build_status (page->core);
  JsonObject *root = json_node_get_object (status);
  JsonObject *ports = json_object_get_object_member (root, "ports");
  JsonArray *lines = json_object_get_array_member (root, "lines");
  JsonArray *calls = json_object_get_array_member (root, "calls");
  g_autofree char *uptime = g_strdup_printf ("%" G_GINT64_FORMAT " s",
                                             json_object_get_int_member (root, "uptime_s"));
  g_autofree char *web_port = NULL;

  g_string_append (out, "<fieldset><legend>");
  esc (out, T (page->lang, "Product Information"));
  g_string_append (out, "</legend><table class=\"kv\">");
  kv_row (out, "Product Name", "deskphone");
  kv_row (out, "Software Version", json_object_get_string_member (root, "version"));
  kv_row (out, "Elapsed Time", uptime);
  kv_row (out, "Language", json_object_get_string_member (root, "language"));
  g_string_append (out, "</table></fieldset>");

  g_string_append (out, "<fieldset><legend>");
  esc (out, T (page->lang, "Network"));
  g_string_append (out, "</legend><table class=\"kv\">");
  kv_row (out, "Current IP", page->local_address ? page->local_address : "—");
  if (ports != NULL)
    {
      web_port = json_scalar_text (json_object_get_member (ports, "web"));
      kv_row (out, "Web Server Port", web_port);
      if (json_object_has_member (ports, "sip"))
        object_rows (out, json_object_get_object_member (ports, "sip"));
    }
  kv_row (out, "Host Name", dp_config_get (page->config, "HostName"));
  kv_row (out, "Domain", dp_config_get (page->config, "Domain"));
  g_string_append (out, "</table></fieldset>");

  g_string_append (out, "<fieldset><legend>");
  esc (out, T (page->lang, "Registration"));
  g_string_append (out, "</legend><table class=\"grid\"><tr><th>Ext</th><th>User</th>"
                        "<th>Registration State</th><th>Last Error</th></tr>");
  for (guint i = 0; lines && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      g_autofree char *index = json_scalar_text (json_object_get_member (line, "index"));
      g_autofree char *user = json_scalar_text (json_object_get_member (line, "user"));
      g_autofree char *state = json_scalar_text (json_object_get_member (line, "registration"));
      g_autofree char *last = json_scalar_text (json_object_get_member (line, "last_error"));

      g_string_append (out, "<tr><td>");
      esc (out, index);
      g_string_append (out, "</td><td>");
      esc (out, user);
      g_string_append (out, "</td><td>");
      esc (out, dp_registration_label (state));
      g_string_append (out, "</td><td>");
      esc (out, last);
      g_string_append (out, "</td></tr>");
    }
  g_string_append (out, "</table></fieldset>");

  g_string_append (out, "<fieldset><legend>");
  esc (out, T (page->lang, "Calls"));
  g_string_append (out, "</legend>");
  if (calls == NULL || json_array_get_length (calls) == 0)
    {
      g_string_append (out, "<p>");
      esc (out, T (page->lang, "No call in progress."));
      g_string_append (out, "</p>");
    }
  for (guint i = 0; calls && i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);
      const char *id = json_object_has_member (call, "id")
                       ? json_object_get_string_member (call, "id") : NULL;
      GArray *history = (id && page->histories) ? g_hash_table_lookup (page->histories, id) : NULL;
      DpCallState state;

      /* People read a label; the status JSON (built for this page) keeps the
       * identifier everywhere else. */
      if (json_object_has_member (call, "state") &&
          dp_call_state_from_string (json_object_get_string_member (call, "state"), &state))
        json_object_set_string_member (call, "state", dp_call_state_label (state));
      g_string_append (out, "<table class=\"kv call\">");
      object_rows (out, call);
      g_string_append (out, "</table>");
      if (history != NULL && history->len > 0)
        {
          g_autofree char *svg = dp_webui_chart_svg ((DpWebuiSample *) (void *) history->data,
                                                     history->len, page->lang);
          g_string_append (out, svg);
        }
    }
  g_string_append (out, "</fieldset>");

  /* The Info tab's status parameters, as plugins fill them in. */
  append_tab_params (out, page, names, "Info", TRUE);
}

static void
append_tools (GString *out, const DpWebuiPage *page)
{
  static const char *actions[] = { "resync", "upgrade", "reboot" };
  static const char *titles[] = { "Resync", "Upgrade", "Reboot" };

  g_string_append (out, "<section class=\"tab\" id=\"tab-Tools\"><h2>");
  esc (out, T (page->lang, "Tools"));
  g_string_append (out, "</h2>");
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_string_append_printf (out, "<form class=\"action\" method=\"post\" action=\"/admin/%s\">"
                                   "<input type=\"hidden\" name=\"csrf\" value=\"", actions[i]);
      esc (out, page->csrf);
      g_string_append_printf (out, "\"><fieldset><legend>%s</legend>",
                              T (page->lang, titles[i]));
      if (i < 2)
        g_string_append_printf (out, "<label for=\"arg-%s\">URL</label>"
                                     "<input type=\"text\" id=\"arg-%s\" name=\"arg\" value=\"\">",
                                actions[i], actions[i]);
      g_string_append_printf (out, "<button type=\"submit\">%s</button></fieldset></form>",
                              T (page->lang, "Run"));
    }
  g_string_append_printf (out, "<fieldset><legend>%s</legend><p><a href=\"/admin/config.xml\">%s</a></p></fieldset>",
                          T (page->lang, "Profile"), T (page->lang, "Export configuration"));
  g_string_append (out, "<form class=\"action\" method=\"post\" action=\"/admin/import\" "
                        "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" value=\"");
  esc (out, page->csrf);
  g_string_append_printf (out, "\"><fieldset><legend>%s</legend>"
                               "<input type=\"file\" id=\"import-file\" name=\"profile\" accept=\".xml,.cfg,.txt\">"
                               "<button type=\"submit\">%s</button></fieldset></form></section>",
                          T (page->lang, "Import configuration"), T (page->lang, "Run"));
}

static void
append_nav_links (GString *out, const DpWebuiPage *page)
{
  g_string_append (out, "<header><h1>deskphone</h1><nav class=\"views\">");
  if (page->role == DP_WEBUI_ROLE_ADMIN)
    {
      g_string_append_printf (out, "<a href=\"/\">%s</a> ", T (page->lang, "User Login"));
      g_string_append_printf (out, "<a href=\"/admin/basic\"%s>%s</a> ",
                              page->advanced ? "" : " class=\"current\"", T (page->lang, "basic"));
      g_string_append_printf (out, "<a href=\"/admin/advanced\"%s>%s</a> ",
                              page->advanced ? " class=\"current\"" : "", T (page->lang, "advanced"));
    }
  else
    g_string_append_printf (out, "<a href=\"/admin/\">%s</a> ", T (page->lang, "Admin Login"));
  g_string_append (out, "<form class=\"logout\" method=\"post\" action=\"/logout\">"
                        "<input type=\"hidden\" name=\"csrf\" value=\"");
  esc (out, page->csrf);
  g_string_append_printf (out, "\"><button type=\"submit\">%s</button></form></nav></header>",
                          T (page->lang, "Log out"));
}

char *
dp_webui_render_config_page (const DpWebuiPage *page)
{
  g_autoptr(GPtrArray) names = dp_config_list (page->config);
  g_autoptr(GPtrArray) tabs = collect_tabs (page, names);
  GString *out = g_string_new (NULL);
  const char *view = page->role == DP_WEBUI_ROLE_ADMIN
                     ? (page->advanced ? "advanced" : "basic") : "user";
  gboolean tools = page->role == DP_WEBUI_ROLE_ADMIN;

  page_head (out, page->lang, "deskphone", 0);
  append_nav_links (out, page);

  g_string_append (out, "<nav class=\"tabs\">");
  for (guint i = 0; i < tabs->len; i++)
    {
      g_autofree char *title = tab_title (page->lang, tabs->pdata[i]);

      g_string_append (out, "<a href=\"#tab-");
      esc (out, tabs->pdata[i]);
      g_string_append (out, "\">");
      esc (out, title);
      g_string_append (out, "</a>");
    }
  if (tools)
    g_string_append_printf (out, "<a href=\"#tab-Tools\">%s</a>", T (page->lang, "Tools"));
  /* Separate pages: their forms cannot nest inside the settings form. */
  g_string_append_printf (out, "<a href=\"/directory\" id=\"link-directory\">%s</a>"
                               "<a href=\"/history\" id=\"link-history\">%s</a>",
                          T (page->lang, "Directory"), T (page->lang, "Call history"));
  g_string_append (out, "</nav>");

  if (page->notice != NULL)
    {
      g_string_append_printf (out, "<p class=\"notice%s\" id=\"notice\">",
                              page->notice_is_error ? " error" : "");
      esc (out, page->notice);
      g_string_append (out, "</p>");
    }

  g_string_append_printf (out, "<main><form id=\"cfg\" method=\"post\" action=\"%s\">"
                               "<input type=\"hidden\" name=\"csrf\" value=\"",
                          page->role == DP_WEBUI_ROLE_ADMIN ? "/admin/submit" : "/submit");
  esc (out, page->csrf);
  g_string_append_printf (out, "\"><input type=\"hidden\" name=\"view\" value=\"%s\">", view);

  for (guint i = 0; i < tabs->len; i++)
    {
      const char *tab = tabs->pdata[i];
      g_autofree char *title = tab_title (page->lang, tab);

      g_string_append_printf (out, "<section class=\"tab%s\" id=\"tab-", i == 0 ? " first" : "");
      esc (out, tab);
      g_string_append (out, "\"><h2>");
      esc (out, title);
      g_string_append (out, "</h2>");
      if (g_str_equal (tab, "Info"))
        append_info (out, page, names);
      else
        append_tab_params (out, page, names, tab, FALSE);
      g_string_append (out, "</section>");
    }
  g_string_append_printf (out, "<div class=\"buttons\"><button type=\"submit\" id=\"submit\">%s</button>"
                               "<button type=\"reset\" id=\"undo\">%s</button></div></form>",
                          T (page->lang, "Submit All Changes"), T (page->lang, "Undo All Changes"));
  if (tools)
    append_tools (out, page);
  g_string_append (out, "</main></body></html>\n");
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_login (DpWebuiLang lang, const char *account, const char *login_token,
                       const char *message)
{
  GString *out = g_string_new (NULL);
  gboolean admin = g_strcmp0 (account, "admin") == 0;

  page_head (out, lang, T (lang, admin ? "Admin Login" : "User Login"), 0);
  g_string_append_printf (out, "<main class=\"login\"><h1>%s</h1>",
                          T (lang, admin ? "Admin Login" : "User Login"));
  if (message != NULL)
    {
      g_string_append (out, "<p class=\"notice error\" id=\"notice\">");
      esc (out, message);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"token\" value=\"");
  esc (out, login_token);
  g_string_append_printf (out, "\"><label for=\"account\">%s</label><select id=\"account\" name=\"account\">"
                               "<option value=\"admin\"%s>admin</option><option value=\"user\"%s>user</option></select>"
                               "<label for=\"password\">%s</label>"
                               "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">"
                               "<button type=\"submit\" id=\"login\">%s</button></form></main></body></html>\n",
                          T (lang, "Account"), admin ? " selected" : "", admin ? "" : " selected",
                          T (lang, "Password"), T (lang, "Log in"));
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_setup (DpWebuiLang lang, const char *login_token, const char *message)
{
  GString *out = g_string_new (NULL);

  page_head (out, lang, T (lang, "Set the admin password"), 0);
  g_string_append_printf (out, "<main class=\"login\"><h1>%s</h1><p>%s</p>",
                          T (lang, "Set the admin password"),
                          T (lang, "The admin password is not set yet. Enter the one-time setup code from the phone's log (or the file webui-setup-code in its state folder) and choose a password."));
  if (message != NULL)
    {
      g_string_append (out, "<p class=\"notice error\" id=\"notice\">");
      esc (out, message);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<form method=\"post\" action=\"/setup\"><input type=\"hidden\" name=\"token\" value=\"");
  esc (out, login_token);
  g_string_append_printf (out, "\"><label for=\"code\">%s</label><input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"off\">"
                               "<label for=\"password\">%s</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\">"
                               "<label for=\"password2\">%s</label><input type=\"password\" id=\"password2\" name=\"password2\" autocomplete=\"new-password\">"
                               "<button type=\"submit\" id=\"setup\">%s</button></form></main></body></html>\n",
                          T (lang, "Setup code"), T (lang, "New password"), T (lang, "Repeat password"),
                          T (lang, "Submit All Changes"));
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_message (DpWebuiLang lang, const char *title, const char *text, gboolean is_error,
                         guint refresh_s)
{
  GString *out = g_string_new (NULL);

  page_head (out, lang, title, refresh_s);
  g_string_append (out, "<main class=\"message\"><h1>");
  esc (out, title);
  g_string_append_printf (out, "</h1><p class=\"notice%s\" id=\"notice\">", is_error ? " error" : "");
  esc (out, text);
  g_string_append (out, "</p><p><a href=\"/admin/advanced\">deskphone</a></p></main></body></html>\n");
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_confirm (DpWebuiLang lang, const char *action, const char *argument,
                         const char *csrf)
{
  GString *out = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("%c%s", g_ascii_toupper (action[0]), action + 1);

  page_head (out, lang, T (lang, title), 0);
  g_string_append_printf (out, "<main class=\"message\"><h1>%s</h1><form method=\"post\" action=\"/admin/%s\">"
                               "<input type=\"hidden\" name=\"csrf\" value=\"",
                          T (lang, title), action);
  esc (out, csrf);
  g_string_append (out, "\"><input type=\"text\" name=\"arg\" id=\"arg\" value=\"");
  esc (out, argument ? argument : "");
  g_string_append_printf (out, "\"><button type=\"submit\" id=\"run\">%s</button></form></main></body></html>\n",
                          T (lang, "Run"));
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_progress (DpWebuiLang lang, JsonNode *provisioning)
{
  GString *out = g_string_new (NULL);

  /* A meta refresh, not a script, keeps the progress current. */
  page_head (out, lang, T (lang, "Upgrade progress"), 2);
  g_string_append_printf (out, "<main class=\"message\"><h1>%s</h1><table class=\"kv\" id=\"progress\">",
                          T (lang, "Upgrade progress"));
  if (provisioning != NULL && JSON_NODE_HOLDS_OBJECT (provisioning))
    object_rows (out, json_node_get_object (provisioning));
  g_string_append (out, "</table><p><a href=\"/admin/advanced\">deskphone</a></p></main></body></html>\n");
  return g_string_free (out, FALSE);
}

/* A self-contained SVG line chart: jitter (ms) and cumulative packets lost
 * against seconds into the call, each scaled to its own maximum. */
char *
dp_webui_chart_svg (const DpWebuiSample *samples, guint n_samples, DpWebuiLang lang)
{
  const double w = 480, h = 160, pad = 30;
  double t0, t1, jmax = 1, lmax = 1;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (n_samples > 0, g_string_free (out, FALSE));

  t0 = samples[0].t_s;
  t1 = samples[n_samples - 1].t_s;
  if (t1 <= t0)
    t1 = t0 + 1;
  for (guint i = 0; i < n_samples; i++)
    {
      jmax = MAX (jmax, samples[i].jitter_ms);
      lmax = MAX (lmax, samples[i].lost);
    }
  g_string_append_printf (out, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                               "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">"
                               "<rect x=\"%.0f\" y=\"10\" width=\"%.0f\" height=\"%.0f\" class=\"frame\"/>",
                          w, h, w, h, pad, w - 2 * pad, h - pad - 10);
  for (guint series = 0; series < 2; series++)
    {
      g_string_append_printf (out, "<polyline class=\"%s\" points=\"", series == 0 ? "jitter" : "lost");
      for (guint i = 0; i < n_samples; i++)
        {
          double v = series == 0 ? samples[i].jitter_ms / jmax : samples[i].lost / lmax;
          double x = pad + (samples[i].t_s - t0) / (t1 - t0) * (w - 2 * pad);
          double y = (h - pad) - v * (h - pad - 10);
          char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (xs, sizeof xs, "%.1f", x);
          g_ascii_formatd (ys, sizeof ys, "%.1f", y);
          g_string_append_printf (out, "%s%s,%s", i ? " " : "", xs, ys);
        }
      g_string_append (out, "\"/>");
    }
  g_string_append_printf (out, "<text x=\"%.0f\" y=\"%.0f\" class=\"jitter\">jitter max %.1f ms</text>"
                               "<text x=\"%.0f\" y=\"%.0f\" class=\"lost\">lost max %.0f</text>"
                               "<text x=\"%.0f\" y=\"%.0f\">%.0f s</text></svg><figcaption>",
                          pad, h - 8, jmax, w / 2, h - 8, lmax, w - pad - 30, h - 8, t1 - t0);
  esc (out, T (lang, "Jitter (ms) and packets lost over the call"));
  g_string_append (out, "</figcaption></figure>");
  return g_string_free (out, FALSE);
}

/* Directory and call history pages */

static void
append_small_form (GString *out, const char *action, const char *csrf, const char *id,
                   const char *button_id, const char *label)
{
  g_string_append_printf (out, "<form class=\"inline\" method=\"post\" action=\"%s\">"
                               "<input type=\"hidden\" name=\"csrf\" value=\"", action);
  esc (out, csrf);
  g_string_append (out, "\"><input type=\"hidden\" name=\"id\" value=\"");
  esc (out, id);
  g_string_append (out, "\"><button type=\"submit\" id=\"");
  esc (out, button_id);
  g_string_append (out, "\">");
  esc (out, label);
  g_string_append (out, "</button></form>");
}

static void
append_text_input (GString *out, const char *name, const char *label, const char *value,
                   GHashTable *errors)
{
  const char *error = errors ? g_hash_table_lookup (errors, name) : NULL;

  g_string_append_printf (out, "<label for=\"%s\">", name);
  esc (out, label);
  g_string_append_printf (out, "</label><input type=\"text\" name=\"%s\" id=\"%s\" maxlength=\"%d\" value=\"",
                          name, name, DP_DIRECTORY_MAX_TEXT);
  esc (out, value ? value : "");
  g_string_append (out, "\">");
  if (error != NULL)
    {
      g_string_append_printf (out, "<span class=\"error\" id=\"err-%s\">", name);
      esc (out, error);
      g_string_append (out, "</span>");
    }
}

static void
append_sub_page_head (GString *out, DpWebuiLang lang, DpWebuiRole role, const char *title,
                      const char *csrf, const char *notice, gboolean notice_is_error)
{
  page_head (out, lang, title, 0);
  g_string_append (out, "<header><h1>deskphone</h1><nav class=\"views\">");
  g_string_append_printf (out, "<a href=\"%s\" id=\"back\">%s</a> ",
                          role == DP_WEBUI_ROLE_ADMIN ? "/admin/advanced" : "/", T (lang, "Settings"));
  g_string_append_printf (out, "<a href=\"/directory\">%s</a> <a href=\"/history\">%s</a> ",
                          T (lang, "Directory"), T (lang, "Call history"));
  g_string_append (out, "<form class=\"logout\" method=\"post\" action=\"/logout\">"
                        "<input type=\"hidden\" name=\"csrf\" value=\"");
  esc (out, csrf);
  g_string_append_printf (out, "\"><button type=\"submit\">%s</button></form></nav></header>",
                          T (lang, "Log out"));
  if (notice != NULL)
    {
      g_string_append_printf (out, "<p class=\"notice%s\" id=\"notice\">", notice_is_error ? " error" : "");
      esc (out, notice);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<main><section class=\"page\"><h2>");
  esc (out, title);
  g_string_append (out, "</h2>");
}

char *
dp_webui_render_directory (const DpWebuiDirectoryPage *page)
{
  GString *out = g_string_new (NULL);
  DpWebuiLang lang = page->lang;
  guint n = dp_directory_get_n_entries (page->directory);
  const DpDirectoryEntry *editing = page->edit_id ? dp_directory_lookup (page->directory, page->edit_id) : NULL;
  const char *name_value, *number_value;

  append_sub_page_head (out, lang, page->role, T (lang, "Personal Directory"), page->csrf,
                        page->notice, page->notice_is_error);
  if (n == 0)
    g_string_append_printf (out, "<p id=\"empty\">%s</p>", T (lang, "The directory is empty."));
  else
    {
      g_string_append_printf (out, "<table id=\"directory\"><thead><tr><th>%s</th><th>%s</th><th></th></tr>"
                                   "</thead><tbody>", T (lang, "Name"), T (lang, "Number"));
      for (guint i = 0; i < n; i++)
        {
          const DpDirectoryEntry *entry = dp_directory_get_entry (page->directory, i);
          g_autofree char *dial_id = g_strconcat ("dial-", entry->id, NULL);
          g_autofree char *delete_id = g_strconcat ("delete-", entry->id, NULL);

          g_string_append (out, "<tr id=\"entry-");
          esc (out, entry->id);
          g_string_append (out, "\"><td class=\"name\">");
          esc (out, entry->name);
          g_string_append (out, "</td><td class=\"number\">");
          esc (out, entry->number);
          g_string_append (out, "</td><td class=\"actions\">");
          append_small_form (out, "/directory/dial", page->csrf, entry->id, dial_id, T (lang, "Dial"));
          g_string_append (out, "<a class=\"button\" id=\"edit-");
          esc (out, entry->id);
          g_string_append (out, "\" href=\"/directory?edit=");
          esc (out, entry->id);
          g_string_append_printf (out, "#entry-form\">%s</a>", T (lang, "Edit"));
          append_small_form (out, "/directory/delete", page->csrf, entry->id, delete_id, T (lang, "Delete"));
          g_string_append (out, "</td></tr>");
        }
      g_string_append (out, "</tbody></table>");
    }

  /* One form for adding and editing; after a rejected submit it shows what
   * was typed, with the messages next to the fields. */
  name_value = page->submitted ? g_hash_table_lookup (page->submitted, "name") : NULL;
  number_value = page->submitted ? g_hash_table_lookup (page->submitted, "number") : NULL;
  if (page->submitted == NULL && editing != NULL)
    {
      name_value = editing->name;
      number_value = editing->number;
    }
  g_string_append_printf (out, "<h3>%s</h3><form id=\"entry-form\" class=\"entry\" method=\"post\" action=\"%s\">"
                               "<input type=\"hidden\" name=\"csrf\" value=\"",
                          editing ? T (lang, "Edit entry") : T (lang, "Add entry"),
                          editing ? "/directory/edit" : "/directory/add");
  esc (out, page->csrf);
  g_string_append (out, "\">");
  if (editing != NULL)
    {
      g_string_append (out, "<input type=\"hidden\" name=\"id\" value=\"");
      esc (out, editing->id);
      g_string_append (out, "\">");
    }
  append_text_input (out, "name", T (lang, "Name"), name_value, page->errors);
  append_text_input (out, "number", T (lang, "Number"), number_value, page->errors);
  g_string_append_printf (out, "<button type=\"submit\" id=\"save\">%s</button>",
                          editing ? T (lang, "Save") : T (lang, "Add"));
  if (editing != NULL)
    g_string_append_printf (out, " <a href=\"/directory\" id=\"cancel\">%s</a>", T (lang, "Cancel"));
  g_string_append (out, "</form></section></main></body></html>\n");
  return g_string_free (out, FALSE);
}

char *
dp_webui_render_history (DpWebuiLang lang, DpWebuiRole role, const char *csrf, DpCallHistory *history)
{
  static const struct { DpCallHistoryKind kind; const char *title; } kinds[] = {
    { DP_CALL_HISTORY_PLACED, N_("Placed calls") },
    { DP_CALL_HISTORY_RECEIVED, N_("Received calls") },
    { DP_CALL_HISTORY_MISSED, N_("Missed calls") },
  };
  GString *out = g_string_new (NULL);
  guint n = history ? dp_call_history_get_n_entries (history) : 0;

  append_sub_page_head (out, lang, role, T (lang, "Call history"), csrf, NULL, FALSE);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      guint shown = 0;

      g_string_append_printf (out, "<h3>%s</h3><table class=\"history\" id=\"history-%s\"><thead><tr>"
                                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                              T (lang, kinds[k].title), dp_call_history_kind_to_string (kinds[k].kind),
                              T (lang, "Time"), T (lang, "Name"), T (lang, "Number"), T (lang, "Line"),
                              T (lang, "Duration"));
      /* Newest first, as stored. */
      for (guint i = 0; i < n; i++)
        {
          const DpCallHistoryEntry *entry = dp_call_history_get_entry (history, i);
          g_autoptr(GDateTime) start = NULL;
          g_autofree char *when = NULL;

          if (entry->kind != kinds[k].kind)
            continue;
          shown++;
          start = g_date_time_new_from_unix_local (entry->start);
          when = start ? g_date_time_format (start, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
          g_string_append (out, "<tr><td>");
          esc (out, when);
          g_string_append (out, "</td><td>");
          esc (out, entry->name ? entry->name : "");
          g_string_append (out, "</td><td>");
          esc (out, entry->peer ? entry->peer : "");
          g_string_append_printf (out, "</td><td>%u</td><td>%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT
                                       "</td></tr>",
                                  entry->line, entry->duration_s / 60, entry->duration_s % 60);
        }
      if (shown == 0)
        g_string_append_printf (out, "<tr><td colspan=\"5\">%s</td></tr>", T (lang, "No calls"));
      g_string_append (out, "</tbody></table>");
    }
  g_string_append (out, "</section></main></body></html>\n");
  return g_string_free (out, FALSE);
}
