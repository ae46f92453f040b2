// casebook's service worker: the pages staff need in an emergency open without a network.
// Written out by scripts/casebook/site/offline.py, which puts the build's settings in place of
// the line below: VERSION (a hash of every precached file), PRECACHE (site paths: every emergency
// plan, every role page, the home page, the theme's assets), SEARCH_FILES (the list of the search
// index's files), SECTIONS (the site's top-level folders) and OFFLINE (the offline page).
/* CASEBOOK_SETTINGS */

// One cache per build and scope: a new build brings a new cache and the old one is deleted,
// so a plan is never served from an older build once the new one has been seen.
const SCOPE = new URL(self.registration.scope);
const PREFIX = `casebook ${SCOPE.pathname} `;
const CACHE = PREFIX + VERSION;
const SAVED = "x-casebook-saved"; // when this copy was stored (shown on the page by offline.js)
const WAIT = 4000; // a page that takes longer comes from the cache, when there is a copy

const inScope = (url) => url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
// Pages are cached only in the site's own folders: a site nested under this one (another
// build, e.g. an internal one under a public one) never lands in this cache.
const ours = (url) => {
  const rest = url.pathname.slice(SCOPE.pathname.length);
  return rest === "" || rest === "index.html" || SECTIONS.includes(decodeURIComponent(rest.split("/")[0]));
};

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

async function store(cache, request, response) {
  if (response.ok && response.type === "basic") await cache.put(request, await stamped(response.clone()));
}

// One file fetched fresh, tried three times: on a weak link one dropped request must not cost the
// whole new version (a failed install keeps the old copies until the next visit tries again)
async function fresh(url) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(new Request(url, { cache: "reload" }));
      if (response.ok || attempt === 3) return response;
    } catch (error) {
      if (attempt === 3) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const listed = await fresh(new URL(SEARCH_FILES, SCOPE).href);
    if (!listed.ok) throw new Error(`${SEARCH_FILES}: ${listed.status}`);
    const queue = [...PRECACHE, ...await listed.json()].map((path) => new URL(path, SCOPE).href);
    // six at a time: a phone on a weak link is not flooded, and every file is fetched fresh
    const worker = async () => {
      for (let url = queue.shift(); url; url = queue.shift()) {
        const response = await fresh(url);
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        await store(cache, url, response);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((key) => key.startsWith(PREFIX) && key !== CACHE);
    await Promise.all(old.map((key) => caches.delete(key)));
    await self.clients.claim();
    const message = { type: old.length ? "updated" : "ready" };
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      client.postMessage(message);
    }
  })());
});

async function page(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const key = url.origin + url.pathname; // (search/?q=… is one page, whatever was asked)
  const network = fetch(request).then(async (response) => {
    if (ours(url)) await store(cache, key, response);
    return response;
  });
  network.catch(() => {}); // (a failure is answered below; it is not an error of the worker)
  const copy = await cache.match(key);
  const late = new Promise((resolve) => setTimeout(resolve, WAIT, copy));
  try {
    // the network's page is the newest; the stored copy stands in when the network fails, is
    // slow, or the server answers with an error
    const response = await (copy ? Promise.race([network, late]) : network);
    if (response && (response.ok || !copy)) return response;
    if (copy) return copy;
  } catch (error) {
    if (copy) return copy;
  }
  return offlinePage(cache, url);
}

async function offlinePage(cache, url) {
  // shown at the address asked for: its links lead from the site's root, its retry to that address
  const page = await cache.match(OFFLINE);
  const text = page ? (await page.text()).replace('<base href="./">', `<base href="${SCOPE.href}">`)
    .replace('href="#retry"', `href="${url.href}"`) : "网络未连接，本页没有离线副本。";
  return new Response(text, { status: 503, headers: { "content-type": `text/${page ? "html" : "plain"}; charset=utf-8` } });
}

const PINNED = new Set(PRECACHE.map((path) => new URL(path, SCOPE).href));
const fixed = (url) => PINNED.has(url.origin + url.pathname) || url.pathname.includes("/pagefind");

async function asset(request) {
  // the theme's files and the search index (named by content, or part of this build's version):
  // from this build's cache first, as the cache is replaced with every build; other files
  // (images, a long list's data) from the network first, the stored copy when it fails
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const copy = await cache.match(request, { ignoreSearch: true });
  if (copy && fixed(url)) return copy;
  try {
    const response = await fetch(request);
    if (ours(url)) await store(cache, request, response);
    return response;
  } catch (error) {
    if (copy) return copy;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !inScope(url) || url.pathname.startsWith(SCOPE.pathname + "admin/")) return;
  if (request.mode === "navigate") event.respondWith(page(request));
  else event.respondWith(asset(request));
});
