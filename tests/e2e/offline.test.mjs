// End-to-end tests of the offline copy (web/sw.js, issue 14): after a first
// visit the app reopens with the server stopped and the browser offline,
// draws its charts and finishes its Monte Carlo; a new build replaces the
// cached one and its cache; a failed registration leaves the app working.
// Each test serves its own copy of web/dist with a server it can stop, and
// records every request of its browser context, the service worker's own
// included: none may go to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launch, openApp, assertClean, distDir, waitMonteCarlo, waitDrawn, waitGeneration, targetRows, appState, openGroup, typeNumber,
  artifactsDir, pickScenario,
} from './harness.mjs';
import { startServer } from '../../web/serve.mjs';
import { writeServiceWorker } from '../../web/sw-manifest.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// A copy of web/dist, served on a free port by a server the test can stop;
/// `served` lists each answer's path and status.
async function serveCopy({ without = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'youjun-offline-'));
  cpSync(distDir, dir, { recursive: true });
  for (const f of without) rmSync(join(dir, f));
  const served = [];
  const server = await startServer({ dir, port: 0, served: (r) => served.push(r) });
  // A test that fails before stopping it must not keep the run alive.
  server.unref();
  const url = `http://127.0.0.1:${server.address().port}/`;
  let stopped = false;
  return {
    dir, url, served, browser: env.browser,
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise((ok) => server.close(ok));
      server.closeAllConnections();
      await closed;
    },
    async remove() { await this.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/// A browser context that lists the origin of every request made in it
/// (pages, workers and the service worker), and whether the service worker made it.
async function recordedContext() {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), bySw: r.serviceWorker() !== null }));
  return { context, requests };
}

/// The build's cache name and file list, from the first line of sw.js.
function buildOf(dir) {
  const line = readFileSync(join(dir, 'sw.js'), 'utf8').split('\n')[0];
  return JSON.parse(line.replace(/^self\.YOUJUN_BUILD = /, '').replace(/;$/, ''));
}

/// Waits until a service worker controls the page and returns the app's
/// caches: { names, files } (files: the paths in the named cache).
async function waitOffline(page, cacheName) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  return page.evaluate(async (name) => {
    const names = (await caches.keys()).filter((n) => n.startsWith('youjun-'));
    const cache = await caches.open(name);
    const scope = (await navigator.serviceWorker.ready).scope;
    const files = (await cache.keys()).map((r) => r.url.slice(scope.length)).sort();
    return { names, files };
  }, cacheName);
}

