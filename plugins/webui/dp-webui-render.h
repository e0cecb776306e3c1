/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HTML generation. Every configuration page is generated from the
 * DpConfig metadata (tab/section from the group, type, choices, range,
 * flags, user access): there is no hand-written page per parameter.
 *
 * Views: the user view (`/`) and the admin view in two flavours,
 * `/admin/basic` (= `/admin/`) and `/admin/advanced`. All tabs of a view are
 * one HTML form, so moving between tabs keeps unsubmitted edits (as on the
 * SPA) while switching views reloads the page and discards them. Tabs are
 * switched with CSS `:target`, so the pages need no script at all and the
 * Content-Security-Policy can forbid scripts outright.
 *
 * What each account sees:
 * - admin: every parameter; status values (READONLY) only on the Info tab;
 *   secrets as empty password fields ("(unchanged)"): a secret is never
 *   written into a page, and an empty secret field leaves the value as it is
 *   (so a secret cannot be cleared from the web UI; a profile can).
 * - user: parameters whose user access is `ro` (shown, disabled) or `rw`
 *   (editable), never `na` ones nor ADMIN_ONLY ones.
 * - The Provisioning tab appears only in the admin advanced view (spec §13).
 * - Both accounts get two more pages, linked from the tab bar: the personal
 *   directory (/directory, issue 11) and the read-only call history
 *   (/history). They are pages of their own, not :target tabs, because
 *   their per-entry forms cannot nest inside the settings form.
 * - The basic view shows the sections listed in basic_sections[] in
 *   dp-webui-render.c (the SPA's basic pages are not documented beyond this
 *   idea; the advanced view always shows every parameter).
 */
#pragma once

#include <deskphone.h>
#include "dp-webui-auth.h"
#include "dp-webui-i18n.h"

G_BEGIN_DECLS

typedef struct {
  double t_s;
  double jitter_ms;
  double lost;
} DpWebuiSample;

typedef struct {
  DpCore *core;
  DpConfig *config;
  DpWebuiLang lang;
  DpWebuiRole role;
  gboolean advanced;
  const char *csrf;
  /* name -> value to show instead of the current value (after a rejected
   * submit, so the administrator can correct it) */
  GHashTable *submitted;
  /* name -> validation message shown next to the field */
  GHashTable *errors;
  const char *notice;
  gboolean notice_is_error;
  const char *local_address;
  /* call id -> GArray of DpWebuiSample */
  GHashTable *histories;
} DpWebuiPage;

gboolean  dp_webui_param_visible      (DpConfig       *config,
                                       const DpParam  *param,
                                       DpWebuiRole     role);
gboolean  dp_webui_param_editable     (DpConfig       *config,
                                       const DpParam  *param,
                                       DpWebuiRole     role);
char     *dp_webui_label              (const char     *name);

char     *dp_webui_render_config_page (const DpWebuiPage *page);
char     *dp_webui_render_login       (DpWebuiLang     lang,
                                       const char     *account,
                                       const char     *login_token,
                                       const char     *message);
char     *dp_webui_render_setup       (DpWebuiLang     lang,
                                       const char     *login_token,
                                       const char     *message);
char     *dp_webui_render_message     (DpWebuiLang     lang,
                                       const char     *title,
                                       const char     *text,
                                       gboolean        is_error,
                                       guint           refresh_s);
char     *dp_webui_render_confirm     (DpWebuiLang     lang,
                                       const char     *action,
                                       const char     *argument,
                                       const char     *csrf);
char     *dp_webui_render_progress    (DpWebuiLang     lang,
                                       JsonNode       *provisioning);
/* The personal directory page (/directory) of either account: the list
 * with Dial / Edit / Delete per entry and one add-or-edit form. */
typedef struct {
  DpDirectory *directory;
  DpWebuiLang lang;
  DpWebuiRole role;
  const char *csrf;
  /* entry whose values fill the form (GET /directory?edit=ID), or NULL */
  const char *edit_id;
  /* "name"/"number" as typed, after a rejected add or edit */
  GHashTable *submitted;
  /* "name"/"number" -> message shown next to the field */
  GHashTable *errors;
  const char *notice;
  gboolean notice_is_error;
} DpWebuiDirectoryPage;

char     *dp_webui_render_directory   (const DpWebuiDirectoryPage *page);
char     *dp_webui_render_history     (DpWebuiLang     lang,
                                       DpWebuiRole     role,
                                       const char     *csrf,
                                       DpCallHistory  *history);
char     *dp_webui_chart_svg          (const DpWebuiSample *samples,
                                       guint           n_samples,
                                       DpWebuiLang     lang);

G_END_DECLS
