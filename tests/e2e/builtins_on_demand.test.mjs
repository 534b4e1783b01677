// End-to-end tests of the built-in scenarios fetched on demand (issue 14, a
// lighter page): the page's module holds the default scenario's data only;
// the other four come from builtins/<id>.json after the first chart
// (src/ui/builtins.rs), or before whatever needs one of them.
//
// Run: node --test --test-reporter=spec tests/e2e/builtins_on_demand.test.mjs
// (after web/build.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openApp, assertClean, appState, targetRows, waitMonteCarlo, pickScenario,
} from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const BUILTINS = /\/builtins\/([a-z0-9-]+)\.json$/;
const OTHERS = ['baoshan-urban-rural', 'chongming-rural-island', 'minhang-hongqiao-district', 'putuo-strong-junior'];

/// A fresh browser context (no autosave) whose page notes when the target
/// chart was first drawn, on the clock the resource timings use.
async function freshContext() {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('#chart-target[data-drawn]')) {
        window.__firstChartAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
  });
  return context;
}

/// The built-ins' JSON the page has fetched: { id, start } (ms since load).
const fetched = (page) => page.evaluate((pattern) => performance.getEntriesByType('resource')
  .map((e) => ({ m: new RegExp(pattern).exec(new URL(e.name).pathname), start: e.startTime }))
  .filter((e) => e.m).map((e) => ({ id: e.m[1], start: e.start })), BUILTINS.source);

test('a first visit fetches the other built-ins only after the first chart, the picker opens each of them, and a reload restores the last', async () => {
  const context = await freshContext();
  const app = await openApp(env, { reuse: context });
  const { page } = app;
  await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((e) => e.name.includes('/builtins/')).length >= n, OTHERS.length);
  const firstChart = await page.evaluate(() => window.__firstChartAt);
  const got = await fetched(page);
  assert.deepEqual(got.map((f) => f.id).sort(), OTHERS, 'the four others, not the default (compiled in)');
  for (const f of got) assert.ok(f.start > firstChart, `${f.id} asked for at ${f.start} ms, the first chart at ${firstChart} ms`);
  for (const id of OTHERS) {
    await pickScenario(page, id);
    assert.ok((await targetRows(page)).length > 0, `${id} shows its targets`);
  }
  // A reload opens the autosave, on the last one picked: its data is
  // fetched before the workspace opens, and nothing is kept aside.
  const shown = await targetRows(page);
  await page.reload();
  await page.waitForSelector(`.app[data-scenario="${OTHERS.at(-1)}"] #chart-target[data-drawn]`);
  assert.deepEqual((await targetRows(page)).map((r) => [r.id, r.value]), shown.map((r) => [r.id, r.value]));
  assert.equal(await page.locator('#messages li.message[data-kind="error"], #messages li.message[data-kind="warning"]').count(), 0);
  await assertClean(assert, app);
  await context.close();
});

test('a built-in that cannot be fetched is reported in both languages, changes nothing, and opens on the next try', async () => {
  const context = await freshContext();
  // Every request for a built-in's data fails until the route is removed.
  await context.route('**/builtins/*.json', (r) => r.abort('internetdisconnected'));
  const app = await openApp(env, { reuse: context });
  const { page } = app;
  await waitMonteCarlo(page);
  const before = { state: await appState(page), rows: await targetRows(page) };
  await page.selectOption('#scenario-picker', 'baoshan-urban-rural');
  await page.waitForSelector('#messages li.message[data-kind="error"]');
  const zh = await page.textContent('#messages li.message[data-kind="error"]');
  assert.match(zh, /^无法载入内置情景 `baoshan-urban-rural` 的数据（builtins\/baoshan-urban-rural\.json）：请检查网络连接后重试。当前方案未改变。/);
  assert.equal(await page.inputValue('#scenario-picker'), 'pudong-2024', 'the picker shows what is open');
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#messages li.message[data-kind="error"]'),
    /^Could not load the data of the built-in scenario `baoshan-urban-rural` \(builtins\/baoshan-urban-rural\.json\): check the connection and try again\. The current scenario is unchanged\./);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');
  const after = await appState(page);
  assert.equal(after.scenario, before.state.scenario);
  assert.equal(after.generation, before.state.generation, 'no new run');
  assert.deepEqual(await targetRows(page), before.rows, 'the same targets and probabilities');

  await context.unroute('**/builtins/*.json');
  await pickScenario(page, 'baoshan-urban-rural');
  assert.ok((await targetRows(page)).length > 0);
  // Chromium logs each refused request: the four after the first chart
  // and the one for the pick. Nothing else went wrong.
  const refused = app.problems.splice(0);
  assert.deepEqual(refused, Array(5).fill('console: Failed to load resource: net::ERR_INTERNET_DISCONNECTED'));
  await assertClean(assert, app);
  await context.close();
});
