// The map tab (issue 17): the schools of a roster with coordinates as
// points coloured by the chosen status for the chosen year, current or
// baseline; each category's count agrees with the page's own per-school
// CSV export, the canvas holds the status's colours and no other status's,
// and a roster without coordinates gets an explanation of what to add.
// Screenshots at 1366×768 go to tests/e2e/artifacts/ (map-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  launch, openApp, assertClean, appState, waitDrawn, waitGeneration, canvasDigest, pickScenario, openTab, openDrawer,
  download, parseCsv, layoutOverflow, artifactsDir, setLever, openGroup,
} from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// Okabe–Ito colours of the categories (src/chart/palette.rs).
const GREEN = [0, 158, 115];
const VERMILLION = [213, 94, 0];
const BLUE = [0, 114, 178];
const ORANGE = [230, 159, 0];

/// Per school id, the year's open rows of the page's per-school CSV export.
async function exportedSchools(page, year) {
  await openDrawer(page, 'export');
  const file = await download(page, '#export-schools-csv');
  await page.click('#drawer .close');
  const [head, ...rows] = parseCsv(file.bytes);
  const col = (k) => { const i = head.indexOf(k); assert.ok(i >= 0, `${k} in ${head.join(',')}`); return i; };
  const [id, y, open, passes, nq, teachers, need] = ['school_id', 'year', 'open', 'passes', 'new_quality', 'teachers', 'teacher_need'].map(col);
  const by = new Map();
  for (const r of rows.filter((r) => r[y] === String(year) && r[open] === 'true')) {
    const s = by.get(r[id]) ?? { passes: true, nq: [], teachers: 0, need: 0 };
    s.passes &&= r[passes] === 'true';
    s.nq.push(r[nq]);
    s.teachers += Number(r[teachers]);
    s.need += Number(r[need]);
    by.set(r[id], s);
  }
  return [...by.values()];
}

/// The counts table: [count, …] in legend order.
async function mapCounts(page) {
  return page.$$eval('#map-counts tr[data-category]', (rows) => rows.map((r) => Number(r.dataset.count)));
}

/// How many pixels of the map's frame (above the legend, whose swatches
/// show every category: 38 px at the bottom, src/chart/map.rs) are exactly
/// each colour.
async function colourPixels(page, id, colours) {
  return page.evaluate(([id, colours]) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height - 38).data;
    const n = colours.map(() => 0);
    for (let i = 0; i < d.length; i += 4) {
      colours.forEach(([r, g, b], k) => { if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n[k]++; });
    }
    return n;
  }, [id, colours]);
}

async function chooseStatus(page, status) {
  await page.selectOption('#map-status', status);
  await page.waitForSelector(`#map-counts[data-status="${status}"]`);
  await waitDrawn(page, ['chart-map']);
}

