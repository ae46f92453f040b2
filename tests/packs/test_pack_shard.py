"""`casebook pack --all --shard K/N`: every outlet in exactly one shard, the union is all of them,
the split depends only on file names, and a wrong K/N is a Chinese usage error (exit 2)."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import VALID, run_cli
from casebook.core.shard import parse_shard, pick_shard


def test_each_file_in_exactly_one_shard_and_union_is_all():
    names = [f"outlet-{i:03d}.yml" for i in range(23)]
    for n in (1, 2, 3, 4, 7, 23, 30):
        shards = [pick_shard([Path("outlets") / x for x in names], k, n) for k in range(1, n + 1)]
        flat = [p.name for s in shards for p in s]
        assert sorted(flat) == sorted(names) and len(flat) == len(set(flat)), n
        sizes = [len(s) for s in shards]
        assert max(sizes) - min(sizes) <= 1, (n, sizes)  # balanced by count


def test_split_is_stable_whatever_the_listing_order():
    paths = [Path("/a/outlets") / f"{c}.yml" for c in "qwertyuiopasdfg"]
    want = [pick_shard(paths, k, 4) for k in range(1, 5)]
    for seed in range(5):
        shuffled = paths[:]
        random.Random(seed).shuffle(shuffled)
        assert [pick_shard(shuffled, k, 4) for k in range(1, 5)] == want
    assert [p.name for p in want[0]] == ["a.yml", "g.yml", "q.yml", "u.yml"]  # a d e f g i o p q r s t u w y: 0, 4, 8, 12


@pytest.mark.parametrize("value, expected", [("1/1", (1, 1)), ("3/4", (3, 4)), (" 2 / 5 ", (2, 5))])
def test_parse_shard_accepts(value, expected):
    assert parse_shard(value) == expected


@pytest.mark.parametrize("value, hint", [("0/4", "1/4"), ("5/4", "4/4"), ("1/0", "1/1"), ("a/b", "K/N"),
                                         ("2", "K/N"), ("-1/3", "K/N"), ("", "K/N")])
def test_parse_shard_rejects_with_nearest_valid_value(value, hint):
    with pytest.raises(ValueError) as exc:
        parse_shard(value)
    assert "--shard" in str(exc.value) and hint in str(exc.value)


@pytest.fixture
def many_outlets(tmp_path):
    """The fixture library with five outlet files (copies of its one outlet under other names)."""
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    text = (root / "outlets" / "community.yml").read_text(encoding="utf-8")
    (root / "outlets" / "community.yml").unlink()
    for name in ("e-west", "a-north", "d-south", "c-east", "b-centre"):
        (root / "outlets" / f"{name}.yml").write_text(text, encoding="utf-8")
    return root


def test_cli_shards_cover_all_outlets_once(many_outlets, tmp_path):
    got = {}
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        result = run_cli("pack", "--all", "--shard", f"{k}/3", "--root", str(many_outlets), "--out", str(out),
                         "--format", "html", cwd=tmp_path)
        assert result.code == 0, result.err
        assert f"第 {k}/3 片" in result.err
        got[k] = sorted(p.name for p in out.iterdir() if (p / "pack.html").is_file())
    assert got == {1: ["a-north", "d-south"], 2: ["b-centre", "e-west"], 3: ["c-east"]}


def test_cli_empty_shard_is_not_an_error(many_outlets, tmp_path):
    result = run_cli("pack", "--all", "--shard", "6/6", "--root", str(many_outlets), "--out", str(tmp_path / "o"),
                     "--format", "html", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "0 个网点（共 5 个）" in result.err


@pytest.mark.parametrize("args, words", [
    (["--all", "--shard", "4/3"], "K 应在 1 到 3 之间，如 3/3"),
    (["--all", "--shard", "1-3"], "应写成 K/N"),
    (["--all", "--shard", "1/0"], "至少是 1"),
    (["outlets/a-north.yml", "--shard", "1/2"], "只能和 --all 一起用"),
])
def test_cli_bad_shard_is_a_usage_error(many_outlets, tmp_path, args, words):
    result = run_cli("pack", *args, "--root", str(many_outlets), "--out", str(tmp_path / "o"), "--format", "html",
                     cwd=many_outlets)
    assert result.code == 2, (result.code, result.err)
    assert words in result.err
    assert not (tmp_path / "o").exists()


def test_ci_example_matrix_packs_every_shard_and_uploads_only_when_private():
    import yaml

    from conftest import REPO

    flow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    assert "check-and-build" in flow["jobs"]  # the existing job stays
    job = flow["jobs"]["packs-sharded"]
    shards = job["strategy"]["matrix"]["shard"]
    runs = " ".join(s.get("run", "") for s in job["steps"])
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in runs and "pack --all" in runs
    assert shards == list(range(1, len(shards) + 1))
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and all(s.get("if") == "${{ github.event.repository.private }}" for s in uploads)
    assert all("matrix.shard" in s["with"]["name"] for s in uploads)  # one artifact per shard
    assert job["steps"][0]["with"]["persist-credentials"] is False
