// casebook page behaviour: copy buttons on 话术 cards, and facet filters on index pages.
function copyText(text) {
  // navigator.clipboard needs a secure context; an intranet site on plain http has none.
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
  document.body.appendChild(area); area.select();
  try { document.execCommand("copy"); } finally { area.remove(); }
  return Promise.resolve();
}

// Panels that cover the page on a phone or any touch screen (the menu here, the search in
// search.js): Android's Back (button or gesture) closes them as it closes any full-screen panel,
// instead of leaving the page. Opening one adds a history entry of the page's own (state[key]);
// Back takes it and the panel closes; closing it any other way takes the entry back out, once,
// keeping the scroll (a traversal puts back the one of the moment the panel opened, after
// popstate); a link tapped meanwhile is followed after that, so Back from where it leads returns
// to the page, not to the open panel. One panel's entry at a time: one opened while another's
// entry is going out gets its own once it is out.
window.casebookBack = (() => {
  const covering = matchMedia("(max-width: 44.9375em), (pointer: coarse)");  // (search.css)
  const panels = [];
  let dropping = null;  // while an entry is being taken out: what to do once it is
  const ours = (key) => Boolean(history.state && history.state[key]);
  const mark = (key) => {
    if (covering.matches && !ours(key) && dropping === null) history.pushState({ [key]: true }, "");
  };
  const drop = (key, then = () => {}) => {
    if (dropping !== null) return;  // (a label's click comes twice: still one entry, one Back)
    if (!ours(key)) { then(); return; }
    const [x, y] = [scrollX, scrollY];
    dropping = () => setTimeout(() => { scrollTo(x, y); then(); }, 0);
    history.back();
  };
  addEventListener("popstate", () => {
    if (dropping !== null) {
      const then = dropping;
      dropping = null;
      then();
      panels.filter((p) => p.isOpen()).forEach((p) => mark(p.key));  // (opened meanwhile)
      return;
    }
    panels.filter((p) => !ours(p.key) && p.isOpen()).forEach((p) => p.shut());
  });
  // a link followed: on this page (an anchor, or the page itself) in place, else as a link is
  const follow = (link) => {
    const to = new URL(link.href, location.href);
    if (to.origin + to.pathname + to.search !== location.origin + location.pathname + location.search) location.assign(to.href);
    else if (to.hash) location.hash = to.hash;
    else scrollTo(0, 0);
  };
  const plainClick = (ev, link) => Boolean(link) && !ev.defaultPrevented && ev.button === 0 && !ev.metaKey &&
    !ev.ctrlKey && !ev.shiftKey && !ev.altKey && (!link.target || link.target === "_self");
  const panel = (key, isOpen, shut) => panels.push({ key, isOpen, shut });
  return { ours, mark, drop, follow, plainClick, panel };
})();

// the menu (Material's drawer, a checkbox): Back closes it on a phone; a link in it is followed
// once its entry is out
(() => {
  const drawer = document.getElementById("__drawer");
  if (!drawer) return;
  const KEY = "casebookMenuOpen", back = window.casebookBack;
  back.panel(KEY, () => drawer.checked, () => { drawer.checked = false; drawer.dispatchEvent(new Event("change")); });
  drawer.addEventListener("change", () => { if (drawer.checked) back.mark(KEY); else back.drop(KEY); });
  // ☰ from the keyboard: Material's is a <label>, which Tab never reaches: here it becomes a
  // button (Material's header template stays as it is); Enter or Space opens the menu at its
  // first link, Esc shuts it and returns to ☰
  const button = document.querySelector('label.md-header__button[for="__drawer"]');
  if (button) {
    button.classList.add("cb-menu-button");
    Object.entries({ role: "button", tabindex: "0", "aria-label": "菜单", "aria-expanded": String(drawer.checked) })
      .forEach(([name, value]) => button.setAttribute(name, value));
  }
  const menu = document.querySelector(".md-sidebar--primary");
  const shut = () => { drawer.checked = false; drawer.dispatchEvent(new Event("change")); };
  drawer.addEventListener("change", () => button?.setAttribute("aria-expanded", String(drawer.checked)));
  button?.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    ev.preventDefault();
    ev.stopPropagation();  // (Material clicks a focused label on Enter itself: the menu would open and shut)
    drawer.checked = !drawer.checked;
    drawer.dispatchEvent(new Event("change"));
    if (drawer.checked) setTimeout(() => menu?.querySelector(".md-nav__link")?.focus(), 0);
  });
  // the open menu covers the page on a narrow screen: Esc shuts it, and so does the keyboard's
  // focus moving out of it (Tab past its last link), as it does for a dialog
  const narrow = matchMedia("(max-width: 76.234375em)");
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && drawer.checked && narrow.matches) { shut(); button?.focus(); }
  });
  document.addEventListener("focusin", (ev) => {
    if (drawer.checked && narrow.matches && menu && !menu.contains(ev.target) && ev.target !== button) shut();
  });
  document.querySelector(".md-sidebar--primary")?.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[href]");
    if (drawer.checked && back.ours(KEY) && back.plainClick(ev, link)) {
      ev.preventDefault();
      drawer.checked = false;
      back.drop(KEY, () => back.follow(link));
    }
  });
})();

