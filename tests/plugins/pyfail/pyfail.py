# SPDX-License-Identifier: GPL-2.0-or-later
# Test data: a plugin whose import fails. The engine must report the
# exception text for this plugin and keep loading the others.
raise RuntimeError("pyfail refuses to be imported")
