// End-to-end: the browser's CSV downloads are safe for spreadsheets (issue 18,
// defect 2). A roster whose school and group names look like formulas is
// imported; every CSV the page offers (district, schools, targets, roster)
// has no cell a spreadsheet would evaluate, and the roster CSV imports back
// to the same names. Every test ends with assertClean.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openApp, assertClean, appState, waitGeneration, openTab, download, openDrawer, parseCsv } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const data = (name) => new URL(`../data/${name}`, import.meta.url).pathname;

/// The names in tests/data/roster_formula_names.csv, as the roster holds them.
const NAMES = [
  '=HYPERLINK("http://example.com/x","点我")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  "@SUM(A1:A9)*cmd|' /C calc'!A0",
  "'=真的以引号开头",
  "'普通引号",
  '-初中',
];

/// What Excel, WPS and LibreOffice evaluate in a CSV cell (OWASP): a cell
/// starting with = + - @ tab or CR that is not a plain number.
const evaluates = (cell) => /^[=+\-@\t\r]/.test(cell) && !Number.isFinite(Number(cell));

/// One leading apostrophe before a guarded text comes off, as the roster reader does.
const unguard = (cell) => (/^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

async function importRoster(page, file) {
  await openDrawer(page, 'import');
  const { generation } = await appState(page);
  await page.setInputFiles('#import-roster', file);
  await page.waitForSelector('#import-ready');
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-target']);
}

async function schoolNames(page) {
  await openTab(page, 'schools', ['chart-heat-map']);
  return page.$$eval('#school-table tbody th', (ths) => ths.map((th) => th.textContent));
}

test('every CSV download of a roster with formula names has no cell a spreadsheet would evaluate, and the roster CSV re-imports to the same names', async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await importRoster(page, data('roster_formula_names.csv'));
  const shown = await schoolNames(page);
  for (const n of NAMES) assert.ok(shown.includes(n), `“${n}” shown as imported; names: ${JSON.stringify(shown)}`);

  await openDrawer(page, 'export');
  const files = {};
  for (const id of ['district', 'schools', 'targets', 'roster']) {
    files[id] = await download(page, `#export-${id}-csv`);
    const rows = parseCsv(files[id].bytes);
    const bad = rows.flatMap((r, i) => r.map((c, j) => [i + 1, j + 1, c])).filter(([, , c]) => evaluates(c));
    assert.deepEqual(bad, [], `${files[id].name}: cells a spreadsheet would evaluate`);
  }
  const schools = parseCsv(files.schools.bytes);
  const name = schools[0].indexOf('name');
  const exported = new Set(schools.slice(1).map((r) => unguard(r[name])));
  for (const n of NAMES) assert.ok(exported.has(n), `“${n}” in ${files.schools.name}`);
  assert.ok(schools.slice(1).some((r) => r[name] === `'${NAMES[0]}`), 'the guard is one apostrophe');
  await page.click('#drawer .close');

  // The roster CSV the page wrote imports back to the same names. The
  // roster is the same, so applying it may not start a new run: the check
  // waits for the table to hold exactly the imported names.
  const roster = files.roster;
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', { name: roster.name, mimeType: 'text/csv', buffer: roster.bytes });
  await page.waitForSelector('#import-ready');
  assert.equal(await page.locator('#import-problems').count(), 0, 'the exported roster imports without problems');
  await page.click('#import-apply');
  await openTab(page, 'schools', ['chart-heat-map']);
  const expected = [...shown].sort();
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('#school-table tbody th')].map((th) => th.textContent).sort()) === JSON.stringify(want),
    expected,
    { timeout: 15_000 },
  );
  assert.deepEqual((await schoolNames(page)).sort(), expected, 'the same names after a round trip');
  await assertClean(assert, app);
});
