/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RFC 4235 dialog-info+xml: a parser that treats the body as hostile, and
 * the per-subscription dialog state with the version rules of §4.4. See the
 * header for the decisions. */
#define G_LOG_DOMAIN "dp-sidecar"

#include "dp-dialog-info.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#define DIALOG_INFO_NS "urn:ietf:params:xml:ns:dialog-info"

struct _DpDialogSet {
  GPtrArray *dialogs;   /* DpDialog*, never terminated */
  gboolean has_state;
  guint32 version;
};

G_DEFINE_QUARK (dp-dialog-info-error-quark, dp_dialog_info_error)
G_DEFINE_BOXED_TYPE (DpDialogInfo, dp_dialog_info, dp_dialog_info_copy, dp_dialog_info_free)
G_DEFINE_BOXED_TYPE (DpDialog, dp_dialog, dp_dialog_copy, dp_dialog_free)

static const char * const state_names[] = {
  "trying", "proceeding", "early", "confirmed", "terminated"
};

const char *
dp_dialog_state_to_string (DpDialogState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) ? state_names[state] : "unknown";
}

const char *
dp_dialog_direction_to_string (DpDialogDirection direction)
{
  switch (direction)
    {
    case DP_DIALOG_DIRECTION_INITIATOR: return "initiator";
    case DP_DIALOG_DIRECTION_RECIPIENT: return "recipient";
    case DP_DIALOG_DIRECTION_UNKNOWN:
    default: return "unknown";
    }
}

/**
 * dp_blf_state_to_string:
 * @state: a #DpBlfState
 *
 * Returns: "off", "unknown", "idle", "ringing", "busy" or "held"
 */
const char *
dp_blf_state_to_string (DpBlfState state)
{
  static const char * const names[] = { "off", "unknown", "idle", "ringing", "busy", "held" };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

DpDialog *
dp_dialog_copy (const DpDialog *dialog)
{
  DpDialog *copy;

  g_return_val_if_fail (dialog != NULL, NULL);

  copy = g_new0 (DpDialog, 1);
  *copy = *dialog;
  copy->id = g_strdup (dialog->id);
  copy->call_id = g_strdup (dialog->call_id);
  copy->local_tag = g_strdup (dialog->local_tag);
  copy->remote_tag = g_strdup (dialog->remote_tag);
  copy->state_event = g_strdup (dialog->state_event);
  copy->local_identity = g_strdup (dialog->local_identity);
  copy->local_display = g_strdup (dialog->local_display);
  copy->local_target = g_strdup (dialog->local_target);
  copy->remote_identity = g_strdup (dialog->remote_identity);
  copy->remote_display = g_strdup (dialog->remote_display);
  copy->remote_target = g_strdup (dialog->remote_target);
  return copy;
}

void
dp_dialog_free (DpDialog *dialog)
{
  if (dialog == NULL)
    return;
  g_free (dialog->id);
  g_free (dialog->call_id);
  g_free (dialog->local_tag);
  g_free (dialog->remote_tag);
  g_free (dialog->state_event);
  g_free (dialog->local_identity);
  g_free (dialog->local_display);
  g_free (dialog->local_target);
  g_free (dialog->remote_identity);
  g_free (dialog->remote_display);
  g_free (dialog->remote_target);
  g_free (dialog);
}

/**
 * dp_dialog_has_identifiers:
 * @dialog: a dialog
 *
 * Returns: %TRUE if call-id, local-tag and remote-tag are all known (what an
 *   INVITE with Replaces needs)
 */
gboolean
dp_dialog_has_identifiers (const DpDialog *dialog)
{
  g_return_val_if_fail (dialog != NULL, FALSE);

  return dialog->call_id != NULL && *dialog->call_id != '\0' &&
         dialog->local_tag != NULL && *dialog->local_tag != '\0' &&
         dialog->remote_tag != NULL && *dialog->remote_tag != '\0';
}

gboolean
dp_dialog_is_held (const DpDialog *dialog)
{
  g_return_val_if_fail (dialog != NULL, FALSE);

  return dialog->local_held || dialog->remote_held;
}

DpDialogInfo *
dp_dialog_info_copy (const DpDialogInfo *info)
{
  DpDialogInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (DpDialogInfo, 1);
  copy->version = info->version;
  copy->partial = info->partial;
  copy->entity = g_strdup (info->entity);
  copy->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_dialog_free);
  for (guint i = 0; i < info->dialogs->len; i++)
    g_ptr_array_add (copy->dialogs, dp_dialog_copy (info->dialogs->pdata[i]));
  return copy;
}

