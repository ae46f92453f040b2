"""benchmarks/gen_outlets.py: a province wave of generated outlets is valid input (the real
`casebook check` passes with no warning), seeded (same seed, same bytes), genuinely varied
(kinds, profiles, dates, sizes — and so the packs' draws differ), and `--shard` splits it into
every N-th outlet, each exactly once."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from gen_outlets import KINDS, generate  # noqa: E402

from casebook.core.library import Library  # noqa: E402
from casebook.core.selection import draw_items  # noqa: E402
from casebook.core.shard import pick_shard  # noqa: E402

N = 60


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("wave") / "lib", N, seed=7)


def test_generated_wave_passes_check_without_warnings(wave):
    result = run_cli("check", "--root", str(wave))
    assert result.code == 0, result.err
    assert "0 个错误，0 个警告" in result.out + result.err, result.out + result.err
    assert len(list((wave / "outlets").glob("*.yml"))) == N


def test_same_seed_same_bytes_other_seed_other_wave(wave, tmp_path):
    again = generate(tmp_path / "again", N, seed=7)
    other = generate(tmp_path / "other", N, seed=8)
    files = sorted(p.name for p in (wave / "outlets").glob("*.yml"))
    assert files == sorted(p.name for p in (again / "outlets").glob("*.yml"))
    assert all((wave / "outlets" / f).read_bytes() == (again / "outlets" / f).read_bytes() for f in files)
    def text(root):
        return "".join(p.read_text(encoding="utf-8") for p in sorted((root / "outlets").glob("*.yml")))

    assert text(other) != text(wave)


def test_wave_is_varied(wave):
    lib = Library.load(wave, use_cache=False)
    outlets = [e.outlet for e in lib.outlets.values()]
    assert len(outlets) == N
    kinds = Counter(name.split("-", 1)[1] for name in lib.outlets)
    assert set(kinds) == set(KINDS), kinds  # every kind of outlet appears in 60
    assert len({o.name for o in outlets}) == N  # names unique in the wave
    assert len({o.profile.customer_groups[0] for o in outlets}) >= 5
    assert len({tuple(o.profile.peak_periods) for o in outlets}) >= 10
    assert len({o.start_date.month for o in outlets}) == 12  # every season of 2027
    sizes = {sum(len(v) for v in o.staff.values()) for o in outlets}
    assert max(sizes) - min(sizes) >= 6, sizes
    assert any(o.overrides for o in outlets) and not all(o.overrides for o in outlets)
    assert any(o.holidays for o in outlets) and any(not o.contacts for o in outlets)
    # what the packs print differs: the special-customers evening draws for every outlet
    course = lib.items["courses/special-customers"]
    draws = {tuple(s.item.id for s in draw_items(lib, course, o, lib.programme)) for o in outlets}
    assert len(draws) >= 8, len(draws)


def test_shards_of_the_wave_cover_every_outlet_exactly_once(wave):
    paths = sorted((wave / "outlets").glob("*.yml"))
    for n in (2, 7, 10):
        shards = [pick_shard(paths, k, n) for k in range(1, n + 1)]
        flat = [p.name for s in shards for p in s]
        assert sorted(flat) == [p.name for p in paths] and len(set(flat)) == len(flat), n
        assert [p.name for p in shards[0]] == [p.name for p in paths][::n]  # every n-th: a mix of kinds
    assert len({p.stem.split("-", 1)[1] for p in pick_shard(paths, 1, 10)}) >= 3
