// Workspace benchmark in headless Chromium (not a test: it prints figures).
//   node tests/benches/workspace.mjs [runs] [--loads N] [--profile]   (after web/build.sh)
// YOUJUN_DIST=<dir> measures another copy of the build (e.g. a build of the
// commit before a change, for before/after runs back to back).
//
// Measures, on the Pudong scenario at 1366×768:
//   - page load → first chart drawn (navigation start to the first canvas's
//     data-drawn attribute), p50 over --loads fresh loads (default 5), each
//     in a fresh browser context (empty cache);
//   - what those loads download before the first chart: every response,
//     by URL, from Chromium's own network events (CDP `Network.*`):
//     transferred bytes (`encodedDataLength` of `loadingFinished`, headers
//     included, as sent by the local server, which does not compress), the
//     body as received, and the body's gzip -9 size (what a server that
//     gzips would send), whether it finished before the first chart, and
//     the files fetched in the 3 s after it (the Monte Carlo worker's, a
//     module loaded on demand) listed apart; a worker's requests reach
//     Chromium's sessions for that worker, and are read through Playwright
//     (which reports a worker script's own body as 0 bytes transferred);
//   - slider input → every visible chart redrawn, per tab, as p50/p95/max,
//     with the Monte Carlo worker idle:
//     `redraw` stops when every visible canvas has drawn the new state (the
//     figure earlier runs reported); `with_layout` then forces the page's
//     style and layout (reading `offsetHeight`), so a big DOM change (a
//     table of hundreds of rows) is counted too;
//   - the machine's load average before and after, since the machine is
//     shared with other builds.
// --profile also records a Chromium CPU profile of each tab's slider loop
// (CDP `Profiler`), writes it to tests/e2e/artifacts/profile-<tab>.cpuprofile
// (open it in Chromium's DevTools, Performance tab) and prints the functions
// with the most self time. For names in the wasm, profile a build whose
// wasm kept its name section (wasm-bindgen output before `wasm-opt`).
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { launch, distDir, artifactsDir } from '../e2e/harness.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : fallback;
};
const runs = Number(args.find((a, k) => /^\d+$/.test(a) && !/^--/.test(args[k - 1] ?? '')) ?? 60);
const loadCount = Math.max(5, option('--loads', 5));
const profile = flag('--profile');

const loadBefore = loadavg();
const env = await launch();

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  return { n: s.length, p50: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +s[s.length - 1].toFixed(1) };
}

/// A fresh context and page whose network Chromium reports to us. Returns
/// the page once the first chart has drawn, with what was downloaded.
async function freshPage() {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // Workers' requests (the Monte Carlo worker fetches its own copy of the
  // app) do not reach the page's CDP session; Playwright sees them from the
  // workers' own sessions.
  const finished = [];
  context.on('requestfinished', (r) => finished.push(r));
  const requests = new Map();
  let clock = null; // wall-clock seconds minus CDP monotonic seconds
  cdp.on('Network.requestWillBeSent', (e) => {
    clock ??= e.wallTime - e.timestamp;
    requests.set(e.requestId, { url: e.request.url, started: e.timestamp, received: 0 });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { status: e.response.status, type: e.type, fromCache: e.response.fromDiskCache || e.response.fromServiceWorker });
  });
  cdp.on('Network.dataReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.received += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { finished: e.timestamp, transferred: e.encodedDataLength });
  });
  // Large buffers, so the wasm's body can still be read back afterwards.
  await cdp.send('Network.enable', { maxTotalBufferSize: 256 << 20, maxResourceBufferSize: 128 << 20 });
  // Records when the first canvas is drawn, from navigation start.
  await page.addInitScript(() => {
    new MutationObserver((records, obs) => {
      if (records.some((r) => r.target.tagName === 'CANVAS' && r.attributeName === 'data-drawn')) {
        window.__firstChart = performance.now();
        obs.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-drawn'] });
  });
  await page.goto(env.url);
  await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 60000 });
  const { firstChart, origin } = await page.evaluate(() => ({ firstChart: window.__firstChart, origin: performance.timeOrigin }));
  return { context, page, cdp, requests, finished, firstChart, firstChartWall: (origin + firstChart) / 1000, clock: () => clock };
}

