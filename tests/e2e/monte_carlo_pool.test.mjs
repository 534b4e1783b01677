// End-to-end tests of the Monte Carlo worker pool (src/ui/monte_carlo.rs):
// the probabilities do not depend on the number of workers and equal the
// native golden file; the runs so far are shown as partial and marked so;
// a second edit while the first one's Monte Carlo runs drops it, and the
// probabilities shown at the end are the second edit's.
//
// The pool's size comes from navigator.hardwareConcurrency; a test sets it
// per browser context with an init script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  launch, openApp, assertClean, appState, waitGeneration, targetRows, openGroup, openDrawer, download, setLever,
  waitMonteCarlo,
} from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// A browser context whose navigator reports `cores` logical cores (the
/// machine's own when undefined).
async function contextWithCores(cores, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', ...options });
  if (cores !== undefined) {
    await context.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
    }, cores);
  }
  return context;
}

/// The probability column of the targets table, by target id.
async function probabilities(page) {
  return Object.fromEntries((await targetRows(page)).map((r) => [r.id, r.probability]));
}

test('one, two and three workers show the native golden probabilities of a 200-run Pudong Monte Carlo', async () => {
  const golden = JSON.parse(readFileSync(new URL('../golden/pudong-2024-key-outputs.json', import.meta.url), 'utf8'));
  assert.equal(golden.runs, 200, 'the golden file pins a 200-run Monte Carlo');
  const expected = Object.fromEntries(Object.entries(golden.targets).map(([id, t]) => [id, t.probability]));
  assert.ok(Object.values(expected).some((p) => p > 0 && p < 1), 'some golden probability lies strictly between 0 and 1');

  // The default scenario as a file, with 200 runs instead of 1,000.
  const source = await openApp(env, { context: { acceptDownloads: true } });
  await openDrawer(source.page, 'export');
  const file = await download(source.page, '#export-scenario-json');
  const scenario = JSON.parse(file.bytes.toString('utf8'));
  assert.equal(scenario.scenario.id, 'pudong-2024');
  scenario.scenario.runs = 200;
  await assertClean(assert, source);
  await source.context.close();

  // 1 core → 1 worker, 2 → 2, 4 → 3 (one core is left to the page).
  for (const [cores, workers] of [[1, 1], [2, 2], [4, 3]]) {
    const app = await openApp(env, { reuse: await contextWithCores(cores) });
    const { page } = app;
    assert.equal(await page.getAttribute('#mc-status', 'data-workers'), String(workers), `${cores} core(s)`);
    await openDrawer(page, 'import');
    const g = (await appState(page)).generation;
    await page.setInputFiles('#import-scenario', { name: 'pudong-200.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
    await waitGeneration(page, g, ['chart-target']);
    await waitMonteCarlo(page);
    const status = await page.textContent('#mc-status');
    assert.ok(status.includes('已完成') && status.includes('200'), `${workers} worker(s): status “${status}”`);
    assert.deepEqual(await probabilities(page), expected, `${workers} worker(s): every target's probability`);
    await assertClean(assert, app);
    await app.context.close();
  }
});

const REVIEW = 'new_quality.review_pass_probability';

test('the runs so far are shown as partial, marked, and never as the result', async () => {
  // One worker, so the 1,000 runs take long enough for a partial summary.
  const app = await openApp(env, { reuse: await contextWithCores(1) });
  const { page } = app;
  await openGroup(page, 'NewQuality');
  // Every state of the probability cells and the note while the Monte Carlo runs.
  await page.evaluate(() => {
    window.__seen = [];
    const record = () => {
      // A target set by the plan shows no probability, partial or not.
      const cells = [...document.querySelectorAll('#targets-table tr:not(.set-by-plan) td.prob')];
      window.__seen.push({
        mc: document.querySelector('.app').dataset.mc,
        values: cells.map((td) => td.dataset.value),
        partial: cells.map((td) => td.dataset.partial ?? null),
        marked: cells.map((td) => td.classList.contains('partial') && td.textContent.trim().startsWith('≈')),
        note: document.getElementById('mc-partial-note')?.textContent ?? null,
        caption: document.querySelector('#targets-table caption').textContent,
      });
    };
    new MutationObserver(record).observe(document.body, { attributes: true, subtree: true, childList: true, characterData: true });
  });
  await setLever(page, REVIEW, 70);
  await waitMonteCarlo(page);
  const final = await probabilities(page);
  const seen = await page.evaluate(() => window.__seen);
  const partial = seen.filter((s) => s.note !== null);
  assert.ok(partial.length > 0, 'a partial summary was shown while the Monte Carlo ran');
  for (const s of partial) {
    assert.equal(s.mc, 'running', 'partial results only while running');
    assert.ok(s.values.every((v) => v === ''), `no probability given as the result while partial: ${s.values}`);
    assert.ok(s.partial.every((p) => p !== null && Number(p) >= 0 && Number(p) <= 1), `every target has a partial probability: ${s.partial}`);
    assert.ok(s.marked.every(Boolean), 'every partial probability is marked (class partial, “≈”)');
    const m = s.note.match(/部分结果 (\d+)\/(\d+) 次模拟/);
    assert.ok(m && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]) && m[2] === '1000', `the note names the runs so far: “${s.note}”`);
    assert.ok(s.caption.includes(s.note), `the note is in the table's caption: “${s.caption}”`);
  }
  // Done: no mark, no note, the whole run's probabilities.
  assert.equal(await page.locator('#targets-table td.prob.partial').count(), 0);
  assert.equal(await page.locator('#mc-partial-note').count(), 0);
  assert.ok(Object.values(final).every((p) => p !== null), 'every probability is shown once done');
  await assertClean(assert, app);
  await app.context.close();
});

