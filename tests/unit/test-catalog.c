/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The SPA962 catalogue against the real phone's dump
 * ($DP_SHARED_DIR/corpora/spa962-dump): every name, group, order, type,
 * default, secret flag; then the whole dump applied to a DpConfig.
 */
#define G_LOG_DOMAIN "test-catalog"

#include <stdlib.h>
#include <string.h>

#include "dp-catalog.h"
#include "dp-config.h"
#include "dp-core-syntaxes.h"
#include "dp-profile.h"

typedef struct {
  char *name;
  char *group;
  char *value;
  gboolean is_status;
  char *provenance;
} DumpRow;

typedef struct {
  char *name;
  char *group;
  const DpParamDecl *decl;
} Expanded;

static GPtrArray *dump_rows;      /* DumpRow*, document order */
static GPtrArray *expanded;       /* Expanded*, registration order */
static GHashTable *expanded_by_name;

static void
dump_row_free (DumpRow *row)
{
  g_free (row->name);
  g_free (row->group);
  g_free (row->value);
  g_free (row->provenance);
  g_free (row);
}

static void
expanded_free (Expanded *e)
{
  g_free (e->name);
  g_free (e->group);
  g_free (e);
}

static char *
dump_path (const char *file)
{
  const char *shared = g_getenv ("DP_SHARED_DIR");

  if (shared == NULL)
    g_error ("DP_SHARED_DIR is not set (meson test sets it)");
  return g_build_filename (shared, "corpora", "spa962-dump", file, NULL);
}

static void
load_dump (void)
{
  g_autofree char *path = dump_path ("parameters.tsv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  dump_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) dump_row_free);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "name\tgroup\tvalue\tkind\tprovenance");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      DumpRow *row;

      if (lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cols), ==, 5);
      row = g_new0 (DumpRow, 1);
      row->name = g_strdup (cols[0]);
      row->group = g_strdup (cols[1]);
      row->value = g_strdup (cols[2]);
      row->is_status = g_str_equal (cols[3], "status");
      row->provenance = g_strdup (cols[4]);
      g_ptr_array_add (dump_rows, row);
    }
  g_assert_cmpuint (dump_rows->len, ==, 1227);
}

/* --- the expansion rules of dp_config_register(), written independently --- */

static guint
placeholders (const char *pattern)
{
  guint n = 0;

  for (const char *p = strstr (pattern, "%u"); p != NULL; p = strstr (p + 2, "%u"))
    n++;
  return n;
}

