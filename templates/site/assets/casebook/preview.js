// casebook serve only: when a rebuild fails (the library has errors), say so on the page the
// editor is looking at — in Chinese, with the problems — instead of silently showing the old
// page; once a rebuild succeeds again, reload. (The build never links this script.)
(() => {
  const status = new URL("casebook-preview.json", document.querySelector("script[src*='preview.js']")?.src || location.href);
  status.pathname = status.pathname.replace(/assets\/casebook\/casebook-preview\.json$/, "casebook-preview.json");
  let shown = null;
  async function poll() {
    try {
      const r = await fetch(status, { cache: "no-store", credentials: "same-origin" });
      if (r.ok) {
        const s = await r.json();
        if (s.ok && shown) { location.reload(); return; }
        if (!s.ok) show(s);
      }
    } catch (_) { /* the preview is restarting: try again */ }
    setTimeout(poll, 1500);
  }
  function show(s) {
    const key = JSON.stringify(s.problems);
    if (shown && shown.dataset.key === key) return;
    shown?.remove();
    const box = document.createElement("section");
    box.className = "cb-preview-failed";
    box.dataset.key = key;
    box.setAttribute("role", "alert");
    const h = document.createElement("h2");
    h.textContent = `预览没有更新：案例库有 ${s.count} 个错误`;
    const p = document.createElement("p");
    p.textContent = "下面是 casebook check 的结果。改好并保存后，这一页会自动刷新。页面上显示的仍是上一次成功构建的内容。";
    const pre = document.createElement("pre");
    pre.textContent = (s.problems || []).join("\n");
    box.append(h, p, pre);
    document.body.prepend(box);
    shown = box;
  }
  poll();
})();
