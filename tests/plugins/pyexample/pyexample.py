# SPDX-License-Identifier: GPL-2.0-or-later
"""pyexample: a deskphone plugin written in Python.

It registers the extension parameter Python_Greeting and keeps the last
value it saw through the "changed::Python_Greeting" signal, which the
integration test reads back.
"""
import gi

gi.require_version('Deskphone', '1')
gi.require_version('Peas', '1.0')
from gi.repository import Deskphone, GLib, GObject, Peas  # noqa: E402

LOG_DOMAIN = 'dp-pyexample'


def log(message):
    GLib.log_variant(LOG_DOMAIN, GLib.LogLevelFlags.LEVEL_MESSAGE,
                     GLib.Variant('a{sv}', {'MESSAGE': GLib.Variant('s', message)}))


class PyExamplePlugin(Peas.ExtensionBase, Deskphone.Plugin):
    __gtype_name__ = 'DpPyExamplePlugin'

    def __init__(self):
        super().__init__()
        self.config = None
        self.handler_id = 0
        self.last_greeting = None

    def do_activate(self, core):
        config = core.get_config()
        # Raises GLib.Error on failure, which the engine reports for us.
        self.register_parameter(config, 'Python_Greeting',
                                Deskphone.ParamType.STRING, 'hello from python',
                                'Python/General', None,
                                Deskphone.ParamFlags.EXTENSION,
                                Deskphone.Access.RW)
        self.config = config
        self.handler_id = config.connect('changed::Python_Greeting',
                                         self.on_greeting_changed)
        self.last_greeting = config.get('Python_Greeting')
        log('activated from %s' % self.plugin_info.get_module_dir())
        return True

    def do_deactivate(self):
        if self.config is not None:
            self.config.disconnect(self.handler_id)
        self.config = None
        self.handler_id = 0

    def on_greeting_changed(self, config, name):
        self.last_greeting = config.get(name)
        log('%s is now %r' % (name, self.last_greeting))
