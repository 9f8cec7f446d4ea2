"""`python -m generator`: see cli.py."""

import gc
import sys

from .cli import main

# Every command is a batch run, its objects alive until it ends: the cycle collector
# stays off throughout (why: commands/generate.py, _no_cycle_collector). Turned back
# on after generate, it would sweep the whole site model at once, for nothing.
gc.disable()
code = main()
# Nor is what the command built swept by the interpreter's last collection, which
# runs even when disabled and is slow on a large archive: frozen, it is left to the
# process's end. Files are all written and closed by now.
gc.freeze()
sys.exit(code)
