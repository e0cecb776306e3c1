/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Star codes: the code table, the resolver, the Feature/Referral service
 * code lists and the service announcement extension codes. */
#define G_LOG_DOMAIN "dp-starcode"

#include "dp-star-codes.h"
#include "dp-build-config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#define MAX_CODE_LENGTH 31
#define MAX_LIST_LENGTH 79
#define MAX_ANNC_NAME 8

#define GROUP_VSAC  "Regional/Vertical_Service_Activation_Codes"
#define GROUP_CODEC "Regional/Outbound_Call_Codec_Selection_Codes"

#define FEATURE_LIST  "Feature_Dial_Services_Codes"
#define REFERRAL_LIST "Referral_Services_Codes"

G_DEFINE_QUARK (dp-star-code-error-quark, dp_star_code_error)

#define A(name, def, action, argument) \
  { name, def, GROUP_VSAC, DP_STAR_ACTION_##action, DP_STAR_ARGUMENT_##argument, NULL }
#define C(name, def, action, codec) \
  { name, def, GROUP_CODEC, DP_STAR_ACTION_##action, DP_STAR_ARGUMENT_CALL, codec }

/* spa9x2-reference §5.1 / §5.4, in the order of the SPA962 5.1.15 web UI. */
static const DpStarCodeInfo code_table[] = {
  A ("Call_Return_Code", "*69", CALL_RETURN, NONE),
  A ("Blind_Transfer_Code", "*98", BLIND_TRANSFER, NUMBER),
  A ("Call_Back_Act_Code", "*66", CALL_BACK_ACT, NONE),
  A ("Call_Back_Deact_Code", "*86", CALL_BACK_DEACT, NONE),
  A ("Cfwd_All_Act_Code", "*72", CFWD_ALL_ACT, NUMBER),
  A ("Cfwd_All_Deact_Code", "*73", CFWD_ALL_DEACT, NONE),
  A ("Cfwd_Busy_Act_Code", "*90", CFWD_BUSY_ACT, NUMBER),
  A ("Cfwd_Busy_Deact_Code", "*91", CFWD_BUSY_DEACT, NONE),
  A ("Cfwd_No_Ans_Act_Code", "*92", CFWD_NO_ANS_ACT, NUMBER),
  A ("Cfwd_No_Ans_Deact_Code", "*93", CFWD_NO_ANS_DEACT, NONE),
  A ("CW_Act_Code", "*56", CW_ACT, NONE),
  A ("CW_Deact_Code", "*57", CW_DEACT, NONE),
  A ("CW_Per_Call_Act_Code", "*71", CW_PER_CALL_ACT, CALL),
  A ("CW_Per_Call_Deact_Code", "*70", CW_PER_CALL_DEACT, CALL),
  A ("Block_CID_Act_Code", "*67", BLOCK_CID_ACT, NONE),
  A ("Block_CID_Deact_Code", "*68", BLOCK_CID_DEACT, NONE),
  A ("Block_CID_Per_Call_Act_Code", "*81", BLOCK_CID_PER_CALL_ACT, CALL),
  A ("Block_CID_Per_Call_Deact_Code", "*82", BLOCK_CID_PER_CALL_DEACT, CALL),
  A ("Block_ANC_Act_Code", "*77", BLOCK_ANC_ACT, NONE),
  A ("Block_ANC_Deact_Code", "*87", BLOCK_ANC_DEACT, NONE),
  A ("DND_Act_Code", "*78", DND_ACT, NONE),
  A ("DND_Deact_Code", "*79", DND_DEACT, NONE),
  A ("Secure_All_Call_Act_Code", "*16", SECURE_ALL_CALL_ACT, NONE),
  A ("Secure_No_Call_Act_Code", "*17", SECURE_NO_CALL_ACT, NONE),
  A ("Secure_One_Call_Act_Code", "*18", SECURE_ONE_CALL_ACT, CALL),
  A ("Secure_One_Call_Deact_Code", "*19", SECURE_ONE_CALL_DEACT, CALL),
  A ("Paging_Code", "*96", PAGING, NUMBER),
  A ("Call_Park_Code", "*38", CALL_PARK, OPTIONAL),
  A ("Call_Pickup_Code", "*36", CALL_PICKUP, NUMBER),
  A ("Call_UnPark_Code", "*39", CALL_UNPARK, OPTIONAL),
  A ("Group_Call_Pickup_Code", "*37", GROUP_CALL_PICKUP, NONE),
  A ("Media_Loopback_Code", "*03", MEDIA_LOOPBACK, NUMBER),
  C ("Prefer_G711u_Code", "*017110", CODEC_PREFER, "G711u"),
  C ("Force_G711u_Code", "*027110", CODEC_FORCE, "G711u"),
  C ("Prefer_G711a_Code", "*017111", CODEC_PREFER, "G711a"),
  C ("Force_G711a_Code", "*027111", CODEC_FORCE, "G711a"),
  C ("Prefer_G723_Code", "*01723", CODEC_PREFER, "G723"),
  C ("Force_G723_Code", "*02723", CODEC_FORCE, "G723"),
  C ("Prefer_G726r16_Code", "*0172616", CODEC_PREFER, "G726r16"),
  C ("Force_G726r16_Code", "*0272616", CODEC_FORCE, "G726r16"),
  C ("Prefer_G726r24_Code", "*0172624", CODEC_PREFER, "G726r24"),
  C ("Force_G726r24_Code", "*0272624", CODEC_FORCE, "G726r24"),
  C ("Prefer_G726r32_Code", "*0172632", CODEC_PREFER, "G726r32"),
  C ("Force_G726r32_Code", "*0272632", CODEC_FORCE, "G726r32"),
  C ("Prefer_G726r40_Code", "*0172640", CODEC_PREFER, "G726r40"),
  C ("Force_G726r40_Code", "*0272640", CODEC_FORCE, "G726r40"),
  C ("Prefer_G729a_Code", "*01729", CODEC_PREFER, "G729a"),
  C ("Force_G729a_Code", "*02729", CODEC_FORCE, "G729a"),
};

#undef A
#undef C

static const char *const action_names[] = {
  [DP_STAR_ACTION_NONE] = "none",
  [DP_STAR_ACTION_CALL_RETURN] = "call-return",
  [DP_STAR_ACTION_BLIND_TRANSFER] = "blind-transfer",
  [DP_STAR_ACTION_CALL_BACK_ACT] = "call-back-act",
  [DP_STAR_ACTION_CALL_BACK_DEACT] = "call-back-deact",
  [DP_STAR_ACTION_CFWD_ALL_ACT] = "cfwd-all-act",
  [DP_STAR_ACTION_CFWD_ALL_DEACT] = "cfwd-all-deact",
  [DP_STAR_ACTION_CFWD_BUSY_ACT] = "cfwd-busy-act",
  [DP_STAR_ACTION_CFWD_BUSY_DEACT] = "cfwd-busy-deact",
  [DP_STAR_ACTION_CFWD_NO_ANS_ACT] = "cfwd-no-ans-act",
  [DP_STAR_ACTION_CFWD_NO_ANS_DEACT] = "cfwd-no-ans-deact",
  [DP_STAR_ACTION_CW_ACT] = "cw-act",
  [DP_STAR_ACTION_CW_DEACT] = "cw-deact",
  [DP_STAR_ACTION_CW_PER_CALL_ACT] = "cw-per-call-act",
  [DP_STAR_ACTION_CW_PER_CALL_DEACT] = "cw-per-call-deact",
  [DP_STAR_ACTION_BLOCK_CID_ACT] = "block-cid-act",
  [DP_STAR_ACTION_BLOCK_CID_DEACT] = "block-cid-deact",
  [DP_STAR_ACTION_BLOCK_CID_PER_CALL_ACT] = "block-cid-per-call-act",
  [DP_STAR_ACTION_BLOCK_CID_PER_CALL_DEACT] = "block-cid-per-call-deact",
  [DP_STAR_ACTION_BLOCK_ANC_ACT] = "block-anc-act",
  [DP_STAR_ACTION_BLOCK_ANC_DEACT] = "block-anc-deact",
  [DP_STAR_ACTION_DND_ACT] = "dnd-act",
  [DP_STAR_ACTION_DND_DEACT] = "dnd-deact",
  [DP_STAR_ACTION_SECURE_ALL_CALL_ACT] = "secure-all-call-act",
  [DP_STAR_ACTION_SECURE_NO_CALL_ACT] = "secure-no-call-act",
  [DP_STAR_ACTION_SECURE_ONE_CALL_ACT] = "secure-one-call-act",
  [DP_STAR_ACTION_SECURE_ONE_CALL_DEACT] = "secure-one-call-deact",
  [DP_STAR_ACTION_PAGING] = "paging",
  [DP_STAR_ACTION_CALL_PARK] = "call-park",
  [DP_STAR_ACTION_CALL_UNPARK] = "call-unpark",
  [DP_STAR_ACTION_CALL_PICKUP] = "call-pickup",
  [DP_STAR_ACTION_GROUP_CALL_PICKUP] = "group-call-pickup",
  [DP_STAR_ACTION_MEDIA_LOOPBACK] = "media-loopback",
  [DP_STAR_ACTION_CODEC_PREFER] = "codec-prefer",
  [DP_STAR_ACTION_CODEC_FORCE] = "codec-force",
  [DP_STAR_ACTION_FEATURE_DIAL] = "feature-dial",
  [DP_STAR_ACTION_REFERRAL] = "referral",
};

static const char *const tone_names[] = {
  [DP_SERVICE_TONE_NONE] = "none",
  [DP_SERVICE_TONE_CFWD_DIAL] = "cfwd-dial",
  [DP_SERVICE_TONE_DIAL] = "dial",
  [DP_SERVICE_TONE_MWI_DIAL] = "mwi-dial",
  [DP_SERVICE_TONE_OUTSIDE_DIAL] = "outside-dial",
  [DP_SERVICE_TONE_PROMPT] = "prompt",
  [DP_SERVICE_TONE_SECOND_DIAL] = "second-dial",
};

static const struct {
  const char *name;
  DpStarAction action;
} annc_names[] = {
  { "CBT", DP_STAR_ACTION_CALL_BACK_ACT },
  { "CBF", DP_STAR_ACTION_CALL_BACK_DEACT },
  { "FAT", DP_STAR_ACTION_CFWD_ALL_ACT },
  { "FAF", DP_STAR_ACTION_CFWD_ALL_DEACT },
  { "FBT", DP_STAR_ACTION_CFWD_BUSY_ACT },
  { "FBF", DP_STAR_ACTION_CFWD_BUSY_DEACT },
  { "FNT", DP_STAR_ACTION_CFWD_NO_ANS_ACT },
  { "FNF", DP_STAR_ACTION_CFWD_NO_ANS_DEACT },
  { "CWT", DP_STAR_ACTION_CW_ACT },
  { "CWF", DP_STAR_ACTION_CW_DEACT },
};

const DpStarCodeInfo *
dp_star_code_table (guint *n_entries)
{
  g_return_val_if_fail (n_entries != NULL, NULL);

  *n_entries = G_N_ELEMENTS (code_table);
  return code_table;
}

const DpStarCodeInfo *
dp_star_code_info_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (code_table); i++)
    if (strcmp (code_table[i].name, name) == 0)
      return &code_table[i];
  return NULL;
}