static char *
substitute (const char *pattern, guint i, guint j)
{
  GString *out = g_string_new (NULL);
  gboolean first = TRUE;
  const char *p = pattern;
  const char *hit;

  while ((hit = strstr (p, "%u")) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append_printf (out, "%u", first ? i : j);
      first = FALSE;
      p = hit + 2;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static void
emit (const DpParamDecl *decl, guint i, guint j)
{
  Expanded *e = g_new0 (Expanded, 1);

  e->name = substitute (decl->name, i, j);
  e->group = substitute (decl->group, i, j);
  e->decl = decl;
  g_ptr_array_add (expanded, e);
}

/* One row at instance i: a two-slot name under a one-slot group runs j here. */
static void
emit_row (const DpParamDecl *decl, guint i, gboolean group_takes_j, guint j)
{
  if (placeholders (decl->name) == 2 && !group_takes_j)
    for (guint jj = 1; jj <= decl->count2; jj++)
      emit (decl, i, jj);
  else
    emit (decl, i, j);
}

static void
expand_catalog (void)
{
  gsize n = 0;
  const DpParamDecl *decls = dp_catalog_spa (&n);
  gsize k = 0;

  expanded = g_ptr_array_new_with_free_func ((GDestroyNotify) expanded_free);
  while (k < n)
    {
      const DpParamDecl *first = &decls[k];
      guint gslots = placeholders (first->group);
      gsize end = k + 1;

      if (first->count1 == 0)
        {
          emit (first, 0, 0);
          k++;
          continue;
        }
      if (gslots == 0)
        {
          for (guint i = 1; i <= first->count1; i++)
            emit_row (first, i, FALSE, 0);
          k++;
          continue;
        }
      while (end < n && decls[end].count1 == first->count1 &&
             decls[end].count2 == first->count2 &&
             placeholders (decls[end].group) == gslots)
        end++;
      for (guint i = 1; i <= first->count1; i++)
        for (guint j = 1; j <= (gslots == 2 ? first->count2 : 1); j++)
          for (gsize r = k; r < end; r++)
            emit_row (&decls[r], i, gslots == 2, j);
      k = end;
    }
}

static const Expanded *
lookup (const char *name)
{
  return g_hash_table_lookup (expanded_by_name, name);
}

/* --- a value validator for the declared types, independent of DpConfig --- */

static gboolean
is_integer (const char *s, double *out)
{
  char *end = NULL;
  gint64 v;

  if (g_str_has_prefix (s, "0x") || g_str_has_prefix (s, "0X"))
    {
      if (!g_ascii_isxdigit (s[2]))
        return FALSE;
      v = g_ascii_strtoll (s + 2, &end, 16);
    }
  else
    {
      if (!(g_ascii_isdigit (s[0]) || (s[0] == '-' && g_ascii_isdigit (s[1]))))
        return FALSE;
      v = g_ascii_strtoll (s, &end, 10);
    }
  if (*end != '\0')
    return FALSE;
  *out = (double) v;
  return TRUE;
}

static gboolean
is_decimal (const char *s, double *out)
{
  gboolean digits = FALSE;
  const char *p = s;

  if (*p == '-' || *p == '+')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits || *p != '\0')
    return FALSE;
  *out = g_ascii_strtod (s, NULL);
  return TRUE;
}

static gboolean
value_valid (const DpParamDecl *decl, const char *value)
{
  double number;

  if (*value == '\0' && (decl->flags & DP_PARAM_FLAG_OPTIONAL))
    return TRUE;
  switch (decl->type)
    {
    case DP_PARAM_STRING:
    case DP_PARAM_LIST:
      return TRUE;
    case DP_PARAM_BOOL:
      {
        static const char *const spellings[] = { "Yes", "No", "1", "0", "Enable", "Disable" };

        for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
          if (g_ascii_strcasecmp (value, spellings[i]) == 0)
            return TRUE;
        return FALSE;
      }
    case DP_PARAM_INT:
    case DP_PARAM_DECIMAL:
      if (decl->type == DP_PARAM_INT ? !is_integer (value, &number) : !is_decimal (value, &number))
        return FALSE;
      return decl->min > decl->max || (number >= decl->min && number <= decl->max);
    case DP_PARAM_ENUM:
      {
        g_auto(GStrv) choices = g_strsplit (decl->choices, "|", -1);

        for (guint i = 0; choices[i] != NULL; i++)
          if (g_ascii_strcasecmp (choices[i], value) == 0)
            return TRUE;
        return FALSE;
      }
    default:
      return FALSE;
    }
}

static gboolean
is_operator_edited (const char *name)
{
  /* SOURCES.md "Do not take them as factory defaults" (example and blanked
   * rows are excluded by provenance already). */
  static const char *const edited[] = { "Connection_Type", "Primary_DNS", "Voice_Mail_Number", "Server_Type" };

  for (guint i = 0; i < G_N_ELEMENTS (edited); i++)
    if (g_str_equal (name, edited[i]))
      return TRUE;
  if (g_str_has_prefix (name, "RSS_Feed_URL_"))
    return TRUE;   /* deskphone ships no feeds: the SPA's point at dead third-party URLs */
  return g_str_has_prefix (name, "Extension_") && g_str_has_suffix (name, "_");
}

/* --- tests --- */

static void
test_declarations (void)
{
  static const char *const syntaxes[] = {
    "dialplan", "tonescript", "cadscript", "ringscript", "ledscript", "dstrule",
    "keyscript", "servicecodes", "starcode", "annccodes", "timeoffset", "log-server",
    "profilerule", "upgraderule", "reportrule", "resynctrigger", "feedscript", "delaylist",
  };
  gsize n = 0;
  const DpParamDecl *decls = dp_catalog_spa (&n);

  g_assert_cmpuint (n, >, 0);
  g_assert_true (dp_catalog_spa (&n) == decls);
  for (gsize k = 0; k < n; k++)
    {
      const DpParamDecl *d = &decls[k];
      guint slots = placeholders (d->name);

      g_test_message ("declaration %s", d->name);
      g_assert_nonnull (d->name);
      g_assert_nonnull (d->default_value);
      g_assert_nonnull (d->group);
      g_assert_nonnull (strchr (d->group, '/'));
      g_assert_true (slots <= 2);
      g_assert_true ((slots == 0) == (d->count1 == 0));
      g_assert_true ((slots == 2) == (d->count2 != 0));
      g_assert_cmpuint (placeholders (d->group), <=, slots);
      if (d->type == DP_PARAM_ENUM)
        g_assert_true (d->choices != NULL && *d->choices != '\0');
      if (d->type == DP_PARAM_INT || d->type == DP_PARAM_DECIMAL)
        g_assert_cmpfloat (d->min, <=, d->max);
      if (!(d->flags & DP_PARAM_FLAG_READONLY))
        g_assert_true (value_valid (d, d->default_value));
      if (d->syntax != NULL)
        {
          gboolean known = FALSE;

          g_assert_cmpint (d->type, ==, DP_PARAM_STRING);
          for (guint s = 0; s < G_N_ELEMENTS (syntaxes); s++)
            known |= g_str_equal (d->syntax, syntaxes[s]);
          g_assert_true (known);
        }
      if (d->flags & DP_PARAM_FLAG_SECRET)
        g_assert_cmpint (d->user_access, ==, DP_ACCESS_NA);
    }
}

static void
test_no_duplicates (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < expanded->len; i++)
    {
      const Expanded *e = expanded->pdata[i];

      g_test_message ("parameter %s", e->name);
      g_assert_false (g_hash_table_contains (seen, e->name));
      g_hash_table_add (seen, e->name);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, expanded->len);
}

