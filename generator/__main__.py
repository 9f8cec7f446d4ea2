"""`python -m generator`: see cli.py."""

import gc
import sys

from .cli import main

code = main()
# What the command built (generate's site model, in reference cycles) is left to the
# process's end: frozen, it is not swept by the interpreter's last collection, which
# took 1.4 s at 100,000 papers. Files are all written and closed by now.
gc.freeze()
sys.exit(code)
