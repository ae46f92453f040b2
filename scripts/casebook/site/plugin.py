"""casebook as one MkDocs plugin (`plugins: [casebook]` in mkdocs.yml; an entry point of the package).

The only module that knows MkDocs' events. It talks to MkDocs through public events and
`File.generated` only; everything it hands over is made by pure functions (pages.site_pages,
search records, docs_pages) that know nothing of MkDocs, so the engine can change later.

- on_files: loads the Library through casebook's loader (never page.meta: MkDocs ignores broken
  front matter silently), refuses to build on any error, adds the generated pages, has the search
  index made beside MkDocs' rendering (`casebook build` starts it earlier, with the checked library).
- on_page_markdown: a docs/ page keeps only the front matter a page may set, as plain text,
  and runs casebook's macros in a sandbox when it asks for them (`macros: true`); nothing else
  ever reaches a template engine: not a body from cases/, not a title, not a file name.
- on_page_content: every page's HTML passes through the sanitiser (site/sanitise.py); casebook's
  own markup is filled in after it (pagekit.fill), every value escaped.
- on_post_build: waits for the index and writes the build's manifest.

State lives on the plugin: `run` (what `casebook build/serve` asked for), the current build's
fields, and `preview` — the one object that survives a `casebook serve` rebuild (MkDocs keeps a
plugin with `on_startup` between rebuilds).
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base, config_options as c
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from ..core.docs_check import neutralise_templates
from ..core.docs_names import publish_problem
from ..core.library import Library
from ..core.markdown import defuse
from .admin import admin_files, missing_form_warning
from .asset_names import PageNames, bundle_path, finish_site as hashed_names
from .contribute import branch_of, contribute_for
from .deploy_files import Compressor, finish_site as deploy_files
from .docs_pages import MacroError, clean_docs_meta, render_macros
from .neutralise import docs_file_allowed, plain_title
from .offline import finish_site as offline_files
from .pagekit import View, fill
from .pages import site_pages
from .lists import role_menu_entry
from .preview import Preview, nav_sources, nav_titled, preview_site_url
from .render_cache import RenderCache, config_digest, installed, page_key, stub, toc_tokens, usable
from .sanitise import sanitize
from .search import IndexJob, start_index
from .search_page import search_pages
from .template_code import TemplateCode
from .template_memo import SharedParts, linked_paths
from .theme_slips import PREVIEW_KEPT, template_problem
from .theme_dirs import add_own_templates, language_problem


PREVIEW_SCRIPT = "assets/casebook/preview.js"
log = logging.getLogger("mkdocs.plugins.casebook")


@dataclass
class Run:
    """What the command line asked for (set by site/build.py before MkDocs starts)."""
    root: Path | None = None
    public: bool = False
    library: Library | None = None  # `casebook build` hands over the library it has just checked
    report: dict | None = None  # what the last build did (counts, and what came from the cache)
    keep_going: bool = False  # a pull request's preview: build the valid items of a library with errors
    index_job: IndexJob | None = None  # `casebook build` starts the search index as soon as the library is checked


class CasebookConfig(base.Config):
    # the library's root; by default the folder of mkdocs.yml
    root = c.Optional(c.Type(str))


class CasebookPlugin(BasePlugin[CasebookConfig]):
    def __init__(self) -> None:
        self.run = Run()
        self.preview: Preview | None = None
        self._reset_build()

    def _reset_build(self) -> None:
        self.view: View | None = None
        self.index_job: IndexJob | None = None
        self.slots: dict[str, dict] = {}
        self.generated: set[str] = set()
        self.nav_pages: set[str] = set()
        self.role_menu: list[dict] = []  # 「按岗位」: every role page of this build, from the pages themselves
        self.page_names: PageNames | None = None  # (a build, not a preview: hashed asset names, page by page)
        # the rendered Markdown of generated pages across builds (render_cache.py): the build's
        # setting (config_digest), then per page its key (a miss) or its kept entry (a hit)
        self.render_cache: RenderCache | None = None
        self.render_setting = ""
        self.render_keys: dict[str, str] = {}
        self.render_hits: dict[str, dict] = {}

    # --- lifecycle -------------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:  # (MkDocs then keeps this object between serve rebuilds)
        self.preview = Preview() if command == "serve" else None

    def on_shutdown(self) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview = None

    def root(self, config) -> Path:
        if self.run.root is not None:
            return self.run.root
        return Path(self.config.root or Path(config["config_file_path"]).parent)

    def on_config(self, config):
        self._reset_build()
        add_own_templates(config["theme"])  # (again: `serve` reads mkdocs.yml anew for each rebuild)
        if problem := language_problem(config["theme"]):
            raise PluginError(problem)
        if self.preview is not None:  # a preview has no use for a sitemap (every page, every rebuild)
            self.preview.begin()
            config["theme"].static_templates.discard("sitemap.xml")
            config["site_url"] = preview_site_url(config["site_url"])  # (nor for canonical addresses)
            config["extra_javascript"].append(PREVIEW_SCRIPT)  # a failed rebuild shows in the page
        if self.run.public:  # the public build has a footer of its own (mkdocs.yml extra.public_copyright)
            config["copyright"] = config["extra"].get("public_copyright") or config["site_name"]
        return config

    # --- pages -----------------------------------------------------------------------------
    def on_files(self, files: Files, config) -> Files:
        root = self.root(config)
        lib, self.run.library = self.run.library, None
        if lib is None:
            lib = Library.load(root, use_cache=False, memo=self.preview.load_memo if self.preview else None)
        if lib.errors and not self.run.keep_going:
            shown = "\n".join(d.format_text() for d in lib.errors[:30])
            if self.preview is None or self.preview.last_library is None:
                raise PluginError(f"案例库有 {len(lib.errors)} 个错误，请先运行 casebook check 修正：\n{shown}")
            # a preview keeps showing the last good library, and says why in the terminal and on
            # the page the editor is looking at (preview.js), instead of MkDocs' traceback
            log.error(f"案例库有 {len(lib.errors)} 个错误，预览仍显示上一次成功的内容：\n{shown}")
            self.preview.failed([d.format_text() for d in lib.errors], Path(config["site_dir"]))
            lib = self.preview.last_library
        elif self.preview is not None:
            self.preview.succeeded(Path(config["site_dir"]))
            self.preview.last_library = lib
        # QR codes on printed pages point at the site's address; a preview has none of its own
        site_url = None if self.preview is not None else config.get("site_url") or None
        self.view = view = View(lib, self.run.public, site_url)
        # Pagefind indexes the records (known now, from the Library) while MkDocs renders
        if self.preview is not None:  # (only the shard of an edited item is indexed again)
            self.index_job = self.preview.index.start(view, Path(config["site_dir"]))
        else:  # (started by `casebook build` already, from this very library; or now)
            self.index_job, self.run.index_job = self.run.index_job or start_index(view), None
        memo = self.preview.page_memo if self.preview is not None else None
        pages = site_pages(lib, self.run.public, site_url, memo) | search_pages()
        self.slots = {src_uri: page.slots for src_uri, page in pages.items()}
        self.generated = set(pages)
        docs_dir = Path(config["docs_dir"]).resolve()
        refused = False
        for file in list(files):  # docs/: real Markdown pages and images with safe names only
            if file.generated_by or not Path(file.abs_src_path).is_relative_to(docs_dir):
                continue  # (the theme's own files)
            path = Path(file.abs_src_path)
            if not docs_file_allowed(path, docs_dir, config) or publish_problem(file.src_uri, docs_dir):
                files.remove(file)
                refused = True
            elif self.preview is not None and file.src_uri.endswith(".md"):
                # (a docs page shows the library through its macros: rebuilt on every preview rebuild)
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=path.read_text(encoding="utf-8")))
        if refused:  # (a refused docs/assets/… file hid the theme's file of that name: it comes back)
            files.add_files_from_theme(config.theme.get_env(), config)
        nav, titled = nav_sources(config.get("nav")), nav_titled(config.get("nav"))
        # (without a nav in mkdocs.yml, MkDocs makes one from every page: every page is handed over)
        shortcut = self.preview is not None and config.get("nav") is not None
        if self.preview is not None:
            self.preview.setting(config)  # (a changed mkdocs.yml or theme override: every page again)
        roles, made = [], []
        for src_uri, page in pages.items():
            if self.preview is not None:  # (staged below, once the menu every page shows is known)
                file = File.generated(config, src_uri, abs_src_path=self.preview.staged(src_uri))
            else:
                file = File.generated(config, src_uri, content=page.markdown)
            files.append(file)
            made.append((file, page))
            if (entry := role_menu_entry(page.markdown)) is not None:
                roles.append((*entry, file.url))
        # (from the pages, not from page.meta in the template: a preview's dirty build reads no
        # meta of the pages it skips, and every page's menu would lose them)
        self.role_menu = [{"title": title, "url": url} for _, title, url in sorted(roles)]
        if self.preview is not None:
            self.preview.shown_everywhere(self.role_menu)  # (changed: every page is staged again)
            for file, page in made:
                # a preview rebuilds only pages whose text changed: MkDocs' own dirty build skips a
                # file older than its HTML, so each page is staged as a file written only on change
                # (a nav page is rebuilt every time when MkDocs takes a title or a nav entry's
                # icon from it: a page it skips has neither; titled in mkdocs.yml and without
                # front matter, it is rebuilt like any other page, when its text changed)
                in_nav = file.src_uri in nav
                self.preview.stage(file.src_uri, page.markdown, page.slots,
                                   always=in_nav and (not titled or page.markdown.startswith("---")))
                # a page whose HTML stands is excluded (never a nav page: its entry would become a
                # link): MkDocs still resolves links to it, never builds it
                if shortcut and not in_nav and self.preview.standing(file.src_uri):
                    file.inclusion = InclusionLevel.EXCLUDED
        media = (root / "cases" / "media").resolve()
        for src_uri in _images(view):
            image = root / "cases" / src_uri
            if image.is_symlink() or not image.resolve().is_relative_to(media):
                continue  # never publish a file from outside cases/media/
            files.append(File.generated(config, src_uri, abs_src_path=str(image)))
        found = admin_files(None, config.get("repo_url"), branch_of(config))
        if "admin/config.yml" not in found:
            missing_form_warning()
        for src_uri, source in found.items():  # (its text, or a file's path)
            kind = {"content": source} if isinstance(source, str) else {"abs_src_path": str(source)}
            files.append(File.generated(config, src_uri, **kind))
        if usable(config, self):  # (after every plugin's on_config: the config is final)
            self.render_cache = RenderCache.open(root, self.run.public)
            if self.render_cache is not None:  # (without one, render_setting stays "")
                # (a preview: the same config every rebuild, until a file of it changes)
                self.render_setting = (self.preview.config_digest(config, config_digest, installed)
                                       if self.preview is not None else config_digest(config))
        return files

    def on_nav(self, nav, config, files):
        self.nav_pages = {p.file.src_uri for p in nav.pages}
        return nav

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        src = page.file.src_uri
        if src in self.generated:  # casebook's own page: its text from cases/ is unmarked and escaped already
            if self.render_cache is None or stub(markdown) is None:  # (kept only when it opens with its title)
                return markdown
            key = page_key(self.render_setting, src, page.url, markdown, files)
            entry = self.render_cache.get(key)
            if entry is None:
                self.render_keys[src] = key
                return markdown
            self.render_hits[src] = entry
            # MkDocs renders nothing (an empty page is not parsed at all), the page keeps the title
            # the whole page had, and on_page_content puts the kept page back
            page.title = entry["title"]
            return ""
        # a docs/ page: its front matter as plain text, known keys only (Material prints some
        # of it raw); its body evaluated by nothing but casebook's sandboxed macros
        asked = page.meta.get("macros") is True
        page.meta = clean_docs_meta(page.meta)
        markdown = defuse(neutralise_templates(markdown))  # (crowded with [ or `: as text, core/markdown)
        if asked:
            try:
                markdown, self.slots[page.file.src_uri] = render_macros(markdown, self.view, page.url,
                                                                        f"docs/{page.file.src_uri}")
            except MacroError as exc:
                raise PluginError(str(exc)) from None
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        src = page.file.src_uri
        kept = self.render_hits.pop(src, None)
        if kept is not None:
            html = kept["html"]
            page.toc = get_toc(kept["toc"])
            page.present_anchor_ids = set(kept["anchors"])
            if page.links_to_anchors is not None:
                page.links_to_anchors = {f: links for uri, links in kept["links_to_anchors"].items()
                                         if (f := files.get_file_from_path(uri)) is not None}
        else:
            html = sanitize(html)  # the Markdown from cases/ and docs/, rendered
            key = self.render_keys.pop(src, None)
            if key is not None and page.title == (stub(page.markdown) or "")[2:].strip():
                self.render_cache.put(key, {
                    "html": html, "toc": toc_tokens(page.toc), "title": page.title,
                    "anchors": sorted(page.present_anchor_ids or ()),
                    "links_to_anchors": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()}})
        # the title as text: Material prints `page.title | striptags`, which unescapes entities
        if (safe := plain_title(page.title or "")) != (page.title or ""):  # (else untouched: the same bytes)
            page.meta["title"] = safe
        slots = self.slots.get(src)
        if slots:
            html = fill(html, slots)  # casebook's own markup, every value escaped
        return html + contribute_for(self.view, config, src, page.url)

    def on_env(self, env, config, files):
        """Template parts rendered once and reused where their HTML cannot differ (template_memo.py):
        the script configuration, style and script tags and the header's fixed parts once per
        depth; the primary navigation once per parent folder for pages outside the nav."""
        shared = SharedParts(linked_paths(config), self.nav_pages)
        env.globals.update(casebook_once=shared.once, casebook_nav_key=shared.nav_key, casebook_navs=shared.navs,
                           casebook_remember_nav=shared.remember_nav, casebook_role_menu=self.role_menu)
        # compiled templates from the last build or rebuild (template_code.py): only a changed one compiles
        templates = self.preview.templates if self.preview is not None else TemplateCode()
        templates.use_folder(env)
        env.bytecode_cache = templates
        return env

    # --- as MkDocs writes the pages ----------------------------------------------------------
    def _names(self, config) -> PageNames | None:
        if self.preview is None and self.page_names is None:  # (the assets are in the site by now)
            # (the search job tells its bundle's name once the records are made: long before this,
            # in practice; a job that failed gives none, and the build stops at its end)
            told = self.index_job.name() if self.index_job is not None else None
            self.page_names = PageNames(Path(config["site_dir"]), config["extra_css"], config["extra_javascript"],
                                        bundle_path(told) if told else None)
        return self.page_names

    def on_post_page(self, output: str, page, config) -> str:
        names = self._names(config)
        return names.page(output, page.file.abs_dest_path) if names is not None else output

    def on_post_template(self, output: str, template_name: str, config) -> str:
        names = self._names(config) if template_name.endswith(".html") else None
        if names is None or template_name not in config["theme"].static_templates:
            return output  # (an extra template's file: renamed after the build, with any other)
        return names.page(output, str(Path(config["site_dir"]) / template_name))

    # --- the end of a build ----------------------------------------------------------------
    def on_post_build(self, config) -> None:
        self._close_render_cache()
        view, job = self.view, self.index_job
        self.index_job = None
        site_dir = Path(config["site_dir"])

        def finish() -> None:
            # a build's pages are final as MkDocs wrote them: compressed while the index is being made
            building = self.preview is None  # (a preview: neither hashed names, nor worker, nor copies)
            copies = Compressor() if building else None
            try:
                if copies is not None and self.page_names is not None:
                    copies.add(self.page_names.written)
                count = job.finish(site_dir)
                item_pages = sum(1 for item_id in view.items if (site_dir / item_id / "index.html").is_file())
                # (a public build says nothing about the internal items it left out)
                manifest = {"items": len(view.items), "item_pages": item_pages, "records": count,
                            "search_shards": job.shards, "public": view.public}
                (site_dir / "casebook-build.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
                if building:  # casebook's assets and the search bundle under hashed names
                    hashed_names(site_dir, config["extra_css"], config["extra_javascript"], self.page_names,
                                 job.bundle_name)
                # the phone's offline copies, then what a web server needs
                offline_files(site_dir, view, config["site_name"], config["extra"], worker=building)
                if building:
                    manifest["pages"] = deploy_files(site_dir, view, config.get("site_url") or None, copies)["pages"]
            finally:
                if copies is not None:
                    copies.close()
            # (how much came from the cache is the build's business, not the site's: a warm and a
            # cold build publish the same files)
            self.run.report = {**manifest, "search_shards_reused": job.reused}

        if self.preview is not None:  # show the edited page now; the search index follows a moment later
            self.preview.end(written=True)
            self.preview.forget_missing(self.generated, lambda src: File(
                src, src_dir=None, dest_dir=str(site_dir), use_directory_urls=config["use_directory_urls"]).abs_dest_path)
            threading.Thread(target=self.preview.after_build, args=(finish,), daemon=True).start()
        else:
            finish()

    def _close_render_cache(self) -> None:
        if self.render_cache is not None:
            # (a preview's rebuild renders a few pages: it keeps what the others will need again)
            self.render_cache.close(prune=self.preview is None)
            self.render_cache = None

    def on_build_error(self, error, **kwargs) -> None:
        self._close_render_cache()
        if self.index_job is not None:
            self.index_job.cancel()
            self.index_job = None
        if self.preview is not None:
            self.preview.end(written=False)
            # a rebuild (MkDocs' loop prints a traceback for anything but its Abort): one line
            if self.preview.served and (said := template_problem(error, *self.preview.served, PREVIEW_KEPT)):
                raise Abort(f"casebook: {said}") from None

    def on_serve(self, server, config, builder):
        """MkDocs watches docs/ and mkdocs.yml; the preview adds the items, the outlets (the courses' draws)
        and the library's theme folder (MkDocs watches a theme only with --watch-theme)."""
        root = self.root(config)
        if self.preview is not None:  # (MkDocs' rebuilds follow: on_build_error says a template's slip)
            self.preview.served = (root, config.theme.custom_dir)
        for folder in ("cases", "outlets"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        custom = config.theme.custom_dir
        if custom and Path(custom).is_dir():
            server.watch(str(custom))
        return server


def _images(view: View) -> list[str]:
    """media/… files shown by visible stories (only consented ones in a public build)."""
    out = []
    for item in view.items.values():
        for image in getattr(item.meta, "images", []) or []:
            if view.public and not image.consent:
                continue
            out.append(image.src.removeprefix("cases/"))
    return sorted(set(out))