const char *
dp_star_action_to_string (DpStarAction action)
{
  if ((guint) action >= G_N_ELEMENTS (action_names))
    return "invalid";
  return action_names[action];
}

DpStarArgument
dp_star_action_get_argument (DpStarAction action)
{
  switch (action)
    {
    case DP_STAR_ACTION_FEATURE_DIAL:
    case DP_STAR_ACTION_REFERRAL:
      return DP_STAR_ARGUMENT_NUMBER;
    default:
      for (gsize i = 0; i < G_N_ELEMENTS (code_table); i++)
        if (code_table[i].action == action)
          return code_table[i].argument;
      return DP_STAR_ARGUMENT_NONE;
    }
}

const char *
dp_service_tone_to_string (DpServiceTone tone)
{
  if ((guint) tone >= G_N_ELEMENTS (tone_names))
    return "invalid";
  return tone_names[tone];
}

const char *
dp_star_code_lookup_hash (const char *name, gpointer user_data)
{
  GHashTable *values = user_data;

  g_return_val_if_fail (name != NULL, NULL);

  return values != NULL ? g_hash_table_lookup (values, name) : NULL;
}

void
dp_star_match_clear (DpStarMatch *match)
{
  g_return_if_fail (match != NULL);

  g_clear_pointer (&match->code, g_free);
  g_clear_pointer (&match->argument, g_free);
  g_clear_pointer (&match->target, g_free);
  match->action = DP_STAR_ACTION_NONE;
  match->param = NULL;
  match->codec = NULL;
  match->tone = DP_SERVICE_TONE_NONE;
}