/* The expanded catalogue, restricted to the dump's names, is the dump in
 * document order, where a status name counts at its first occurrence and
 * `Domain` at its config position. */
static void
test_order_and_groups (void)
{
  g_autoptr(GHashTable) dump_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) config_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  guint e = 0, x = 0;
  guint config_rows = 0;

  for (guint i = 0; i < dump_rows->len; i++)
    {
      const DumpRow *row = dump_rows->pdata[i];

      if (!row->is_status)
        {
          g_assert_false (g_hash_table_contains (config_names, row->name));
          g_hash_table_add (config_names, row->name);
          config_rows++;
        }
    }
  g_assert_cmpuint (config_rows, ==, 908);

  for (guint i = 0; i < dump_rows->len; i++)
    {
      DumpRow *row = dump_rows->pdata[i];

      if (row->is_status && g_hash_table_contains (config_names, row->name))
        continue;
      if (g_hash_table_contains (dump_names, row->name))
        continue;
      g_hash_table_add (dump_names, row->name);
      g_ptr_array_add (expected, row);
    }
  g_assert_cmpuint (expected->len, ==, 908 + 62);

  for (x = 0; x < expanded->len; x++)
    {
      const Expanded *ex = expanded->pdata[x];
      const DumpRow *row;

      if (!g_hash_table_contains (dump_names, ex->name))
        {
          /* Only deskphone extensions and the SPA's hidden GPP secrets may
           * be absent from the phone's own dump. */
          g_test_message ("not in the dump: %s", ex->name);
          g_assert_true ((ex->decl->flags & DP_PARAM_FLAG_EXTENSION) ||
                         (g_str_has_prefix (ex->name, "GPP_S") && strlen (ex->name) == 6));
          continue;
        }
      g_assert_cmpuint (e, <, expected->len);
      row = expected->pdata[e++];
      g_test_message ("position %u: %s", e, row->name);
      g_assert_cmpstr (ex->name, ==, row->name);
      g_assert_cmpstr (ex->group, ==, row->group);
    }
  g_assert_cmpuint (e, ==, expected->len);
}

