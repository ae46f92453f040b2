"""The search box's own scripts (query.js, rank.js) run under Node from a test: what they print,
read back as JSON."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO

ASSETS = REPO / "templates" / "site" / "assets" / "casebook"


def node(script: str, terms: Path | None = None):
    """Run an ES module snippet with query.js and rank.js imported; returns what it prints (JSON)."""
    head = (f'import * as Q from "{(ASSETS / "query.js").as_uri()}";\n'
            f'import * as R from "{(ASSETS / "rank.js").as_uri()}";\n'
            'import { readFileSync } from "node:fs";\n')
    if terms is not None:
        head += f'const lex = new Q.Lexicon(JSON.parse(readFileSync({json.dumps(str(terms))}, "utf8")));\n'
    out = subprocess.run(["node", "--input-type=module", "-e", head + script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def rank(units, pages, intent="null"):
    script = f"""
const units = {json.dumps(units)}.map((u) => ({{ ...u, matches: new Map(u.matches) }}));
const pages = new Map({json.dumps(pages)});
console.log(JSON.stringify(R.rankPages(units, pages, 100, {intent}).map((r) => r.id)));
"""
    return node(script)
