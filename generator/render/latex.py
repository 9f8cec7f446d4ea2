"""Repair the residue that stripped LaTeX leaves in abstracts, where it is unambiguous.

Listing pages drop LaTeX commands but keep their names glued to the text around
them: `$1.3\\times$` becomes `1.3times`, `$\\sim$1B` becomes `sim 1B`. Each rule
below fires only in a context where the English word cannot be meant:

    1.3times   -> 1.3×      a number glued to "times"
    5-10times  -> 5-10×
    4times70   -> 4×70      "times" glued between two numbers
    sim 1B     -> ~1B       "sim" (lowercase) right before a number

"3 times faster", "sometimes", "runtimes", "SIM card" and "sim-to-real" are left
alone. The store keeps the text as the source gave it; this runs when a page is made.
"""

from __future__ import annotations

import re

_TIMES = re.compile(r"(?<=\d)times(?=\d|\b)")
_SIM = re.compile(r"(?<![\w-])sim ?(?=\d)")


def repair(text: str) -> str:
    # Substring tests first: most texts have neither word, and they cost far less than the regexes.
    if "times" in text:
        text = _TIMES.sub("×", text)
    if "sim" in text:
        text = _SIM.sub("~", text)
    return text