/// Whether anything answers at `url` from Node (outside the browser).
async function reachable(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

test('after a first visit the app reopens with the network cut: charts, Monte Carlo and an edit work offline', async () => {
  const site = await serveCopy();
  const build = buildOf(site.dir);
  const paths = build.files.map((f) => f.path);
  for (const f of ['index.html', 'boot.js', 'style.css', 'worker.js', 'youjun.js', 'youjun_bg.wasm', 'youjun_engine.js', 'youjun_engine_bg.wasm',
    'builtins/chongming-rural-island.json']) {
    assert.ok(paths.includes(f), `${f} is in the offline list: ${paths}`);
  }
  assert.ok(!paths.includes('sw.js'));
  assert.match(build.cache, /^youjun-[0-9a-f]{16}$/);

  const { context, requests } = await recordedContext();
  const app = await openApp(site, { reuse: context });
  const { page } = app;
  await waitMonteCarlo(page);
  const online = await targetRows(page);
  assert.ok(online.every((r) => r.probability !== null), 'probabilities online');
  const cached = await waitOffline(page, build.cache);
  assert.deepEqual(cached.names, [build.cache], 'one cache, named after this build');
  assert.deepEqual(cached.files, [...paths].sort(), 'every file of the build is cached');
  assert.ok(requests.some((r) => r.bySw), 'the service worker\'s own requests are recorded too');
  // Filling the cache downloads nothing twice: the files the page had loaded
  // before the service worker registers (it registers once the app is
  // mounted) went out with a body once; the worker's request for each is a
  // 304, answered from the browser's own copy. (The page itself was asked
  // for as `/`, a copy of another address.)
  for (const f of ['boot.js', 'style.css', 'youjun.js', 'youjun_bg.wasm']) {
    const answers = site.served.filter((r) => r.path === `/${f}`).map((r) => r.status);
    assert.deepEqual(answers, [200, 304], `${f}: the page's download, then the service worker's check`);
  }

  // Cut the network: the server stops and the browser goes offline.
  await site.stop();
  assert.equal(await reachable(site.url), false, 'the server is stopped');
  await context.setOffline(true);

  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  await waitMonteCarlo(page);
  assert.deepEqual(await targetRows(page), online, 'the same targets and probabilities, offline');
  await page.screenshot({ path: join(artifactsDir, 'offline-reload.png') });

  // A new tab (reopening the app another day) and an edit: the workers and
  // their module come from the cache too. No new-quality admissions in 2025
  // lowers the 2025 and 2026 counts.
  const again = await openApp(site, { reuse: context });
  await waitMonteCarlo(again.page);
  await openGroup(again.page, 'NewQuality');
  const { generation } = await appState(again.page);
  await typeNumber(again.page, '#lever-new_quality-planned_admissions-2025', 0);
  await waitGeneration(again.page, generation, ['chart-target']);
  await waitMonteCarlo(again.page);
  const edited = Object.fromEntries((await targetRows(again.page)).map((r) => [r.id, r]));
  const before = Object.fromEntries(online.map((r) => [r.id, r]));
  for (const id of ['nq-2025', 'nq-2026']) assert.ok(edited[id].value < before[id].value, `${id}: ${edited[id].value} < ${before[id].value}`);
  assert.ok(Object.values(edited).every((r) => r.probability !== null), 'the edit\'s Monte Carlo finished offline');
  // Another built-in scenario: its data (fetched on demand online) comes from the cache too.
  await pickScenario(again.page, 'chongming-rural-island');
  await waitMonteCarlo(again.page);
  assert.ok((await targetRows(again.page)).length > 0, 'Chongming shows its targets offline');
  assert.equal((await appState(again.page)).mc, 'done', 'and its Monte Carlo finished');

  const foreign = requests.filter((r) => !r.url.startsWith(site.url) && !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'no request to another origin, the service worker\'s included');
  await assertClean(assert, app);
  await assertClean(assert, again);
  await context.close();
  await site.remove();
});

test('a new build replaces the cached one, deletes its cache and says to reload', async () => {
  const site = await serveCopy();
  const first = buildOf(site.dir);
  const { context, requests } = await recordedContext();
  const app = await openApp(site, { reuse: context });
  const { page } = app;
  assert.deepEqual((await waitOffline(page, first.cache)).names, [first.cache]);
  await waitDrawn(page, ['chart-target']);

  // A new build: one changed byte anywhere gives a new cache name and sw.js.
  appendFileSync(join(site.dir, 'style.css'), '\n/* the next build */\n');
  const next = writeServiceWorker(site.dir);
  assert.notEqual(next.cache, first.cache);

  // The reload that finds the new service worker still runs the cached
  // build; the new one takes over, deletes the old cache and says so.
  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  await page.waitForSelector('#sw-updated', { timeout: 60_000 });
  assert.match(await page.textContent('#sw-updated'), /刷新页面即可使用新版本.*reload the page to use the new version/);
  await page.screenshot({ path: join(artifactsDir, 'offline-updated.png') });
  // The page changes hands when the new worker starts activating; the old
  // cache goes while it activates.
  const names = () => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('youjun-')));
  for (const deadline = Date.now() + 30_000; (await names()).length > 1 && Date.now() < deadline;) await new Promise((ok) => setTimeout(ok, 100));
  const after = await waitOffline(page, next.cache);
  assert.deepEqual(after.names, [next.cache], 'the old build\'s cache is deleted');
  assert.deepEqual(after.files, next.files.map((f) => f.path).sort());

  // The next reload runs the new build, from its cache, offline.
  await site.stop();
  await context.setOffline(true);
  await Promise.all([page.waitForEvent('load'), page.click('#sw-updated button')]);
  await page.waitForSelector('#chart-target[data-drawn]');
  assert.match(await page.evaluate(() => fetch('style.css').then((r) => r.text())), /the next build/);
  assert.equal(await page.$('#sw-updated'), null, 'no note on a page that loaded the new build');

  const foreign = requests.filter((r) => !r.url.startsWith(site.url) && !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
  assert.deepEqual(foreign, []);
  await assertClean(assert, app);
  await context.close();
  await site.remove();
});

test('without a service worker (sw.js missing) the app works online as before', async () => {
  const site = await serveCopy({ without: ['sw.js'] });
  const { context } = await recordedContext();
  const warnings = [];
  context.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const app = await openApp(site, { reuse: context });
  await waitMonteCarlo(app.page);
  // The registration fails quietly: a warning, no error, no controller.
  const deadline = Date.now() + 10_000;
  while (!warnings.some((w) => w.includes('offline copy unavailable')) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
  assert.ok(warnings.some((w) => w.includes('离线缓存不可用') && w.includes('offline copy unavailable')), `a warning says so: ${warnings}`);
  assert.equal(await app.page.evaluate(() => navigator.serviceWorker.controller), null);
  assert.ok((await targetRows(app.page)).every((r) => r.probability !== null));
  // Chromium reports the failed fetch of sw.js itself as a console error;
  // that one, and nothing else, is expected here.
  const expected = 'console: A bad HTTP response code (404) was received when fetching the script.';
  assert.deepEqual(app.problems, [expected]);
  app.problems.length = 0;
  await assertClean(assert, app);
  await context.close();
  await site.remove();
});
