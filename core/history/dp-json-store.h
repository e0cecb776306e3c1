/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Helpers shared by the core's JSON stores (call history, directory): a
 * strict reader whose errors name the entry and member, and an atomic
 * writer (temporary file, fsync, rename). Not installed.
 *
 * Errors are G_IO_ERROR_INVALID_DATA for content, G_FILE_ERROR for I/O.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char       *dp_json_store_clamp        (const char  *text,
                                        gsize        max_bytes);
JsonParser *dp_json_store_parse_list   (const char  *data,
                                        gssize       length,
                                        const char  *what,
                                        JsonArray  **entries,
                                        GError     **error);
JsonObject *dp_json_store_array_object (JsonArray   *array,
                                        guint        index,
                                        GError     **error);
gboolean    dp_json_store_get_string   (JsonObject  *object,
                                        guint        index,
                                        const char  *member,
                                        gboolean     optional,
                                        const char **value,
                                        GError     **error);
gboolean    dp_json_store_get_int      (JsonObject  *object,
                                        guint        index,
                                        const char  *member,
                                        gint64       min,
                                        gint64       max,
                                        gint64      *value,
                                        GError     **error);
gboolean    dp_json_store_save         (JsonNode    *root,
                                        const char  *path,
                                        GError     **error);
gboolean    dp_json_store_read_file    (const char  *path,
                                        char       **data,
                                        gsize       *length,
                                        GError     **error);

G_END_DECLS
