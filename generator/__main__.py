"""`python -m generator`: see cli.py."""

import gc
import signal
import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load: nothing was begun
    print("interrupted before the command began: nothing was changed", file=sys.stderr)
    sys.exit(130)

# Every command is a batch run, its objects alive until it ends: the cycle collector
# stays off throughout (why: commands/generate.py, _no_cycle_collector). Turned back
# on after generate, it would sweep the whole site model at once, for nothing.
gc.disable()
code = main()
# The command has ended and said how; a Ctrl-C from now on (one a commit held back
# until it was done, or a second press) would only turn that exit into a traceback.
signal.signal(signal.SIGINT, signal.SIG_IGN)
# Nor is what the command built swept by the interpreter's last collection, which
# runs even when disabled and is slow on a large archive: frozen, it is left to the
# process's end. Files are all written and closed by now.
gc.freeze()
sys.exit(code)
