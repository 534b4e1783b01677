// Workspace benchmark in headless Chromium (not a test: it prints figures).
//   node tests/benches/workspace.mjs [runs]      (after web/build.sh)
// Measures, on the Pudong scenario at 1366×768:
//   - page load → first chart drawn (navigation start to the first canvas's
//     data-drawn attribute), over several fresh loads;
//   - slider input → every visible chart redrawn, per tab, as p50/p95/max;
//   - the wasm module's size, raw and gzipped.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch, distDir } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 60);
const env = await launch();

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  return { n: s.length, p50: at(0.5).toFixed(1), p95: at(0.95).toFixed(1), max: s[s.length - 1].toFixed(1) };
}

async function freshPage() {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
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
  await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 30000 });
  return { context, page };
}

// Page load → first chart.
const loads = [];
for (let i = 0; i < 5; i++) {
  const { context, page } = await freshPage();
  loads.push(await page.evaluate(() => window.__firstChart));
  await context.close();
}

// Slider → all visible charts redrawn. Each step moves the rotation slider
// between two values and waits (in the page) until every visible canvas
// carries the new data-version.
const { context, page } = await freshPage();
const perTab = {};
for (const tab of ['targets', 'balance', 'resources', 'schools']) {
  await page.click(`#tab-${tab}`);
  await page.waitForTimeout(200);
  const times = await page.evaluate(async (runs) => {
    const app = document.querySelector('.app');
    // The teachers panel is closed by default; the slider works all the same.
    const slider = document.getElementById('lever-teachers-rotation_share-range');
    const out = [];
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
      out.push(performance.now() - t0);
      // Let the browser paint between steps, as a person dragging would.
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return out;
  }, runs);
  perTab[tab] = stats(times);
}
await context.close();
await env.close();

const wasm = readFileSync(join(distDir, 'youjun_bg.wasm'));
console.log(JSON.stringify({
  page_load_to_first_chart_ms: stats(loads),
  slider_to_all_visible_charts_ms: perTab,
  wasm_bytes: { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length },
}, null, 2));
