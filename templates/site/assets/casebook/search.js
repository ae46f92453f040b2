// casebook search box: Pagefind, with Chinese recall.
// Pagefind's index segments Chinese with a dictionary while the query is segmented otherwise,
// so words inside sentences are missed. Each record also holds every pair of neighbouring
// Chinese characters as an ASCII token (see scripts/casebook/site/search.py); a query is turned
// into the same tokens, Pagefind returns the items holding all of them, and items whose text
// holds the whole query are ranked first.
const box = document.querySelector(".cb-search");
if (box) {
  const root = new URL(box.dataset.root || "./", location.href);
  const input = box.querySelector(".cb-search__input");
  const panel = box.querySelector(".cb-search__panel");
  const list = box.querySelector(".cb-search__results");
  const status = box.querySelector(".cb-search__status");
  const filterBox = box.querySelector(".cb-search__filters");
  const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  const PAGE = 10, VERIFY = 10;  // only the shown results are read (each read is one fragment fetch)
  let pagefind = null, timer = null, current = null, chosen = {};

  const tok = (s) => "z" + [...s].map((c) => c.codePointAt(0).toString(36).padStart(4, "0")).join("");
  function toQuery(q) {
    const parts = [];
    let last = 0;
    for (const m of q.matchAll(CJK)) {
      const before = q.slice(last, m.index).trim();
      if (before) parts.push(before);
      const run = m[0];
      if (run.length === 1) parts.push(tok(run));
      for (let i = 0; i + 1 < run.length; i++) parts.push(tok(run.slice(i, i + 2)));
      last = m.index + run.length;
    }
    const rest = q.slice(last).trim();
    if (rest) parts.push(rest);
    return parts.join(" ");
  }
  // does the item's own text hold the whole query (spaces ignored)?
  const has = (data, q) => (data.meta.text || "").replace(/\s+/g, "").includes(q.replace(/\s+/g, ""));
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  async function load() {
    if (!pagefind) {
      pagefind = await import(new URL("pagefind/pagefind.js", root).href);
      await pagefind.init();
    }
    return pagefind;
  }

  // Filters are fetched when asked for (a button beside the results): their data is as large
  // as the rest of a first query, and most searches never use them.
  async function showFilters() {
    const pf = await load();
    const filters = await pf.filters();
    filterBox.innerHTML = Object.entries(filters).map(([name, values]) =>
      `<label>${esc(name)}<select data-filter="${esc(name)}"><option value="">全部</option>` +
      Object.entries(values).sort((a, b) => b[1] - a[1]).map(([v, n]) =>
        `<option value="${esc(v)}">${esc(v)}（${n}）</option>`).join("") + `</select></label>`).join("");
    filterBox.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => {
      if (s.value) chosen[s.dataset.filter] = s.value; else delete chosen[s.dataset.filter];
      run(input.value);
    }));
  }
  filterBox.innerHTML = '<button type="button" class="cb-filter-open">按类型、客户群体、岗位、业务筛选</button>';
  filterBox.querySelector(".cb-filter-open").addEventListener("click", showFilters);

  function snippet(text, q) {
    text = text.replace(/\s+/g, " ");
    const at = text.indexOf(q);
    if (at < 0) return "";
    const start = Math.max(0, at - 30), end = Math.min(text.length, at + q.length + 50);
    return (start > 0 ? "…" : "") + esc(text.slice(start, at)) + "<mark>" + esc(q) + "</mark>" +
      esc(text.slice(at + q.length, end)) + (end < text.length ? "…" : "");
  }

  function render(entries, q, more) {
    const html = entries.map(({ data, exact }) => `<li class="cb-result${exact ? "" : " cb-result--loose"}">` +
      `<a href="${esc(new URL(data.url, root).href)}"><span class="cb-kind">${esc(data.meta.type)}</span>` +
      `<strong>${esc(data.meta.title)}</strong></a><p>${esc(data.meta.summary)}</p>` +
      (exact ? `<p class="cb-snippet">${snippet(data.meta.text || "", q)}</p>` : "") + `</li>`).join("");
    if (more) list.insertAdjacentHTML("beforeend", html); else list.innerHTML = html;
  }

  async function run(raw) {
    const q = raw.trim();
    const token = Symbol();
    current = token;
    if (!q) { panel.hidden = true; return; }
    panel.hidden = false;
    status.textContent = "正在搜索…";
    const pf = await load();
    const found = await pf.search(toQuery(q), { filters: chosen });
    if (current !== token) return;  // a newer query was typed meanwhile
    const results = found.results;
    // the first VERIFY results are read and re-ranked: whole-phrase matches first
    const head = await Promise.all(results.slice(0, VERIFY).map(async (r) => {
      const data = await r.data();
      return { data, exact: has(data, q) };
    }));
    if (current !== token) return;
    head.sort((a, b) => (b.exact - a.exact));
    const exactCount = head.filter((h) => h.exact).length;
    status.textContent = results.length ? `找到 ${results.length} 条` + (exactCount < head.length ? `（其中 ${head.length - exactCount} 条只含部分字词，排在后面）` : "") : "没有找到，换个说法试试，例如“老人”“排队”“系统故障”";
    render(head.slice(0, PAGE), q, false);
    panel.dataset.query = q;  // what the panel now shows (tests wait for it)
    let shown = PAGE;
    list.querySelector(".cb-more")?.remove();
    const addMore = () => {
      if (shown >= results.length) return;
      const btn = document.createElement("button");
      btn.type = "button"; btn.className = "cb-more"; btn.textContent = "显示更多结果";
      btn.addEventListener("click", async () => {
        btn.remove();
        const next = shown < head.length ? head.slice(shown, shown + PAGE) :
          await Promise.all(results.slice(shown, shown + PAGE).map(async (r) => ({ data: await r.data(), exact: false })));
        render(next, q, true);
        shown += PAGE;
        addMore();
      });
      list.after(btn);
    };
    panel.querySelector(".cb-more")?.remove();
    addMore();
  }

  // every result of a query, whole-phrase matches first (for tests and for scripts)
  window.casebookSearch = async (raw) => {
    const q = raw.trim(), pf = await load();
    const found = await pf.search(toQuery(q));
    const all = await Promise.all(found.results.map(async (r) => {
      const data = await r.data();
      return { url: data.url, title: data.meta.title, exact: has(data, q) };
    }));
    return all.sort((a, b) => b.exact - a.exact);
  };

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 200); });
  input.addEventListener("focus", () => { load(); if (input.value.trim()) panel.hidden = false; });
  input.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { panel.hidden = true; input.blur(); } });
  document.addEventListener("click", (ev) => { if (!box.contains(ev.target)) panel.hidden = true; });
  const params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); run(input.value); }
}
