/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "dp-webui"

#include "dp-webui-i18n.h"

#include <string.h>

typedef struct {
  const char *en;
  const char *fr;
  const char *de;
  const char *es;
} Entry;

static const Entry entries[] = {
  { "Submit All Changes", "Soumettre toutes les modifications", "Alle Änderungen übernehmen", "Enviar todos los cambios" },
  { "Undo All Changes", "Annuler toutes les modifications", "Alle Änderungen verwerfen", "Deshacer todos los cambios" },
  { "Admin Login", "Connexion administrateur", "Administrator-Anmeldung", "Acceso de administrador" },
  { "User Login", "Connexion utilisateur", "Benutzer-Anmeldung", "Acceso de usuario" },
  { "Log out", "Déconnexion", "Abmelden", "Cerrar sesión" },
  { "Log in", "Se connecter", "Anmelden", "Iniciar sesión" },
  { "Account", "Compte", "Konto", "Cuenta" },
  { "Password", "Mot de passe", "Passwort", "Contraseña" },
  { "basic", "simple", "einfach", "básico" },
  { "advanced", "avancé", "erweitert", "avanzado" },
  { "Info", "Infos", "Info", "Información" },
  { "System", "Système", "System", "Sistema" },
  { "SIP", "SIP", "SIP", "SIP" },
  { "Provisioning", "Provisionnement", "Provisionierung", "Aprovisionamiento" },
  { "Regional", "Régional", "Regional", "Regional" },
  { "Phone", "Téléphone", "Telefon", "Teléfono" },
  { "User", "Utilisateur", "Benutzer", "Usuario" },
  { "Ext", "Ext", "Nst", "Ext" },
  { "Attendant Console", "Console standard", "Vermittlungskonsole", "Consola de operadora" },
  { "Changes saved", "Modifications enregistrées", "Änderungen gespeichert", "Cambios guardados" },
  { "Nothing was changed: correct the fields marked below.", "Rien n'a été modifié : corrigez les champs signalés ci-dessous.", "Nichts wurde geändert: korrigieren Sie die markierten Felder.", "No se cambió nada: corrija los campos marcados." },
  { "Login failed", "Échec de la connexion", "Anmeldung fehlgeschlagen", "Error de acceso" },
  { "Too many failed logins; wait before trying again. Seconds left:", "Trop d'échecs ; attendez avant de réessayer. Secondes restantes :", "Zu viele Fehlversuche; bitte warten. Verbleibende Sekunden:", "Demasiados fallos; espere antes de reintentar. Segundos restantes:" },
  { "Tools", "Outils", "Werkzeuge", "Herramientas" },
  { "The admin password is not set yet. Enter the one-time setup code from the phone's log (or the file webui-setup-code in its state folder) and choose a password.", "Le mot de passe administrateur n'est pas encore défini. Saisissez le code d'installation à usage unique du journal du téléphone (ou du fichier webui-setup-code de son dossier d'état) et choisissez un mot de passe.", "Das Administratorpasswort ist noch nicht gesetzt. Geben Sie den Einmal-Einrichtungscode aus dem Protokoll des Telefons (oder der Datei webui-setup-code im Statusordner) ein und wählen Sie ein Passwort.", "La contraseña de administrador aún no está definida. Introduzca el código de configuración de un solo uso del registro del teléfono (o del archivo webui-setup-code de su carpeta de estado) y elija una contraseña." },
  { "The user account is disabled until the administrator sets User_Password.", "Le compte utilisateur est désactivé tant que l'administrateur n'a pas défini User_Password.", "Das Benutzerkonto ist deaktiviert, bis der Administrator User_Password setzt.", "La cuenta de usuario está desactivada hasta que el administrador defina User_Password." },
  { "Set the admin password", "Définir le mot de passe administrateur", "Administratorpasswort festlegen", "Definir la contraseña de administrador" },
  { "Setup code", "Code d'installation", "Einrichtungscode", "Código de configuración" },
  { "New password", "Nouveau mot de passe", "Neues Passwort", "Nueva contraseña" },
  { "Repeat password", "Répéter le mot de passe", "Passwort wiederholen", "Repetir contraseña" },
  { "Product Information", "Informations produit", "Produktinformationen", "Información del producto" },
  { "Network", "Réseau", "Netzwerk", "Red" },
  { "Registration", "Enregistrement", "Registrierung", "Registro" },
  { "Calls", "Appels", "Anrufe", "Llamadas" },
  { "No call in progress.", "Aucun appel en cours.", "Kein Gespräch aktiv.", "Ninguna llamada en curso." },
  { "Jitter (ms) and packets lost over the call", "Gigue (ms) et paquets perdus pendant l'appel", "Jitter (ms) und Paketverlust im Gespräch", "Jitter (ms) y paquetes perdidos en la llamada" },
  { "Profile", "Profil", "Profil", "Perfil" },
  { "Export configuration", "Exporter la configuration", "Konfiguration exportieren", "Exportar configuración" },
  { "Import configuration", "Importer la configuration", "Konfiguration importieren", "Importar configuración" },
  { "Run", "Exécuter", "Ausführen", "Ejecutar" },
  { "Resync", "Resynchroniser", "Neu synchronisieren", "Resincronizar" },
  { "Upgrade", "Mise à jour", "Aktualisieren", "Actualizar" },
  { "Reboot", "Redémarrer", "Neustart", "Reiniciar" },
  { "Action failed", "L'action a échoué", "Aktion fehlgeschlagen", "La acción falló" },
  { "Action started", "Action lancée", "Aktion gestartet", "Acción iniciada" },
  { "Upgrade progress", "Progression de la mise à jour", "Aktualisierungsfortschritt", "Progreso de la actualización" },
  { "(unchanged)", "(inchangé)", "(unverändert)", "(sin cambios)" },
  { "Access denied", "Accès refusé", "Zugriff verweigert", "Acceso denegado" },
  { "Not found", "Introuvable", "Nicht gefunden", "No encontrado" },
};

DpWebuiLang
dp_webui_lang_from_selection (const char *selection)
{
  static const struct { const char *prefix; DpWebuiLang lang; } names[] = {
    { "french", DP_WEBUI_LANG_FR }, { "francais", DP_WEBUI_LANG_FR },
    { "german", DP_WEBUI_LANG_DE }, { "deutsch", DP_WEBUI_LANG_DE },
    { "spanish", DP_WEBUI_LANG_ES }, { "espanol", DP_WEBUI_LANG_ES },
  };
  g_autofree char *first = NULL;
  gsize len;

  if (selection == NULL)
    return DP_WEBUI_LANG_EN;
  len = strcspn (selection, "-_ ");
  first = g_ascii_strdown (selection, (gssize) len);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (first, names[i].prefix))
      return names[i].lang;
  return DP_WEBUI_LANG_EN;
}

const char *
dp_webui_lang_code (DpWebuiLang lang)
{
  static const char *codes[] = { "en", "fr", "de", "es" };

  return codes[lang];
}

const char *
dp_webui_tr (DpWebuiLang lang, const char *msgid)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_str_equal (entries[i].en, msgid))
      {
        switch (lang)
          {
          case DP_WEBUI_LANG_FR: return entries[i].fr;
          case DP_WEBUI_LANG_DE: return entries[i].de;
          case DP_WEBUI_LANG_ES: return entries[i].es;
          case DP_WEBUI_LANG_EN:
          default: return entries[i].en;
          }
      }
  return msgid;
}
