"""MkDocs hook: "编辑本页" and "投稿" links on every item page and on the coverage page, when
mkdocs.yml sets `repo_url` (a third entry under `hooks:`; nothing in pages.py changes).

编辑本页 opens the item's file in the forge's web editor (a pull request for anyone without
write access); 投稿 opens the web form (/admin/) on a new story; 用表单投稿 opens the issue form
for a story in plain fields (.github/ISSUE_TEMPLATE/story.yml), for staff with only a browser
account. Every value is escaped; the links are added after the page was sanitised.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote

from casebook.site.contribute_page import issue_url
from casebook.site.state import STATE


def forge_links(repo_url: str, branch: str, item_path: str | None) -> dict[str, str]:
    """Edit and issue-form URLs on the forge that hosts `repo_url` (GitHub, GitLab or Gitea)."""
    repo = repo_url.rstrip("/").removesuffix(".git")
    host = re.sub(r"^https?://", "", repo).split("/", 1)[0]
    path = quote(item_path) if item_path else None
    if host == "github.com" or host.startswith("github."):
        edit = f"{repo}/edit/{quote(branch)}/{path}"
    elif "gitlab" in host:
        edit = f"{repo}/-/edit/{quote(branch)}/{path}"
    else:  # Gitea, Forgejo
        edit = f"{repo}/_edit/{quote(branch)}/{path}"
    return {"edit": edit if path else "", "issue": issue_url(repo)}  # the story's questions on every host


def contribute_html(repo_url: str, branch: str, item_path: str | None, page_url: str) -> str:
    """The links as HTML, relative to the page at `page_url` (e.g. "stories/x/")."""
    links = forge_links(repo_url, branch, item_path)
    up = "../" * page_url.strip("/").count("/") + ("../" if page_url.strip("/") else "")
    parts = []
    if links["edit"]:
        parts.append(f'<a class="cb-edit" href="{html.escape(links["edit"])}" rel="noopener">编辑本页</a>')
    parts.append(f'<a class="cb-submit" href="{html.escape(up)}admin/#/collections/stories/new">投稿</a>')
    parts.append(f'<a class="cb-issue" href="{html.escape(links["issue"])}" rel="noopener">用表单投稿（只需浏览器账号）</a>')
    return f'<p class="cb-contribute">{"　".join(parts)}</p>'


def _branch(config) -> str:
    m = re.search(r"(?:edit|blob|_edit)/([^/]+)/", config.get("edit_uri") or "")
    return m.group(1) if m else "main"


def on_page_content(html_text: str, page, config, files) -> str:
    repo_url = config.get("repo_url")
    view = STATE.get("view")
    if not repo_url or view is None:
        return html_text
    src = page.file.src_uri
    item = view.items.get(src.removesuffix(".md")) if src.endswith(".md") else None
    if item is None and src != "coverage.md":
        return html_text
    item_path = item.doc.rel if item is not None else None
    return html_text + contribute_html(repo_url, _branch(config), item_path, page.url)
