/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the star-code parsers and resolver. The input is split at
 * the first newline: the first part is parsed as a Feature/Referral service
 * code list, as announcement codes and as a single code; the second part is
 * dialled (with the first part installed as both lists and as a local code). */
#include "dp-star-codes.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *newline = strchr (text, '\n');
  const char *keys = "";
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) annc = NULL;
  g_auto(GStrv) sequences = NULL;
  GError *error = NULL;

  if (newline != NULL)
    {
      *newline = '\0';
      keys = newline + 1;
    }

  list = dp_service_codes_parse (text, &error);
  if (list == NULL)
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }
  else
    {
      g_assert_true (strlen (text) <= 79);
      for (guint i = 0; i < list->len; i++)
        {
          DpServiceCode *entry = g_ptr_array_index (list, i);
          g_assert_true (dp_star_code_check (entry->code, NULL));
        }
    }

  annc = dp_service_annc_codes_parse (text, &error);
  if (annc == NULL)
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }
  else
    {
      g_autofree char *number = dp_service_annc_number ("1234", annc, DP_STAR_ACTION_CW_ACT);
      (void) number;
    }

  if (!dp_star_code_check (text, &error))
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }

  g_hash_table_insert (values, (gpointer) "Feature_Dial_Services_Codes", text);
  g_hash_table_insert (values, (gpointer) "Referral_Services_Codes", text);
  g_hash_table_insert (values, (gpointer) "Call_Return_Code", text);
  for (int context = DP_STAR_CONTEXT_DIAL_TONE; context <= DP_STAR_CONTEXT_SECOND_DIAL_TONE; context++)
    {
      DpStarMatch match = { 0, };
      DpStarResult result = dp_star_code_resolve (keys, context, dp_star_code_lookup_hash,
                                                  values, &match);

      if (result == DP_STAR_RESULT_MATCH || result == DP_STAR_RESULT_NEEDS_NUMBER)
        {
          /* the code and its argument are the dialled keys, split */
          g_autofree char *joined = g_strconcat (match.code, match.argument, NULL);
          g_assert_cmpstr (joined, ==, keys);
          g_assert_true (match.action != DP_STAR_ACTION_NONE);
        }
      else
        g_assert_null (match.code);
      dp_star_match_clear (&match);
    }

  sequences = dp_star_code_dial_plan_sequences (dp_star_code_lookup_hash, values);
  g_assert_nonnull (sequences);
  return 0;
}
