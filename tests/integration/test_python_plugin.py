# SPDX-License-Identifier: GPL-2.0-or-later
"""A Python plugin loads through the Deskphone typelib.

A host process (the system Python with PyGObject, the same Python libpeas'
python3 loader embeds) creates a DpCore and a DpPluginEngine through GI from
the build tree, finds the test plugins through DESKPHONE_PLUGIN_PATH, and
loads:
  pyexample  (tests/plugins/pyexample) registers Python_Greeting, listens to
             changed::Python_Greeting
  pyfail     raises at import: reported with the exception text
  pyrefuse   raises GLib.Error in do_activate: reported with its message
  pynoext    implements no Deskphone.Plugin: reported as such
  pyfalse    do_activate returns False without a reason: still a failure
  example    the C example plugin from the build tree, alongside
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HOST = r'''
import json, os, sys
import gi
gi.require_version('Deskphone', '1')
gi.require_version('Json', '1.0')
from gi.repository import Deskphone, Json

state_dir = sys.argv[1]
core = Deskphone.Core.new(state_dir)
config = core.get_config()
engine = Deskphone.PluginEngine.new(core)
# As the daemon does: DESKPHONE_PLUGIN_PATH, installed dir, no user dir.
engine.add_default_paths(False)
result = {'search_paths': list(engine.get_search_paths())}
result['running'] = engine.load_plugins(['pyfail', 'pyexample', 'pyrefuse', 'pynoext', 'pyfalse',
                                          'example'])
result['status'] = json.loads(Json.to_string(engine.to_json(), False))
result['infos'] = [[i.get_name(), i.is_loaded(), i.get_error_message()]
                   for i in engine.list()]
# dp_config_lookup() returns a disguised struct GI cannot use; the JSON
# form carries the same facts.
node = config.param_to_json('Python_Greeting')
result['param'] = json.loads(Json.to_string(node, False)) if node else None
result['default'] = config.get('Python_Greeting')
plugin = engine.get_plugin('pyexample')
result['module_name'] = plugin.get_module_name() if plugin else None
config.set('Python_Greeting', 'changed by the test')
result['seen'] = plugin.last_greeting if plugin else None
engine.unload('pyexample')
result['running_after_unload'] = engine.get_plugin('pyexample') is not None
config.set('Python_Greeting', 'after unload')
result['seen_after_unload'] = plugin.last_greeting if plugin else None
# Loading again re-activates on the same config without a duplicate error.
try:
    result['reload'] = engine.load('pyexample')
except Exception as e:
    result['reload'] = str(e)
result['value_after_reload'] = config.get('Python_Greeting')
engine.unload_all()
print('RESULT ' + json.dumps(result))
'''


def find_gi_python():
    """The system Python: libpeas embeds it, and PyGObject lives there."""
    candidates = ['/usr/bin/python3', sys.executable, shutil.which('python3')]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run(
            [candidate, '-c', "import gi; gi.require_version('Peas', '1.0')"],
            capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


class PythonPluginTest(unittest.TestCase):
    _result = None

    def setUp(self):
        self.build_root = os.environ.get('DP_BUILD_ROOT')
        self.source_root = os.environ.get('DP_SOURCE_ROOT')
        if not self.build_root or not self.source_root:
            self.fail('DP_BUILD_ROOT and DP_SOURCE_ROOT must be set (run through meson test)')
        self.typelib_dir = os.path.join(self.build_root, 'core')
        if not os.path.exists(os.path.join(self.typelib_dir, 'Deskphone-1.typelib')):
            self.skipTest('built without introspection (-Dintrospection=false)')
        self.python = find_gi_python()
        if self.python is None:
            self.skipTest('no Python with PyGObject and Peas typelib found')
        self.tmp = tempfile.mkdtemp(prefix='dp-pyplugin-')

    def tearDown(self):
        if getattr(self, 'tmp', None):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def run_host(self):
        # One host run serves every test; it is the slow part.
        if PythonPluginTest._result is None:
            PythonPluginTest._result = self._run_host()
        return PythonPluginTest._result

    def _run_host(self):
        plugins = os.path.join(self.source_root, 'tests', 'plugins')
        env = dict(os.environ)
        env['GI_TYPELIB_PATH'] = os.pathsep.join(
            filter(None, [self.typelib_dir, env.get('GI_TYPELIB_PATH')]))
        env['LD_LIBRARY_PATH'] = os.pathsep.join(
            filter(None, [self.typelib_dir, env.get('LD_LIBRARY_PATH')]))
        env['DESKPHONE_PLUGIN_PATH'] = os.pathsep.join(
            [os.path.join(plugins, name)
             for name in ('pyexample', 'pyfail', 'pyrefuse', 'pynoext', 'pyfalse')]
            + [os.path.join(self.build_root, 'plugins')])
        env.pop('PYTHONPATH', None)
        env['G_MESSAGES_DEBUG'] = ''
        state = os.path.join(self.tmp, 'state')
        os.mkdir(state)
        proc = subprocess.run([self.python, '-c', HOST, state], env=env,
                              capture_output=True, text=True, timeout=120)
        lines = [l for l in proc.stdout.splitlines() if l.startswith('RESULT ')]
        self.assertEqual(proc.returncode, 0,
                         'host failed:\nstdout:\n%s\nstderr:\n%s' % (proc.stdout, proc.stderr))
        self.assertEqual(len(lines), 1, proc.stdout + proc.stderr)
        return json.loads(lines[0][len('RESULT '):]), proc.stderr

    def test_python_plugin_through_typelib(self):
        result, stderr = self.run_host()
        status = {p['name']: p for p in result['status']}

        # pyexample and the C example run side by side.
        self.assertEqual(result['running'], 2, result)
        self.assertTrue(status['pyexample']['loaded'], status['pyexample'])
        self.assertIsNone(status['pyexample']['error'])
        self.assertEqual(status['pyexample']['display_name'], 'Python example')
        self.assertTrue(status['example']['loaded'], status['example'])

        # It registered its parameter, owned by its module name.
        param = result['param']
        self.assertIsNotNone(param, 'Python_Greeting is not registered')
        self.assertEqual(param['owner'], 'pyexample')
        self.assertEqual(param['tab'], 'Python')
        self.assertEqual(param['section'], 'General')
        self.assertEqual(param['default'], 'hello from python')
        self.assertEqual(result['default'], 'hello from python')
        self.assertEqual(result['module_name'], 'pyexample')

        # It heard the change through changed::Python_Greeting, and after
        # deactivation it no longer listens.
        self.assertEqual(result['seen'], 'changed by the test')
        self.assertFalse(result['running_after_unload'])
        self.assertEqual(result['seen_after_unload'], 'changed by the test')
        self.assertIs(result['reload'], True)
        self.assertEqual(result['value_after_reload'], 'after unload')
        self.assertIn("dp-pyexample-Message", stderr)

    def test_python_failures_are_reported(self):
        result, _ = self.run_host()
        status = {p['name']: p for p in result['status']}

        pyfail = status['pyfail']
        self.assertFalse(pyfail['loaded'])
        self.assertIn("plugin 'pyfail' failed to load", pyfail['error'])
        self.assertIn('RuntimeError: pyfail refuses to be imported', pyfail['error'])
        self.assertIn('pyfail.py", line 4', pyfail['error'])

        pyrefuse = status['pyrefuse']
        self.assertFalse(pyrefuse['loaded'])
        self.assertEqual(pyrefuse['error'],
                         "plugin 'pyrefuse' failed to activate: "
                         "pyrefuse needs hardware this phone does not have")

        pynoext = status['pynoext']
        self.assertFalse(pynoext['loaded'])
        self.assertIn("plugin 'pynoext' loaded but does not implement DpPlugin", pynoext['error'])

        pyfalse = status['pyfalse']
        self.assertFalse(pyfalse['loaded'])
        self.assertEqual(pyfalse['error'],
                         "plugin 'pyfalse' failed to activate: "
                         "DpPyFalsePlugin: activate() returned FALSE without giving a reason")

        # The same state through the info objects.
        infos = {name: (loaded, error) for name, loaded, error in result['infos']}
        self.assertEqual(infos['pyrefuse'], (False, pyrefuse['error']))
        self.assertEqual(infos['pyexample'], (True, None))

    def test_env_path_order(self):
        result, _ = self.run_host()
        paths = result['search_paths']
        plugins = os.path.normpath(os.path.join(self.source_root, 'tests', 'plugins'))
        self.assertEqual(paths[0], os.path.join(plugins, 'pyexample'))
        self.assertEqual(paths[5], os.path.normpath(os.path.join(self.build_root, 'plugins')))
        # The installed directory follows; the user dir is switched off.
        self.assertTrue(paths[6].endswith(os.path.join('deskphone-1', 'plugins')), paths)


if __name__ == '__main__':
    unittest.main(verbosity=2)