void
dp_service_code_free (DpServiceCode *code)
{
  if (code == NULL)
    return;
  g_free (code->code);
  g_free (code);
}

/* ---- errors --------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (5, 6)
fail_at (const char *kind, gsize pos, DpStarCodeError code, GError **error, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DP_STAR_CODE_ERROR, code, _("%s: position %zu: %s"),
               kind, pos + 1, problem);
  return FALSE;
}

static char *
describe_char (const char *text, gsize pos)
{
  unsigned char c = (unsigned char) text[pos];

  if (c == '\0')
    return g_strdup (_("the end of the text"));
  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

static gboolean
is_code_key (char c)
{
  return g_ascii_isdigit (c) || c == '*' || c == '#';
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Reads a code at text[*pos]; on success *pos is past it. */
static gboolean
read_code (const char *kind, const char *text, gsize *pos, char **code, GError **error)
{
  gsize start = *pos;

  while (is_code_key (text[*pos]))
    {
      if (*pos - start == MAX_CODE_LENGTH)
        return fail_at (kind, start, DP_STAR_CODE_ERROR_TOO_LONG, error,
                        _("code longer than %d keys"), MAX_CODE_LENGTH);
      (*pos)++;
    }
  if (*pos == start)
    {
      g_autofree char *found = describe_char (text, start);
      return fail_at (kind, start, DP_STAR_CODE_ERROR_SYNTAX, error,
                      _("expected a code (keys 0-9, *, #), found %s"), found);
    }
  *code = g_strndup (text + start, *pos - start);
  return TRUE;
}