void
dp_dialog_info_free (DpDialogInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->entity);
  g_clear_pointer (&info->dialogs, g_ptr_array_unref);
  g_free (info);
}

/**
 * dp_dialog_info_content_type_ok:
 * @content_type: (nullable): a Content-Type header value
 *
 * Returns: %TRUE for `application/dialog-info+xml`, any case, parameters
 *   (`;charset=...`) and surrounding blanks ignored
 */
gboolean
dp_dialog_info_content_type_ok (const char *content_type)
{
  const char *end;
  gsize len = strlen (DP_DIALOG_INFO_CONTENT_TYPE);

  if (content_type == NULL)
    return FALSE;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;
  if (g_ascii_strncasecmp (content_type, DP_DIALOG_INFO_CONTENT_TYPE, len) != 0)
    return FALSE;
  end = content_type + len;
  while (*end == ' ' || *end == '\t')
    end++;
  return *end == '\0' || *end == ';';
}

/**
 * dp_dialog_info_parse_notify:
 * @content_type: (nullable): the NOTIFY's Content-Type
 * @body: (nullable): its body
 * @error: return location for a #GError
 *
 * Parses the body of a `dialog` NOTIFY (what a subscriber delivers):
 * dp_dialog_info_parse() after checking the content type with
 * dp_dialog_info_content_type_ok(). A wrong or missing content type is
 * %DP_DIALOG_INFO_ERROR_INVALID naming it.
 *
 * Returns: (transfer full) (nullable): the document
 */
DpDialogInfo *
dp_dialog_info_parse_notify (const char *content_type, GBytes *body, GError **error)
{
  gconstpointer data;
  gsize length = 0;

  if (!dp_dialog_info_content_type_ok (content_type))
    {
      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                   "content type '%s' is not %s", content_type ? content_type : "(none)",
                   DP_DIALOG_INFO_CONTENT_TYPE);
      return NULL;
    }
  data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  return dp_dialog_info_parse (data != NULL ? data : (const guint8 *) "", length, error);
}

/* ---- parsing ----------------------------------------------------------- */

static gboolean
fail_node (GError **error, xmlNode *node, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_node (GError **error, xmlNode *node, const char *format, ...)
{
  va_list args;
  g_autofree char *problem = NULL;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
               _("dialog-info: line %ld: <%s>: %s"), node ? xmlGetLineNo (node) : 0L,
               node ? (const char *) node->name : "?", problem);
  return FALSE;
}

static gboolean
is_element (xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL && node->ns->href != NULL &&
         strcmp ((const char *) node->ns->href, DIALOG_INFO_NS) == 0 &&
         strcmp ((const char *) node->name, name) == 0;
}

static char *
get_attr (xmlNode *node, const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static char *
get_text (xmlNode *node)
{
  xmlChar *value = xmlNodeGetContent (node);
  char *copy;

  if (value == NULL)
    return g_strdup ("");
  copy = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return copy;
}

/* <local>/<remote>: identity (+display), target uri, +sip.rendering. */
static void
parse_participant (xmlNode *node, char **identity, char **display, char **target,
                   gboolean *held)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, "identity") && *identity == NULL)
        {
          *identity = get_text (child);
          *display = get_attr (child, "display");
        }
      else if (is_element (child, "target") && *target == NULL)
        {
          *target = get_attr (child, "uri");
          for (xmlNode *param = child->children; param != NULL; param = param->next)
            {
              g_autofree char *pname = NULL;
              g_autofree char *pvalue = NULL;

              if (!is_element (param, "param"))
                continue;
              pname = get_attr (param, "pname");
              pvalue = get_attr (param, "pvalue");
              if (pname != NULL && pvalue != NULL &&
                  g_ascii_strcasecmp (pname, "+sip.rendering") == 0 &&
                  (g_ascii_strcasecmp (pvalue, "no") == 0 ||
                   g_ascii_strcasecmp (pvalue, "\"no\"") == 0))
                *held = TRUE;
            }
        }
    }
}

