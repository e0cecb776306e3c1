/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dp-dbus-errors.h"
#include "dp-config.h"
#include "dp-profile.h"
#include "dp-call.h"
#include "dp-directory.h"

#include <gio/gio.h>

void
dp_dbus_register_errors (void)
{
  static const GDBusErrorEntry config_errors[] = {
    { DP_CONFIG_ERROR_UNKNOWN_PARAMETER, "org.deskphone.Phone1.Error.UnknownParameter" },
    { DP_CONFIG_ERROR_INVALID_VALUE, "org.deskphone.Phone1.Error.InvalidValue" },
    { DP_CONFIG_ERROR_DUPLICATE, "org.deskphone.Phone1.Error.Duplicate" },
    { DP_CONFIG_ERROR_READONLY, "org.deskphone.Phone1.Error.ReadOnly" },
    { DP_CONFIG_ERROR_STORAGE, "org.deskphone.Phone1.Error.Storage" },
    { DP_CONFIG_ERROR_DENIED, "org.deskphone.Phone1.Error.Denied" },
  };
  static const GDBusErrorEntry profile_errors[] = {
    { DP_PROFILE_ERROR_MALFORMED, "org.deskphone.Phone1.Error.ProfileMalformed" },
    { DP_PROFILE_ERROR_DECRYPT, "org.deskphone.Phone1.Error.ProfileDecrypt" },
    { DP_PROFILE_ERROR_TRUNCATED, "org.deskphone.Phone1.Error.ProfileTruncated" },
    { DP_PROFILE_ERROR_TOO_LARGE, "org.deskphone.Phone1.Error.ProfileTooLarge" },
    { DP_PROFILE_ERROR_NEEDS_KEY, "org.deskphone.Phone1.Error.ProfileNeedsKey" },
    { DP_PROFILE_ERROR_IMPORT, "org.deskphone.Phone1.Error.ProfileImport" },
  };
  static const GDBusErrorEntry call_errors[] = {
    { DP_CALL_ERROR_INVALID_STATE, "org.deskphone.Phone1.Error.CallInvalidState" },
    { DP_CALL_ERROR_NOT_SUPPORTED, "org.deskphone.Phone1.Error.CallNotSupported" },
    { DP_CALL_ERROR_NO_PROVIDER, "org.deskphone.Phone1.Error.CallNoProvider" },
    { DP_CALL_ERROR_BAD_NUMBER, "org.deskphone.Phone1.Error.CallBadNumber" },
    { DP_CALL_ERROR_LINE, "org.deskphone.Phone1.Error.CallLine" },
    { DP_CALL_ERROR_NOT_FOUND, "org.deskphone.Phone1.Error.CallNotFound" },
    { DP_CALL_ERROR_FAILED, "org.deskphone.Phone1.Error.CallFailed" },
  };
  static const GDBusErrorEntry directory_errors[] = {
    { DP_DIRECTORY_ERROR_INVALID, "org.deskphone.Phone1.Error.DirectoryInvalid" },
    { DP_DIRECTORY_ERROR_NOT_FOUND, "org.deskphone.Phone1.Error.DirectoryNotFound" },
    { DP_DIRECTORY_ERROR_FULL, "org.deskphone.Phone1.Error.DirectoryFull" },
    { DP_DIRECTORY_ERROR_STORAGE, "org.deskphone.Phone1.Error.DirectoryStorage" },
  };
  static gsize config_quark, profile_quark, call_quark, directory_quark;

  /* Registering with the quark's own name keeps the GError domain on the
   * client identical to the service's. */
  g_dbus_error_register_error_domain ("dp-config-error-quark", &config_quark,
                                      config_errors, G_N_ELEMENTS (config_errors));
  g_dbus_error_register_error_domain ("dp-profile-error-quark", &profile_quark,
                                      profile_errors, G_N_ELEMENTS (profile_errors));
  g_dbus_error_register_error_domain ("dp-call-error-quark", &call_quark,
                                      call_errors, G_N_ELEMENTS (call_errors));
  g_dbus_error_register_error_domain ("dp-directory-error-quark", &directory_quark,
                                      directory_errors, G_N_ELEMENTS (directory_errors));
}