/* ---- single codes ---------------------------------------------------------- */

static gboolean
valid_code (const char *value)
{
  gsize n = 0;

  for (; value[n] != '\0'; n++)
    if (!is_code_key (value[n]) || n == MAX_CODE_LENGTH)
      return FALSE;
  return n > 0;
}

gboolean
dp_star_code_check (const char *value, GError **error)
{
  gsize pos = 0;
  g_autofree char *code = NULL;
  const char *kind = _("Star code");

  g_return_val_if_fail (value != NULL, FALSE);

  if (*value == '\0')
    return TRUE;
  if (!read_code (kind, value, &pos, &code, error))
    return FALSE;
  if (value[pos] != '\0')
    {
      g_autofree char *found = describe_char (value, pos);
      return fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error,
                      _("unexpected %s (codes are keys 0-9, *, #)"), found);
    }
  return TRUE;
}

static const char *
current_value (DpStarCodeLookup lookup, gpointer user_data, const char *name, const char *fallback)
{
  const char *value = lookup != NULL ? lookup (name, user_data) : NULL;

  return value != NULL ? value : fallback;
}

char **
dp_star_code_dial_plan_sequences (DpStarCodeLookup lookup, gpointer user_data)
{
  g_autoptr(GPtrArray) sequences = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (code_table); i++)
    {
      const char *value = current_value (lookup, user_data, code_table[i].name,
                                         code_table[i].default_value);
      gboolean seen = FALSE;

      if (!valid_code (value))
        continue;
      for (guint j = 0; j < sequences->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (sequences, j), value) == 0;
      if (!seen)
        g_ptr_array_add (sequences, g_strdup (value));
    }
  g_ptr_array_add (sequences, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&sequences), FALSE);
}

