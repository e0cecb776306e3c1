/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <deskphone.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-alias
 * @title: Alias maps and fetched profiles
 * @short_description: `--alias` (spec §1.4) and the decode pipeline of a
 *   fetched profile
 *
 * Alias map grammar (the GPP_x named by `--alias x`, macro-expanded):
 * |[
 * map   := entry ( ';' entry )* [ ';' ]
 * entry := '/' elem ( '/' elem )* '=' '/flat-profile/' Param_Name
 * ]|
 * Blanks are allowed around `=` and `;`, not inside a path. At most %DP_PROV_ALIAS_MAX entries
 * (the SPA limit of 30). An element of the fetched XML matches an entry
 * when the entry's path equals the last components of the element's path
 * from the root (`/auth-secret` matches `/CPE/SIP-Credentials/auth-secret`).
 * Only elements without child elements carry values; the value is trimmed
 * and line breaks become spaces, as in flat profiles.
 *
 * Decisions: a fetched document may mix a `<flat-profile>` with foreign
 * elements: its flat-profile assignments come first, the alias ones after
 * them (so an alias wins over a flat-profile entry for the same name). A
 * document in which neither gives any assignment is an error, like an
 * empty flat profile served in place of the right one. DOCTYPEs are
 * rejected and the network is never used while parsing.
 */

#define DP_PROV_ALIAS_MAX 30

typedef struct {
  char *path;      /* "/CPE/SIP-Credentials/name" */
  char *parameter; /* "Display_Name_1_" */
} DpProvAlias;

GPtrArray *dp_prov_alias_map_parse (const char  *map,
                                    GError     **error);
DpProfile *dp_prov_alias_apply     (GPtrArray   *aliases,
                                    const char  *xml,
                                    gsize        length,
                                    GError     **error);
DpProfile *dp_prov_profile_decode  (GBytes      *data,
                                    const char  *key,
                                    const char  *alias_map,
                                    GError     **error);

G_END_DECLS