test('a second edit while the first one\'s Monte Carlo runs cancels it: the final probabilities are the second edit\'s', async () => {
  // The reference: each edit's probabilities, in a page of their own.
  const ref = await openApp(env);
  await openGroup(ref.page, 'NewQuality');
  await setLever(ref.page, REVIEW, 50);
  await waitMonteCarlo(ref.page);
  const first = await probabilities(ref.page);
  await setLever(ref.page, REVIEW, 95);
  await waitMonteCarlo(ref.page);
  const second = await probabilities(ref.page);
  assert.notDeepEqual(first, second, 'the two edits have different probabilities (else the test could not tell them apart)');
  await assertClean(assert, ref);
  await ref.context.close();

  // One worker, so the first Monte Carlo is surely still running when the
  // second edit comes (the pool's size does not change the numbers).
  const context = await contextWithCores(1);
  // Every slice the page hands to a worker: { job, runs, t }. While
  // `__slow` is set, each slice reaches its worker 250 ms late, so the first
  // edit's Monte Carlo is still running at the second edit however fast the
  // machine (the delay changes no number: the same slices are computed).
  await context.addInitScript(() => {
    window.__slices = [];
    window.__slow = false;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg, ...rest) {
      if (msg && msg.job !== undefined) {
        window.__slices.push({ job: msg.job, runs: msg.end - msg.start, t: performance.now() });
        if (window.__slow) {
          setTimeout(() => post.call(this, msg, ...rest), 250);
          return undefined;
        }
      }
      return post.call(this, msg, ...rest);
    };
  });
  const app = await openApp(env, { reuse: context });
  const { page } = app;
  await openGroup(page, 'NewQuality');
  await waitMonteCarlo(page);
  await page.evaluate(() => { window.__slow = true; });
  await setLever(page, REVIEW, 50);
  // The first edit's Monte Carlo is under way (slices out with the workers)…
  await page.waitForSelector('.app[data-mc="running"]', { timeout: 30_000 });
  const g = (await appState(page)).generation;
  // …when the second edit comes. From now on, record every probability shown.
  await page.evaluate((g) => {
    window.__shown = [];
    // When the second edit is in the page (its generation is rendered).
    new MutationObserver((_, obs) => {
      if (Number(document.querySelector('.app').dataset.generation) > g) {
        window.__secondEditAt = performance.now();
        window.__slow = false;
        obs.disconnect();
      }
    }).observe(document.querySelector('.app'), { attributes: true, attributeFilter: ['data-generation'] });
    new MutationObserver(() => {
      const values = [...document.querySelectorAll('#targets-table tr[data-target]')]
        .map((tr) => [tr.dataset.target, tr.querySelector('td.prob').dataset.value]);
      if (values.some(([, v]) => v !== '')) window.__shown.push(values);
    }).observe(document.body, { attributes: true, subtree: true, childList: true });
  }, g);
  assert.equal((await appState(page)).mc, 'running', 'the first Monte Carlo was still running at the second edit');
  await setLever(page, REVIEW, 95);
  assert.ok((await appState(page)).generation > g);
  await waitMonteCarlo(page);
  assert.deepEqual(await probabilities(page), second, 'the final probabilities are the second edit\'s');
  // The first edit's slices stopped at once at the second edit (not when
  // the second edit's Monte Carlo got going): it never ran to its 1,000
  // runs; the second edit's did.
  const slices = await page.evaluate(() => window.__slices);
  const secondEditAt = await page.evaluate(() => window.__secondEditAt);
  assert.equal(typeof secondEditAt, 'number', 'the second edit was seen');
  const jobs = [...new Set(slices.map((s) => s.job))];
  assert.ok(jobs.length >= 3, `the baseline's, the first edit's and the second edit's jobs: ${JSON.stringify(jobs)}`);
  const [firstJob, secondJob] = jobs.slice(-2);
  const of = (job) => slices.filter((s) => s.job === job);
  const firstRuns = of(firstJob).reduce((n, s) => n + s.runs, 0);
  assert.ok(firstRuns > 0 && firstRuns < 1000, `the first edit's job was cut short: ${firstRuns} runs handed out`);
  const late = of(firstJob).filter((s) => s.t > secondEditAt);
  assert.deepEqual(late, [], `slices of the first edit handed out after the second edit (at ${secondEditAt} ms)`);
  assert.equal(of(secondJob).reduce((n, s) => n + s.runs, 0), 1000, 'the second edit\'s job ran all its runs');
  const shown = await page.evaluate(() => window.__shown);
  assert.ok(shown.length > 0);
  for (const values of shown) {
    for (const [id, v] of values) assert.equal(Number(v), second[id], `after the second edit, ${id} showed ${v}: not the second edit's probability`);
  }
  await assertClean(assert, app);
  await app.context.close();
});