/// Every response of a load: URL, transferred and body bytes, gzip -9 of
/// the body, and when it finished relative to the first chart.
async function downloads(load) {
  // Let late requests (the Monte Carlo worker's) finish, so they are listed too.
  await load.page.waitForTimeout(3000);
  const files = [];
  const seen = new Map();
  for (const [id, r] of load.requests) {
    if (r.finished === undefined || r.url.startsWith('data:')) continue;
    let body = null;
    try {
      const { body: b, base64Encoded } = await load.cdp.send('Network.getResponseBody', { requestId: id });
      body = Buffer.from(b, base64Encoded ? 'base64' : 'utf8');
    } catch {
      // Evicted from Chromium's buffer: left at null and said so.
    }
    const finishedMs = (r.finished + load.clock() - load.firstChartWall) * 1000;
    seen.set(r.url, (seen.get(r.url) ?? 0) + 1);
    files.push({
      from: 'page',
      url: r.url.replace(env.url, '/'),
      status: r.status,
      transferred: r.transferred,
      body: body?.length ?? r.received,
      gzip9: body ? gzipSync(body, { level: 9 }).length : null,
      before_first_chart: finishedMs <= 0,
      finished_vs_first_chart_ms: +finishedMs.toFixed(1),
    });
  }
  // The workers' requests: those Playwright saw beyond the page's own. Their
  // sizes are Chromium's too (Playwright reads them from the workers' CDP
  // sessions); the body is the file as the local server sends it.
  for (const r of load.finished) {
    const url = r.url();
    if (url.startsWith('data:')) continue;
    if ((seen.get(url) ?? 0) > 0) {
      seen.set(url, seen.get(url) - 1);
      continue;
    }
    const sizes = await r.sizes();
    const t = r.timing();
    const path = url.replace(env.url, '');
    let body = null;
    try {
      body = readFileSync(join(distDir, path === '' ? 'index.html' : path));
    } catch {
      // Not a file of the build.
    }
    const finishedMs = t.startTime + t.responseEnd - load.firstChartWall * 1000;
    files.push({
      from: 'worker',
      url: url.replace(env.url, '/'),
      status: (await r.response())?.status(),
      transferred: sizes.responseBodySize + sizes.responseHeadersSize,
      body: body?.length ?? sizes.responseBodySize,
      gzip9: body ? gzipSync(body, { level: 9 }).length : null,
      before_first_chart: finishedMs <= 0,
      finished_vs_first_chart_ms: +finishedMs.toFixed(1),
    });
  }
  return files;
}

// Page load → first chart, and what each load downloaded.
const loads = [];
let files = null;
const totalsPerLoad = [];
for (let i = 0; i < loadCount; i++) {
  const load = await freshPage();
  loads.push(load.firstChart);
  const f = await downloads(load);
  const before = f.filter((x) => x.before_first_chart);
  totalsPerLoad.push(before.reduce((s, x) => s + x.transferred, 0));
  files ??= f;
  await load.context.close();
}

