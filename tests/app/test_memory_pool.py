"""pyarrow allocates through the system allocator once the app is built (``app.memory_pool``)."""

from __future__ import annotations

import pandas as pd
import pyarrow


def test_the_app_makes_the_system_allocator_pyarrows_default(app):
    assert pyarrow.default_memory_pool().backend_name == "system"
    avant = pyarrow.system_memory_pool().bytes_allocated()
    texte = pd.Series([f"AF-{i}" for i in range(10_000)], dtype="str")
    repetee = texte.take(list(range(10_000)) * 3)  # a reindexing, as the monthly frame does
    assert pyarrow.system_memory_pool().bytes_allocated() > avant  # from that pool indeed
    assert repetee.iloc[10_000] == "AF-0"
