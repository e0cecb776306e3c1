# SPDX-License-Identifier: GPL-2.0-or-later
# Test data: a module with a GObject class that is not a Deskphone.Plugin.
# The engine must say so instead of activating nothing.
from gi.repository import GObject


class NotAPlugin(GObject.Object):
    __gtype_name__ = 'DpPyNotAPlugin'
