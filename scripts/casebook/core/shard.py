"""`--shard K/N`: split a list of outlet files deterministically across N runners (a CI matrix).

Files are ordered by file name (then by full path, for equal names); the i-th file (from 0)
belongs to shard i % N + 1. Every file lands in exactly one shard, whatever the machine, the
locale or the order the file system lists them in.
"""
from __future__ import annotations

import re
from pathlib import Path

_SHARD = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")


def parse_shard(value: str) -> tuple[int, int]:
    """'2/4' → (2, 4). Raises ValueError with a Chinese message naming the nearest valid form."""
    m = _SHARD.match(value or "")
    if not m:
        raise ValueError(f"--shard 应写成 K/N（第 K 片，共 N 片），如 1/4；收到的是 {value!r}")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1:
        raise ValueError(f"--shard {value}：分片总数 N 至少是 1，如 1/1")
    if not 1 <= k <= n:
        nearest = min(max(k, 1), n)
        raise ValueError(f"--shard {value}：K 应在 1 到 {n} 之间，如 {nearest}/{n}")
    return k, n


def pick_shard(paths: list[Path], k: int, n: int) -> list[Path]:
    """The files of shard k of n (1-based), in name order."""
    ordered = sorted(paths, key=lambda p: (p.name, str(p)))
    return [p for i, p in enumerate(ordered) if i % n == k - 1]