static DpDialog *
parse_dialog (xmlNode *node, GError **error)
{
  g_autoptr(DpDialog) dialog = g_new0 (DpDialog, 1);
  g_autofree char *direction = NULL;
  guint n_states = 0;

  dialog->id = get_attr (node, "id");
  if (dialog->id == NULL || *dialog->id == '\0')
    {
      fail_node (error, node, _("missing 'id'"));
      return NULL;
    }
  dialog->call_id = get_attr (node, "call-id");
  dialog->local_tag = get_attr (node, "local-tag");
  dialog->remote_tag = get_attr (node, "remote-tag");
  direction = get_attr (node, "direction");
  if (direction == NULL)
    dialog->direction = DP_DIALOG_DIRECTION_UNKNOWN;
  else if (strcmp (direction, "initiator") == 0)
    dialog->direction = DP_DIALOG_DIRECTION_INITIATOR;
  else if (strcmp (direction, "recipient") == 0)
    dialog->direction = DP_DIALOG_DIRECTION_RECIPIENT;
  else
    {
      g_autofree char *shown = g_strescape (direction, NULL);
      fail_node (error, node, _("direction '%s' is neither 'initiator' nor 'recipient'"), shown);
      return NULL;
    }

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, "state"))
        {
          g_autofree char *text = get_text (child);
          g_autofree char *code = NULL;
          gboolean known = FALSE;

          if (++n_states > 1)
            {
              fail_node (error, child, _("dialog '%s' has more than one <state>"), dialog->id);
              return NULL;
            }
          for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
            if (strcmp (text, state_names[i]) == 0)
              {
                dialog->state = i;
                known = TRUE;
              }
          if (!known)
            {
              g_autofree char *shown = g_strescape (text, NULL);
              fail_node (error, child, _("unknown dialog state '%.40s'"), shown);
              return NULL;
            }
          dialog->state_event = get_attr (child, "event");
          code = get_attr (child, "code");
          if (code != NULL)
            {
              guint64 value;

              if (!g_ascii_string_to_unsigned (code, 10, 100, 699, &value, NULL))
                {
                  g_autofree char *shown = g_strescape (code, NULL);
                  fail_node (error, child, _("code '%.20s' is not a SIP status (100-699)"), shown);
                  return NULL;
                }
              dialog->state_code = (guint) value;
            }
        }
      else if (is_element (child, "local"))
        parse_participant (child, &dialog->local_identity, &dialog->local_display,
                           &dialog->local_target, &dialog->local_held);
      else if (is_element (child, "remote"))
        parse_participant (child, &dialog->remote_identity, &dialog->remote_display,
                           &dialog->remote_target, &dialog->remote_held);
    }
  if (n_states == 0)
    {
      fail_node (error, node, _("dialog '%s' has no <state>"), dialog->id);
      return NULL;
    }
  return g_steal_pointer (&dialog);
}

static DpDialogInfo *
parse_root (xmlNode *root, GError **error)
{
  g_autoptr(DpDialogInfo) info = g_new0 (DpDialogInfo, 1);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *version = NULL;
  g_autofree char *state = NULL;
  guint64 value;

  info->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_dialog_free);
  if (root->ns == NULL || root->ns->href == NULL ||
      strcmp ((const char *) root->ns->href, DIALOG_INFO_NS) != 0)
    {
      fail_node (error, root, _("the root is not in namespace %s"), DIALOG_INFO_NS);
      return NULL;
    }
  if (strcmp ((const char *) root->name, "dialog-info") != 0)
    {
      fail_node (error, root, _("the root element is not <dialog-info>"));
      return NULL;
    }
  version = get_attr (root, "version");
  if (version == NULL ||
      !g_ascii_string_to_unsigned (version, 10, 0, G_MAXUINT32, &value, NULL))
    {
      g_autofree char *shown = version ? g_strescape (version, NULL) : NULL;

      if (shown == NULL)
        fail_node (error, root, _("missing 'version'"));
      else
        fail_node (error, root, _("version '%.20s' is not a number 0-4294967295"), shown);
      return NULL;
    }
  info->version = (guint32) value;
  state = get_attr (root, "state");
  if (g_strcmp0 (state, "full") == 0)
    info->partial = FALSE;
  else if (g_strcmp0 (state, "partial") == 0)
    info->partial = TRUE;
  else
    {
      fail_node (error, root, _("'state' must be 'full' or 'partial'"));
      return NULL;
    }
  info->entity = get_attr (root, "entity");
  if (info->entity == NULL || *info->entity == '\0')
    {
      fail_node (error, root, _("missing 'entity'"));
      return NULL;
    }

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      DpDialog *dialog;

      if (!is_element (child, "dialog"))
        continue;
      if (info->dialogs->len >= DP_DIALOG_INFO_MAX_DIALOGS)
        {
          fail_node (error, child, _("more than %d dialogs"), DP_DIALOG_INFO_MAX_DIALOGS);
          return NULL;
        }
      dialog = parse_dialog (child, error);
      if (dialog == NULL)
        return NULL;
      g_ptr_array_add (info->dialogs, dialog);
      if (!g_hash_table_add (ids, dialog->id))
        {
          g_autofree char *shown = g_strescape (dialog->id, NULL);
          fail_node (error, child, _("dialog id '%.40s' appears twice"), shown);
          return NULL;
        }
    }
  return g_steal_pointer (&info);
}