// Slider → all visible charts redrawn. Each step moves the rotation slider
// between two values and waits (in the page) until every visible canvas
// carries the new data-version.
const load = await freshPage();
const { page, context, cdp } = load;
const perTab = {};
const profiles = {};
for (const tab of ['targets', 'balance', 'resources', 'schools']) {
  await page.click(`#tab-${tab}`);
  // The page's Monte Carlo (the baseline's, on a fresh page) runs in a
  // worker that would share the two cores with the steps measured: wait
  // until it is done. The loop then ends on the baseline's value, whose
  // result is kept, so no new run starts between tabs.
  await page.waitForSelector('.app[data-mc="done"]', { timeout: 600_000 });
  await page.waitForTimeout(300);
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const times = await page.evaluate(async (runs) => {
    const app = document.querySelector('.app');
    // The teachers panel is closed by default; the slider works all the same.
    const slider = document.getElementById('lever-teachers-rotation_share-range');
    const redraw = [];
    const withLayout = [];
    for (let i = 0; i < runs; i++) {
      const before = app.dataset.version;
      const t0 = performance.now();
      slider.value = String(i % 2 === 0 ? 20 : 10);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((done) => {
        const check = () => {
          const v = app.dataset.version;
          const canvases = [...document.querySelectorAll('canvas')];
          if (v !== before && canvases.length > 0 && canvases.every((c) => c.dataset.drawn === v)) { done(); return true; }
          return false;
        };
        if (check()) return;
        const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
        obs.observe(document.body, { attributes: true, subtree: true, childList: true });
      });
      redraw.push(performance.now() - t0);
      // Style and layout of what changed, which the browser would otherwise
      // do after the measurement, before it paints.
      void document.body.offsetHeight;
      withLayout.push(performance.now() - t0);
      // Let the browser paint between steps, as a person dragging would.
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return { redraw, withLayout };
  }, runs);
  perTab[tab] = {
    redraw: stats(times.redraw),
    with_layout: stats(times.withLayout),
    layout_alone: stats(times.withLayout.map((t, k) => t - times.redraw[k])),
  };
  if (profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    const path = join(artifactsDir, `profile-${tab}.cpuprofile`);
    writeFileSync(path, JSON.stringify(p));
    profiles[tab] = { path, top: topSelf(p, 15) };
  }
}
await context.close();
await env.close();
const loadAfter = loadavg();

/// The functions with the most self time in a CPU profile, in ms and as a
/// share of the samples that were not idle.
function topSelf(p, n) {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const dt = p.timeDeltas ?? [];
  p.samples.forEach((id, k) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}${f.lineNumber >= 0 && f.url ? `:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
  });
  const busy = [...self].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0);
  return [...self].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: +ms.toFixed(1), share_of_busy: `${((100 * ms) / busy).toFixed(1)}%` }));
}

const sum = (xs, key) => xs.reduce((s, x) => s + (x[key] ?? 0), 0);
const beforeChart = files.filter((x) => x.before_first_chart);
const wasm = readFileSync(join(distDir, 'youjun_bg.wasm'));

console.log('Files downloaded by the first fresh load (bytes):');
console.table(files.map((x) => ({
  url: x.url, from: x.from, status: x.status, transferred: x.transferred, body: x.body, 'gzip -9': x.gzip9,
  'before first chart': x.before_first_chart ? 'yes' : 'no', 'finished (ms vs first chart)': x.finished_vs_first_chart_ms,
})));
if (profile) {
  for (const [tab, { path, top }] of Object.entries(profiles)) {
    console.log(`CPU profile, ${tab} tab slider loop (${path}): most self time`);
    console.table(top);
  }
}
console.log(JSON.stringify({
  load_average: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
  page_load_to_first_chart_ms: stats(loads),
  bytes_before_first_chart: {
    files: beforeChart.length,
    transferred: sum(beforeChart, 'transferred'),
    body: sum(beforeChart, 'body'),
    gzip9: beforeChart.every((x) => x.gzip9 !== null) ? sum(beforeChart, 'gzip9') : null,
    wasm_gzip9: sum(beforeChart.filter((x) => x.url.endsWith('.wasm')), 'gzip9'),
    transferred_each_load: totalsPerLoad,
  },
  fetched_after_first_chart: files.filter((x) => !x.before_first_chart).map((x) => `${x.url} (${x.from})`),
  slider_to_all_visible_charts_ms: perTab,
  wasm_file_bytes: { raw: wasm.length, gzip9: gzipSync(wasm, { level: 9 }).length },
}, null, 2));
