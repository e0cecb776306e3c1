/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RFC 4235 dialog-info parser and dialog state (dp-dialog-info.h). */
#include "dp-dialog-info.h"

#include <string.h>

#define NS "urn:ietf:params:xml:ns:dialog-info"

static DpDialogInfo *
parse (const char *xml, GError **error)
{
  return dp_dialog_info_parse ((const guint8 *) xml, strlen (xml), error);
}

static void
assert_invalid (const char *xml, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info = parse (xml, &error);

  g_assert_null (info);
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID);
  if (strstr (error->message, words) == NULL)
    g_error ("'%s' does not mention '%s'", error->message, words);
}

/* RFC 4235 §5 example shape, with identifiers and identities. */
static const char ringing_doc[] =
  "<?xml version=\"1.0\"?>\n"
  "<dialog-info xmlns=\"" NS "\" version=\"0\" state=\"full\" entity=\"sip:1002@pbx\">\n"
  "  <dialog id=\"as7d900as8\" call-id=\"a84b4c76e66710\" local-tag=\"1928301774\"\n"
  "          remote-tag=\"456887766\" direction=\"recipient\">\n"
  "    <state event=\"rejected\" code=\"180\">  early </state>\n"
  "    <duration>5</duration>\n"
  "    <local><identity display=\"Mehmet\">sip:1002@pbx</identity>\n"
  "      <target uri=\"sip:1002@10.0.0.7\"/></local>\n"
  "    <remote><identity display=\"Caller\">sip:5551234@pbx</identity>\n"
  "      <target uri=\"sip:5551234@10.0.0.9\"/></remote>\n"
  "  </dialog>\n"
  "</dialog-info>\n";

static void
test_full_ringing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info = parse (ringing_doc, &error);
  const DpDialog *dialog;

  g_assert_no_error (error);
  g_assert_cmpuint (info->version, ==, 0);
  g_assert_false (info->partial);
  g_assert_cmpstr (info->entity, ==, "sip:1002@pbx");
  g_assert_cmpuint (info->dialogs->len, ==, 1);
  dialog = info->dialogs->pdata[0];
  g_assert_cmpstr (dialog->id, ==, "as7d900as8");
  g_assert_cmpstr (dialog->call_id, ==, "a84b4c76e66710");
  g_assert_cmpstr (dialog->local_tag, ==, "1928301774");
  g_assert_cmpstr (dialog->remote_tag, ==, "456887766");
  g_assert_cmpint (dialog->direction, ==, DP_DIALOG_DIRECTION_RECIPIENT);
  g_assert_cmpint (dialog->state, ==, DP_DIALOG_STATE_EARLY);
  g_assert_cmpstr (dialog->state_event, ==, "rejected");
  g_assert_cmpuint (dialog->state_code, ==, 180);
  g_assert_cmpstr (dialog->local_identity, ==, "sip:1002@pbx");
  g_assert_cmpstr (dialog->local_display, ==, "Mehmet");
  g_assert_cmpstr (dialog->local_target, ==, "sip:1002@10.0.0.7");
  g_assert_cmpstr (dialog->remote_identity, ==, "sip:5551234@pbx");
  g_assert_cmpstr (dialog->remote_display, ==, "Caller");
  g_assert_cmpstr (dialog->remote_target, ==, "sip:5551234@10.0.0.9");
  g_assert_false (dp_dialog_is_held (dialog));
  g_assert_true (dp_dialog_has_identifiers (dialog));
}

static void
test_prefixed_and_foreign (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info =
    parse ("<d:dialog-info xmlns:d=\"" NS "\" xmlns:x=\"urn:x\" version=\"7\" state=\"partial\""
           " entity=\"sip:a@b\"><x:dialog id=\"ignored\"/><d:dialog id=\"1\">"
           "<d:state>confirmed</d:state><d:local><d:target uri=\"sip:a@h\">"
           "<d:param pname=\"+sip.rendering\" pvalue=\"no\"/></d:target></d:local>"
           "</d:dialog></d:dialog-info>", &error);
  const DpDialog *dialog;

  g_assert_no_error (error);
  g_assert_true (info->partial);
  g_assert_cmpuint (info->version, ==, 7);
  g_assert_cmpuint (info->dialogs->len, ==, 1);
  dialog = info->dialogs->pdata[0];
  g_assert_cmpint (dialog->direction, ==, DP_DIALOG_DIRECTION_UNKNOWN);
  g_assert_true (dialog->local_held);
  g_assert_true (dp_dialog_is_held (dialog));
  g_assert_false (dp_dialog_has_identifiers (dialog));
}

