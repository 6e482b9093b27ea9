"""Start-up without the cyclic garbage collector.

Importing Prefect's server and building its app leaves some 400,000 objects the cyclic
collector tracks, and the collector, triggered by allocation counts, walked them again and
again: 0.45 CPU-s of the embedded API's start (where it is forked from the command), 0.13 s
of the command's imports, 0.07 s of loading the dictionaries, all on cores the workers
need. Nothing loaded then is garbage: it is moved out of the collector's sight (gc.freeze)
and collection goes on as usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_phase() -> Iterator[None]:
    """Collection off while the block loads code and data; on afterwards, with what the
    block loaded frozen (also in a process forked inside the block, which inherits the
    collector switched off and leaves its own loading phase the same way)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Collection off while the block runs, then on as before. For the dataset writer's
    close: it builds some 10^5 containers (the comparison and panel cells, read back from the
    spool) that all live until it returns and make no cyclic garbage, and the collector,
    triggered by their allocation, walked the growing heap again and again (8,000 benchmark
    reports: 1.2 of its 2.6 CPU-s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
