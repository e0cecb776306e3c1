/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * IP dialing (spa9x2-reference §3.3): `[user-id@]a.b.c.d[:port]` where every
 * `@`, `.` and `:` is keyed as `*`. The user-id is numeric, octets are 0-255,
 * a port is 256-65535 (default 5060). With five groups the "port > 255" rule
 * decides: `1000*192*168*1*10` is user@address, `192*168*1*10*5062` is
 * address:port. */
#define G_LOG_DOMAIN "dp-dialplan"

#include <string.h>

#include "dp-dialplan-private.h"

#define MAX_USER_DIGITS 32
#define DEFAULT_SIP_PORT 5060

typedef enum { GROUP_USER, GROUP_OCTET, GROUP_PORT } GroupType;

static const GroupType form_plain[] = { GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET };
static const GroupType form_user[] = { GROUP_USER, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET };
static const GroupType form_port[] = { GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_PORT };
static const GroupType form_user_port[] = { GROUP_USER, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_OCTET, GROUP_PORT };

static const struct {
  const GroupType *types;
  guint n;
} forms[] = {
  { form_plain, G_N_ELEMENTS (form_plain) },
  { form_user, G_N_ELEMENTS (form_user) },
  { form_port, G_N_ELEMENTS (form_port) },
  { form_user_port, G_N_ELEMENTS (form_user_port) },
};

static guint64
group_value (const char *group)
{
  guint64 value = 0;

  for (const char *c = group; *c != '\0' && value < G_MAXUINT32; c++)
    value = value * 10 + (guint64) (*c - '0');
  return value;
}

static gboolean
group_full (const char *group, GroupType type)
{
  gsize len = strlen (group);
  guint64 value;

  if (len == 0)
    return FALSE;
  value = group_value (group);
  switch (type)
    {
    case GROUP_USER:
      return len <= MAX_USER_DIGITS;
    case GROUP_OCTET:
      return len <= 3 && value <= 255;
    case GROUP_PORT:
      return len <= 5 && value >= 256 && value <= 65535;
    default:
      g_assert_not_reached ();
    }
}

/* Whether @group can still be extended (or already is) to a full group. */
static gboolean
group_partial (const char *group, GroupType type)
{
  gsize len = strlen (group);
  guint64 value;

  if (len == 0)
    return TRUE;
  value = group_value (group);
  switch (type)
    {
    case GROUP_USER:
      return len <= MAX_USER_DIGITS;
    case GROUP_OCTET:
      return len <= 3 && value <= 255;
    case GROUP_PORT:
      {
        guint64 lo = value, span = 1;

        for (gsize l = len; l <= 5; l++)
          {
            guint64 hi = lo + span - 1;
            if (hi >= 256 && lo <= 65535)
              return TRUE;
            lo *= 10;
            span *= 10;
          }
        return FALSE;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
keys_are_ip_keys (const char *keys)
{
  for (const char *c = keys; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && *c != '*')
      return FALSE;
  return TRUE;
}

/* Returns the index of the form @keys completes, or -1. Sets *alive. */
static int
examine_forms (const char *keys, gboolean *alive)
{
  g_auto(GStrv) groups = NULL;
  guint n;
  int complete = -1;

  *alive = FALSE;
  if (!keys_are_ip_keys (keys))
    return -1;
  /* g_strsplit() gives no group at all for "": nothing keyed yet can
   * still become anything. */
  if (*keys == '\0')
    {
      *alive = TRUE;
      return -1;
    }
  groups = g_strsplit (keys, "*", -1);
  n = g_strv_length (groups);
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      gboolean ok = n <= forms[f].n;

      for (guint i = 0; ok && i + 1 < n; i++)
        ok = group_full (groups[i], forms[f].types[i]);
      if (!ok)
        continue;
      if (group_partial (groups[n - 1], forms[f].types[n - 1]))
        *alive = TRUE;
      if (n == forms[f].n && group_full (groups[n - 1], forms[f].types[n - 1]) && complete < 0)
        complete = (int) f;
    }
  return complete;
}

DpIpDialState
dp_ip_dial_examine (const char *keys)
{
  DpIpDialState state = { 0 };
  static const char next_keys[] = "0123456789*";

  state.complete = examine_forms (keys, &state.alive) >= 0;
  if (!state.alive)
    return state;
  for (const char *k = next_keys; *k != '\0' && !state.growable; k++)
    {
      g_autofree char *longer = g_strdup_printf ("%s%c", keys, *k);
      gboolean alive;

      examine_forms (longer, &alive);
      state.growable = alive;
    }
  return state;
}

gboolean
dp_ip_dial_split (const char *keys, char **user, char **hostport)
{
  g_auto(GStrv) groups = NULL;
  gboolean alive;
  int form = examine_forms (keys, &alive);
  guint first_octet;
  guint64 port = DEFAULT_SIP_PORT;

  *user = NULL;
  *hostport = NULL;
  if (form < 0)
    return FALSE;
  groups = g_strsplit (keys, "*", -1);
  first_octet = forms[form].types[0] == GROUP_USER ? 1 : 0;
  if (first_octet == 1)
    *user = g_strdup (groups[0]);
  if (forms[form].types[forms[form].n - 1] == GROUP_PORT)
    port = group_value (groups[forms[form].n - 1]);
  /* Leading zeros are dropped: the keys 010 mean the octet 10. */
  *hostport = g_strdup_printf ("%u.%u.%u.%u:%u",
                               (guint) group_value (groups[first_octet]),
                               (guint) group_value (groups[first_octet + 1]),
                               (guint) group_value (groups[first_octet + 2]),
                               (guint) group_value (groups[first_octet + 3]),
                               (guint) port);
  return TRUE;
}
