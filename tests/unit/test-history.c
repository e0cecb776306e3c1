/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * core/history: the call history and personal directory stores, and the
 * core's ownership of them (recording every call end, loading, status). */
#include <deskphone.h>
#include <glib/gstdio.h>
#include <string.h>

static void
count_signal (gpointer instance, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_history_round_trip_and_bound (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.json", NULL);
  g_autoptr(DpCallHistory) history = dp_call_history_new (path);
  g_autoptr(DpCallHistory) again = dp_call_history_new (path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < DP_CALL_HISTORY_MAX_PER_KIND + 5; i++)
    dp_call_history_add (history, DP_CALL_HISTORY_MISSED, "sip:1@h", "", 1, i, 0, "cancelled");
  dp_call_history_add (history, DP_CALL_HISTORY_PLACED, "sip:2000@h", "Bob", 2, 7, 42, "hangup");
  g_assert_cmpuint (dp_call_history_get_n_entries (history), ==, DP_CALL_HISTORY_MAX_PER_KIND + 1);
  g_assert_true (dp_call_history_save (history, &error));
  g_assert_no_error (error);
  g_assert_true (dp_call_history_load (again, &error));
  g_assert_cmpuint (dp_call_history_get_n_entries (again), ==, DP_CALL_HISTORY_MAX_PER_KIND + 1);
  g_assert_cmpstr (dp_call_history_last_of_kind (again, DP_CALL_HISTORY_PLACED)->peer, ==, "sip:2000@h");
  g_assert_cmpint (dp_call_history_get_entry (again, 0)->duration_s, ==, 42);
  /* the oldest missed calls went */
  g_assert_cmpint (dp_call_history_get_entry (again, 1)->start, ==, DP_CALL_HISTORY_MAX_PER_KIND + 4);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_history_bad_input (void)
{
  g_autoptr(DpCallHistory) history = dp_call_history_new (NULL);
  g_autoptr(GError) error = NULL;

  dp_call_history_add (history, DP_CALL_HISTORY_PLACED, "x", "", 1, 1, 0, "");
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[{\"kind\":\"lost\","
                                             "\"peer\":\"x\",\"line\":1,\"start\":1,\"duration_s\":0}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: member \"kind\""));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[{\"kind\":\"placed\","
                                             "\"peer\":\"x\",\"line\":99,\"start\":1,\"duration_s\":0}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "member \"line\" is 99"));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":1,\"entries\":[", -1, &error));
  g_clear_error (&error);
  g_assert_false (dp_call_history_load_data (history, "{\"version\":2,\"entries\":[]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "version"));
  /* nothing changed */
  g_assert_cmpuint (dp_call_history_get_n_entries (history), ==, 1);
}

static void
test_directory (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "directory.json", NULL);
  g_autoptr(DpDirectory) directory = dp_directory_new (path);
  g_autoptr(DpDirectory) again = dp_directory_new (path);
  g_autoptr(GError) error = NULL;
  guint index = 99;

  g_assert_true (dp_directory_add (directory, "  zoe ", "2001", &index, &error));
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (dp_directory_add (directory, "Alice", "2000", &index, &error));
  g_assert_cmpuint (index, ==, 0);
  g_assert_false (dp_directory_add (directory, "Bad", "20 00", NULL, &error));
  g_assert_nonnull (strstr (error->message, "number: character 3"));
  g_clear_error (&error);
  g_assert_false (dp_directory_add (directory, "", "1", NULL, &error));
  g_clear_error (&error);
  g_assert_true (dp_directory_edit (directory, 1, "Bob", "sip:bob@example.com", &index, &error));
  g_assert_cmpuint (index, ==, 1);
  g_assert_false (dp_directory_delete (directory, 5, &error));
  g_clear_error (&error);
  g_assert_true (dp_directory_load (again, &error));
  g_assert_cmpuint (dp_directory_get_n_entries (again), ==, 2);
  g_assert_cmpstr (dp_directory_get_entry (again, 0)->name, ==, "Alice");
  g_assert_cmpstr (dp_directory_get_entry (again, 1)->number, ==, "sip:bob@example.com");
  g_assert_true (dp_directory_delete (again, 0, &error));
  g_assert_true (dp_directory_load (directory, &error));
  g_assert_cmpuint (dp_directory_get_n_entries (directory), ==, 1);
  g_assert_false (dp_directory_load_data (directory, "{\"version\":1,\"entries\":[{\"name\":\"a\\u0001\",\"number\":\"1\"}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: name: character 2"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_directory_ids (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "directory.json", NULL);
  g_autoptr(DpDirectory) directory = dp_directory_new (path);
  g_autoptr(DpDirectory) again = dp_directory_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *zoe = NULL, *alice = NULL, *carol = NULL, *before = NULL, *after = NULL;
  guint changes = 0;

  g_signal_connect (directory, "changed", G_CALLBACK (count_signal), &changes);
  zoe = dp_directory_add_contact (directory, "Zoe", "2001", &error);
  g_assert_no_error (error);
  alice = dp_directory_add_contact (directory, "alice", "2000", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zoe, ==, "1");
  g_assert_cmpstr (alice, ==, "2");
  g_assert_cmpuint (changes, ==, 2);
  /* sorted by folded name, ids stay with their entries */
  g_assert_cmpstr (dp_directory_get_entry (directory, 0)->id, ==, "2");
  g_assert_true (dp_directory_update_contact (directory, "2", "Zzed", "sip:zed@example.com", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_directory_get_entry (directory, 1)->id, ==, "2");
  g_assert_cmpstr (dp_directory_lookup (directory, "2")->number, ==, "sip:zed@example.com");
  g_assert_cmpuint (changes, ==, 3);

  /* bad input: the INVALID code D-Bus maps, and nothing changes */
  before = read_text (path);
  g_assert_false (dp_directory_update_contact (directory, "1", "Zoe", "20 01", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "number: character 3 (U+0020)"));
  g_clear_error (&error);
  g_assert_null (dp_directory_add_contact (directory, "Tab\there", "1", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "name: character 4"));
  g_clear_error (&error);
  g_assert_false (dp_directory_delete_contact (directory, "7", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dp_directory_update_contact (directory, NULL, "a", "1", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = read_text (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (changes, ==, 3);

  /* ids survive a reload; a new id is above every id in use */
  g_assert_true (dp_directory_load (again, &error));
  g_assert_cmpstr (dp_directory_lookup (again, "1")->name, ==, "Zoe");
  g_assert_cmpstr (dp_directory_lookup (again, "2")->name, ==, "Zzed");
  g_assert_true (dp_directory_delete_contact (again, "1", &error));
  carol = dp_directory_add_contact (again, "Carol", "*98", &error);
  g_assert_cmpstr (carol, ==, "3");
  g_assert_null (dp_directory_lookup (again, "1"));
  remove_tree (dir);
}

static void
test_directory_file_ids (void)
{
  g_autoptr(DpDirectory) directory = dp_directory_new (NULL);
  g_autoptr(GError) error = NULL;

  /* a file of the screen plugin (no ids): ids follow the file order,
   * above any explicit id */
  g_assert_true (dp_directory_load_data (directory,
    "{\"version\":1,\"entries\":[{\"name\":\"B\",\"number\":\"2\"},"
    "{\"id\":\"5\",\"name\":\"C\",\"number\":\"3\"},{\"name\":\"A\",\"number\":\"1\"}]}", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dp_directory_lookup (directory, "6")->name, ==, "B");
  g_assert_cmpstr (dp_directory_lookup (directory, "7")->name, ==, "A");
  g_assert_cmpstr (dp_directory_get_entry (directory, 0)->id, ==, "7");

  g_assert_false (dp_directory_load_data (directory,
    "{\"version\":1,\"entries\":[{\"id\":\"1\",\"name\":\"B\",\"number\":\"2\"},"
    "{\"id\":\"1\",\"name\":\"C\",\"number\":\"3\"}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 2: member \"id\": \"1\" is used by an earlier entry"));
  g_clear_error (&error);
  g_assert_false (dp_directory_load_data (directory,
    "{\"version\":1,\"entries\":[{\"id\":\"01\",\"name\":\"B\",\"number\":\"2\"}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: member \"id\": \"01\""));
  g_clear_error (&error);
  g_assert_false (dp_directory_load_data (directory,
    "{\"version\":1,\"entries\":[{\"id\":7,\"name\":\"B\",\"number\":\"2\"}]}", -1, &error));
  g_assert_nonnull (strstr (error->message, "entry 1: member \"id\" is not a string"));
  g_clear_error (&error);
  g_assert_false (dp_directory_load_data (directory, "{\"version\":1,\"entries\":[]}\0x", 27, &error));
  g_assert_nonnull (strstr (error->message, "byte 27: NUL"));
  g_clear_error (&error);
  /* nothing changed */
  g_assert_cmpuint (dp_directory_get_n_entries (directory), ==, 3);
}

static void
test_directory_full (void)
{
  g_autoptr(DpDirectory) directory = dp_directory_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (DP_DIRECTORY_MAX_TEXT + 1, 'x');

  g_assert_null (dp_directory_add_contact (directory, long_name, "1", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "must be 1 to 64 bytes long (it is 65)"));
  g_clear_error (&error);
  for (guint i = 0; i < DP_DIRECTORY_MAX; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *id = dp_directory_add_contact (directory, "Same", number, &error);
      g_assert_no_error (error);
    }
  g_assert_null (dp_directory_add_contact (directory, "One more", "1", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_FULL);
}

static void
test_directory_save_failure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-history-XXXXXX", NULL);
  /* the "file" is a folder: writing it fails, so the change is undone */
  g_autofree char *path = g_build_filename (dir, "directory.json", NULL);
  g_autoptr(DpDirectory) directory = dp_directory_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_null (dp_directory_add_contact (directory, "Alice", "2000", &error));
  g_assert_error (error, DP_DIRECTORY_ERROR, DP_DIRECTORY_ERROR_STORAGE);
  g_assert_cmpuint (dp_directory_get_n_entries (directory), ==, 0);
  g_rmdir (path);
  g_rmdir (dir);
}

static void
test_history_record_call (void)
{
  g_autoptr(DpCallHistory) history = dp_call_history_new (NULL);
  g_autoptr(DpCall) out = g_object_new (DP_TYPE_CALL, "id", "c1", "line", 2,
                                        "direction", DP_CALL_OUTGOING, "peer", "sip:2000@h", NULL);
  g_autoptr(DpCall) in = g_object_new (DP_TYPE_CALL, "id", "c2", "line", 1,
                                       "direction", DP_CALL_INCOMING, "peer", "sip:3000@h", NULL);
  g_autoptr(DpCall) answered = g_object_new (DP_TYPE_CALL, "id", "c3", "line", 1,
                                             "direction", DP_CALL_INCOMING, "peer", "sip:4000@h", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint changes = 0;

  g_signal_connect (history, "changed", G_CALLBACK (count_signal), &changes);
  /* not ended: not recorded */
  g_assert_false (dp_call_history_record_call (history, out, now));
  dp_call_set_state (out, DP_CALL_STATE_ENDED, "cancelled");
  g_assert_true (dp_call_history_record_call (history, out, now));
  /* the same call again (another "call-changed" after the end) */
  g_assert_false (dp_call_history_record_call (history, out, now));
  dp_call_set_peer (in, "sip:3000@h", "Carol");
  dp_call_set_state (in, DP_CALL_STATE_ENDED, "timeout");
  g_assert_true (dp_call_history_record_call (history, in, now));
  dp_call_set_state (answered, DP_CALL_STATE_ACTIVE, NULL);
  dp_call_set_state (answered, DP_CALL_STATE_ENDED, "hangup");
  g_assert_true (dp_call_history_record_call (history, answered, now + 30));
  g_assert_cmpuint (changes, ==, 3);
  g_assert_cmpuint (dp_call_history_count_kind (history, DP_CALL_HISTORY_PLACED), ==, 1);
  g_assert_cmpuint (dp_call_history_count_kind (history, DP_CALL_HISTORY_MISSED), ==, 1);
  g_assert_cmpuint (dp_call_history_count_kind (history, DP_CALL_HISTORY_RECEIVED), ==, 1);
  g_assert_cmpint (dp_call_history_get_entry (history, 0)->kind, ==, DP_CALL_HISTORY_RECEIVED);
  g_assert_cmpint (dp_call_history_get_entry (history, 0)->duration_s, >=, 30);
  g_assert_cmpstr (dp_call_history_get_entry (history, 1)->name, ==, "Carol");
  g_assert_cmpstr (dp_call_history_get_entry (history, 1)->end_reason, ==, "timeout");
  g_assert_cmpuint (dp_call_history_get_entry (history, 2)->line, ==, 2);
  g_assert_cmpstr (dp_call_history_last_of_kind (history, DP_CALL_HISTORY_PLACED)->peer, ==, "sip:2000@h");
  dp_call_history_clear (history);
  g_assert_cmpuint (changes, ==, 4);
  g_assert_cmpuint (dp_call_history_get_n_entries (history), ==, 0);
}

static void
test_history_clamp (void)
{
  g_autoptr(DpCallHistory) history = dp_call_history_new (NULL);
  g_autofree char *huge = g_strnfill (1000, 'a');
  const char bad_utf8[] = { 'x', (char) 0xff, 'y', 0 };

  dp_call_history_add (history, DP_CALL_HISTORY_PLACED, huge, bad_utf8, 1, 1, -5, NULL);
  g_assert_cmpuint (strlen (dp_call_history_get_entry (history, 0)->peer), ==, DP_CALL_HISTORY_MAX_TEXT);
  g_assert_true (g_utf8_validate (dp_call_history_get_entry (history, 0)->name, -1, NULL));
  g_assert_cmpint (dp_call_history_get_entry (history, 0)->duration_s, ==, 0);
  g_assert_cmpstr (dp_call_history_get_entry (history, 0)->end_reason, ==, "");
}

static void
test_core_owns_stores (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dp-history-XXXXXX", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.json", NULL);
  g_autofree char *directory_path = g_build_filename (dir, "directory.json", NULL);
  g_autofree char *aside = g_strconcat (directory_path, ".corrupt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  g_assert_true (g_file_set_contents (directory_path, "{\"version\":1,\"entries\":[{\"name\":", -1, NULL));
  {
    g_autoptr(DpCore) core = dp_core_new (dir);
    g_autoptr(DpCall) call = g_object_new (DP_TYPE_CALL, "id", "c9", "line", 1,
                                           "direction", DP_CALL_INCOMING, "peer", "sip:5000@h", NULL);
    g_autoptr(JsonNode) status = NULL;
    JsonObject *section;

    g_test_expect_message ("dp-core", G_LOG_LEVEL_WARNING, "directory not loaded*");
    dp_core_load_state (core, NULL);
    g_test_assert_expected_messages ();
    /* the damaged file is kept aside, the directory starts empty */
    g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (dp_directory_get_n_entries (dp_core_get_directory (core)), ==, 0);
    g_assert_true (dp_directory_add (dp_core_get_directory (core), "Alice", "2000", NULL, &error));

    /* a call that ends is recorded and saved by the core itself */
    dp_core_add_call (core, call);
    dp_call_set_state (call, DP_CALL_STATE_ENDED, "cancelled");
    g_assert_cmpuint (dp_call_history_get_n_entries (dp_core_get_call_history (core)), ==, 1);
    g_assert_true (g_file_test (history_path, G_FILE_TEST_EXISTS));

    status = dp_core_build_status (core);
    section = json_object_get_object_member (json_node_get_object (status), "history");
    g_assert_nonnull (section);
    g_assert_cmpint (json_object_get_int_member (section, "missed"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (section, "placed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (section, "directory"), ==, 1);
    /* counts only: the peers are personal */
    saved = json_to_string (json_object_get_member (json_node_get_object (status), "history"), FALSE);
    g_assert_null (strstr (saved, "5000"));
  }
  {
    g_autoptr(DpCore) core = dp_core_new (dir);

    dp_core_load_state (core, NULL);
    g_assert_cmpuint (dp_call_history_get_n_entries (dp_core_get_call_history (core)), ==, 1);
    g_assert_cmpstr (dp_call_history_get_entry (dp_core_get_call_history (core), 0)->peer, ==, "sip:5000@h");
    g_assert_cmpstr (dp_directory_lookup (dp_core_get_directory (core), "1")->name, ==, "Alice");
  }
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/round-trip-and-bound", test_history_round_trip_and_bound);
  g_test_add_func ("/history/bad-input", test_history_bad_input);
  g_test_add_func ("/history/record-call", test_history_record_call);
  g_test_add_func ("/history/clamp", test_history_clamp);
  g_test_add_func ("/history/directory", test_directory);
  g_test_add_func ("/history/directory-ids", test_directory_ids);
  g_test_add_func ("/history/directory-file-ids", test_directory_file_ids);
  g_test_add_func ("/history/directory-full", test_directory_full);
  g_test_add_func ("/history/directory-save-failure", test_directory_save_failure);
  g_test_add_func ("/history/core", test_core_owns_stores);
  return g_test_run ();
}
