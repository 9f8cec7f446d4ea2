"""The store: the only code that reads or writes `data/`.

format.py      the on-disk format of the manifest and the paper shards
disk.py        Store: load and save data/, atomically
merge.py       the merge rules: how a listing's entries join the stored papers
integrity.py   validation of data/ with file:line diagnostics
"""

from .disk import Store, StoreState, WriteReport
from .format import raw_relpath, sha256

__all__ = ["Store", "StoreState", "WriteReport", "raw_relpath", "sha256"]
