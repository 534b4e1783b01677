// The service worker: after a first visit the app opens with no network at
// all (a bureau network without internet, a laptop on a train).
//
// web/sw-manifest.mjs (run at the end of web/build.sh) writes web/dist/sw.js
// as one line `self.YOUJUN_BUILD = { cache, files }` followed by this file:
// `files` is every file of web/dist but sw.js, each with its SHA-256, and
// `cache` is `youjun-<hash of them all>`, so every build with any changed
// byte has a cache of its own, and a changed sw.js, which the browser takes
// as an update.
//
// - install: fetches every file, asking the server whether the browser's
//   HTTP copy is current (so what the page and its workers have just
//   downloaded comes back as a 304, not a second download), checks each
//   against its SHA-256 (a file from another build, e.g. deployed meanwhile,
//   fails the install, and the browser tries again on a later visit), stores
//   them all, then takes over without waiting for old tabs to close;
// - activate: deletes the app's caches of other builds, and controls the
//   open pages (their workers and on-demand modules come from the cache);
// - fetch: the app's own files from the cache first (a navigation to the
//   app's folder is index.html); anything else of this origin goes to the
//   network as without a service worker. Requests to another origin are not
//   touched (the page's Content-Security-Policy stops them before they reach
//   here), and this worker itself fetches nothing but its own origin's files.
const { cache: CACHE, files: FILES } = self.YOUJUN_BUILD;
const PREFIX = 'youjun-';
const scope = () => new URL(self.registration.scope);
const own = (path) => new URL(path, scope());

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const { path, sha256 } of FILES) {
      const url = own(path);
      if (url.origin !== self.location.origin) throw new Error(`not this app's file: ${path}`);
      const response = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const got = hex(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
      if (got !== sha256) throw new Error(`${path} is not the file of build ${CACHE}`);
      await cache.put(url, response);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    let hit = await cache.match(request);
    if (!hit && request.mode === 'navigate') {
      // The app's address, with or without index.html, a query or a share
      // link's fragment (never sent): the cached page.
      const path = url.pathname;
      const root = scope().pathname;
      if (path === root || path === `${root}index.html`) hit = await cache.match(own('index.html'));
    }
    return hit ?? fetch(request);
  })());
});
