"""A folder swapped in whole (core/proc.swap_in: a site, a pack, a search index): readers see the
old folder or the new, and two processes swapping into one place at once both succeed."""
from __future__ import annotations

from pathlib import Path

from casebook.core.proc import swap_in


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


class _AppearsMeanwhile(type(Path())):
    """A target that another process creates between swap_in's look and its rename."""

    def exists(self, *args, **kwargs) -> bool:
        return False


def test_a_target_that_appears_meanwhile_is_swapped_not_a_crash(tmp_path):
    # (two builds into one folder: both saw none, the other one's site landed first)
    _folder(tmp_path / "site", "the other build's")
    removed = []
    new = _folder(tmp_path / ".site.building-1", "this build's")
    swap_in(new, _AppearsMeanwhile(tmp_path / "site"), removed.append)
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "this build's"
    assert [(p / "index.html").read_text(encoding="utf-8") for p in removed] == ["the other build's"]


def test_a_new_target_and_an_old_one(tmp_path):
    swap_in(_folder(tmp_path / "new-1", "first"), tmp_path / "site")
    swap_in(_folder(tmp_path / "new-2", "second"), tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # (the old one deleted)
