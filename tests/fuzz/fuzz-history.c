/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for the core's JSON stores: history.json and directory.json
 * readers. Whatever loads must write back and load again to the same
 * document (the stores never save what they cannot read). */
#include <deskphone.h>

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(DpCallHistory) history = dp_call_history_new (NULL);
  g_autoptr(DpDirectory) directory = dp_directory_new (NULL);
  GError *error = NULL;

  if (dp_call_history_load_data (history, (const char *) data, (gssize) size, &error))
    {
      g_autoptr(JsonNode) node = dp_call_history_to_json (history);
      g_autofree char *first = to_text (node);
      g_autoptr(DpCallHistory) again = dp_call_history_new (NULL);
      g_autoptr(JsonNode) node2 = NULL;
      g_autofree char *second = NULL;

      g_assert_true (dp_call_history_load_data (again, first, -1, NULL));
      node2 = dp_call_history_to_json (again);
      second = to_text (node2);
      g_assert_cmpstr (first, ==, second);
    }
  else
    {
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  if (dp_directory_load_data (directory, (const char *) data, (gssize) size, &error))
    {
      g_autoptr(JsonNode) node = dp_directory_to_json (directory);
      g_autofree char *first = to_text (node);
      g_autoptr(DpDirectory) again = dp_directory_new (NULL);
      g_autoptr(JsonNode) node2 = NULL;
      g_autofree char *second = NULL;

      g_assert_true (dp_directory_load_data (again, first, -1, NULL));
      node2 = dp_directory_to_json (again);
      second = to_text (node2);
      g_assert_cmpstr (first, ==, second);
    }
  else
    {
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  return 0;
}
