"""The tests' cheap way of starting `casebook` (forked_cli: forked from a helper that imported it
once) prints what a plain start of the console script prints, byte for byte, and exits the same."""
from __future__ import annotations

import os
import subprocess

import pytest

import forked_cli
from conftest import TODAY, write

HOSTILE = "esc\x1b]0;owned\x07\r\u202eevil"  # a file name with terminal controls (shown escaped)


@pytest.mark.parametrize("args", [
    ("check", "--root", "{tree}"),
    ("check", "--root", "{tree}", "--format", "json"),
    ("check", "--root", "{tree}", "--format", "github", "--strict"),
    ("check", "--explain", "all"),
    ("check", "--root", "{tree}", "--nonsense"),
    ("--version",),
    ("new", "story", "a-new-story", "--root", "{tree}"),
], ids=["text", "json", "github", "explain", "usage", "version", "new"])
def test_a_forked_call_prints_and_exits_as_a_plain_start(valid_tree, args):
    write(valid_tree, f"cases/stories/{HOSTILE}.md", "---\ntitle: 一个标题\n---\n正文。\n")
    env = {**os.environ, "CASEBOOK_TODAY": TODAY}
    argv = [a.format(tree=valid_tree) for a in args]
    plain = subprocess.run([forked_cli.CASEBOOK, *argv], capture_output=True, text=True, env=env,
                           stdin=subprocess.DEVNULL, cwd=valid_tree)
    if args[0] == "new":  # (it writes a file: the second call must find none)
        (valid_tree / plain.stdout.strip()).unlink()
    forked_cli._seen.add(forked_cli._start_up_key(env))  # (forked, not a one-off plain start)
    forked = forked_cli.run(argv, env, cwd=valid_tree)
    assert (forked.returncode, forked.stdout, forked.stderr) == (plain.returncode, plain.stdout, plain.stderr)


def test_a_forked_call_that_runs_too_long_is_stopped_like_a_process(valid_tree):
    env = {**os.environ, "CASEBOOK_TODAY": TODAY}
    forked_cli._seen.add(forked_cli._start_up_key(env))
    with pytest.raises(subprocess.TimeoutExpired):
        forked_cli.run(["check", "--root", str(valid_tree)], env, timeout=0.001)
    assert forked_cli.run(["check", "--root", str(valid_tree)], env).returncode in (0, 1)  # (the helper still serves)
