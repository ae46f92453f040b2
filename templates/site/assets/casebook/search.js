// casebook search box (header) and results page (/search/?q=…). What a query means is in
// query.js, which pages hold it in search-engine.js, their order in rank.js; this file is the UI:
// results (type, title on up to two lines, one line of snippet, and — when no page holds every
// word — which words each one holds), 显示更多 in place, a close button, arrow keys, Enter → the
// results page. The box and the page show the same ranking (every candidate is ranked).
import { Engine, holdsAll } from "./search-engine.js";

const box = document.querySelector(".cb-search");
const pageForm = document.querySelector(".cb-search-page");
if (box) {
  const root = new URL(box.dataset.root || "./", location.href);
  // an address with "//" (a link joined by hand: …/kb/ + /complaints/) opens the page, but
  // Pagefind takes its folder from its script's path, and "//pagefind/…" names a host "pagefind"
  root.pathname = root.pathname.replace(/\/{2,}/g, "/");
  const input = box.querySelector(".cb-search__input");
  const panel = box.querySelector(".cb-search__panel");
  const filterBox = box.querySelector(".cb-search__filters");
  const PAGE = 10;  // results shown per step (each is one record fetched; all are ranked first)
  let engine = null, timer = null, chosen = {}, attempts = 0;
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  async function load() {
    if (!engine) {
      // a load that failed (no network) is tried afresh: a new Pagefind module (?retry=n), as the
      // old one keeps its failed fetches
      const retry = attempts++ ? `?retry=${attempts}` : "";
      engine = (async () => {
        const ranking = { pageLength: 0.1 };  // long guides are not worth less
        const pf = await import(new URL("pagefind/pagefind.js" + retry, root).href);
        // no web worker: its script is 40 KB more on the first query, and the box makes many small
        // searches (a token each), which cost more as messages to a worker than on this thread
        await pf.options({ ranking, noWorker: true });
        await pf.init();
        let terms = {};
        try {
          const res = await fetch(new URL("pagefind/casebook-terms.json", root));
          if (res.ok) terms = await res.json();
        } catch (e) { /* no word groups: literal search still works */ }
        const shards = terms.shards || [];
        // a large library is indexed in shards (site/search.py): one search over all of them
        // (baseUrl: result URLs as the first bundle gives them, not absolute)
        await Promise.all(shards.map((dir) => pf.mergeIndex(new URL(`pagefind/${dir}`, root).href, { ranking, baseUrl: "/" })));
        // the sounds of characters, for typo correction: fetched only when a query may hold a typo
        const readings = async () => {
          const res = await fetch(new URL("pagefind/casebook-readings.json", root));
          return res.ok ? res.json() : null;
        };
        return new Engine(pf, terms, readings);
      })();
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  function snippet(data, where) {
    const m = data.meta;
    if (!where || where.place === "title") return esc(m.summary);
    const text = (where.place === "heads" ? m.heads : where.place === "questions" ? m.questions
      : where.place === "summary" ? m.summary : m.text || "").replace(/\s+/g, " ");
    const at = text.toLowerCase().indexOf(where.word.toLowerCase());
    if (at < 0) return esc(m.summary);
    const start = Math.max(0, at - 6);  // (one line on a phone: the word must come before its cut)
    return (where.place === "questions" ? "常见问法：" : "") + (start > 0 ? "…" : "") + esc(text.slice(start, at)) +
      "<mark>" + esc(text.slice(at, at + where.word.length)) + "</mark>" +
      esc(text.slice(at + where.word.length, at + where.word.length + 80));
  }

  // a result: type, title (wraps to two lines on a phone), snippet; when no page holds every
  // word of the query, the words this one holds
  const entry = (r, loose) => `<li class="cb-result${loose && !r.all ? " cb-result--loose" : ""}">` +
    `<a href="${esc(new URL(r.data.url, root).href)}"><strong>${esc(r.data.meta.title)}</strong>` +
    `<span class="cb-snippet"><span class="cb-kind">${esc(r.data.meta.type)}</span>${snippet(r.data, r.where)}</span>` +
    (loose && !r.all ? `<span class="cb-matched">含：${r.matched.map(esc).join("、")}</span>` : "") + `</a></li>`;

  // Offline, a result whose page this phone has not saved cannot be opened (the worker keeps the
  // plans, role pages and pages read before): the result says so, rather than lead to a dead end
  async function markUnsaved(list) {
    if (navigator.onLine || !window.caches) return;
    for (const a of list.querySelectorAll(".cb-result > a:not([data-saved])")) {
      const url = new URL(a.href);
      const saved = Boolean(await caches.match(url.origin + url.pathname));
      a.dataset.saved = saved ? "yes" : "no";
      if (!saved) a.insertAdjacentHTML("beforeend", '<span class="cb-unsaved">本机没有保存，联网后才能打开</span>');
    }
  }

  // what the box understood: the words searched, and what it left out or corrected
  function understood(found) {
    const words = found.units.map((u) => u.text);
    let s = words.length ? `按“${words.join(" ")}”搜索` : "";
    if (found.fixes.length) s += `（已把${found.fixes.map((f) => `“${f.from}”当作“${[f.to, ...f.alts].join("”或“")}”`).join("、")}）`;
    if (found.howto) s += "，处置办法排在前面";
    return s;
  }

  // One search shown in one place (the header panel or the results page).
  function view(container) {
    const list = container.querySelector(".cb-search__results");
    const status = container.querySelector(".cb-search__status");
    let current = null, failed = null, shown = 0;
    // upTo: as many results as were shown before (Back from a result after 显示更多)
    async function run(raw, upTo = PAGE) {
      const q = raw.trim();
      const token = Symbol();
      current = token;
      failed = null;
      container.querySelector(".cb-more")?.remove();
      container.querySelector(".cb-retry")?.remove();
      if (!q) { list.innerHTML = ""; status.textContent = ""; container.dataset.query = ""; return; }
      status.textContent = "正在搜索…";
      let eng, found, first;
      try {
        eng = await load();
        found = await eng.search(q, chosen);
        if (current !== token) return;
        first = await eng.read(found, 0, Math.max(PAGE, upTo));
      } catch (error) {  // never an endless 正在搜索…: say so, offer a retry, retry when the network is back
        if (current !== token) return;
        engine = null;
        failed = raw;
        list.innerHTML = "";
        status.textContent = navigator.onLine ? "搜索没有完成：网络不稳定，请重试。" : "网络未连接，搜索没有完成。联网后会自动重试。";
        const btn = document.createElement("button");
        btn.type = "button"; btn.className = "cb-retry";
        btn.textContent = "重试";
        btn.addEventListener("click", (ev) => { ev.stopPropagation(); run(raw); });
        status.after(btn);
        container.dataset.failed = q;
        return;
      }
      if (current !== token) return;
      const total = found.ranked.length;
      const all = found.ranked.filter((r) => r.complete).length;
      const words = understood(found);
      // a phone without a network searches the copy the offline worker saved (offline.js)
      status.textContent = (navigator.onLine ? "" : "离线搜索（本机保存的副本）：") + (!total ? "没有找到，换个说法试试，例如“老人”“排队”“系统故障”"
        : !found.exact ? `没有完全匹配${words ? "：" + words : ""}。以下是相近的内容，每条写明含哪些词`
        // (a sentence's words are each in many pages: the count that helps is of those with all of them)
        : (all < total ? `${all} 条含全部字词，另有 ${total - all} 条只含部分（每条写明含哪些）` : `找到 ${total} 条`) + (words ? "；" + words : ""));
      const loose = !found.exact || all < total;
      list.innerHTML = first.map((r) => entry(r, loose)).join("");
      await markUnsaved(list);
      if (current !== token) return;
      container.dataset.query = q;  // what is shown now (tests and the benchmark wait for it)
      delete container.dataset.failed;
      shown = first.length;
      const addMore = () => {
        if (shown >= total) return;
        const btn = document.createElement("button");
        btn.type = "button"; btn.className = "cb-more";
        btn.textContent = `显示更多（还有 ${total - shown} 条）`;
        btn.addEventListener("click", async (ev) => {
          ev.stopPropagation();  // the panel stays open
          btn.disabled = true;
          const next = await eng.read(found, shown, shown + PAGE);
          if (current !== token) return;
          const at = list.children.length;
          list.insertAdjacentHTML("beforeend", next.map((r) => entry(r, loose)).join(""));
          await markUnsaved(list);
          shown += next.length;
          btn.remove();
          addMore();
          list.children[at]?.querySelector("a")?.focus();  // focus stays in the results
        });
        list.after(btn);
      };
      addMore();
    }
    addEventListener("online", () => { if (failed !== null) run(failed); });
    return { run, shown: () => shown };
  }

  const header = view(panel);
  // On a phone or any touch screen the open box covers the page: Back closes it, as it closes the
  // menu (ui.js, casebookBack: the entry, the scroll, a link tapped meanwhile). Its entry also
  // holds the query, so a reload or a Back from a result brings the query and results back.
  const back = window.casebookBack || { ours: () => false, mark() {}, drop: (key, then) => then && then(),  // (no ui.js)
    follow: (link) => location.assign(link.href), plainClick: () => false, panel() {} };
  const KEY = "casebookSearchOpen";
  const ours = () => back.ours(KEY);
  const { follow, plainClick } = back;
  const open = () => { box.classList.add("cb-search--open"); if (input.value.trim()) panel.hidden = false; back.mark(KEY); };
  const close = (then) => { box.classList.remove("cb-search--open"); panel.hidden = true; back.drop(KEY, then); };
  back.panel(KEY, () => box.classList.contains("cb-search--open"), () => { close(); input.blur(); });
  const searchUrl = (q) => new URL("search/?q=" + encodeURIComponent(q), root).href;

  // Filters are fetched when asked for (a button beside the results): their data is as large
  // as the rest of a first query, and most searches never use them.
  async function showFilters() {
    const filters = await (await load()).pf.filters();
    filterBox.innerHTML = Object.entries(filters).map(([name, values]) =>
      `<label>${esc(name)}<select data-filter="${esc(name)}"><option value="">全部</option>` +
      Object.entries(values).sort((a, b) => b[1] - a[1]).map(([v, n]) =>
        `<option value="${esc(v)}">${esc(v)}（${n}）</option>`).join("") + `</select></label>`).join("");
    filterBox.querySelectorAll("select").forEach((s) => { s.value = chosen[s.dataset.filter] || ""; });
    filterBox.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => {
      if (s.value) chosen[s.dataset.filter] = s.value; else delete chosen[s.dataset.filter];
      header.run(input.value);
    }));
  }
  filterBox.innerHTML = '<button type="button" class="cb-filter-open">按类型、客户群体、岗位、业务筛选</button>';
  filterBox.querySelector(".cb-filter-open").addEventListener("click", (ev) => { ev.stopPropagation(); showFilters(); });

  input.addEventListener("input", () => {
    clearTimeout(timer);
    open();
    panel.hidden = !input.value.trim();
    timer = setTimeout(() => {
      header.run(input.value);
      if (ours()) history.replaceState({ ...history.state, casebookQuery: input.value }, "");
    }, 120);
  });
  input.addEventListener("focus", () => { load(); open(); });
  box.querySelector(".cb-search__toggle")?.addEventListener("click", () => { open(); setTimeout(() => input.focus(), 0); });
  box.querySelector(".cb-search__close").addEventListener("click", (ev) => { ev.stopPropagation(); close(); input.blur(); });
  box.addEventListener("keydown", (ev) => {
    const links = [...panel.querySelectorAll(".cb-result a")];
    const i = links.indexOf(document.activeElement);
    // (Esc keeps the query, as × does: a search field's own Esc would clear it)
    if (ev.key === "Escape") { ev.preventDefault(); close(); input.focus(); input.blur(); }
    else if (ev.key === "Enter" && ev.target === input && input.value.trim()) {
      ev.preventDefault();
      // a page of its own: survives Back, can be shared (in place of the open box's entry, so one
      // Back returns to the page the search started on)
      const url = searchUrl(input.value.trim());
      if (ours()) location.replace(url); else location.assign(url);
    } else if (ev.key === "ArrowDown" && links.length && !panel.hidden) {
      ev.preventDefault();
      links[Math.min(i + 1, links.length - 1)].focus();
    } else if (ev.key === "ArrowUp" && i >= 0) {
      ev.preventDefault();
      if (i === 0) input.focus(); else links[i - 1].focus();
    }
  });
  // A tap beside the box closes it (the query stays in the field); a link tapped there is followed
  // once the box's entry is out.
  document.addEventListener("click", (ev) => {
    if (ev.composedPath().includes(box) || !box.classList.contains("cb-search--open")) return;
    const link = ev.target.closest?.("a[href]");
    if (ours() && plainClick(ev, link)) {
      ev.preventDefault();
      close(() => follow(link));
    } else close();
  });
  // A result opened from the box, then Back: the query and its results are there again, to try
  // the next one. The query is kept in this page's own history entry, so it is never another
  // page's and never outlives the tab.
  // With the query go how far down the list the reader had got (显示更多, the panel's scroll)
  // and the filters they chose: a phone's browser keeps the page itself on Back only sometimes.
  panel.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[href]");
    if (!link || !input.value.trim()) return;
    const to = new URL(link.href, location.href);
    if (ours() && plainClick(ev, link) && to.pathname === location.pathname && to.search === location.search) {
      ev.preventDefault();  // (this very page among the results: the box closes on it, no reload)
      input.blur();
      close(() => follow(link));
      return;
    }
    history.replaceState({ ...(history.state || {}), casebookQuery: input.value, casebookShown: header.shown(),
                           casebookFilters: { ...chosen }, casebookScroll: panel.scrollTop }, "");
  });
  const kept = history.state && history.state.casebookQuery;
  if (ours() && !kept) open();  // (reloaded with the box open and nothing typed: open, as it was)
  if (kept && !input.value.trim()) {
    const { casebookShown: upTo, casebookFilters: filters, casebookScroll: scroll } = history.state;
    input.value = kept;
    open();
    if (filters && typeof filters === "object") {
      for (const [name, value] of Object.entries(filters)) if (typeof value === "string") chosen[name] = value;
    }
    if (Object.keys(chosen).length) showFilters();
    header.run(kept, Number.isInteger(upTo) ? Math.min(upTo, 500) : PAGE).then(() => {
      if (Number.isFinite(scroll)) panel.scrollTop = scroll;
    });
  }

  // every result of a query in the order shown (for tests and scripts)
  window.casebookSearch = async (raw) => {
    const eng = await load();
    const found = await eng.search(raw.trim(), {});
    const all = await eng.read(found, 0, found.ranked.length);
    return all.map((r) => ({ url: r.data.url, title: r.data.meta.title, exact: holdsAll(raw, r.data.meta),
                             all: r.all, score: r.score, matched: r.matched }));
  };
  // how the box read a query (tests): the words, what was dropped, how-to, corrections
  window.casebookQuery = async (raw) => {
    const eng = await load();
    const found = await eng.search(raw.trim(), {});
    const top = await eng.read(found, 0, 5);
    return { units: found.units.map((u) => u.text), dropped: found.dropped, howto: found.howto, fixes: found.fixes,
             count: found.ranked.length, top: top.map((r) => ({ url: r.data.url, title: r.data.meta.title, score: r.score, type: r.type })) };
  };

  // the results page: /search/?q=… (a form; Back and shared links bring the query back)
  if (pageForm) {
    const q = new URLSearchParams(location.search).get("q") || "";
    const field = pageForm.querySelector("input[name=q]");
    field.value = q;
    const shell = pageForm.closest(".cb-search-results-page") || pageForm.parentElement;
    const page = view(shell);
    // Back from a result: as many results as were shown, at the place the reader left
    const { casebookShown: upTo, casebookScrollY: y } = history.state || {};
    if (q.trim()) {
      page.run(q, Number.isInteger(upTo) ? Math.min(upTo, 500) : PAGE).then(() => {
        if (Number.isFinite(y)) window.scrollTo(0, y);
      });
    }
    shell.addEventListener("click", (ev) => {
      if (!ev.target.closest(".cb-result a[href]")) return;
      history.replaceState({ ...(history.state || {}), casebookShown: page.shown(), casebookScrollY: window.scrollY }, "");
    });
    window.addEventListener("pageshow", (ev) => { if (ev.persisted && field.value.trim()) page.run(field.value, page.shown()); });
  }
}