static void
test_config_values_validate (void)
{
  for (guint i = 0; i < dump_rows->len; i++)
    {
      const DumpRow *row = dump_rows->pdata[i];
      const Expanded *ex = lookup (row->name);

      g_assert_nonnull (ex);
      if (row->is_status && !g_str_equal (row->name, "Domain"))
        continue;
      g_test_message ("%s = \"%s\"", row->name, row->value);
      g_assert_false (ex->decl->flags & DP_PARAM_FLAG_READONLY);
      g_assert_true (value_valid (ex->decl, row->value));
    }
}

static void
test_defaults (void)
{
  guint compared = 0;

  for (guint i = 0; i < dump_rows->len; i++)
    {
      const DumpRow *row = dump_rows->pdata[i];
      const Expanded *ex = lookup (row->name);

      if (row->is_status)
        continue;
      if (!g_str_equal (row->provenance, "dump") && !g_str_equal (row->provenance, "template"))
        continue;
      if (is_operator_edited (row->name))
        continue;
      g_test_message ("default of %s", row->name);
      g_assert_cmpstr (ex->decl->default_value, ==, row->value);
      compared++;
    }
  /* 456 dump + 355 template config rows, less the 10 operator-edited ones
   * with that provenance (Connection_Type, Primary_DNS, Voice_Mail_Number,
   * Server_Type, Extension_1_..Extension_6_) and the 5 factory feeds that
   * deskphone leaves empty. */
  g_assert_cmpuint (compared, ==, 796);
  for (guint n = 1; n <= 5; n++)
    {
      g_autofree char *feed = g_strdup_printf ("RSS_Feed_URL_%u", n);
      g_assert_cmpstr (lookup (feed)->decl->default_value, ==, "");
    }

  /* The documented factory values that replace the operator's. */
  g_assert_cmpstr (lookup ("Connection_Type")->decl->default_value, ==, "DHCP");
  g_assert_cmpstr (lookup ("Primary_DNS")->decl->default_value, ==, "");
  g_assert_cmpstr (lookup ("Voice_Mail_Number")->decl->default_value, ==, "");
  g_assert_cmpstr (lookup ("Server_Type")->decl->default_value, ==, "Broadsoft");
  g_assert_cmpstr (lookup ("Static_IP")->decl->default_value, ==, "");
  g_assert_cmpstr (lookup ("NetMask")->decl->default_value, ==, "");
  g_assert_cmpstr (lookup ("Gateway")->decl->default_value, ==, "");
  for (guint n = 1; n <= 6; n++)
    {
      static const char *const per_ext[] = { "Proxy_%u_", "User_ID_%u_", "Password_%u_", "Display_Name_%u_", "Mailbox_ID_%u_" };
      g_autofree char *ext = g_strdup_printf ("Extension_%u_", n);
      g_autofree char *want = g_strdup_printf ("%u", n);

      g_assert_cmpstr (lookup (ext)->decl->default_value, ==, want);
      for (guint p = 0; p < G_N_ELEMENTS (per_ext); p++)
        {
          g_autofree char *name = substitute (per_ext[p], n, 0);

          g_assert_cmpstr (lookup (name)->decl->default_value, ==, "");
        }
    }
  for (guint u = 1; u <= 2; u++)
    for (guint k = 1; k <= 32; k++)
      {
        g_autofree char *name = g_strdup_printf ("Unit_%u_Key_%u", u, k);

        g_assert_cmpstr (lookup (name)->decl->default_value, ==, "");
        g_assert_cmpstr (lookup (name)->decl->syntax, ==, "keyscript");
      }
}

