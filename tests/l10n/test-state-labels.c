/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The call state, registration state, end reason and history kind labels
 * people are shown: translated in
 * the process language (with the catalogues the build compiled from po/),
 * while the identifiers of the status JSON stay the same. */
#include "dp-build-config.h"

#include <deskphone.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

/* Makes @language the language of the "deskphone" domain, as the l10n
 * plugin does at run time. */
static void
use_language (const char *language)
{
  g_autofree char *dir = g_build_filename (g_getenv ("DP_BUILD_ROOT"), "po", NULL);
  g_autofree char *domain = g_strdup (textdomain (NULL));

  g_setenv ("LANGUAGE", language, TRUE);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* Setting the domain again drops glibc's cache of earlier lookups. */
  textdomain (domain);
}

static void
test_identifiers_round_trip (void)
{
  for (DpCallState s = DP_CALL_STATE_DIALING; s <= DP_CALL_STATE_ENDED; s++)
    {
      DpCallState back = DP_CALL_STATE_ENDED - s;

      g_assert_true (dp_call_state_from_string (dp_call_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
      g_assert_cmpstr (dp_call_state_label (s), !=, "");
    }
  for (DpRegistrationState s = DP_REGISTRATION_DISABLED; s <= DP_REGISTRATION_FAILED; s++)
    {
      DpRegistrationState back = DP_REGISTRATION_FAILED - s;

      g_assert_true (dp_registration_state_from_string (dp_registration_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
      g_assert_cmpstr (dp_registration_state_label (s), !=, "");
    }
  {
    DpCallState call = DP_CALL_STATE_HELD;
    DpRegistrationState registration = DP_REGISTRATION_NONE;

    g_assert_false (dp_call_state_from_string ("Incoming call", &call));
    g_assert_false (dp_call_state_from_string (NULL, &call));
    g_assert_false (dp_registration_state_from_string ("Registered", &registration));
    g_assert_cmpint (call, ==, DP_CALL_STATE_HELD);
    g_assert_cmpint (registration, ==, DP_REGISTRATION_NONE);
  }
  g_assert_cmpstr (dp_call_state_label ((DpCallState) 99), ==, "");
}

static void
test_labels_follow_the_language (void)
{
  static const struct {
    const char *language, *ringing, *held, *registered, *failed, *busy, *missed, *forwarded;
  } cases[] = {
    { "en", "Incoming call", "On hold", "Registered", "Registration failed", "Busy", "Missed",
      "Forwarded" },
    { "de", "Eingehender Anruf", "Gehalten", "Registriert", "Registrierung fehlgeschlagen",
      "Besetzt", "Verpasst", "Umgeleitet" },
    { "fr", "Appel entrant", "En attente", "Enregistré", "Échec de l'enregistrement",
      "Occupé", "Manqués", "Renvoyé" },
    { "es", "Llamada entrante", "En espera", "Registrado", "Error de registro", "Ocupado",
      "Perdidas", "Desviada" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      use_language (cases[i].language);
      g_assert_cmpstr (dp_call_state_label (DP_CALL_STATE_RINGING), ==, cases[i].ringing);
      g_assert_cmpstr (dp_call_state_label (DP_CALL_STATE_HELD), ==, cases[i].held);
      g_assert_cmpstr (dp_registration_state_label (DP_REGISTRATION_REGISTERED), ==,
                       cases[i].registered);
      g_assert_cmpstr (dp_registration_state_label (DP_REGISTRATION_FAILED), ==, cases[i].failed);
      g_assert_cmpstr (dp_call_end_reason_label ("busy"), ==, cases[i].busy);
      g_assert_cmpstr (dp_call_end_reason_label ("forwarded"), ==, cases[i].forwarded);
      g_assert_cmpstr (dp_call_history_kind_label (DP_CALL_HISTORY_MISSED), ==, cases[i].missed);
      /* A SIP status line is shown as it is. */
      g_assert_cmpstr (dp_call_end_reason_label ("486 Busy Here"), ==, "486 Busy Here");
      g_assert_cmpstr (dp_call_end_reason_label (NULL), ==, "");
      /* The identifiers do not move. */
      g_assert_cmpstr (dp_call_state_to_string (DP_CALL_STATE_RINGING), ==, "ringing");
      g_assert_cmpstr (dp_registration_state_to_string (DP_REGISTRATION_REGISTERED), ==, "registered");
    }
}

int
main (int argc, char **argv)
{
  /* glibc ignores LANGUAGE under the C locale. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/l10n/state-labels/identifiers", test_identifiers_round_trip);
  g_test_add_func ("/l10n/state-labels/languages", test_labels_follow_the_language);
  return g_test_run ();
}
