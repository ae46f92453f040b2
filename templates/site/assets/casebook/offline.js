// casebook offline: registers the service worker (sw.js, written by a build: site/offline.py)
// and tells the reader what they are looking at: "离线可用" and when this page's copy was saved,
// "网络未连接" when the page came from that copy, "内容已更新" when a new build replaced the
// copies, and on the home page an "添加到主屏幕" button where the browser offers one.
(() => {
  const root = new URL(document.currentScript?.dataset.root || "./", location.href);
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;  // (plain http: no worker)

  const when = (iso) => {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };

  // online, the note sits at the foot of the page (a plan's first-minute card stays on the first
  // screen); offline, at the top, as the reader must know the page is a saved copy
  function place(cls, where) {
    let el = document.querySelector("." + cls);
    if (!el) {
      el = document.createElement("p");
      el.className = cls + " cb-no-print";  // (print.css: a printed plan is the plan, not this note)
      el.setAttribute("role", "status");
    }
    const content = document.querySelector(".md-content__inner") || document.body;
    if (where === "top") content.prepend(el);
    else if (where === "foot") content.append(el);
    else document.body.append(el);
    return el;
  }

  async function note() {
    const key = location.origin + location.pathname;
    const copy = window.caches && await caches.match(key);
    const saved = copy?.headers.get("x-casebook-saved");
    if (!saved) return;
    const el = place("cb-offline-note", navigator.onLine ? "foot" : "top");
    el.classList.toggle("cb-offline-note--offline", !navigator.onLine);
    el.textContent = navigator.onLine ? `离线可用 · 本页副本保存于 ${when(saved)}`
      : `网络未连接 · 正在看 ${when(saved)} 保存的副本`;
  }

  navigator.serviceWorker.onmessage = (event) => {
    const data = event.data || {};
    if (data.type === "updated") {
      const el = place("cb-offline-update", "toast");  // (over the page, never pushing it down)
      el.textContent = "内容已更新：网站有了新版本，本机保存的离线副本也已换成新版本。（点按关闭）";
      el.addEventListener("click", () => el.remove());
    }
    if (data.type === "updated" || data.type === "ready") note();
  };
  addEventListener("online", note);
  addEventListener("offline", note);

  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).then((registration) => {
    note();
    // a new build is looked for on every visit online: register() alone does not check, and the
    // browser's own check after a navigation comes when it decides (no registration at all where
    // a script stands in for register(), as when a browser driver blocks workers)
    if (navigator.onLine && registration?.active) registration.update().catch(() => {});
  }, async () => {
    // no worker here (a preview, `casebook serve`): one left by an earlier build at this address
    // must not stand between the editor and the page just written
    (await navigator.serviceWorker.getRegistration(root.href))?.unregister();
  });

  // 添加到主屏幕: only on the home page, only where the browser offers to install the site. The offer
  // comes after the page is laid out: a bar fixed at the foot of the screen, over the page, moves
  // nothing (put at the top of the content it pushed the whole page down: a layout shift of 0.06)
  if (location.href.replace(/index\.html$/, "") === root.href) {
    addEventListener("beforeinstallprompt", (event) => {
      event.preventDefault();
      if (document.querySelector(".cb-install-bar")) return;
      const bar = document.createElement("div");
      bar.className = "cb-install-bar md-typeset cb-no-print";  // laid out in casebook.css
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", "添加到主屏幕");
      const install = document.createElement("button");
      install.type = "button";
      install.className = "cb-install md-button md-button--primary";
      install.textContent = "添加到主屏幕（断网也能看应急预案）";
      const later = document.createElement("button");
      later.type = "button";
      later.className = "cb-install-later md-button";
      later.textContent = "不用了";
      install.addEventListener("click", async () => { bar.remove(); await event.prompt(); });
      later.addEventListener("click", () => bar.remove());
      bar.append(install, later);
      document.body.append(bar);
    });
  }
})();