static void
test_invalid (void)
{
  assert_invalid ("", "empty");
  assert_invalid ("<dialog-info", "line 1 column");
  assert_invalid ("<dialog-info version=\"1\" state=\"full\" entity=\"e\"/>", "namespace");
  assert_invalid ("<dialog xmlns=\"" NS "\"/>", "root element");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" state=\"full\" entity=\"e\"/>", "missing 'version'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"-1\" state=\"full\" entity=\"e\"/>",
                  "version '-1'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"4294967296\" state=\"full\" entity=\"e\"/>",
                  "version");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"half\" entity=\"e\"/>",
                  "'full' or 'partial'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\"/>", "entity");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">\n"
                  "<dialog><state>early</state></dialog></dialog-info>", "line 2: <dialog>: missing 'id'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\"/></dialog-info>", "no <state>");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\"><state>early</state><state>early</state></dialog></dialog-info>",
                  "more than one <state>");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\"><state>ringing</state></dialog></dialog-info>",
                  "unknown dialog state 'ringing'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\" direction=\"up\"><state>early</state></dialog></dialog-info>",
                  "direction 'up'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\"><state code=\"99\">early</state></dialog></dialog-info>",
                  "code '99'");
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"e\">"
                  "<dialog id=\"1\"><state>early</state></dialog>"
                  "<dialog id=\"1\"><state>early</state></dialog></dialog-info>", "appears twice");
}

static void
test_hostile (void)
{
  g_autoptr(GString) many = g_string_new ("<dialog-info xmlns=\"" NS "\" version=\"1\" "
                                          "state=\"full\" entity=\"e\">");
  g_autofree char *huge = g_strnfill (DP_DIALOG_INFO_MAX_SIZE + 1, ' ');

  /* Billion laughs and external entities never reach libxml2. */
  assert_invalid ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]>"
                  "<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"&b;\"/>",
                  "byte 22: a DOCTYPE is not allowed");
  assert_invalid ("<!DOCTYPE d SYSTEM \"http://127.0.0.1:1/x.dtd\"><dialog-info/>", "DOCTYPE");
  /* Undeclared entities are errors, not fetches. */
  assert_invalid ("<dialog-info xmlns=\"" NS "\" version=\"1\" state=\"full\" entity=\"&x;\"/>",
                  "line 1");
  assert_invalid (huge, "more than");
  for (int i = 0; i <= DP_DIALOG_INFO_MAX_DIALOGS; i++)
    g_string_append_printf (many, "<dialog id=\"%d\"><state>confirmed</state></dialog>", i);
  g_string_append (many, "</dialog-info>");
  assert_invalid (many->str, "more than 256 dialogs");
  {
    /* Embedded NUL. */
    static const guint8 nul[] = "<dialog-info xmlns=\"" NS "\"\0 version=\"1\"/>";
    g_autoptr(GError) error = NULL;
    g_autoptr(DpDialogInfo) info = dp_dialog_info_parse (nul, sizeof nul - 1, &error);

    g_assert_null (info);
    g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID);
  }
}

static void
test_content_type (void)
{
  g_assert_true (dp_dialog_info_content_type_ok ("application/dialog-info+xml"));
  g_assert_true (dp_dialog_info_content_type_ok (" Application/Dialog-Info+XML ; charset=UTF-8"));
  g_assert_false (dp_dialog_info_content_type_ok ("application/dialog-info+xmlx"));
  g_assert_false (dp_dialog_info_content_type_ok ("application/pidf+xml"));
  g_assert_false (dp_dialog_info_content_type_ok (NULL));
}