static void
test_types_reject (void)
{
  /* The declared types must be strict enough to catch wrong values. */
  static const struct { const char *name; const char *bad; const char *good; } cases[] = {
    { "Enable_Web_Server", "maybe", "no" },
    { "Web_Server_Port", "65536", "0" },
    { "SIP_Port_3_", "-1", "0" },
    { "SIP_Port_3_", "", "5062" },
    { "Reg_Retry_Random_Delay", "soon", "" },
    { "EXT_RTP_Port_Min", "x", "" },
    { "SIP_T1", "fast", ".25" },
    { "RTP_Packet_Size", "1", "0.020" },
    { "Time_Zone", "GMT+14:00", "GMT" },
    { "Time_Zone", "GMT+5", "GMT+05:00" },
    { "SIP_Transport_6_", "SCTP", "tls" },
    { "Preferred_Codec_2_", "G728", "G722" },   /* G722 and Opus are deskphone extensions */
    { "Second_Preferred_Codec_2_", "iLBC", "Opus" },
    { "DTMF_Tx_Method_1_", "RFC2833", "InBand+INFO" },
    { "Share_Call_Appearance_4_", "public", "shared" },
    { "Extension_2_", "7", "Disabled" },
    { "Connection_Type", "Static", "PPPoE" },
    { "SIP_TOS_DiffServ_Value_2_", "0x100", "0xb8" },
    { "SIP_CoS_Value_2_", "8", "7" },
    { "Server_Type", "Kamailio", "Sylantro" },
    { "Debug_Level", "4", "3" },
    { "Ringer_Volume", "16", "15" },
    { "Inband_DTMF_Boost", "13dB", "0dB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Expanded *ex = lookup (cases[i].name);

      g_test_message ("%s: \"%s\" / \"%s\"", cases[i].name, cases[i].bad, cases[i].good);
      g_assert_nonnull (ex);
      g_assert_false (value_valid (ex->decl, cases[i].bad));
      g_assert_true (value_valid (ex->decl, cases[i].good));
    }
}

static void
test_secrets (void)
{
  static const char *const secret[] = {
    "Admin_Passwd", "User_Password", "PPPoE_Login_Password", "License_Keys",
    "GPP_SA", "GPP_SB", "GPP_SC", "GPP_SD",
    "Password_1_", "Password_6_", "Auth_Page_Password_1_", "Auth_Page_Password_6_",
    "SRTP_Private_Key_1_", "SRTP_Private_Key_6_",
  };
  static const char *const admin_only[] = {
    "Admin_Passwd", "User_Password", "GPP_SA", "GPP_SD", "SRTP_Private_Key_3_",
  };

  for (guint i = 0; i < G_N_ELEMENTS (secret); i++)
    {
      g_test_message ("secret %s", secret[i]);
      g_assert_nonnull (lookup (secret[i]));
      g_assert_true (lookup (secret[i])->decl->flags & DP_PARAM_FLAG_SECRET);
    }
  for (guint i = 0; i < G_N_ELEMENTS (admin_only); i++)
    g_assert_true (lookup (admin_only[i])->decl->flags & DP_PARAM_FLAG_ADMIN_ONLY);

  /* Anything named like a password or key is a secret; nothing else is. */
  for (guint i = 0; i < expanded->len; i++)
    {
      const Expanded *ex = expanded->pdata[i];
      gboolean looks_secret = strstr (ex->name, "Passw") != NULL ||
                              strstr (ex->name, "Private_Key") != NULL ||
                              g_str_equal (ex->name, "License_Keys") ||
                              (g_str_has_prefix (ex->name, "GPP_S") && strlen (ex->name) == 6);

      g_test_message ("%s", ex->name);
      g_assert_true (looks_secret == ((ex->decl->flags & DP_PARAM_FLAG_SECRET) != 0));
    }
}

static void
test_status (void)
{
  g_autoptr(GHashTable) status = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint readonly = 0;

  for (guint i = 0; i < dump_rows->len; i++)
    {
      const DumpRow *row = dump_rows->pdata[i];

      if (row->is_status)
        g_hash_table_add (status, row->name);
    }
  g_assert_cmpuint (g_hash_table_size (status), ==, 63);

  g_hash_table_iter_init (&iter, status);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const Expanded *ex = lookup (key);

      g_test_message ("status %s", (const char *) key);
      g_assert_nonnull (ex);
      if (g_str_equal (key, "Domain"))
        {
          g_assert_false (ex->decl->flags & DP_PARAM_FLAG_READONLY);
          g_assert_cmpstr (ex->group, ==, "System/Optional_Network_Configuration");
          continue;
        }
      g_assert_true (ex->decl->flags & DP_PARAM_FLAG_READONLY);
      g_assert_true (g_str_has_prefix (ex->group, "Info/"));
      g_assert_cmpint (ex->decl->user_access, ==, DP_ACCESS_RO);
      readonly++;
    }
  g_assert_cmpuint (readonly, ==, 62);

  /* Nothing outside Info is read-only. */
  for (guint i = 0; i < expanded->len; i++)
    {
      const Expanded *ex = expanded->pdata[i];

      g_assert_true (((ex->decl->flags & DP_PARAM_FLAG_READONLY) != 0) ==
                     g_str_has_prefix (ex->group, "Info/"));
    }
}

