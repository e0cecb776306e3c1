# SPDX-License-Identifier: GPL-2.0-or-later
"""A C plugin built out of tree against the installed deskphone-1.pc loads.

The project is installed with `meson install --destdir` into a temporary
staging directory. The staged .pc file still names the configured prefix,
so a copy of it with `prefix=` pointing into the staging directory is what
pkg-config reads (the other paths in it derive from ${prefix}; the
dependencies' .pc files are the system's and stay untouched, which
PKG_CONFIG_SYSROOT_DIR would not do).

tests/plugins/out-of-tree/outoftree.c (the plugin) and host.c (a minimal
program embedding the engine) are then built with plain `cc` and
`pkg-config --cflags --libs deskphone-1`, and the host loads:
  - the out-of-tree plugin: it registers Outoftree_Greeting and counts
    changes of it through changed::Outoftree_Greeting;
  - the same module with a .plugin declaring X-Deskphone-API=2: refused,
    although the module exists;
  - the installed example plugin from the staged plugin directory.
A Python host using the staged typelib loads the out-of-tree C plugin and
the Python test plugin pyexample together.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    if proc.returncode != 0:
        raise AssertionError('%s failed (%d):\nstdout:\n%s\nstderr:\n%s'
                             % (' '.join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc


def find_gi_python():
    """The system Python: libpeas embeds it, and PyGObject lives there."""
    for candidate in ['/usr/bin/python3', sys.executable, shutil.which('python3')]:
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run(
            [candidate, '-c', "import gi; gi.require_version('Peas', '1.0')"],
            capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


class OutOfTreePluginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build_root = os.environ.get('DP_BUILD_ROOT')
        cls.source_root = os.environ.get('DP_SOURCE_ROOT')
        if not cls.build_root or not cls.source_root:
            raise unittest.SkipTest('DP_BUILD_ROOT and DP_SOURCE_ROOT must be set (run through meson test)')
        cls.cc = os.environ.get('CC', 'cc').split()
        if shutil.which(cls.cc[0]) is None or shutil.which('pkg-config') is None:
            raise unittest.SkipTest('needs a C compiler and pkg-config')
        cls.tmp = tempfile.mkdtemp(prefix='dp-oot-')
        try:
            cls._install_and_build()
        except BaseException:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def _install_and_build(cls):
        cls.staging = os.path.join(cls.tmp, 'staging')
        # --no-rebuild: meson test has built everything; do not race ninja.
        run(['meson', 'install', '-C', cls.build_root, '--destdir', cls.staging,
             '--no-rebuild', '--quiet'])

        options = json.loads(run(['meson', 'introspect', '--buildoptions', cls.build_root]).stdout)
        values = {o['name']: o['value'] for o in options}
        prefix = values['prefix']
        libdir = values['libdir']
        if not os.path.isabs(libdir):
            libdir = os.path.join(prefix, libdir)
        cls.staged_prefix = cls.staging + prefix
        cls.staged_libdir = cls.staging + libdir
        cls.staged_plugindir = os.path.join(cls.staged_libdir, 'deskphone-1', 'plugins')

        staged_pc = os.path.join(cls.staged_libdir, 'pkgconfig', 'deskphone-1.pc')
        if not os.path.exists(staged_pc):
            raise AssertionError('meson install did not stage %s' % staged_pc)
        pcdir = os.path.join(cls.tmp, 'pkgconfig')
        os.mkdir(pcdir)
        with open(staged_pc) as f:
            lines = f.read().splitlines()
        rewritten = ['prefix=' + cls.staged_prefix if l.startswith('prefix=') else l
                     for l in lines]
        if rewritten == lines:
            raise AssertionError('no prefix= line in %s' % staged_pc)
        with open(os.path.join(pcdir, 'deskphone-1.pc'), 'w') as f:
            f.write('\n'.join(rewritten) + '\n')

        env = dict(os.environ)
        env['PKG_CONFIG_PATH'] = pcdir
        env.pop('PKG_CONFIG_SYSROOT_DIR', None)
        flags = run(['pkg-config', '--cflags', '--libs', 'deskphone-1'], env=env).stdout.split()
        cls.pkg_flags = flags
        # Make sure the flags point at the staged install, not the source or build tree.
        includes = [f for f in flags if f.startswith('-I') and 'deskphone-1' in f]
        if not includes or not all(f[2:].startswith(cls.staging) for f in includes):
            raise AssertionError('pkg-config flags do not use the staged headers: %s' % flags)

        src = os.path.join(cls.source_root, 'tests', 'plugins', 'out-of-tree')
        strict = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter']

        cls.plugin_dir = os.path.join(cls.tmp, 'plugins')
        module_dir = os.path.join(cls.plugin_dir, 'outoftree')
        os.makedirs(module_dir)
        run(cls.cc + strict + ['-shared', '-fPIC', '-o', os.path.join(module_dir, 'liboutoftree.so'),
                               os.path.join(src, 'outoftree.c')] + flags)
        shutil.copy(os.path.join(src, 'outoftree.plugin'), module_dir)

        # The same module, declared for another plugin API version.
        cls.api2_dir = os.path.join(cls.tmp, 'plugins-api2')
        api2_module_dir = os.path.join(cls.api2_dir, 'outoftree')
        os.makedirs(api2_module_dir)
        shutil.copy(os.path.join(module_dir, 'liboutoftree.so'), api2_module_dir)
        with open(os.path.join(src, 'outoftree.plugin')) as f:
            text = f.read()
        if 'X-Deskphone-API=1' not in text:
            raise AssertionError('outoftree.plugin must declare X-Deskphone-API=1')
        with open(os.path.join(api2_module_dir, 'outoftree.plugin'), 'w') as f:
            f.write(text.replace('X-Deskphone-API=1', 'X-Deskphone-API=2'))

        cls.host = os.path.join(cls.tmp, 'host')
        run(cls.cc + strict + ['-o', cls.host, os.path.join(src, 'host.c')] + flags)

    def run_host(self, plugin_dir, names, assignment=None):
        state = tempfile.mkdtemp(dir=self.tmp, prefix='state-')
        env = dict(os.environ)
        # The staged library, not the build tree's, must serve the host.
        env['LD_LIBRARY_PATH'] = self.staged_libdir
        env.pop('DESKPHONE_PLUGIN_PATH', None)
        cmd = [self.host, state, plugin_dir, ','.join(names)]
        if assignment:
            cmd.append(assignment)
        proc = run(cmd, env=env)
        result = json.loads(proc.stdout)
        result['plugins'] = {p['name']: p for p in result['plugins']}
        result['stderr'] = proc.stderr
        return result

    def test_staged_install_is_used(self):
        self.assertTrue(os.path.exists(os.path.join(self.staged_prefix, 'include', 'deskphone-1',
                                                    'deskphone.h')))
        ldd = subprocess.run(['ldd', self.host], capture_output=True, text=True,
                             env=dict(os.environ, LD_LIBRARY_PATH=self.staged_libdir))
        if ldd.returncode == 0:
            line = [l for l in ldd.stdout.splitlines() if 'libdeskphone-1' in l]
            self.assertTrue(line and self.staging in line[0], ldd.stdout)

    def test_out_of_tree_plugin_loads(self):
        result = self.run_host(self.plugin_dir, ['outoftree'],
                               'Outoftree_Greeting=hi from the test')
        info = result['plugins']['outoftree']
        self.assertTrue(info['loaded'], info)
        self.assertIsNone(info['error'])
        self.assertEqual(info['api_version'], '1')
        self.assertEqual(result['params']['Outoftree_Greeting'], 'hi from the test')
        # Its changed:: handler ran exactly once.
        self.assertEqual(result['params']['Outoftree_Changes'], '1')

    def test_out_of_tree_plugin_default(self):
        result = self.run_host(self.plugin_dir, ['outoftree'])
        self.assertTrue(result['plugins']['outoftree']['loaded'])
        self.assertEqual(result['params'], {'Outoftree_Greeting': 'built outside',
                                            'Outoftree_Changes': '0'})

    def test_other_api_version_refused(self):
        result = self.run_host(self.api2_dir, ['outoftree'])
        info = result['plugins']['outoftree']
        self.assertFalse(info['loaded'])
        self.assertEqual(info['error'],
                         "plugin 'outoftree' declares X-Deskphone-API=2, this deskphone supports 1")
        # Refused before its code ran: nothing registered.
        self.assertEqual(result['params'], {})
        self.assertIn("X-Deskphone-API=2", result['stderr'])

    def test_python_host_with_installed_typelib(self):
        """The installed typelib serves a Python host: it loads the
        out-of-tree C plugin and the Python test plugin side by side."""
        python = find_gi_python()
        if python is None:
            self.skipTest('no Python with PyGObject and Peas typelib found')
        typelib_dir = os.path.join(self.staged_libdir, 'girepository-1.0')
        if not os.path.exists(os.path.join(typelib_dir, 'Deskphone-1.typelib')):
            self.skipTest('built without introspection (-Dintrospection=false)')
        script = (
            "import gi, sys\n"
            "gi.require_version('Deskphone', '1')\n"
            "from gi.repository import Deskphone\n"
            "core = Deskphone.Core.new(sys.argv[1])\n"
            "engine = Deskphone.PluginEngine.new(core)\n"
            "engine.add_search_path(sys.argv[2], None)\n"
            "engine.add_search_path(sys.argv[3], None)\n"
            "print('RUNNING', engine.load_plugins(['outoftree', 'pyexample']))\n"
            "print('TYPELIB', gi.Repository.get_default().get_typelib_path('Deskphone'))\n"
            "config = core.get_config()\n"
            "print('VALUES', config.get('Outoftree_Greeting'), '|', config.get('Python_Greeting'))\n"
            "engine.unload_all()\n")
        env = dict(os.environ, GI_TYPELIB_PATH=typelib_dir, LD_LIBRARY_PATH=self.staged_libdir)
        env.pop('DESKPHONE_PLUGIN_PATH', None)
        state = tempfile.mkdtemp(dir=self.tmp, prefix='state-')
        pyexample = os.path.join(self.source_root, 'tests', 'plugins', 'pyexample')
        proc = run([python, '-c', script, state, self.plugin_dir, pyexample], env=env)
        self.assertIn('RUNNING 2', proc.stdout, proc.stderr)
        self.assertIn('TYPELIB ' + typelib_dir, proc.stdout)
        self.assertIn('VALUES built outside | hello from python', proc.stdout)

    def test_installed_example_plugin(self):
        self.assertTrue(os.path.exists(os.path.join(self.staged_plugindir, 'example', 'example.plugin')))
        result = self.run_host(self.staged_plugindir, ['example'], 'Example_Greeting=salut')
        info = result['plugins']['example']
        self.assertTrue(info['loaded'], info)
        self.assertEqual(result['params'], {'Example_Greeting': 'salut'})
        self.assertIn("Example_Greeting is now 'salut'", result['stderr'])


if __name__ == '__main__':
    unittest.main(verbosity=2)
