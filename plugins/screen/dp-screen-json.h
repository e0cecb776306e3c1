/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Helpers shared by the screen's JSON stores (history, directory): a
 * strict reader whose errors name the entry and member, and an atomic
 * writer (temporary file, fsync, rename).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char       *dp_screen_text_clamp       (const char  *text,
                                        gsize        max_bytes);
JsonParser *dp_screen_json_parse_list  (const char  *data,
                                        gssize       length,
                                        const char  *what,
                                        JsonArray  **entries,
                                        GError     **error);
JsonObject *dp_screen_json_array_object (JsonArray  *array,
                                        guint        index,
                                        GError     **error);
gboolean    dp_screen_json_get_string  (JsonObject  *object,
                                        guint        index,
                                        const char  *member,
                                        gboolean     optional,
                                        const char **value,
                                        GError     **error);
gboolean    dp_screen_json_get_int     (JsonObject  *object,
                                        guint        index,
                                        const char  *member,
                                        gint64       min,
                                        gint64       max,
                                        gint64      *value,
                                        GError     **error);
gboolean    dp_screen_json_save        (JsonNode    *root,
                                        const char  *path,
                                        GError     **error);

G_END_DECLS
