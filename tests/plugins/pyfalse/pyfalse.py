# SPDX-License-Identifier: GPL-2.0-or-later
# Test data: do_activate returns False and gives no GLib.Error; the engine
# must still report a failure (not a half-running plugin).
import gi

gi.require_version('Deskphone', '1')
from gi.repository import Deskphone, GObject  # noqa: E402


class PyFalsePlugin(GObject.Object, Deskphone.Plugin):
    __gtype_name__ = 'DpPyFalsePlugin'

    def do_activate(self, core):
        return False