/**
 * dp_dialog_info_parse:
 * @data: (array length=length): the NOTIFY body
 * @length: its length
 * @error: return location for a #GError naming line/column or element
 *
 * Returns: (transfer full) (nullable): the document
 */
DpDialogInfo *
dp_dialog_info_parse (const guint8 *data, gsize length, GError **error)
{
  static const char doctype[] = "<!DOCTYPE";
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  xmlNode *root;
  DpDialogInfo *info;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                           _("dialog-info: the body is empty"));
      return NULL;
    }
  if (length > DP_DIALOG_INFO_MAX_SIZE)
    {
      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                   _("dialog-info: the body is %zu bytes, more than %d"),
                   length, DP_DIALOG_INFO_MAX_SIZE);
      return NULL;
    }
  /* A DTD is the door to entity expansion and external fetches; dialog-info
   * never needs one, so refuse it before libxml2 reads a byte. */
  for (gsize i = 0; i + sizeof doctype - 1 <= length; i++)
    if (memcmp (data + i, doctype, sizeof doctype - 1) == 0)
      {
        g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                     _("dialog-info: byte %zu: a DOCTYPE is not allowed"), i + 1);
        return NULL;
      }

  xmlInitParser ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                           _("dialog-info: out of memory"));
      return NULL;
    }
  doc = xmlCtxtReadMemory (ctxt, (const char *) data, (int) length, "dialog-info.xml", NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || !ctxt->wellFormed)
    {
      const xmlError *xml_error = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = g_strdup (xml_error && xml_error->message
                                           ? xml_error->message : _("not well-formed"));

      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                   _("dialog-info: line %d column %d: %s"),
                   xml_error ? xml_error->line : 0, xml_error ? xml_error->int2 : 0,
                   g_strstrip (message));
      if (doc != NULL)
        xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);

  root = xmlDocGetRootElement (doc);
  if (doc->intSubset != NULL || doc->extSubset != NULL || root == NULL)
    {
      g_set_error_literal (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                           root == NULL ? _("dialog-info: no root element")
                                        : _("dialog-info: a DTD is not allowed"));
      xmlFreeDoc (doc);
      return NULL;
    }
  info = parse_root (root, error);
  xmlFreeDoc (doc);
  return info;
}

/* ---- state ------------------------------------------------------------- */

DpDialogSet *
dp_dialog_set_new (void)
{
  DpDialogSet *set = g_new0 (DpDialogSet, 1);

  set->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_dialog_free);
  return set;
}

void
dp_dialog_set_free (DpDialogSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->dialogs);
  g_free (set);
}

/**
 * dp_dialog_set_reset:
 * @set: a #DpDialogSet
 *
 * Forgets everything: the next document (of a new subscription) must be
 * full state and may restart the version count.
 */
void
dp_dialog_set_reset (DpDialogSet *set)
{
  g_return_if_fail (set != NULL);

  g_ptr_array_set_size (set->dialogs, 0);
  set->has_state = FALSE;
  set->version = 0;
}

static gint
find_dialog (const DpDialogSet *set, const char *id)
{
  for (guint i = 0; i < set->dialogs->len; i++)
    if (strcmp (((DpDialog *) set->dialogs->pdata[i])->id, id) == 0)
      return (gint) i;
  return -1;
}

/**
 * dp_dialog_set_apply:
 * @set: a #DpDialogSet
 * @info: a parsed document
 * @error: return location for a #GError (%DP_DIALOG_INFO_ERROR_STALE,
 *   %DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE or %DP_DIALOG_INFO_ERROR_INVALID)
 *
 * Applies @info following the version rules in the section comment. On
 * failure the set is unchanged.
 *
 * Returns: %TRUE if applied
 */
