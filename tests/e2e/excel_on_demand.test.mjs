// End-to-end tests of the Excel module loaded on demand (issue 14, a
// lighter page): the page's own wasm module has no Excel code; the second
// module, youjun_excel, is loaded by web/excel_worker.js only when the
// planner imports a roster or exports a workbook (src/ui/import_worker.rs).
//
// Run: node --test --test-reporter=spec tests/e2e/excel_on_demand.test.mjs
// (after web/build.sh). Every test ends with assertClean: no panic, no
// console error, no request to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  launch, openApp, assertClean, appState, waitGeneration, targetRows, waitMonteCarlo, download, openDrawer,
  artifactsDir,
} from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const data = (name) => new URL(`../data/${name}`, import.meta.url).pathname;
/// The files of the Excel module: the worker, its bindings and the wasm.
const EXCEL = /\/(excel_worker\.js|youjun_excel\.js|youjun_excel_bg\.wasm)$/;

/// A browser context whose every request (the page's and its workers') is
/// listed, from the first; the app opened in it.
async function openListening() {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  const requested = [];
  context.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const app = await openApp(env, { reuse: context });
  return { app, requested, excel: () => requested.filter((p) => EXCEL.test(p)) };
}

/// Records every `data-stage` the progress line `selector` shows, so a test
/// can see the "loading the Excel component" stage however brief it is.
async function watchStages(page, selector) {
  await page.evaluate((selector) => {
    window.__stages = [];
    new MutationObserver(() => {
      const s = document.querySelector(selector)?.dataset.stage;
      if (s && window.__stages.at(-1) !== s) window.__stages.push(s);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-stage'] });
  }, selector);
}
const stages = (page) => page.evaluate(() => window.__stages);

/// The entries of a zip archive (an XLSX), by name, inflated.
function unzip(bytes) {
  const buf = Buffer.from(bytes);
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'not a zip archive');
  const files = {};
  let at = buf.readUInt32LE(end + 16);
  for (let k = buf.readUInt16LE(end + 10); k > 0; k--) {
    const [method, size, nameLen] = [buf.readUInt16LE(at + 10), buf.readUInt32LE(at + 20), buf.readUInt16LE(at + 28)];
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const local = buf.readUInt32LE(at + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return files;
}

/// A worksheet's cells as { A2: value }: shared strings resolved, numbers as numbers.
function cells(book, sheetXml) {
  const shared = [...(book['xl/sharedStrings.xml'] ?? '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
  const out = {};
  for (const [, ref, attrs, v] of sheetXml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(?:<f>.*?<\/f>)?<v>(.*?)<\/v><\/c>)/gs)) {
    if (v !== undefined) out[ref] = /t="s"/.test(attrs) ? shared[Number(v)] : Number(v);
  }
  return out;
}

test('no Excel code before the first chart; an XLSX roster imports and an XLSX export parses back, with the Excel module loaded on demand', async () => {
  const { app, requested, excel } = await openListening();
  const { page, context } = app;
  // (a) The first chart is drawn (openApp waited for it) and the Monte Carlo
  // has run: not one request for the Excel module.
  assert.ok(requested.includes('/youjun_bg.wasm'), `the page's module was loaded: ${requested}`);
  assert.deepEqual(excel(), [], 'no Excel module request before the first chart');
  await waitMonteCarlo(page);
  assert.deepEqual(excel(), [], 'nor while the Monte Carlo runs');
  const pageWasm = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.wasm')).map((e) => new URL(e.name).pathname));
  assert.deepEqual([...new Set(pageWasm)], ['/youjun_bg.wasm'], 'the page fetched one wasm module');

  // (b) An XLSX roster: the import loads the Excel module, says so while it
  // loads, then reads the file in the worker.
  const { generation } = await appState(page);
  await openDrawer(page, 'import');
  await watchStages(page, '#import-reading');
  await page.setInputFiles('#import-roster', data('roster_html_names.xlsx'));
  await page.waitForSelector('#import-ready');
  assert.deepEqual(await stages(page), ['loading', 'working'], 'the dialog said the Excel component was loading, then reading');
  assert.deepEqual([...new Set(excel())].sort(), ['/excel_worker.js', '/youjun_excel.js', '/youjun_excel_bg.wasm'], 'the Excel module was loaded for the import');
  assert.match(await page.textContent('#import-ready'), /「roster_html_names\.xlsx」无误：5 行/);
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-target']);
  assert.equal(await page.locator('#drawer').count(), 0, 'the drawer closed on import');
  await waitMonteCarlo(page);
  const rows = await targetRows(page);

  // (c) The results workbook, made in a new Excel worker, holds the page's
  // own numbers: every target's central value and probability.
  await openDrawer(page, 'export');
  await watchStages(page, '#excel-status');
  const results = await download(page, '#export-results-xlsx');
  assert.equal(results.name, 'youjun-pudong-2024-results.xlsx');
  assert.deepEqual(await stages(page), ['loading', 'working'], 'the drawer said the Excel component was loading, then making the file');
  await page.waitForSelector('#excel-status', { state: 'detached' });
  const book = unzip(results.bytes);
  const sheets = [...book['xl/workbook.xml'].matchAll(/<sheet name="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(sheets, ['全区逐年', '逐校逐年', '目标', '蒙特卡洛区间', '说明']);
  const targets = cells(book, book['xl/worksheets/sheet3.xml']);
  assert.equal(targets.A1, '目标代码');
  rows.forEach((r, k) => {
    assert.equal(targets[`A${k + 2}`], r.id, `target ${k + 1}`);
    assert.equal(targets[`G${k + 2}`], r.value, `${r.id}: the central value the page shows`);
    assert.equal(targets[`I${k + 2}`], r.probability, `${r.id}: the probability the page shows`);
  });
  // The schools sheet runs on the imported roster: its five names, as text.
  const schools = Object.entries(cells(book, book['xl/worksheets/sheet2.xml'])).filter(([ref]) => /^B\d+$/.test(ref) && ref !== 'B1');
  assert.ok(schools.some(([, name]) => name === '=1+1'), 'a formula-like name stays text');

  // The roster as a workbook parses back through the same module: the
  // import dialog finds it valid, with the same five rows.
  const roster = await download(page, '#export-roster-xlsx');
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', { name: roster.name, mimeType: 'application/octet-stream', buffer: roster.bytes });
  await page.waitForSelector('#import-ready');
  assert.match(await page.textContent('#import-ready'), /无误：5 行/);
  await page.screenshot({ path: join(artifactsDir, 'excel-on-demand.png') });
  await assertClean(assert, app);
  await context.close();
});

test('an Excel module that cannot load is reported in both languages, changes nothing, and loads on the next try', async () => {
  const { app, excel } = await openListening();
  const { page, context } = app;
  await waitMonteCarlo(page);
  // What the workspace shows (data-version also counts the language toggles below).
  const shown = async () => {
    const { generation, scenario, mc } = await appState(page);
    return { generation, scenario, mc, rows: await targetRows(page) };
  };
  const before = await shown();
  // The wasm is held, then cannot be fetched (init fails in the worker);
  // later the worker's bindings cannot be (the module worker fails to load).
  let release;
  const held = new Promise((ok) => { release = ok; });
  await context.route('**/youjun_excel_bg.wasm', async (r) => { await held; await r.abort('internetdisconnected'); });
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', data('roster_html_names.xlsx'));
  // While the module loads, the dialog says so.
  await page.waitForSelector('#import-reading[data-stage="loading"]');
  assert.match(await page.textContent('#import-reading'), /^正在加载 Excel 组件…（读取「roster_html_names\.xlsx」需要它/);
  await page.screenshot({ path: join(artifactsDir, 'excel-loading.png') });
  release();
  await page.waitForSelector('#import-status');
  assert.equal(await page.locator('#import-reading').count(), 0, 'no longer loading');
  const zh = await page.textContent('#import-status');
  assert.match(zh, /无法读取文件「roster_html_names\.xlsx」：无法加载 Excel 组件（.+），未作任何更改/);
  await context.unroute('**/youjun_excel_bg.wasm');
  await context.route('**/youjun_excel.js', (r) => r.abort('internetdisconnected'));
  await openDrawer(page, 'export');
  await page.click('#export-roster-xlsx');
  await page.waitForSelector('#excel-status[data-stage="failed"]');
  assert.match(await page.textContent('#excel-status'), /无法加载 Excel 组件（.+），未作任何更改/);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#excel-status'), /could not load the Excel component \(.+\); nothing was changed/);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');
  assert.deepEqual(await shown(), before, 'the workspace is as it was');
  assert.ok(excel().length > 0, 'the module was asked for');

  // Back on line: the same export works.
  await context.unroute('**/youjun_excel.js');
  const file = await download(page, '#export-roster-xlsx');
  assert.equal(file.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.equal(await page.locator('#excel-status').count(), 0, 'the failure is cleared once the file is made');
  await assertClean(assert, app);
  await context.close();
});

/// The page's module has no TOML parser: a TOML scenario file is read in
/// the Excel worker. It opens as a JSON one does, and a file that does not
/// fit the schema gets the CLI's reason, with its line, in the interface
/// language.
test('a TOML scenario file is read in the Excel worker: it opens, and a bad one names its field and line in both languages', async () => {
  const { app, excel } = await openListening();
  const { page } = app;
  assert.deepEqual(excel(), [], 'no Excel module before the file');
  const toml = readFileSync(new URL('../../scenarios/putuo-strong-junior.toml', import.meta.url), 'utf8');
  await openDrawer(page, 'import');
  const g = (await appState(page)).generation;
  await page.setInputFiles('#import-scenario', { name: 'putuo.toml', mimeType: 'application/toml', buffer: Buffer.from(toml) });
  await waitGeneration(page, g, ['chart-target'], { timeout: 60_000 });
  assert.equal((await appState(page)).scenario, 'putuo-strong-junior');
  assert.ok(excel().includes('/youjun_excel_bg.wasm'), `the Excel module read the file: ${excel()}`);
  assert.ok((await page.textContent('#messages')).includes('已打开方案文件「putuo.toml」。'));

  const bad = toml.replace('[[targets]]\n', '[[targets]]\nbogus = 3\n');
  const line = bad.split('\n').findIndex((l) => l.startsWith('bogus')) + 1;
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-scenario', { name: 'bad.toml', mimeType: 'application/toml', buffer: Buffer.from(bad) });
  await page.waitForSelector('#import-status[role="alert"]', { timeout: 60_000 });
  await page.waitForFunction(() => /不是有效的方案文件/.test(document.querySelector('#import-status')?.textContent ?? ''), null, { timeout: 60_000 });
  const zh = await page.textContent('#import-status');
  assert.ok(zh.startsWith('「bad.toml」不是有效的方案文件：') && zh.includes(`第 ${line} 行`) && zh.includes('`targets[0].bogus`'), zh);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  const en = await page.textContent('#import-status');
  assert.ok(en.startsWith('“bad.toml” is not a valid scenario file: ') && en.includes(`line ${line}`) && en.includes('`targets[0].bogus`'), en);
  assert.equal((await appState(page)).scenario, 'putuo-strong-junior', 'the open scenario is kept');
  await assertClean(assert, app);
  await app.context.close();
});
