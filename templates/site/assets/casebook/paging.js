// casebook: filter and sort of an index page that is cut into numbered pages.
// The page shows only its own entries; the filter means every entry of the type, so on the first
// change it fetches <type>/list.json (written beside the index: per entry [link, title, summary, last
// revision, per facet the indexes of its values]; the values once, in "facets") and lists the matches, a page at a time with 「再显示」. Everything is shown as text.
// Without JavaScript the numbered pages and their pager reach every entry.
(() => {
  const form = document.querySelector(".cb-facets[data-entries]");
  if (!form) return;
  const list = document.querySelector(".cb-list");
  const count = document.querySelector("[data-count]");
  const pageOf = document.querySelector("[data-page-of]");
  const pagers = [...document.querySelectorAll(".cb-pager")];
  const own = [...list.children];
  const total = count.textContent;
  const size = Number(form.dataset.pageSize) || 100;
  const source = new URL(form.dataset.entries, location.href);
  const facets = [...form.querySelectorAll("select[data-facet]")];
  const sortBy = form.querySelector("select[data-sort]");

  const more = document.createElement("button");
  more.type = "button"; more.className = "cb-more"; more.hidden = true;
  const note = document.createElement("p");
  note.className = "cb-paging-note"; note.setAttribute("role", "status"); note.hidden = true;
  list.after(more, note);

  let loading = null, matched = [], shown = 0, turn = 0;
  const load = () => loading || (loading = fetch(source, { credentials: "same-origin" })
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .catch((err) => { loading = null; throw err; }));

  const span = (cls, text) => {
    const el = document.createElement("span"); el.className = cls; el.textContent = text; return el;
  };
  const entry = ([u, title, summary, day]) => {  // the same markup as pagekit.list_entry
    const li = document.createElement("li");
    li.className = "cb-entry"; li.dataset.updated = day; li.dataset.title = title;
    const a = document.createElement("a");
    const href = new URL(u, source);
    a.className = "cb-entry__link";
    if (href.origin === source.origin) a.href = href.href;  // an entry links into this site only
    const time = document.createElement("time");
    time.dateTime = day; time.textContent = day;
    a.append(span("cb-entry__title", title), span("cb-entry__summary", summary), time);
    li.append(a);
    return li;
  };
  const showMore = () => {
    const next = matched.slice(shown, shown + size);
    list.append(...next.map(entry));
    shown += next.length;
    const left = matched.length - shown;
    more.hidden = left <= 0;
    more.textContent = `再显示 ${Math.min(size, left)} 条（已显示 ${shown} / ${matched.length}）`;
  };
  const own_page = () => {
    list.replaceChildren(...own);
    pagers.forEach((p) => { p.hidden = false; });
    if (pageOf) pageOf.hidden = false;
    count.textContent = total; more.hidden = true; note.hidden = true;
    window.casebookNoneLeft?.(form, list, 1);
  };

  const apply = async () => {
    const mine = ++turn;
    const wanted = facets.filter((s) => s.value).map((s) => [s.dataset.facet, s.value]);
    const sort = sortBy ? sortBy.value : "updated-desc";
    if (!wanted.length && sort === "updated-desc") return own_page();
    form.setAttribute("aria-busy", "true");
    note.hidden = false; note.textContent = "正在载入全部条目…";
    let data;
    try {
      data = await load();
    } catch {
      if (mine === turn) note.textContent = "载入全部条目失败，请检查网络后重试（仍可用下方页码逐页浏览）。";
      form.removeAttribute("aria-busy");
      return;
    }
    if (mine !== turn) return;  // a later change is already on its way
    form.removeAttribute("aria-busy");
    note.hidden = true;
    const tests = wanted.map(([facet, value]) => {
      const at = data.facets.findIndex(([name]) => name === facet);
      return [at, at < 0 ? -1 : data.facets[at][1].indexOf(value)];
    });
    matched = data.entries.filter((x) => tests.every(([at, n]) => n >= 0 && x[4][at].includes(n)));
    if (sort === "title") matched.sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
    else if (sort === "updated-asc") matched.sort((a, b) => a[3].localeCompare(b[3]));  // stable: ties keep their order
    pagers.forEach((p) => { p.hidden = true; });
    if (pageOf) pageOf.hidden = true;
    count.textContent = matched.length;
    window.casebookNoneLeft?.(form, list, matched.length);
    list.replaceChildren();
    shown = 0;
    showMore();
  };
  more.addEventListener("click", showMore);
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply, 0));
  // Back to this page: the selects come back with their choices, the list must follow them (ui.js)
  const restored = () => {
    if (![...form.querySelectorAll("select")].some((s) => s.selectedIndex > 0)) return;
    apply();
    const box = form.closest("details");
    if (box) box.open = true;
  };
  restored();
  window.addEventListener("pageshow", restored);
})();
