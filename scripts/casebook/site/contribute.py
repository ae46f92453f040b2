""""编辑本页" and "投稿" links on every item page and on the coverage page, when mkdocs.yml sets
`repo_url` (the site plugin adds them after a page is sanitised; nothing in pages.py changes).

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


def branch_of(config) -> str:
    """The branch the site's edit links point at (mkdocs.yml edit_uri), main by default."""
    m = re.search(r"(?:edit|blob|_edit)/([^/]+)/", config.get("edit_uri") or "")
    return m.group(1) if m else "main"


def contribute_for(view, config, src: str, page_url: str) -> str:
    """The links under an item page (and the coverage page) when the site names its repository."""
    repo_url = config.get("repo_url")
    if not repo_url or view is None:
        return ""
    item = view.items.get(src.removesuffix(".md")) if src.endswith(".md") else None
    if item is None and src != "coverage.md":
        return ""
    item_path = item.doc.rel if item is not None else None
    return contribute_html(repo_url, branch_of(config), item_path, page_url)
