"""pyarrow's allocations through the C library's ``malloc``, not its bundled mimalloc.

pandas 3 keeps text columns in Arrow arrays, and every reindexing of a frame (the twelve months
of each AF, a sort, a filter) allocates new Arrow buffers. A worker keeps the frames it has
computed (``app.local_cache``), so those buffers are seldom freed and reused: with mimalloc, a
``take`` of the monthly frame's text columns cost 40-50 ms each time, against 8-9 ms with the
system allocator (4,800 AFs × 12 months × 12 text columns, buffers kept alive as the cache
keeps them; 13 ms both ways when each result is freed at once). A new selection's first view
spent about 60 ms there nationally.
"""

from __future__ import annotations

import pyarrow


def use_system_allocator() -> str:
    """Make the system allocator pyarrow's default pool; returns its backend name."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    return pyarrow.default_memory_pool().backend_name
