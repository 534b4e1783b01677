// Monte Carlo benchmark in headless Chromium (not a test: it prints figures).
//   node tests/benches/monte_carlo.mjs [edits] [cores,cores,…]    (after web/build.sh)
// On the Pudong scenario (1,000 runs) at 1366×768, for the machine's own
// core count and for each core count given (navigator.hardwareConcurrency
// set by an init script, so the pool sizes itself as on such a machine):
//   - edit → target probabilities updated: a lever's number box is changed
//     (alternately to two values off the baseline) and the clock stops when
//     the page shows the new generation's Monte Carlo as done with every
//     target's probability. A typed number is final, so its Monte Carlo
//     starts at once; p50/p95/max over the edits, and the number of workers
//     the pool used;
//   - the same for one step of the lever's slider (an `input` event), whose
//     Monte Carlo waits out the page's 350 ms debounce first (a drag sends
//     many steps), so that figure includes it;
//   - the same for a slider step that ends the drag (`input` then `change`,
//     as a browser sends when the planner lets go or presses an arrow key):
//     letting go ends the wait, so its Monte Carlo starts at once;
//   - a worker's costs, measured on a worker of its own: start (load and
//     instantiate the wasm module) plus building the model, building the
//     model in a warm worker, and one 50-run slice. Terminating the pool's
//     workers on every edit would pay the first figure again; keeping them
//     warm pays at most one slice of stale work, inside the debounce.
import { launch, openDrawer, download } from '../e2e/harness.mjs';

const edits = Number(process.argv[2] ?? 12);
const cores = [undefined, ...(process.argv[3] ? process.argv[3].split(',').map(Number) : [1])];
const env = await launch();

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  return { n: s.length, p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(s[s.length - 1]) };
}

async function freshPage(n) {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  if (n !== undefined) {
    await context.addInitScript((k) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => k, configurable: true });
    }, n);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(env.url);
  await page.waitForSelector('#chart-target[data-drawn]');
  // The baseline's Monte Carlo (it starts the workers).
  await page.waitForSelector('.app[data-mc="done"]', { timeout: 120_000 });
  return { context, page };
}

const results = [];
for (const n of cores) {
  const { context, page } = await freshPage(n);
  // how: 'typed' (the number box), 'slider' (a step while dragging) or
  // 'let-go' (a step, then the slider let go).
  const measure = (how) => page.evaluate(async ([edits, how]) => {
    const app = document.querySelector('.app');
    const id = 'lever-new_quality-review_pass_probability';
    const box = document.getElementById(how === 'typed' ? id : `${id}-range`);
    const out = [];
    for (let i = 0; i < edits; i++) {
      const before = Number(app.dataset.generation);
      const t0 = performance.now();
      box.value = String(i % 2 === 0 ? 60 : 75);
      if (how !== 'typed') box.dispatchEvent(new Event('input', { bubbles: true }));
      if (how !== 'slider') box.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((done) => {
        const check = () => Number(app.dataset.generation) > before && app.dataset.mc === 'done'
          && [...document.querySelectorAll('#targets-table td.prob')].every((td) => td.dataset.value !== '');
        if (check()) { done(); return; }
        const obs = new MutationObserver(() => { if (check()) { obs.disconnect(); done(); } });
        obs.observe(document.body, { attributes: true, subtree: true, childList: true });
      });
      out.push(performance.now() - t0);
      // A planner looks at the result before the next edit.
      await new Promise((r) => setTimeout(r, 200));
    }
    return out;
  }, [edits, how]);
  const times = await measure('typed');
  const slider_times = await measure('slider');
  const let_go_times = await measure('let-go');
  const hc = await page.evaluate(() => navigator.hardwareConcurrency);
  // A build from before the pool has no data-workers: one worker, and
  // another message protocol, so its worker costs are not measured.
  const pooled = await page.getAttribute('#mc-status', 'data-workers');
  const workers = pooled === null ? 1 : Number(pooled);
  const runs = (await page.textContent('#mc-status')).match(/(\d+)\s*次模拟/)?.[1];
  if (pooled === null) {
    results.push({ cores: hc, workers, runs: Number(runs), edit_to_probabilities_ms: stats(times), slider_step_to_probabilities_ms: stats(slider_times), slider_let_go_to_probabilities_ms: stats(let_go_times), build: 'before the pool' });
    await context.close();
    continue;
  }

  // One worker of its own: start, model, slice.
  await openDrawer(page, 'export');
  const scenario = (await download(page, '#export-scenario-json')).bytes.toString('utf8');
  const worker = await page.evaluate(async (scenario) => {
    const w = new Worker('./worker.js', { type: 'module' });
    const ask = (msg) => new Promise((ok, fail) => {
      const t0 = performance.now();
      w.onmessage = (e) => (e.data.error ? fail(new Error(e.data.error)) : ok(performance.now() - t0));
      w.postMessage(msg);
    });
    const cold = await ask({ job: 1, scenario, start: 0, end: 0 });
    const model = await ask({ job: 2, scenario, start: 0, end: 0 });
    const slice = await ask({ job: 2, start: 0, end: 50 });
    w.terminate();
    return { start_and_model_ms: Math.round(cold), model_ms: Math.round(model), slice_50_runs_ms: Math.round(slice) };
  }, scenario);
  results.push({ cores: hc, workers, runs: Number(runs), edit_to_probabilities_ms: stats(times), slider_step_to_probabilities_ms: stats(slider_times), slider_let_go_to_probabilities_ms: stats(let_go_times), one_worker: worker });
  await context.close();
}
await env.close();
console.log(JSON.stringify(results, null, 2));