test('the map colours Putuo’s schools by the chosen status; counts agree with the CSV export; baseline and current; screenshots', async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await pickScenario(page, 'putuo-strong-junior');
  const year = 2026;
  const schools = await exportedSchools(page, year);
  await openTab(page, 'map');
  await page.selectOption('#map-year', String(year));
  await page.waitForSelector(`#map-counts[data-year="${year}"]`);
  await waitDrawn(page, ['chart-map']);

  // The school test: passes / fails, counted from the export.
  const passing = schools.filter((s) => s.passes).length;
  assert.deepEqual(await mapCounts(page), [passing, schools.length - passing]);
  assert.ok(passing > 0 && passing < schools.length, 'Putuo has schools both passing and failing in 2026');
  let [green, red, blue, orange] = await colourPixels(page, 'chart-map', [GREEN, VERMILLION, BLUE, ORANGE]);
  assert.ok(green > 0 && red > 0, `passing and failing points drawn (${green}, ${red})`);
  assert.equal(blue + orange, 0, 'no new-quality colours while colouring by the school test');
  await page.screenshot({ path: join(artifactsDir, 'map-putuo-passes.png') });
  const overflow = await layoutOverflow(page);
  assert.deepEqual(overflow.overflowing, [], 'nothing past the right edge at 1366×768');
  const passesPicture = await canvasDigest(page, 'chart-map');

  // New-quality status: none / district / municipal, from the export.
  await chooseStatus(page, 'new_quality');
  const rank = { none: 0, district: 1, municipal: 2, 无: 0, 区级: 1, 市级: 2 };
  const nq = [0, 0, 0];
  for (const s of schools) nq[Math.max(...s.nq.map((v) => rank[v]))]++;
  assert.deepEqual(await mapCounts(page), nq);
  [green, red, blue, orange] = await colourPixels(page, 'chart-map', [GREEN, VERMILLION, BLUE, ORANGE]);
  assert.equal(green + red, 0, 'no pass/fail colours while colouring by new-quality status');
  assert.equal(blue > 0, nq[1] > 0, 'district-level schools in blue');
  assert.equal(orange > 0, nq[2] > 0, 'municipal schools in orange');
  assert.notEqual((await canvasDigest(page, 'chart-map')).hash, passesPicture.hash);

  // Teachers short / about right / surplus, from the export.
  await chooseStatus(page, 'surplus_teachers');
  const staffing = [0, 0, 0];
  for (const s of schools) staffing[s.teachers < 0.95 * s.need ? 0 : s.teachers > 1.05 * s.need ? 2 : 1]++;
  assert.deepEqual(await mapCounts(page), staffing);

  // The baseline is the current scenario until a lever moves; then the
  // baseline keeps its picture and the current one changes.
  const current = await mapCounts(page);
  await page.selectOption('#map-run', 'baseline');
  await waitDrawn(page, ['chart-map']);
  assert.deepEqual(await mapCounts(page), current);
  await page.selectOption('#map-run', 'current');
  await openGroup(page, 'Teachers');
  await setLever(page, 'teachers.attrition_rate', '30', ['chart-map']);
  const after = await mapCounts(page);
  assert.ok(after[0] > current[0], `more schools short of teachers with 30% attrition: ${current} → ${after}`);
  await page.selectOption('#map-run', 'baseline');
  await waitDrawn(page, ['chart-map']);
  assert.deepEqual(await mapCounts(page), current, 'the baseline is unchanged');

  // In English.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await waitDrawn(page, ['chart-map']);
  assert.equal(await page.getAttribute('#chart-map', 'aria-label'), `Schools, ${year}: Teachers short or surplus`);
  await page.screenshot({ path: join(artifactsDir, 'map-putuo-surplus-en.png') });
  await assertClean(assert, app);
  await app.context.close();
});

test('a roster without coordinates: the map tab says which columns to add, in either language', async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await openDrawer(page, 'import');
  const template = await download(page, '#template-csv');
  const { generation } = await appState(page);
  await page.setInputFiles('#import-roster', { name: template.name, mimeType: 'text/csv', buffer: template.bytes });
  await page.waitForSelector('#import-ready');
  await page.click('#import-apply');
  await waitGeneration(page, generation);
  await openTab(page, 'map');
  const zh = await page.textContent('#map-missing');
  for (const w of ['经度', '纬度', 'longitude', 'latitude', 'X坐标', 'Y坐标']) assert.ok(zh.includes(w), `${w} in: ${zh}`);
  assert.equal(await page.locator('#chart-map').count(), 0);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#map-missing'), /^The roster has no school coordinates.*longitude and latitude/);
  // In English, the Chinese headers it names are marked as Chinese, and nothing else is Chinese.
  const unmarked = await page.$eval('#map-missing', (el) => {
    const c = el.cloneNode(true);
    c.querySelectorAll('[lang^="zh"]').forEach((x) => x.remove());
    return c.textContent;
  });
  assert.doesNotMatch(unmarked, /[\u3400-\u9fff]/);
  await page.screenshot({ path: join(artifactsDir, 'map-no-coordinates-en.png') });
  await assertClean(assert, app);
  await app.context.close();
});
