"""Atomic file writes: write a temporary file in the same directory, then ``os.replace``.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     p = atomic_write(os.path.join(d, "sub", "a.txt"), "hello")
...     open(p).read(), sorted(os.listdir(os.path.join(d, "sub")))
('hello', ['a.txt'])
"""

from __future__ import annotations

import os
import tempfile

__all__ = ["atomic_write"]


def atomic_write(path: str, text: str) -> str:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a part."""
    path = os.path.abspath(path)
    d = os.path.dirname(path)
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