static void
test_syntax_and_extensions (void)
{
  static const struct { const char *section; const char *syntax; } by_section[] = {
    { "Regional/Call_Progress_Tones", "tonescript" },
    { "Regional/Distinctive_Ring_Patterns", "cadscript" },
    { "Phone/Ring_Tone", "ringscript" },
    { "Phone/Line_Key_LED_Pattern", "ledscript" },
  };
  static const char *const extensions[] = { "Provisioning_TFTP_Server", "Provisioning_CA", "Provisioning_Key_Pins", "Plugin_User_Dir_Enable", "Audio_Source" };
  static const char *const in_dump[] = { "Syslog_Server", "Debug_Server", "Debug_Level" };

  for (guint i = 0; i < expanded->len; i++)
    {
      const Expanded *ex = expanded->pdata[i];

      for (guint s = 0; s < G_N_ELEMENTS (by_section); s++)
        if (g_str_equal (ex->group, by_section[s].section))
          g_assert_cmpstr (ex->decl->syntax, ==, by_section[s].syntax);
      if (g_str_has_prefix (ex->name, "Dial_Plan_"))
        g_assert_cmpstr (ex->decl->syntax, ==, "dialplan");
    }
  g_assert_cmpstr (lookup ("Daylight_Saving_Time_Rule")->decl->syntax, ==, "dstrule");
  g_assert_cmpstr (lookup ("Referral_Services_Codes")->decl->syntax, ==, "servicecodes");
  g_assert_cmpstr (lookup ("Feature_Dial_Services_Codes")->decl->syntax, ==, "servicecodes");

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      const Expanded *ex = lookup (extensions[i]);

      g_assert_nonnull (ex);
      g_assert_true (ex->decl->flags & DP_PARAM_FLAG_EXTENSION);
      g_assert_cmpstr (ex->group, ==, "System/Deskphone");
    }
  g_assert_cmpint (lookup ("Plugin_User_Dir_Enable")->decl->type, ==, DP_PARAM_BOOL);
  for (guint i = 0; i < G_N_ELEMENTS (in_dump); i++)
    g_assert_false (lookup (in_dump[i])->decl->flags & DP_PARAM_FLAG_EXTENSION);
}