// "已复制" is also said to a screen reader (a status line of its own: the button's changed text
// is not announced), again on every copy
let said = null;
document.querySelectorAll(".cb-copy").forEach((button) => {
  button.addEventListener("click", async () => {
    await copyText(button.dataset.copy);
    const label = button.textContent;
    button.textContent = "已复制"; button.classList.add("cb-copied");
    setTimeout(() => { button.textContent = label; button.classList.remove("cb-copied"); }, 1500);
    if (!said) {
      said = document.createElement("p");
      said.className = "cb-said"; said.setAttribute("role", "status");
      document.body.append(said);
    }
    said.textContent = "";
    setTimeout(() => { said.textContent = "已复制到剪贴板"; }, 50);
  });
});

// filters start open where there is room, folded on a phone
const filterBox = document.querySelector(".cb-filter-box");
if (filterBox && window.matchMedia("(min-width: 60em)").matches) filterBox.open = true;

// Filters that leave nothing: say so where the eye is (right under the filters and their 清除筛选
// button, scrolled into sight: 共 0 条 sits above them, off screen on a phone). (paging.js too.)
function noneLeft(form, list, shown) {
  let note = document.querySelector(".cb-none");
  const appears = !shown && (!note || note.hidden);
  if (!note && !shown) {
    note = document.createElement("p");
    note.className = "cb-none";
    note.setAttribute("role", "status");
    note.textContent = "没有同时符合这些条件的条目：少选一项，或点上面的“清除筛选”。";
    form.after(note);
  }
  if (note) note.hidden = shown > 0;
  if (appears) note.scrollIntoView({ block: "nearest" });
}
window.casebookNoneLeft = noneLeft;

const form = document.querySelector(".cb-facets:not([data-entries])");  // a cut index: paging.js
if (form) {
  const list = document.querySelector(".cb-list");
  const count = document.querySelector("[data-count]");
  const entries = [...list.querySelectorAll(".cb-entry")];
  const apply = () => {
    const wanted = [...form.querySelectorAll("select[data-facet]")].filter((s) => s.value)
      .map((s) => [s.dataset.facet, s.value]);
    let shown = 0;
    for (const li of entries) {
      const ok = wanted.every(([facet, value]) => (li.dataset[facet.replace(/-(.)/g, (_, c) => c.toUpperCase())] || "").split("|").includes(value));
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown;
    noneLeft(form, list, shown);
    const sort = form.querySelector("select[data-sort]").value;
    const sorted = [...entries].sort((a, b) => sort === "title" ? a.dataset.title.localeCompare(b.dataset.title, "zh-CN") :
      sort === "updated-asc" ? a.dataset.updated.localeCompare(b.dataset.updated) : b.dataset.updated.localeCompare(a.dataset.updated));
    sorted.forEach((li) => list.appendChild(li));
  };
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply, 0));
  // Back to this page: the browser puts the choices back in the selects but not the list they
  // chose (it showed every entry under "老年客户、重大"). Show what the selects say, filters open.
  const restored = () => {
    if (![...form.querySelectorAll("select")].some((s) => s.selectedIndex > 0)) return;
    apply();
    if (filterBox) filterBox.open = true;
  };
  restored();
  window.addEventListener("pageshow", restored);
}

// 添加到主屏幕 on iPhone and iPad: Safari never offers to install a site (no beforeinstallprompt;
// offline.js shows its button where the browser does), so the home page says once, briefly, where
// Safari keeps it. Not in other iOS browsers, not when already opened from the home screen.
(() => {
  const KEY = "casebook.install-hint.v1";
  const logo = document.querySelector("a.md-logo[data-md-component=logo]");
  if (!logo) return;
  const home = new URL(logo.getAttribute("href") || "./", location.href);
  if (location.pathname.replace(/index\.html$/, "") !== home.pathname.replace(/index\.html$/, "")) return;
  const ua = navigator.userAgent;
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);  // (iPadOS says Mac)
  const safari = /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|MicroMessenger|QQ\//.test(ua);
  const installed = navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
  if (!ios || !safari || installed) return;
  try {
    if (localStorage.getItem(KEY)) return;
    localStorage.setItem(KEY, "shown");
  } catch (err) {
    return;  // nowhere to remember it: better no hint than one on every visit
  }
  const hint = document.createElement("div");
  hint.className = "cb-install-hint";
  hint.setAttribute("role", "note");
  const text = document.createElement("p");
  text.textContent = "添加到主屏幕，断网也能看应急预案：在 Safari 点「分享」→「添加到主屏幕」。";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "知道了";
  close.setAttribute("aria-label", "知道了，关闭这条提示");
  close.addEventListener("click", () => hint.remove());
  hint.append(text, close);
  (document.querySelector(".md-content__inner") || document.body).prepend(hint);
})();