static void
test_parse_notify (void)
{
  static const char xml[] = "<dialog-info xmlns=\"" NS "\" version=\"3\" state=\"full\" "
                            "entity=\"sip:1002@pbx\"/>";
  g_autoptr(GBytes) body = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DpDialogInfo) info =
    dp_dialog_info_parse_notify ("application/dialog-info+xml;charset=UTF-8", body, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (info->version, ==, 3);
  g_assert_null (dp_dialog_info_parse_notify ("application/pidf+xml", body, &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "application/pidf+xml"));
  g_clear_error (&error);
  g_assert_null (dp_dialog_info_parse_notify (NULL, body, &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dp_dialog_info_parse_notify ("application/dialog-info+xml", NULL, &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID);
}

static char *
doc (guint version, const char *state, const char *dialogs)
{
  return g_strdup_printf ("<dialog-info xmlns=\"" NS "\" version=\"%u\" state=\"%s\" "
                          "entity=\"sip:1002@pbx\">%s</dialog-info>", version, state, dialogs);
}

static gboolean
apply (DpDialogSet *set, guint version, const char *state, const char *dialogs, GError **error)
{
  g_autofree char *xml = doc (version, state, dialogs);
  g_autoptr(DpDialogInfo) info = parse (xml, NULL);

  g_assert_nonnull (info);
  return dp_dialog_set_apply (set, info, error);
}

#define D(id, dir, st) "<dialog id=\"" id "\"" dir "><state>" st "</state></dialog>"
#define HELD(id) "<dialog id=\"" id "\"><state>confirmed</state><local><target uri=\"sip:x@y\">" \
                 "<param pname=\"+sip.rendering\" pvalue=\"no\"/></target></local></dialog>"

static void
test_set_states (void)
{
  g_autoptr(DpDialogSet) set = dp_dialog_set_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_UNKNOWN);
  g_assert_true (apply (set, 3, "full", "", NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_IDLE);
  g_assert_true (apply (set, 4, "partial", D ("a", " direction=\"recipient\"", "early"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_RINGING);
  g_assert_nonnull (dp_dialog_set_get_ringing (set));
  g_assert_true (apply (set, 5, "partial", D ("a", " direction=\"recipient\"", "confirmed"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_BUSY);
  g_assert_null (dp_dialog_set_get_ringing (set));
  g_assert_true (apply (set, 6, "partial", HELD ("a"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_HELD);
  /* A second, ringing dialog beats hold and busy. */
  g_assert_true (apply (set, 7, "partial", D ("b", "", "proceeding"), NULL));
  g_assert_cmpuint (dp_dialog_set_get_n_dialogs (set), ==, 2);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_RINGING);
  g_assert_true (apply (set, 8, "partial", D ("b", "", "terminated"), NULL));
  g_assert_cmpuint (dp_dialog_set_get_n_dialogs (set), ==, 1);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_HELD);
  /* Outgoing, not yet answered: busy, not ringing. */
  g_assert_true (apply (set, 9, "full", D ("c", " direction=\"initiator\"", "early"), NULL));
  g_assert_cmpuint (dp_dialog_set_get_n_dialogs (set), ==, 1);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_BUSY);
  /* Held plus active: busy. */
  g_assert_true (apply (set, 10, "full", HELD ("a") D ("d", "", "confirmed"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_BUSY);
  g_assert_true (apply (set, 11, "full", D ("a", "", "terminated"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_IDLE);
  g_assert_cmpuint (dp_dialog_set_get_version (set), ==, 11);
}

static void
test_set_versions (void)
{
  g_autoptr(DpDialogSet) set = dp_dialog_set_new ();
  g_autoptr(GError) error = NULL;

  /* Partial first: refused. */
  g_assert_false (apply (set, 0, "partial", D ("a", "", "early"), &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE);
  g_clear_error (&error);
  g_assert_false (dp_dialog_set_has_state (set));
  g_assert_true (apply (set, 5, "full", D ("a", "", "confirmed"), NULL));
  /* Stale full and partial: refused, state kept. */
  g_assert_false (apply (set, 5, "full", "", &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_STALE);
  g_clear_error (&error);
  g_assert_false (apply (set, 4, "partial", D ("a", "", "terminated"), &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_STALE);
  g_clear_error (&error);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_BUSY);
  /* A gap in partial state: refused, state kept. */
  g_assert_false (apply (set, 7, "partial", D ("a", "", "terminated"), &error));
  g_assert_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE);
  g_clear_error (&error);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_BUSY);
  /* Full state may jump. */
  g_assert_true (apply (set, 9, "full", "", NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_IDLE);
  /* After a reset (new subscription), the count restarts. */
  dp_dialog_set_reset (set);
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_UNKNOWN);
  g_assert_true (apply (set, 0, "full", D ("a", "", "early"), NULL));
  g_assert_cmpint (dp_dialog_set_get_blf_state (set), ==, DP_BLF_STATE_RINGING);
}

static void
test_ringing_prefers_identifiers (void)
{
  g_autoptr(DpDialogSet) set = dp_dialog_set_new ();
  const DpDialog *ringing;

  g_assert_true (apply (set, 1, "full",
                        D ("x", "", "early")
                        "<dialog id=\"y\" call-id=\"c\" local-tag=\"l\" remote-tag=\"r\">"
                        "<state>early</state></dialog>", NULL));
  ringing = dp_dialog_set_get_ringing (set);
  g_assert_nonnull (ringing);
  g_assert_cmpstr (ringing->id, ==, "y");
}

static void
test_names (void)
{
  g_assert_cmpstr (dp_blf_state_to_string (DP_BLF_STATE_HELD), ==, "held");
  g_assert_cmpstr (dp_blf_state_to_string (DP_BLF_STATE_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (dp_dialog_state_to_string (DP_DIALOG_STATE_EARLY), ==, "early");
  g_assert_cmpstr (dp_dialog_direction_to_string (DP_DIALOG_DIRECTION_INITIATOR), ==, "initiator");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dialog-info/full-ringing", test_full_ringing);
  g_test_add_func ("/dialog-info/prefixed-and-foreign", test_prefixed_and_foreign);
  g_test_add_func ("/dialog-info/invalid", test_invalid);
  g_test_add_func ("/dialog-info/hostile", test_hostile);
  g_test_add_func ("/dialog-info/content-type", test_content_type);
  g_test_add_func ("/dialog-info/parse-notify", test_parse_notify);
  g_test_add_func ("/dialog-info/set-states", test_set_states);
  g_test_add_func ("/dialog-info/set-versions", test_set_versions);
  g_test_add_func ("/dialog-info/ringing-prefers-identifiers", test_ringing_prefers_identifiers);
  g_test_add_func ("/dialog-info/names", test_names);
  return g_test_run ();
}
