// 投稿表单（/admin/）离线运行：Sveltia CMS 运行时会从 CDN 下载界面翻译；这里改为从本站的
// vendor/locales/ 读取。其他请求只能发往本站和页面 CSP 的 connect-src 里列出的代码托管平台 API，
// 别的（CDN、状态页）在离开浏览器前就被拒绝（CSP 本身也会拦住）。
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : location.href);
  var locale = /^https:\/\/unpkg\.com\/@sveltia\/cms@[^/]+\/locales\/([A-Za-z-]+)\.json$/;
  var allowed = [location.origin];
  var csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  var connect = csp && /connect-src([^;]*)/.exec(csp.content);
  if (connect) {
    connect[1].trim().split(/\s+/).forEach(function (src) {
      if (/^https:\/\//.test(src)) { allowed.push(src.replace(/\/+$/, "")); }
    });
  }
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || String(input);
    var m = locale.exec(url);
    if (m) {
      return realFetch(new URL("vendor/locales/" + m[1] + ".json", base).href, init);
    }
    var target;
    try { target = new URL(url, location.href); } catch (e) { return realFetch(input, init); }
    if (/^https?:$/.test(target.protocol) && allowed.indexOf(target.origin) < 0) {
      return Promise.reject(new TypeError("casebook：投稿表单不连接外部网站 " + target.origin));
    }
    if (target.origin === location.origin) { return realFetch(input, init); }
    // the forge's API: a network failure (wrong address, no network, a token the server refuses
    // before answering) shows in Chinese instead of the browser's "Failed to fetch"
    return realFetch(input, init).catch(function () {
      throw new TypeError("连不上代码平台（" + target.host + "）：请检查网络和访问令牌是否正确；" +
                          "也可以回到投稿说明页，改用问题表单投稿");
    });
  };
  // On the sign-in screen, a way out for whoever has no token or no folder: the 投稿 page.
  var help = null, queued = false;
  function placeHelp() {
    queued = false;
    if (!document.body) { return; }
    var signIn = Array.prototype.some.call(document.querySelectorAll("button"),
                                           function (b) { return /^\s*使用/.test(b.textContent); });
    var shown = help && document.body.contains(help);
    if (signIn && !shown) {
      help = document.createElement("p");
      help.className = "casebook-help";
      help.setAttribute("style", "position:fixed;left:0;right:0;bottom:0;margin:0;padding:.6rem 1rem;" +
                        "background:#fff8e1;color:#222;font-size:15px;line-height:1.6;text-align:center;z-index:9");
      help.innerHTML = '没有令牌？在用手机？<a href="../contribute/">看看三种投稿方式</a>（问题表单只需浏览器账号）';
      document.body.appendChild(help);
    } else if (!signIn && shown) {
      help.remove();
    }
  }
  new MutationObserver(function () {
    if (!queued) { queued = true; setTimeout(placeHelp, 200); }
  }).observe(document.documentElement, {childList: true, subtree: true});
  try {  // the interface in Chinese unless the editor chose another language
    var key = "sveltia-cms.prefs";
    var prefs = JSON.parse(localStorage.getItem(key) || "{}") || {};
    if (!prefs.locale) {
      prefs.locale = "zh-CN";
      localStorage.setItem(key, JSON.stringify(prefs));
    }
  } catch (e) { /* private mode: the CMS picks the browser's language */ }
})();