/* ---- Feature / Referral lists ---------------------------------------------- */

static gboolean
tone_from_letter (char c, DpServiceTone *tone)
{
  switch (g_ascii_tolower (c))
    {
    case 'c': *tone = DP_SERVICE_TONE_CFWD_DIAL; return TRUE;
    case 'd': *tone = DP_SERVICE_TONE_DIAL; return TRUE;
    case 'm': *tone = DP_SERVICE_TONE_MWI_DIAL; return TRUE;
    case 'o': *tone = DP_SERVICE_TONE_OUTSIDE_DIAL; return TRUE;
    case 'p': *tone = DP_SERVICE_TONE_PROMPT; return TRUE;
    case 's': *tone = DP_SERVICE_TONE_SECOND_DIAL; return TRUE;
    case 'x': *tone = DP_SERVICE_TONE_NONE; return TRUE;
    default:
      if (g_ascii_isdigit (c))
        {
          *tone = DP_SERVICE_TONE_NONE;
          return TRUE;
        }
      return FALSE;
    }
}

GPtrArray *
dp_service_codes_parse (const char *text, GError **error)
{
  const char *kind = _("Service code list");
  g_autoptr(GPtrArray) codes = NULL;
  gsize pos = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  codes = g_ptr_array_new_with_free_func ((GDestroyNotify) dp_service_code_free);
  if (strlen (text) > MAX_LIST_LENGTH)
    {
      fail_at (kind, MAX_LIST_LENGTH, DP_STAR_CODE_ERROR_TOO_LONG, error,
               _("longer than %d characters"), MAX_LIST_LENGTH);
      return NULL;
    }

  while (is_blank (text[pos]))
    pos++;
  if (text[pos] == '\0')
    return g_steal_pointer (&codes);

  for (;;)
    {
      g_autoptr(DpServiceCode) entry = g_new0 (DpServiceCode, 1);
      gsize code_at;

      while (is_blank (text[pos]))
        pos++;
      code_at = pos;
      if (text[pos] == '|' || text[pos] == '\0')
        {
          fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error, _("empty entry"));
          return NULL;
        }
      if (!read_code (kind, text, &pos, &entry->code, error))
        return NULL;
      entry->tone = DP_SERVICE_TONE_PROMPT;
      if (text[pos] == '`')
        {
          gsize tone_at = ++pos;

          if (text[pos] == '`' || text[pos] == '\0')
            {
              fail_at (kind, tone_at, DP_STAR_CODE_ERROR_SYNTAX, error,
                       _("empty tone selector (use one of c d m o p s x or a digit)"));
              return NULL;
            }
          if (!tone_from_letter (text[pos], &entry->tone))
            {
              g_autofree char *found = describe_char (text, pos);
              fail_at (kind, tone_at, DP_STAR_CODE_ERROR_SYNTAX, error,
                       _("unknown tone selector %s (use one of c d m o p s x or a digit)"), found);
              return NULL;
            }
          pos++;
          if (text[pos] != '`')
            {
              g_autofree char *found = describe_char (text, pos);
              fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error,
                       _("expected the closing '`' of the tone selector, found %s"), found);
              return NULL;
            }
          pos++;
        }
      for (guint i = 0; i < codes->len; i++)
        {
          DpServiceCode *other = g_ptr_array_index (codes, i);
          if (strcmp (other->code, entry->code) == 0)
            {
              fail_at (kind, code_at, DP_STAR_CODE_ERROR_DUPLICATE, error,
                       _("code %s is listed twice"), entry->code);
              return NULL;
            }
        }
      g_ptr_array_add (codes, g_steal_pointer (&entry));

      while (is_blank (text[pos]))
        pos++;
      if (text[pos] == '\0')
        break;
      if (text[pos] != '|')
        {
          g_autofree char *found = describe_char (text, pos);
          fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error,
                   _("expected '|' or the end of the list, found %s"), found);
          return NULL;
        }
      pos++;
    }
  return g_steal_pointer (&codes);
}

