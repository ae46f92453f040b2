// 备课篮 (lesson basket): 「加入备课」 on item pages; the basket page lists, reorders, removes and
// prints the chosen items as one handout. Kept in this browser only (localStorage); nothing
// leaves the machine. Item content is fetched from this same site, never from elsewhere.
(() => {
  const KEY = "casebook.basket.v1";
  const CLASS_KEY = "casebook.basket.class.v1";  // the class: its date, start time and minutes per item
  // minutes an item usually takes in class, by type (the trainer changes them on the basket page)
  const MINUTES = { "投诉案例": 15, "应急预案": 15, "服务指引": 10, "服务规范": 10, "暖心故事": 5, "课程": 20, "晨会微演练": 5 };
  const ID = /^[a-z]+\/[a-z0-9-]+$/;  // item ids (folder/slug): nothing else is ever fetched
  // 「加入备课」 is a trainer's tool: a teller who never asked for it does not see it on item pages.
  // A trainer switches it on once (on the 备课篮 page or a course page); this browser remembers.
  // Someone who already has items in the basket is a trainer too, until they switch it off.
  const TRAINER_KEY = "casebook.trainer.v1";

  const clip = (value, n) => String(value == null ? "" : value).slice(0, n);
  function load() {
    try {
      const list = JSON.parse(localStorage.getItem(KEY) || "[]");
      if (!Array.isArray(list)) return [];
      const seen = new Set();
      return list.filter((x) => x && typeof x.id === "string" && ID.test(x.id) && !seen.has(x.id) && seen.add(x.id))
        .map((x) => ({ id: x.id, title: clip(x.title || x.id, 80), kind: clip(x.kind, 12) }));
    } catch (err) {
      return [];
    }
  }
  function save(list) {
    try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (err) { /* private mode: the basket lives for this page only */ }
  }
  function loadClass() {
    try {
      const c = JSON.parse(localStorage.getItem(CLASS_KEY) || "{}");
      const minutes = {};
      for (const [id, n] of Object.entries(c && typeof c.minutes === "object" ? c.minutes : {})) {
        if (ID.test(id) && Number.isInteger(n) && n > 0 && n <= 240) minutes[id] = n;
      }
      return { date: /^\d{4}-\d{2}-\d{2}$/.test(c.date || "") ? c.date : "",
               start: /^\d{2}:\d{2}$/.test(c.start || "") ? c.start : "18:30", minutes };
    } catch (err) {
      return { date: "", start: "18:30", minutes: {} };
    }
  }
  function saveClass(c) {
    try { localStorage.setItem(CLASS_KEY, JSON.stringify(c)); } catch (err) { /* as above */ }
  }
  const minutesOf = (x, c) => c.minutes[x.id] || MINUTES[x.kind] || 10;
  const clock = (start, add) => {
    const [h, m] = start.split(":").map(Number);
    const t = h * 60 + m + add;
    return `${String(Math.floor(t / 60) % 24).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
  };
  const cnDate = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    const week = "日一二三四五六"[new Date(y, m - 1, d).getDay()];
    return `${y}年${m}月${d}日（周${week}）`;
  };

  function trainer() {
    try {
      const said = localStorage.getItem(TRAINER_KEY);
      return said === null ? load().length > 0 : said === "1";
    } catch (err) {
      return false;
    }
  }
  function setTrainer(on) {
    try { localStorage.setItem(TRAINER_KEY, on ? "1" : "0"); } catch (err) { /* private mode: for this page only */ }
  }

  // --- the switch: 「在条目页显示“加入备课”」 (the 备课篮 page, course pages) ------------------------
  document.querySelectorAll("[data-cb-trainer]").forEach((box) => {
    const input = box.querySelector("input[type=checkbox]");
    const note = box.querySelector("[data-cb-trainer-note]");
    const show = () => {
      input.checked = trainer();
      if (note) note.textContent = input.checked ? "已开启：条目页上有「加入备课」按钮。" : "未开启：条目页上不显示备课按钮。";
    };
    box.hidden = false;
    show();
    input.addEventListener("change", () => { setTrainer(input.checked); show(); showTools(); });
    window.addEventListener("storage", (event) => { if (event.key === TRAINER_KEY || event.key === KEY) show(); });
  });

  // --- item pages: 「加入备课」 -----------------------------------------------------------------
  const renders = [];
  function showTools() { renders.forEach((render) => render()); }
  document.querySelectorAll(".cb-basket-add").forEach((button) => {
    const id = button.dataset.id;
    if (!ID.test(id || "")) return;
    const link = button.parentElement.querySelector(".cb-basket-link");
    const render = () => {
      const list = load();
      const on = trainer();
      const inside = list.some((x) => x.id === id);
      button.hidden = !on;
      button.setAttribute("aria-pressed", String(inside));
      button.textContent = inside ? "已加入备课 ✓" : "加入备课";
      button.title = inside ? "再点一次从备课篮移出" : "把本页加入备课篮，晚上一起打印";
      if (link) {
        link.hidden = !on || list.length === 0;
        link.textContent = `备课篮（${list.length}）`;
      }
    };
    renders.push(render);
    render();
    button.addEventListener("click", () => {
      const list = load();
      save(list.some((x) => x.id === id) ? list.filter((x) => x.id !== id)
        : [...list, { id, title: clip(button.dataset.title, 80), kind: clip(button.dataset.kind, 12) }]);
      render();
    });
    window.addEventListener("storage", (event) => { if (event.key === KEY || event.key === TRAINER_KEY) render(); });
  });

  // --- the basket page --------------------------------------------------------------------------
  const box = document.querySelector("article [data-cb-basket]");
  if (!box) return;
  document.body.classList.add("cb-basket-page");
  const root = new URL(box.dataset.root || "../", location.href);
  // (the sanitiser keeps every data attribute out of page content; and were one to slip through,
  // the basket still reads pages of this site only)
  if (root.origin !== location.origin) return;
  const listEl = box.querySelector("[data-basket-list]");
  const handout = box.querySelector("[data-basket-handout]");
  const status = box.querySelector("[data-basket-status]");
  const tools = box.querySelector(".cb-basket__tools");
  const printButton = box.querySelector("[data-basket-print]");
  tools.hidden = false;
  const pages = new Map();
  const dateInput = box.querySelector("[data-basket-date]");
  const startInput = box.querySelector("[data-basket-start]");
  {
    const c = loadClass();
    dateInput.value = c.date; startInput.value = c.start;
    const keep = () => { const c2 = loadClass(); c2.date = dateInput.value; c2.start = startInput.value || "18:30"; saveClass(c2); render(); };
    dateInput.addEventListener("change", keep);
    startInput.addEventListener("change", keep);
  }

  // The printable part of an item page: its article without the screen-only tools.
  function printable(html, url) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const base = doc.createElement("base");
    base.href = url;
    doc.head.prepend(base);
    const article = doc.querySelector("article.md-content__inner") || doc.querySelector(".md-content__inner");
    if (!article) throw new Error("no article");
    // the class's own material only: no selection rules or other outlets' lists (a course page)
    article.querySelectorAll("script, style, .cb-jump, .cb-meta, .cb-copy, .cb-related, .cb-no-handout, .headerlink, .md-content__button, [data-cb-slot]")
      .forEach((node) => node.remove());
    // links and images keep pointing at the item's own page, not at the basket
    article.querySelectorAll("a[href]").forEach((a) => a.setAttribute("href", a.href));
    article.querySelectorAll("img[src]").forEach((img) => img.setAttribute("src", img.src));
    // ids would repeat across items (话术, 岗位职责 …): they are not needed on paper
    const qr = article.querySelector(".cb-qr");  // on paper the way back to the page stands beside its title
    if (qr) article.prepend(qr);
    article.querySelectorAll("[id], [aria-labelledby]").forEach((node) => {
      node.removeAttribute("id"); node.removeAttribute("aria-labelledby");
    });
    return article;
  }

  function fetchItem(id) {
    if (!pages.has(id)) {
      const url = new URL(`${id}/`, root).href;
      pages.set(id, fetch(url, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
        .then((html) => printable(html, url)));
    }
    return pages.get(id);
  }

  function button(label, aria, onClick, disabled) {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = label; b.setAttribute("aria-label", aria); b.disabled = !!disabled;
    b.addEventListener("click", onClick);
    return b;
  }

  function move(index, step) {
    const list = load();
    const to = index + step;
    if (to < 0 || to >= list.length) return;
    [list[index], list[to]] = [list[to], list[index]];
    save(list); render();
  }

  let generation = 0;
  async function render() {
    const mine = ++generation;
    const list = load();
    listEl.replaceChildren(...list.map((x, i) => {
      const li = document.createElement("li");
      li.dataset.id = x.id;
      const title = document.createElement("a");
      title.className = "cb-basket__title"; title.href = new URL(`${x.id}/`, root).href; title.textContent = x.title;
      const kind = document.createElement("small"); kind.textContent = x.kind;
      title.append(kind);
      const minutes = document.createElement("input");
      minutes.type = "number"; minutes.min = "1"; minutes.max = "240"; minutes.className = "cb-basket__minutes";
      minutes.value = String(minutesOf(x, loadClass()));
      minutes.setAttribute("aria-label", `用时（分钟）：${x.title}`);
      minutes.addEventListener("change", () => {
        const n = Number(minutes.value);
        const c = loadClass();
        if (Number.isInteger(n) && n > 0 && n <= 240) c.minutes[x.id] = n; else delete c.minutes[x.id];
        saveClass(c); render();
      });
      const unit = document.createElement("span"); unit.textContent = "分钟";
      li.append(title, minutes, unit,
        button("上移", `上移：${x.title}`, () => move(i, -1), i === 0),
        button("下移", `下移：${x.title}`, () => move(i, 1), i === list.length - 1),
        button("移除", `移除：${x.title}`, () => { save(load().filter((y) => y.id !== x.id)); render(); }));
      return li;
    }));
    status.textContent = list.length ? `共 ${list.length} 个条目；打印时每个条目另起一页。`
      : "备课篮是空的：打开上面的开关，再在任一条目页点「加入备课」。";
    printButton.disabled = true;
    delete handout.dataset.ready;
    const sections = await Promise.all(list.map(async (x) => {
      const section = document.createElement("section");
      section.className = "cb-handout-item"; section.dataset.id = x.id;
      try {
        const article = await fetchItem(x.id);
        section.append(...[...article.cloneNode(true).childNodes]);
      } catch (err) {
        const h = document.createElement("h1"); h.textContent = x.title;
        const p = document.createElement("p"); p.textContent = "这个条目没能载入（可能已删除或改名），请打开本站重新加入。";
        section.append(h, p);
      }
      return section;
    }));
    if (mine !== generation) return;  // a newer render has started
    // the first page: the class date and an agenda with minutes and clock times
    const c = loadClass();
    const cover = document.createElement("section");
    cover.className = "cb-handout-item cb-handout__cover";
    const h = document.createElement("h1");
    h.textContent = "课堂讲义";
    const head = document.createElement("p");
    head.className = "cb-handout__head";
    const total = list.reduce((n, x) => n + minutesOf(x, c), 0);
    head.textContent = `上课日期：${c.date ? cnDate(c.date) : "________"} · ${c.start} 开始 · 共 ${total} 分钟 · ${list.length} 个条目`;
    const table = document.createElement("table");
    table.className = "cb-agenda";
    const thead = table.createTHead().insertRow();
    ["序号", "内容", "类型", "用时", "时间"].forEach((t) => { const th = document.createElement("th"); th.scope = "col"; th.textContent = t; thead.append(th); });
    const body = table.createTBody();
    let at = 0;
    list.forEach((x, i) => {
      const row = body.insertRow();
      const n = minutesOf(x, c);
      [String(i + 1), x.title, x.kind, `${n} 分钟`, `${clock(c.start, at)}—${clock(c.start, at + n)}`]
        .forEach((t) => { row.insertCell().textContent = t; });
      at += n;
    });
    cover.append(h, head, table);
    handout.replaceChildren(...(list.length ? [cover, ...sections] : []));
    printButton.disabled = list.length === 0;
    handout.dataset.ready = String(list.length);
  }

  printButton.addEventListener("click", () => window.print());
  box.querySelector("[data-basket-clear]").addEventListener("click", () => { save([]); render(); });
  window.addEventListener("storage", (event) => { if (event.key === KEY) render(); });
  render();
})();
