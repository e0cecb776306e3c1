# SPDX-License-Identifier: GPL-2.0-or-later
# Test data: imports fine, but refuses to start. The engine must report
# the reason given here and keep going.
import gi

gi.require_version('Deskphone', '1')
from gi.repository import Deskphone, GLib, GObject  # noqa: E402


class PyRefusePlugin(GObject.Object, Deskphone.Plugin):
    __gtype_name__ = 'DpPyRefusePlugin'

    def do_activate(self, core):
        raise GLib.Error('pyrefuse needs hardware this phone does not have')

    def do_deactivate(self):
        raise AssertionError('deactivate must not run after a failed activate')
