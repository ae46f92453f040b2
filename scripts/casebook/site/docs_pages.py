"""Hand-written docs/ pages, made safe for the theme: their front matter and their macros.

A docs/ page comes with a pull request like any item. Material prints some page metadata
without escaping (`description` in a meta tag, a nav item's `subtitle`), and MkDocs' Jinja has
no autoescape, so a page keeps only the keys below, each as plain text (`clean_docs_meta`).
Its body is evaluated by nothing unless it asks for casebook's macros (`macros: true`); then it
runs in Jinja's sandbox with those four functions as the only names (`render_macros`), never
on a title, a file name or any metadata. The checker (core/docs_check.py) refuses what is
dropped here, with a line number.
"""
from __future__ import annotations

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .macros import casebook_macros
from .neutralise import plain_title
from .pagekit import SLOT_MARK, View, unmark

# what a docs page may set, and how each value is kept
TEXT_KEYS = ("title", "description")
HIDE_VALUES = ("navigation", "toc", "footer", "feedback", "path", "tags")


class MacroError(Exception):
    """A docs page's macro call failed (its message names the page)."""


def clean_docs_meta(meta: dict) -> dict:
    """The front matter a docs page may set, as plain text; everything else is dropped."""
    out: dict = {}
    for key in TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = plain_title(str(value))
            if text:
                out[key] = text
    hide = meta.get("hide")
    if isinstance(hide, list):
        kept = [v for v in hide if isinstance(v, str) and v in HIDE_VALUES]
        if kept:
            out["hide"] = kept
    if meta.get("macros") is True:
        out["macros"] = True
    return out


def _environment(macros: dict) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()  # (no range, dict, lipsum, cycler, joiner, namespace: the macros only)
    env.globals.update(macros)
    env.filters.clear()
    env.tests.clear()
    return env


def render_macros(markdown: str, view: View, here: str, name: str) -> tuple[str, dict[str, str]]:
    """A docs page's Markdown with its macro calls done, and the HTML they made (slots).
    Raises MacroError for a call the sandbox refuses or that fails."""
    slots: dict[str, str] = {}

    def slot(html: str) -> str:
        key = f'<div {SLOT_MARK}="m{len(slots)}"></div>'
        slots[key] = html
        return f"\n\n{key}\n\n"

    env = _environment(casebook_macros(view, here, slot))
    try:
        text = env.from_string(unmark(markdown)).render()
    except (TemplateError, TypeError, ValueError) as exc:  # (SecurityError is a TemplateError)
        raise MacroError(f"{name}：宏调用出错（{type(exc).__name__}: {str(exc)[:200]}）。"
                         "只能调用 items、role_entries、situations、library_counts，参数写成字面值") from None
    return text, slots