/* The whole dump document through the real parser and DpConfig. */
static void
test_config_apply_dump (void)
{
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = dump_path ("spa962-5.1.15.xml");
  DpApplyStats stats = { 0 };
  gsize n = 0;
  const DpParamDecl *decls = dp_catalog_spa (&n);

  g_assert_true (dp_config_register (config, "core", decls, n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dp_config_get_n_params (config), ==, expanded->len);
  {
    g_autoptr(GPtrArray) names = dp_config_list (config);

    g_assert_cmpuint (names->len, ==, expanded->len);
    for (guint i = 0; i < names->len; i++)
      g_assert_cmpstr (names->pdata[i], ==, ((Expanded *) expanded->pdata[i])->name);
  }

  profile = dp_profile_parse_file (xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpuint (dp_profile_get_n_assignments (profile), ==, 1227);

  g_assert_true (dp_config_apply (config, profile, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.unknown, ==, 0);

  for (guint i = 0; i < dump_rows->len; i++)
    {
      const DumpRow *row = dump_rows->pdata[i];

      if (row->is_status)
        continue;
      g_test_message ("read back %s", row->name);
      g_assert_cmpstr (dp_config_get (config, row->name), ==, row->value);
    }
  /* Status elements changed nothing and are still their (empty) defaults. */
  g_assert_cmpstr (dp_config_get (config, "Host_Name"), ==, "");
  g_assert_cmpstr (dp_config_get (config, "Registration_State"), ==, "");
}

/* The same with the core's script checkers registered: every factory script
 * and every script the real phone exported must parse. */
static void
test_scripts_pass_checkers (void)
{
  g_autoptr(DpConfig) config = dp_config_new ();
  g_autoptr(DpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = dump_path ("spa962-5.1.15.xml");
  DpApplyStats stats = { 0 };
  gsize n = 0;
  const DpParamDecl *decls = dp_catalog_spa (&n);

  dp_core_register_syntaxes (config);
  g_assert_true (dp_config_register (config, "core", decls, n, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < expanded->len; i++)
    {
      const Expanded *ex = expanded->pdata[i];

      if (ex->decl->flags & DP_PARAM_FLAG_READONLY)
        continue;
      g_test_message ("default of %s", ex->name);
      g_assert_true (dp_config_validate (config, ex->name, ex->decl->default_value, &error));
      g_assert_no_error (error);
    }

  profile = dp_profile_parse_file (xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dp_config_apply (config, profile, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.unknown, ==, 0);

  /* and a broken script is refused through the catalogue's syntax names */
  g_assert_false (dp_config_validate (config, "Dial_Tone", "350@-19;10(*/0/", &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (dp_config_validate (config, "Cadence_3", "60(.8/", &error));
  g_assert_error (error, DP_CONFIG_ERROR, DP_CONFIG_ERROR_INVALID_VALUE);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  load_dump ();
  expand_catalog ();
  expanded_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < expanded->len; i++)
    {
      Expanded *e = expanded->pdata[i];

      g_hash_table_insert (expanded_by_name, e->name, e);
    }

  g_test_add_func ("/catalog/declarations", test_declarations);
  g_test_add_func ("/catalog/no-duplicates", test_no_duplicates);
  g_test_add_func ("/catalog/order-and-groups", test_order_and_groups);
  g_test_add_func ("/catalog/dump-values-validate", test_config_values_validate);
  g_test_add_func ("/catalog/defaults", test_defaults);
  g_test_add_func ("/catalog/types-reject", test_types_reject);
  g_test_add_func ("/catalog/secrets", test_secrets);
  g_test_add_func ("/catalog/status", test_status);
  g_test_add_func ("/catalog/syntax-and-extensions", test_syntax_and_extensions);
  g_test_add_func ("/catalog/config-apply-dump", test_config_apply_dump);
  g_test_add_func ("/catalog/scripts-pass-checkers", test_scripts_pass_checkers);

  status = g_test_run ();

  g_hash_table_unref (expanded_by_name);
  g_ptr_array_unref (expanded);
  g_ptr_array_unref (dump_rows);
  return status;
}