gboolean
dp_service_codes_check (const char *value, GError **error)
{
  g_autoptr(GPtrArray) codes = dp_service_codes_parse (value, error);

  return codes != NULL;
}

/* ---- announcement codes ---------------------------------------------------- */

GHashTable *
dp_service_annc_codes_parse (const char *text, GError **error)
{
  const char *kind = _("Service announcement codes");
  g_autoptr(GHashTable) map = NULL;
  gsize pos = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (;;)
    {
      gsize name_at;
      g_autofree char *name = NULL;
      g_autofree char *code = NULL;

      while (is_blank (text[pos]))
        pos++;
      if (text[pos] == '\0')
        break;
      name_at = pos;
      while (g_ascii_isalpha (text[pos]))
        pos++;
      if (pos - name_at < 2 || pos - name_at > MAX_ANNC_NAME)
        {
          g_autofree char *found = describe_char (text, name_at);
          fail_at (kind, name_at, DP_STAR_CODE_ERROR_SYNTAX, error,
                   _("expected a service name of 2 to %d letters (CWT, FAT …), found %s"),
                   MAX_ANNC_NAME, found);
          return NULL;
        }
      name = g_ascii_strup (text + name_at, pos - name_at);
      while (is_blank (text[pos]))
        pos++;
      if (text[pos] != '=')
        {
          g_autofree char *found = describe_char (text, pos);
          fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error,
                   _("expected '=' after %s, found %s"), name, found);
          return NULL;
        }
      pos++;
      while (is_blank (text[pos]))
        pos++;
      if (!read_code (kind, text, &pos, &code, error))
        return NULL;
      if (g_hash_table_contains (map, name))
        {
          fail_at (kind, name_at, DP_STAR_CODE_ERROR_DUPLICATE, error, _("%s is mapped twice"), name);
          return NULL;
        }
      g_hash_table_insert (map, g_steal_pointer (&name), g_steal_pointer (&code));
      while (is_blank (text[pos]))
        pos++;
      if (text[pos] == '\0')
        break;
      if (text[pos] != ';')
        {
          g_autofree char *found = describe_char (text, pos);
          fail_at (kind, pos, DP_STAR_CODE_ERROR_SYNTAX, error,
                   _("expected ';' or the end, found %s"), found);
          return NULL;
        }
      pos++;
    }
  return g_steal_pointer (&map);
}

gboolean
dp_service_annc_codes_check (const char *value, GError **error)
{
  g_autoptr(GHashTable) map = dp_service_annc_codes_parse (value, error);

  return map != NULL;
}

const char *
dp_service_annc_name (DpStarAction action)
{
  for (gsize i = 0; i < G_N_ELEMENTS (annc_names); i++)
    if (annc_names[i].action == action)
      return annc_names[i].name;
  return NULL;
}

char *
dp_service_annc_number (const char *base_number, GHashTable *codes, DpStarAction action)
{
  const char *name = dp_service_annc_name (action);
  const char *extension;

  g_return_val_if_fail (codes != NULL, NULL);

  if (base_number == NULL || *base_number == '\0' || name == NULL)
    return NULL;
  extension = g_hash_table_lookup (codes, name);
  if (extension == NULL)
    return NULL;
  return g_strconcat (base_number, extension, NULL);
}

/* ---- resolver -------------------------------------------------------------- */

typedef struct {
  gsize len;                  /* 0 = no candidate yet */
  const DpStarCodeInfo *info; /* NULL for list entries */
  DpStarAction action;
  const char *param;
  DpServiceTone tone;
  int priority;               /* higher wins between equal codes */
} Candidate;

/* Keeps @candidate (whose code is @code) in @best if it matches the start of
 * @keys and beats it; notes in @partial when @keys are the beginning of it. */
