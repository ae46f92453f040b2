"""casebook's own folder (a checkout, installed editable): its package (scripts/casebook), the
templates (templates/), the default mkdocs.yml and docs/ a library without its own uses, and the
web form's node_modules/. Found here only; every other module names its files from these."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # scripts/casebook
PROJECT = PACKAGE.parents[1]
TEMPLATES = PROJECT / "templates"