gboolean
dp_dialog_set_apply (DpDialogSet *set, const DpDialogInfo *info, GError **error)
{
  g_return_val_if_fail (set != NULL && info != NULL, FALSE);

  if (!set->has_state && info->partial)
    {
      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE,
                   _("dialog-info: partial state (version %u) before any full state"),
                   info->version);
      return FALSE;
    }
  if (set->has_state && info->version <= set->version)
    {
      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_STALE,
                   _("dialog-info: version %u is not newer than %u"), info->version, set->version);
      return FALSE;
    }
  if (set->has_state && info->partial && info->version != set->version + 1)
    {
      g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_OUT_OF_SEQUENCE,
                   _("dialog-info: partial state version %u does not follow %u"),
                   info->version, set->version);
      return FALSE;
    }
  if (info->partial)
    {
      guint added = 0;

      /* Check the bound before touching the set so a failure changes nothing. */
      for (guint i = 0; i < info->dialogs->len; i++)
        if (find_dialog (set, ((DpDialog *) info->dialogs->pdata[i])->id) < 0)
          added++;
      if (set->dialogs->len + added > DP_DIALOG_INFO_MAX_DIALOGS)
        {
          g_set_error (error, DP_DIALOG_INFO_ERROR, DP_DIALOG_INFO_ERROR_INVALID,
                       _("dialog-info: more than %d dialogs"), DP_DIALOG_INFO_MAX_DIALOGS);
          return FALSE;
        }
    }
  else
    g_ptr_array_set_size (set->dialogs, 0);

  for (guint i = 0; i < info->dialogs->len; i++)
    {
      const DpDialog *dialog = info->dialogs->pdata[i];
      gint index = find_dialog (set, dialog->id);

      if (index >= 0)
        g_ptr_array_remove_index (set->dialogs, index);
      if (dialog->state != DP_DIALOG_STATE_TERMINATED)
        g_ptr_array_add (set->dialogs, dp_dialog_copy (dialog));
    }
  set->has_state = TRUE;
  set->version = info->version;
  return TRUE;
}

gboolean
dp_dialog_set_has_state (const DpDialogSet *set)
{
  g_return_val_if_fail (set != NULL, FALSE);
  return set->has_state;
}

guint32
dp_dialog_set_get_version (const DpDialogSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->version;
}

guint
dp_dialog_set_get_n_dialogs (const DpDialogSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->dialogs->len;
}

/**
 * dp_dialog_set_get_dialog:
 * @set: a #DpDialogSet
 * @index: from 0
 *
 * Returns: (transfer none) (nullable): the dialog
 */
const DpDialog *
dp_dialog_set_get_dialog (const DpDialogSet *set, guint index)
{
  g_return_val_if_fail (set != NULL, NULL);
  return index < set->dialogs->len ? set->dialogs->pdata[index] : NULL;
}

static gboolean
is_offered (const DpDialog *dialog)
{
  return dialog->state < DP_DIALOG_STATE_CONFIRMED &&
         dialog->direction != DP_DIALOG_DIRECTION_INITIATOR;
}

/**
 * dp_dialog_set_get_blf_state:
 * @set: a #DpDialogSet
 *
 * Returns: the lamp state (rules in the section comment); %DP_BLF_STATE_UNKNOWN
 *   before the first full state
 */
DpBlfState
dp_dialog_set_get_blf_state (const DpDialogSet *set)
{
  gboolean busy = FALSE, held = FALSE;

  g_return_val_if_fail (set != NULL, DP_BLF_STATE_UNKNOWN);

  if (!set->has_state)
    return DP_BLF_STATE_UNKNOWN;
  for (guint i = 0; i < set->dialogs->len; i++)
    {
      const DpDialog *dialog = set->dialogs->pdata[i];

      if (is_offered (dialog))
        return DP_BLF_STATE_RINGING;
      if (dialog->state == DP_DIALOG_STATE_CONFIRMED && dp_dialog_is_held (dialog))
        held = TRUE;
      else
        busy = TRUE;
    }
  if (busy)
    return DP_BLF_STATE_BUSY;
  return held ? DP_BLF_STATE_HELD : DP_BLF_STATE_IDLE;
}

/**
 * dp_dialog_set_get_ringing:
 * @set: a #DpDialogSet
 *
 * Returns: (transfer none) (nullable): the dialog to pick up: the first one
 *   offered to the watched user that carries call-id and tags, else the
 *   first one offered
 */
const DpDialog *
dp_dialog_set_get_ringing (const DpDialogSet *set)
{
  const DpDialog *first = NULL;

  g_return_val_if_fail (set != NULL, NULL);

  for (guint i = 0; i < set->dialogs->len; i++)
    {
      const DpDialog *dialog = set->dialogs->pdata[i];

      if (!is_offered (dialog))
        continue;
      if (dp_dialog_has_identifiers (dialog))
        return dialog;
      if (first == NULL)
        first = dialog;
    }
  return first;
}