static void
consider (const char *keys, gsize keys_len, const char *code, Candidate *candidate,
          Candidate *best, gboolean *partial)
{
  gsize len = strlen (code);

  if (len <= keys_len)
    {
      if (strncmp (keys, code, len) != 0)
        return;
      if (len > best->len || (len == best->len && candidate->priority > best->priority))
        {
          *best = *candidate;
          best->len = len;
        }
    }
  else if (strncmp (keys, code, keys_len) == 0)
    {
      *partial = TRUE;
    }
}

static void
consider_list (const char *keys, gsize keys_len, const char *value, const char *param,
               DpStarAction action, int priority, Candidate *best, gboolean *partial)
{
  g_autoptr(GPtrArray) entries = NULL;

  if (value == NULL || *value == '\0')
    return;
  entries = dp_service_codes_parse (value, NULL);
  if (entries == NULL)
    return;
  for (guint i = 0; i < entries->len; i++)
    {
      DpServiceCode *entry = g_ptr_array_index (entries, i);
      Candidate c = { 0, NULL, action, param, entry->tone, priority };

      consider (keys, keys_len, entry->code, &c, best, partial);
    }
}

DpStarResult
dp_star_code_resolve (const char *keys, DpStarContext context, DpStarCodeLookup lookup,
                      gpointer user_data, DpStarMatch *match)
{
  Candidate best = { 0, NULL, DP_STAR_ACTION_NONE, NULL, DP_SERVICE_TONE_NONE, 0 };
  gboolean partial = FALSE;
  gsize keys_len;
  DpStarArgument argument;
  const char *rest;

  g_return_val_if_fail (keys != NULL, DP_STAR_RESULT_NO_MATCH);

  if (match != NULL)
    dp_star_match_clear (match);
  keys_len = strlen (keys);
  if (keys_len == 0)
    return DP_STAR_RESULT_NO_MATCH;
  for (gsize i = 0; i < keys_len; i++)
    if (!is_code_key (keys[i]))
      return DP_STAR_RESULT_NO_MATCH;

  for (gsize i = 0; i < G_N_ELEMENTS (code_table); i++)
    {
      const DpStarCodeInfo *info = &code_table[i];
      const char *value = current_value (lookup, user_data, info->name, info->default_value);
      Candidate c = { 0, info, info->action, info->name,
                      info->argument == DP_STAR_ARGUMENT_NUMBER ||
                      info->argument == DP_STAR_ARGUMENT_OPTIONAL ? DP_SERVICE_TONE_PROMPT :
                      info->argument == DP_STAR_ARGUMENT_CALL ? DP_SERVICE_TONE_DIAL :
                      DP_SERVICE_TONE_NONE,
                      0 };

      if (valid_code (value))
        consider (keys, keys_len, value, &c, &best, &partial);
    }
  consider_list (keys, keys_len, current_value (lookup, user_data, FEATURE_LIST, ""),
                 FEATURE_LIST, DP_STAR_ACTION_FEATURE_DIAL, 1, &best, &partial);
  if (context == DP_STAR_CONTEXT_SECOND_DIAL_TONE)
    consider_list (keys, keys_len, current_value (lookup, user_data, REFERRAL_LIST, ""),
                   REFERRAL_LIST, DP_STAR_ACTION_REFERRAL, 2, &best, &partial);

  if (best.len == 0)
    return partial ? DP_STAR_RESULT_PARTIAL : DP_STAR_RESULT_NO_MATCH;

  rest = keys + best.len;
  argument = best.info != NULL ? best.info->argument : DP_STAR_ARGUMENT_NUMBER;

  if (match != NULL)
    {
      match->action = best.action;
      match->param = best.param;
      match->code = g_strndup (keys, best.len);
      match->argument = g_strdup (rest);
      match->codec = best.info != NULL ? best.info->codec : NULL;
      match->tone = best.tone;
      if (best.info == NULL)
        match->target = g_strdup (keys);
    }
  if (argument == DP_STAR_ARGUMENT_NUMBER && *rest == '\0')
    return DP_STAR_RESULT_NEEDS_NUMBER;
  return DP_STAR_RESULT_MATCH;
}
