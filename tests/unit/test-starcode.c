/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Star codes: the vectors K1–K4 of conformance-vectors.md §6 and the rules
 * of spa9x2-reference.md §5 (code table, resolver, Feature/Referral lists,
 * announcement codes, dial-plan append list). */
#include "dp-star-codes.h"

#include <string.h>

static GHashTable *
values_new (const char *first_name, ...)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (values, (gpointer) name, va_arg (args, char *));
  va_end (args);
  return values;
}

/* Every row against the SPA962 5.1.15 dump: same name, group and default. */
static void
test_table_matches_dump (void)
{
  const char *shared = g_getenv ("DP_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GHashTable) dump = NULL;
  g_autoptr(GMatchInfo) info = NULL;
  const DpStarCodeInfo *table;
  guint n = 0, vsac = 0, codec = 0;

  table = dp_star_code_table (&n);
  g_assert_cmpuint (n, ==, 48);
  for (guint i = 0; i < n; i++)
    {
      if (table[i].codec != NULL)
        {
          codec++;
          g_assert_cmpint (table[i].argument, ==, DP_STAR_ARGUMENT_CALL);
          g_assert_true (table[i].action == DP_STAR_ACTION_CODEC_PREFER ||
                         table[i].action == DP_STAR_ACTION_CODEC_FORCE);
          /* *01 = prefer, *02 = force, then the codec id */
          g_assert_true (g_str_has_prefix (table[i].default_value,
                                           table[i].action == DP_STAR_ACTION_CODEC_PREFER ? "*01" : "*02"));
        }
      else
        vsac++;
      g_assert_true (dp_star_code_info_lookup (table[i].name) == &table[i]);
      g_assert_true (dp_star_code_check (table[i].default_value, NULL));
    }
  g_assert_cmpuint (vsac, ==, 32);
  g_assert_cmpuint (codec, ==, 16);
  g_assert_null (dp_star_code_info_lookup ("Feature_Dial_Services_Codes"));

  if (shared == NULL)
    {
      g_test_skip ("DP_SHARED_DIR is not set");
      return;
    }
  path = g_build_filename (shared, "corpora", "spa962-dump", "spa962-5.1.15.xml", NULL);
  g_assert_true (g_file_get_contents (path, &xml, NULL, &error));
  g_assert_no_error (error);

  dump = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  regex = g_regex_new ("<([A-Za-z0-9_]+_Code) group=\"([^\"]*)\"(?:/>|>([^<]*)</\\1>)", 0, 0, &error);
  g_assert_no_error (error);
  g_regex_match (regex, xml, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char *name = g_match_info_fetch (info, 1);
      g_autofree char *group = g_match_info_fetch (info, 2);
      g_autofree char *value = g_match_info_fetch (info, 3);
      const DpStarCodeInfo *row = dp_star_code_info_lookup (name);

      if (g_str_has_prefix (group, "Regional/Vertical_Service_Activation_Codes") ||
          g_str_has_prefix (group, "Regional/Outbound_Call_Codec_Selection_Codes"))
        {
          if (row == NULL)
            g_error ("dump code %s missing from the table", name);
          g_assert_cmpstr (row->group, ==, group);
          g_assert_cmpstr (row->default_value, ==, value != NULL ? value : "");
          g_hash_table_add (dump, g_steal_pointer (&name));
        }
      g_match_info_next (info, NULL);
    }
  g_assert_cmpuint (g_hash_table_size (dump), ==, n);
}

typedef struct {
  const char *keys;
  DpStarResult result;
  DpStarAction action;
  const char *code;
  const char *argument;
  const char *codec;
} ResolveCase;

static void
check_resolve (const ResolveCase *c, DpStarContext context, GHashTable *values)
{
  DpStarMatch match = { 0, };
  DpStarResult result;

  result = dp_star_code_resolve (c->keys, context, values != NULL ? dp_star_code_lookup_hash : NULL,
                                 values, &match);
  if (result != c->result || match.action != c->action)
    g_error ("keys %s: result %d action %s, want %d %s", c->keys, result,
             dp_star_action_to_string (match.action), c->result, dp_star_action_to_string (c->action));
  g_assert_cmpstr (match.code, ==, c->code);
  g_assert_cmpstr (match.argument, ==, c->argument);
  g_assert_cmpstr (match.codec, ==, c->codec);
  dp_star_match_clear (&match);
}

/* With factory values. */
static void
test_resolve_defaults (void)
{
  static const ResolveCase cases[] = {
    { "*725551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_ALL_ACT, "*72", "5551234", NULL },
    { "*72", DP_STAR_RESULT_NEEDS_NUMBER, DP_STAR_ACTION_CFWD_ALL_ACT, "*72", "", NULL },
    { "*73", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_ALL_DEACT, "*73", "", NULL },
    { "*901002", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_BUSY_ACT, "*90", "1002", NULL },
    { "*91", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_BUSY_DEACT, "*91", "", NULL },
    { "*921002", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_NO_ANS_ACT, "*92", "1002", NULL },
    { "*93", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CFWD_NO_ANS_DEACT, "*93", "", NULL },
    { "*69", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_RETURN, "*69", "", NULL },
    { "*981003", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLIND_TRANSFER, "*98", "1003", NULL },
    { "*98", DP_STAR_RESULT_NEEDS_NUMBER, DP_STAR_ACTION_BLIND_TRANSFER, "*98", "", NULL },
    { "*66", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_BACK_ACT, "*66", "", NULL },
    { "*86", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_BACK_DEACT, "*86", "", NULL },
    { "*56", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CW_ACT, "*56", "", NULL },
    { "*57", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CW_DEACT, "*57", "", NULL },
    { "*715551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CW_PER_CALL_ACT, "*71", "5551234", NULL },
    { "*70", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CW_PER_CALL_DEACT, "*70", "", NULL },
    { "*67", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_CID_ACT, "*67", "", NULL },
    { "*68", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_CID_DEACT, "*68", "", NULL },
    { "*815551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_CID_PER_CALL_ACT, "*81", "5551234", NULL },
    { "*82", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_CID_PER_CALL_DEACT, "*82", "", NULL },
    { "*77", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_ANC_ACT, "*77", "", NULL },
    { "*87", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_BLOCK_ANC_DEACT, "*87", "", NULL },
    { "*78", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_DND_ACT, "*78", "", NULL },
    { "*79", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_DND_DEACT, "*79", "", NULL },
    { "*16", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_SECURE_ALL_CALL_ACT, "*16", "", NULL },
    { "*17", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_SECURE_NO_CALL_ACT, "*17", "", NULL },
    { "*185551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_SECURE_ONE_CALL_ACT, "*18", "5551234", NULL },
    { "*19", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_SECURE_ONE_CALL_DEACT, "*19", "", NULL },
    { "*961001", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_PAGING, "*96", "1001", NULL },
    { "*38", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_PARK, "*38", "", NULL },
    { "*3871", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_PARK, "*38", "71", NULL },
    { "*3971", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_UNPARK, "*39", "71", NULL },
    { "*361002", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_PICKUP, "*36", "1002", NULL },
    { "*36", DP_STAR_RESULT_NEEDS_NUMBER, DP_STAR_ACTION_CALL_PICKUP, "*36", "", NULL },
    { "*37", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_GROUP_CALL_PICKUP, "*37", "", NULL },
    { "*031002", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_MEDIA_LOOPBACK, "*03", "1002", NULL },
    /* codec selection: a prefix before the number */
    { "*0171105551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*017110", "5551234", "G711u" },
    { "*0171115551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*017111", "5551234", "G711a" },
    { "*0271115551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_FORCE, "*027111", "5551234", "G711a" },
    { "*01723100", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*01723", "100", "G723" },
    { "*02723", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_FORCE, "*02723", "", "G723" },
    { "*0172616100", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*0172616", "100", "G726r16" },
    { "*0272624100", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_FORCE, "*0272624", "100", "G726r24" },
    { "*0172632", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*0172632", "", "G726r32" },
    { "*0272640#", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_FORCE, "*0272640", "#", "G726r40" },
    { "*017295551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_PREFER, "*01729", "5551234", "G729a" },
    { "*027295551234", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CODEC_FORCE, "*02729", "5551234", "G729a" },
    /* beginnings of codes */
    { "*", DP_STAR_RESULT_PARTIAL, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*7", DP_STAR_RESULT_PARTIAL, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*0172", DP_STAR_RESULT_PARTIAL, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*01726", DP_STAR_RESULT_PARTIAL, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    /* not codes */
    { "5551234", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*99", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*07", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*0172617", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*7a", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "#", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_resolve (&cases[i], DP_STAR_CONTEXT_DIAL_TONE, NULL);
}

/* The lookup decides; NULL = default, "" = blanked. */
static void
test_resolve_configured (void)
{
  g_autoptr(GHashTable) values = values_new ("Cfwd_All_Act_Code", "", "DND_Act_Code", "#78",
                                             "Call_Return_Code", "*6", "Prefer_G711a_Code", "bogus",
                                             NULL);
  static const ResolveCase cases[] = {
    /* blanked: *72 is no longer a code, *7 still begins *73 … */
    { "*725551234", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "*7", DP_STAR_RESULT_PARTIAL, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    { "#78", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_DND_ACT, "#78", "", NULL },
    { "*78", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
    /* the longest code wins: *69 is gone, *66 (call back) still beats *6 */
    { "*66", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_BACK_ACT, "*66", "", NULL },
    { "*69", DP_STAR_RESULT_MATCH, DP_STAR_ACTION_CALL_RETURN, "*6", "9", NULL },
    /* an invalid value cannot be dialled */
    { "*0171115551234", DP_STAR_RESULT_NO_MATCH, DP_STAR_ACTION_NONE, NULL, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_resolve (&cases[i], DP_STAR_CONTEXT_DIAL_TONE, values);
}

/* Pre-dial chaining: the argument of a stand-alone code is resolved next. */
static void
test_resolve_chain (void)
{
  DpStarMatch match = { 0, };
  const char *keys = "*67*0171105551234";
  DpStarAction want[] = { DP_STAR_ACTION_BLOCK_CID_ACT, DP_STAR_ACTION_CODEC_PREFER };
  g_autofree char *rest = g_strdup (keys);

  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_assert_cmpint (dp_star_code_resolve (rest, DP_STAR_CONTEXT_DIAL_TONE, NULL, NULL, &match),
                       ==, DP_STAR_RESULT_MATCH);
      g_assert_cmpint (match.action, ==, want[i]);
      g_free (rest);
      rest = g_strdup (match.argument);
    }
  g_assert_cmpstr (match.codec, ==, "G711u");
  g_assert_cmpstr (rest, ==, "5551234");
  g_assert_cmpint (dp_star_code_resolve (rest, DP_STAR_CONTEXT_DIAL_TONE, NULL, NULL, &match),
                   ==, DP_STAR_RESULT_NO_MATCH);
  g_assert_null (match.code);
  dp_star_match_clear (&match);
}

/* K4 and the list precedence decision. */
static void
test_resolve_feature_codes (void)
{
  g_autoptr(GHashTable) values = values_new ("Feature_Dial_Services_Codes", "*72`c`|*67`p`",
                                             "Referral_Services_Codes", "*98|*123`x`", NULL);
  DpStarMatch match = { 0, };

  /* K4: INVITE to *725551212, even though Cfwd_All_Act_Code is still *72 */
  g_assert_cmpint (dp_star_code_resolve ("*725551212", DP_STAR_CONTEXT_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_FEATURE_DIAL);
  g_assert_cmpstr (match.param, ==, "Feature_Dial_Services_Codes");
  g_assert_cmpstr (match.target, ==, "*725551212");
  g_assert_cmpstr (match.code, ==, "*72");
  g_assert_cmpstr (match.argument, ==, "5551212");
  g_assert_cmpint (match.tone, ==, DP_SERVICE_TONE_CFWD_DIAL);

  /* the code alone: collect the number, playing the code's tone */
  g_assert_cmpint (dp_star_code_resolve ("*67", DP_STAR_CONTEXT_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_NEEDS_NUMBER);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_FEATURE_DIAL);
  g_assert_cmpint (match.tone, ==, DP_SERVICE_TONE_PROMPT);

  /* Feature codes also work at second dial tone */
  g_assert_cmpint (dp_star_code_resolve ("*671000", DP_STAR_CONTEXT_SECOND_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_FEATURE_DIAL);

  /* Referral codes only at second dial tone: else *98 is the local blind transfer */
  g_assert_cmpint (dp_star_code_resolve ("*981000", DP_STAR_CONTEXT_SECOND_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_REFERRAL);
  g_assert_cmpstr (match.target, ==, "*981000");
  g_assert_cmpint (match.tone, ==, DP_SERVICE_TONE_PROMPT);
  g_assert_cmpint (dp_star_code_resolve ("*981000", DP_STAR_CONTEXT_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_BLIND_TRANSFER);
  g_assert_null (match.target);
  g_assert_cmpint (dp_star_code_resolve ("*1235", DP_STAR_CONTEXT_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_NO_MATCH);
  g_assert_cmpint (dp_star_code_resolve ("*12", DP_STAR_CONTEXT_SECOND_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_PARTIAL);
  g_assert_cmpint (dp_star_code_resolve ("*1235", DP_STAR_CONTEXT_SECOND_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.tone, ==, DP_SERVICE_TONE_NONE);
  g_assert_cmpstr (match.argument, ==, "5");
  dp_star_match_clear (&match);

  /* a malformed list is ignored: the local code applies */
  g_hash_table_insert (values, (gpointer) "Feature_Dial_Services_Codes", (gpointer) "*72`q`");
  g_assert_cmpint (dp_star_code_resolve ("*725551212", DP_STAR_CONTEXT_DIAL_TONE,
                                         dp_star_code_lookup_hash, values, &match),
                   ==, DP_STAR_RESULT_MATCH);
  g_assert_cmpint (match.action, ==, DP_STAR_ACTION_CFWD_ALL_ACT);
  dp_star_match_clear (&match);
}

static void
assert_list (const char *text, guint n, const char *const *codes, const DpServiceTone *tones)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dp_service_codes_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      DpServiceCode *entry = g_ptr_array_index (list, i);
      g_assert_cmpstr (entry->code, ==, codes[i]);
      g_assert_cmpint (entry->tone, ==, tones[i]);
    }
  g_assert_true (dp_service_codes_check (text, NULL));
}

static void
test_service_code_lists (void)
{
  /* K1 */
  assert_list ("*72`c`|*67`p`", 2, (const char *[]) { "*72", "*67" },
               (DpServiceTone[]) { DP_SERVICE_TONE_CFWD_DIAL, DP_SERVICE_TONE_PROMPT });
  /* K2: Prompt Tone by default */
  assert_list ("*72|*74|*67|*82", 4, (const char *[]) { "*72", "*74", "*67", "*82" },
               (DpServiceTone[]) { DP_SERVICE_TONE_PROMPT, DP_SERVICE_TONE_PROMPT,
                                   DP_SERVICE_TONE_PROMPT, DP_SERVICE_TONE_PROMPT });
  /* K3: a digit = no tone */
  assert_list ("*72`5`", 1, (const char *[]) { "*72" }, (DpServiceTone[]) { DP_SERVICE_TONE_NONE });
  assert_list ("*1`d`|*2`m`|*3`o`|*4`s`|*5`x`|*6`C`|*7`0`", 7,
               (const char *[]) { "*1", "*2", "*3", "*4", "*5", "*6", "*7" },
               (DpServiceTone[]) { DP_SERVICE_TONE_DIAL, DP_SERVICE_TONE_MWI_DIAL,
                                   DP_SERVICE_TONE_OUTSIDE_DIAL, DP_SERVICE_TONE_SECOND_DIAL,
                                   DP_SERVICE_TONE_NONE, DP_SERVICE_TONE_CFWD_DIAL,
                                   DP_SERVICE_TONE_NONE });
  assert_list ("*98", 1, (const char *[]) { "*98" }, (DpServiceTone[]) { DP_SERVICE_TONE_PROMPT });
  assert_list (" *97 | *98 |*123 ", 3, (const char *[]) { "*97", "*98", "*123" },
               (DpServiceTone[]) { DP_SERVICE_TONE_PROMPT, DP_SERVICE_TONE_PROMPT,
                                   DP_SERVICE_TONE_PROMPT });
  assert_list ("", 0, NULL, NULL);
  assert_list ("  ", 0, NULL, NULL);
  /* exactly 79 characters is allowed */
  assert_list ("*123456789012345678901234567890|*123456789012345678901234567899|*12345678901234", 3,
               (const char *[]) { "*123456789012345678901234567890", "*123456789012345678901234567899", "*12345678901234" },
               (DpServiceTone[]) { DP_SERVICE_TONE_PROMPT, DP_SERVICE_TONE_PROMPT, DP_SERVICE_TONE_PROMPT });
}

typedef struct {
  const char *text;
  int position;
  const char *fragment;
} BadList;

static void
test_service_code_lists_malformed (void)
{
  static const BadList cases[] = {
    { "*72||*67", 5, "empty entry" },
    { "|*72", 1, "empty entry" },
    { "*72|", 5, "empty entry" },
    { "*72`c`|*67`p", 13, "closing '`'" },
    { "*72``", 5, "empty tone selector" },
    { "*72`q`", 5, "unknown tone selector 'q'" },
    { "*72`cc`", 6, "closing '`'" },
    { "*72 *67", 5, "expected '|'" },
    { "*7a2", 3, "expected '|'" },
    { "abc", 1, "expected a code" },
    { "*72|*67|*72", 9, "listed twice" },
    { "*72`c`x", 7, "expected '|'" },
    { "*12345678901234567890123456789012", 1, "longer than 31" },
    { "*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|*72|", 80,
      "longer than 79" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = dp_service_codes_parse (cases[i].text, &error);
      g_autofree char *where = g_strdup_printf ("Service code list: position %d: ", cases[i].position);

      g_assert_null (list);
      g_assert_nonnull (error);
      g_assert_true (error->domain == DP_STAR_CODE_ERROR);
      if (!g_str_has_prefix (error->message, where) || strstr (error->message, cases[i].fragment) == NULL)
        g_error ("list \"%s\": got \"%s\", want %s… %s", cases[i].text, error->message, where,
                 cases[i].fragment);
      g_assert_false (dp_service_codes_check (cases[i].text, NULL));
    }
}

static void
test_annc_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) map = dp_service_annc_codes_parse ("CWT=00;CWF=01", &error);
  g_autofree char *number = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (map), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (map, "CWT"), ==, "00");
  /* base 1234: enabling CW calls 123400, disabling calls 123401 */
  number = dp_service_annc_number ("1234", map, DP_STAR_ACTION_CW_ACT);
  g_assert_cmpstr (number, ==, "123400");
  g_clear_pointer (&number, g_free);
  number = dp_service_annc_number ("1234", map, DP_STAR_ACTION_CW_DEACT);
  g_assert_cmpstr (number, ==, "123401");
  g_clear_pointer (&number, g_free);
  /* missing mapping or base: normal local behaviour */
  g_assert_null (dp_service_annc_number ("1234", map, DP_STAR_ACTION_CFWD_ALL_ACT));
  g_assert_null (dp_service_annc_number ("", map, DP_STAR_ACTION_CW_ACT));
  g_assert_null (dp_service_annc_number ("1234", map, DP_STAR_ACTION_DND_ACT));
  g_clear_pointer (&map, g_hash_table_unref);

  map = dp_service_annc_codes_parse (" fat = 10 ; FAF=11; CBT=20;CBB=22;ALT=*5;", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (map), ==, 5);
  g_assert_cmpstr (g_hash_table_lookup (map, "CBB"), ==, "22");
  number = dp_service_annc_number ("99", map, DP_STAR_ACTION_CFWD_ALL_ACT);
  g_assert_cmpstr (number, ==, "9910");
  g_clear_pointer (&number, g_free);
  number = dp_service_annc_number ("99", map, DP_STAR_ACTION_CALL_BACK_ACT);
  g_assert_cmpstr (number, ==, "9920");
  g_clear_pointer (&map, g_hash_table_unref);

  map = dp_service_annc_codes_parse ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (map), ==, 0);
  g_clear_pointer (&map, g_hash_table_unref);

  g_assert_cmpstr (dp_service_annc_name (DP_STAR_ACTION_CFWD_BUSY_ACT), ==, "FBT");
  g_assert_cmpstr (dp_service_annc_name (DP_STAR_ACTION_CFWD_NO_ANS_DEACT), ==, "FNF");
  g_assert_null (dp_service_annc_name (DP_STAR_ACTION_PAGING));

  {
    static const BadList cases[] = {
      { "CWT00", 4, "expected '='" },
      { "CWT=", 5, "expected a code" },
      { "CWT=00;;", 8, "service name" },
      { "C=00", 1, "service name" },
      { "CWT=0x", 6, "expected ';'" },
      { "CWT=00;CWT=01", 8, "mapped twice" },
      { "=00", 1, "service name" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) bad = NULL;
        g_autoptr(GHashTable) none = dp_service_annc_codes_parse (cases[i].text, &bad);
        g_autofree char *where = g_strdup_printf ("Service announcement codes: position %d: ",
                                                  cases[i].position);

        g_assert_null (none);
        if (!g_str_has_prefix (bad->message, where) || strstr (bad->message, cases[i].fragment) == NULL)
          g_error ("annc \"%s\": got \"%s\", want %s… %s", cases[i].text, bad->message, where,
                   cases[i].fragment);
        g_assert_false (dp_service_annc_codes_check (cases[i].text, NULL));
      }
  }
}

static void
test_dial_plan_sequences (void)
{
  g_auto(GStrv) defaults = dp_star_code_dial_plan_sequences (NULL, NULL);
  g_autoptr(GHashTable) values = values_new ("Cfwd_All_Act_Code", "", "DND_Act_Code", "*69",
                                             "Paging_Code", "*9x", NULL);
  g_auto(GStrv) configured = NULL;
  guint n;
  const DpStarCodeInfo *table = dp_star_code_table (&n);

  g_assert_cmpuint (g_strv_length (defaults), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (defaults[i], ==, table[i].default_value);

  /* blanked and invalid codes are left out, duplicates appear once */
  configured = dp_star_code_dial_plan_sequences (dp_star_code_lookup_hash, values);
  g_assert_cmpuint (g_strv_length (configured), ==, n - 3);
  g_assert_false (g_strv_contains ((const char *const *) configured, "*72"));
  g_assert_false (g_strv_contains ((const char *const *) configured, "*78"));
  g_assert_false (g_strv_contains ((const char *const *) configured, "*9x"));
  g_assert_true (g_strv_contains ((const char *const *) configured, "*69"));
  g_assert_true (g_strv_contains ((const char *const *) configured, "*017111"));
}

static void
test_code_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dp_star_code_check ("", NULL));
  g_assert_true (dp_star_code_check ("*72", NULL));
  g_assert_true (dp_star_code_check ("#99", NULL));
  g_assert_false (dp_star_code_check ("*7 2", &error));
  g_assert_cmpstr (error->message, ==, "Star code: position 3: unexpected ' ' (codes are keys 0-9, *, #)");
  g_clear_error (&error);
  g_assert_false (dp_star_code_check ("x72", &error));
  g_assert_true (g_str_has_prefix (error->message, "Star code: position 1: "));
}

static void
test_names (void)
{
  g_assert_cmpstr (dp_star_action_to_string (DP_STAR_ACTION_CFWD_ALL_ACT), ==, "cfwd-all-act");
  g_assert_cmpstr (dp_star_action_to_string (DP_STAR_ACTION_REFERRAL), ==, "referral");
  g_assert_cmpstr (dp_service_tone_to_string (DP_SERVICE_TONE_CFWD_DIAL), ==, "cfwd-dial");
  g_assert_cmpint (dp_star_action_get_argument (DP_STAR_ACTION_CFWD_ALL_ACT), ==, DP_STAR_ARGUMENT_NUMBER);
  g_assert_cmpint (dp_star_action_get_argument (DP_STAR_ACTION_CFWD_ALL_DEACT), ==, DP_STAR_ARGUMENT_NONE);
  g_assert_cmpint (dp_star_action_get_argument (DP_STAR_ACTION_CODEC_FORCE), ==, DP_STAR_ARGUMENT_CALL);
  g_assert_cmpint (dp_star_action_get_argument (DP_STAR_ACTION_FEATURE_DIAL), ==, DP_STAR_ARGUMENT_NUMBER);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/starcode/table-matches-dump", test_table_matches_dump);
  g_test_add_func ("/starcode/resolve-defaults", test_resolve_defaults);
  g_test_add_func ("/starcode/resolve-configured", test_resolve_configured);
  g_test_add_func ("/starcode/resolve-chain", test_resolve_chain);
  g_test_add_func ("/starcode/resolve-feature-codes", test_resolve_feature_codes);
  g_test_add_func ("/starcode/service-code-lists", test_service_code_lists);
  g_test_add_func ("/starcode/service-code-lists-malformed", test_service_code_lists_malformed);
  g_test_add_func ("/starcode/annc-codes", test_annc_codes);
  g_test_add_func ("/starcode/dial-plan-sequences", test_dial_plan_sequences);
  g_test_add_func ("/starcode/code-check", test_code_check);
  g_test_add_func ("/starcode/names", test_names);

  return g_test_run ();
}
