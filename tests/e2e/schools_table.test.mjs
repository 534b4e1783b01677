// End-to-end tests of the schools tab's virtualised table (src/ui/schools.rs):
// only the rows in view (and a few either side) are in the DOM, between two
// spacers, yet scrolling, sorting, filtering, the keyboard and screen-reader
// semantics (aria-rowcount, aria-rowindex) reach every one of Pudong's 325
// school rows.
//
// The rows the table should list are read from the page's own per-school CSV
// export (the same run, computed by another code path), never typed in.
//
// Run: node --test --test-reporter=spec tests/e2e/schools_table.test.mjs
// (after web/build.sh). Every test ends with assertClean: no panic, no
// console error, no request to another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openApp, assertClean, openTab, waitDrawn, download, openDrawer, parseCsv, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// Every body row is this tall (ROW_PX in src/ui/schools.rs).
const ROW_PX = 24;
/// The year the schools tab opens on for Pudong.
const YEAR = '2026';
/// Far fewer than 325: the rows in view (about 20 at 1366×768) and the
/// overscan either side.
const MAX_RENDERED = 60;

/// The open school rows of YEAR from the page's per-school CSV export:
/// { id, name, level ('primary' | 'junior'), passes, indicator0 }.
async function exportedRows(page) {
  await openDrawer(page, 'export');
  const file = await download(page, '#export-schools-csv');
  await page.click('#drawer .close');
  const [head, ...rows] = parseCsv(file.bytes);
  const col = (k) => {
    const i = head.indexOf(k);
    assert.ok(i >= 0, `column ${k} in the schools CSV (${head.join(',')})`);
    return i;
  };
  const [id, name, level, year, open, passes, q] = ['school_id', 'name', 'level', 'year', 'open', 'passes', 'qualified_teachers_per_100'].map(col);
  return rows
    .filter((r) => r[year] === YEAR && r[open] === 'true')
    .map((r) => ({ id: r[id], name: r[name], level: r[level], passes: r[passes] === 'true', indicator0: r[q] === '' || r[q] === 'NaN' ? null : Number(r[q]) }));
}

/// Opens Pudong's schools tab with downloads allowed; returns the app and
/// the rows the table should list.
async function openSchools() {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const expected = await exportedRows(app.page);
  await openTab(app.page, 'schools', ['chart-heat-map']);
  assert.equal(expected.length, 325, 'Pudong has 325 open school rows in 2026 (the CSV export)');
  return { app, page: app.page, expected };
}

/// Scrolls the table's box to `top` (clamped by the browser), waits until
/// every row in view is rendered (or a second passes), and returns what is
/// there: the box's metrics and each rendered row.
async function scrollTable(page, top) {
  return page.evaluate(async ([top, rowPx]) => {
    const box = document.getElementById('school-table-scroll');
    const table = document.getElementById('school-table');
    if (top !== null) box.scrollTop = top;
    const n = Number(table.getAttribute('aria-rowcount')) - 1;
    const head = table.querySelector('thead').offsetHeight;
    const first = Math.floor(box.scrollTop / rowPx);
    const last = Math.min(n - 1, Math.floor((box.scrollTop + box.clientHeight - head - 1) / rowPx));
    const inView = () => n === 0 || (box.querySelector(`tr[data-pos="${first}"]`) && box.querySelector(`tr[data-pos="${last}"]`));
    for (let i = 0; i < 60 && !inView(); i++) await new Promise((r) => requestAnimationFrame(r));
    const rows = [...table.querySelectorAll('tbody tr:not(.spacer)')].map((tr) => ({
      pos: Number(tr.dataset.pos),
      rowindex: Number(tr.getAttribute('aria-rowindex')),
      id: tr.dataset.school,
      name: tr.querySelector('th').textContent,
      level: tr.children[1].textContent,
      indicator0: tr.children[4].dataset.value === '' ? null : Number(tr.children[4].dataset.value),
      offsetTop: tr.offsetTop,
      height: tr.getBoundingClientRect().height,
      selected: tr.classList.contains('selected'),
    }));
    return { n, head, first, last, scrollTop: box.scrollTop, scrollHeight: box.scrollHeight, clientHeight: box.clientHeight, rows, spacers: table.querySelectorAll('tbody tr.spacer').length };
  }, [top, ROW_PX]);
}

/// Asserts the rendered rows are consistent and cover the box's view.
function assertView(v, where) {
  const positions = v.rows.map((r) => r.pos);
  for (let p = v.first; p <= v.last; p++) assert.ok(positions.includes(p), `${where}: row ${p} is in view but not rendered (rendered ${positions[0]}–${positions.at(-1)})`);
  assert.ok(v.rows.length <= MAX_RENDERED, `${where}: ${v.rows.length} rows in the DOM`);
  for (const r of v.rows) {
    assert.equal(r.rowindex, r.pos + 2, `${where}: aria-rowindex of row ${r.pos} (the header is row 1)`);
    assert.equal(r.height, ROW_PX, `${where}: row ${r.pos} is ${r.height} px tall`);
    // Where the row is is where a full table would have it: the spacers
    // hold the missing rows' height exactly.
    assert.equal(r.offsetTop, v.head + r.pos * ROW_PX, `${where}: row ${r.pos} at ${r.offsetTop} px, not ${v.head + r.pos * ROW_PX}`);
  }
  positions.forEach((p, k) => k === 0 || assert.equal(p, positions[k - 1] + 1, `${where}: rendered rows are contiguous`));
}

/// Every row of the list, read by scrolling the box from top to bottom a
/// view at a time, checking each view on the way.
async function readWholeTable(page, where) {
  let v = await scrollTable(page, 0);
  const all = new Map();
  for (let step = 0; step < 100; step++) {
    assertView(v, `${where} at ${v.scrollTop}px`);
    for (const r of v.rows) all.set(r.pos, r);
    if (v.scrollTop + v.clientHeight >= v.scrollHeight) break;
    v = await scrollTable(page, v.scrollTop + v.clientHeight - v.head);
  }
  const rows = [...all.values()].sort((a, b) => a.pos - b.pos);
  assert.deepEqual(rows.map((r) => r.pos), [...Array(v.n).keys()], `${where}: scrolling reached every row once`);
  return { rows, last: v };
}

const LEVEL = { 小学: 'primary', 初中: 'junior' };
const key = (r) => `${r.id}/${LEVEL[r.level] ?? r.level}`;

test('the school table holds only the rows in view, yet scrolling reaches all 325 in name order, and the bottom shows the last school', async () => {
  const { app, page, expected } = await openSchools();
  const top = await scrollTable(page, 0);
  assert.equal(top.n, 325, 'aria-rowcount is the whole list plus the header row');
  assert.match(await page.textContent('#school-count'), /^325 /);
  assert.ok(top.rows.length < 325 / 5, `far fewer rows in the DOM than in the list: ${top.rows.length}`);
  assert.ok(top.rows.length >= top.last - top.first + 1, 'at least the rows in view');
  assert.equal(top.scrollHeight, top.head + 325 * ROW_PX, 'the scroll height is that of the whole list');
  assert.equal(top.spacers, 1, 'at the top only the spacer below');

  const { rows, last } = await readWholeTable(page, 'name order');
  // The same school rows as the export, each once.
  assert.deepEqual(rows.map(key).sort(), expected.map((r) => `${r.id}/${r.level}`).sort());
  // Ascending by name (code point order, as Rust compares strings).
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  for (let k = 1; k < rows.length; k++) assert.ok(cmp(rows[k - 1].name, rows[k].name) <= 0, `row ${k}: “${rows[k - 1].name}” before “${rows[k].name}”`);

  // The bottom: the last school by name is the last row, and it is in view.
  const bottom = await scrollTable(page, 1e6);
  const lastRow = bottom.rows.at(-1);
  const lastName = expected.map((r) => r.name).sort(cmp).at(-1);
  assert.deepEqual({ pos: lastRow.pos, rowindex: lastRow.rowindex, name: lastRow.name }, { pos: 324, rowindex: 326, name: lastName });
  assert.equal(bottom.spacers, 1, 'at the bottom only the spacer above');
  const visible = await page.evaluate(() => {
    const box = document.getElementById('school-table-scroll').getBoundingClientRect();
    const row = document.querySelector('#school-table tr[data-pos="324"]').getBoundingClientRect();
    return row.top >= box.top && row.bottom <= box.bottom + 0.5;
  });
  assert.ok(visible, 'the last row is inside the box');
  assert.equal(last.rows.at(-1).pos, 324);

  // Clicking a school far down opens its trajectory.
  await page.click('#school-table tr[data-pos="324"] th button');
  await page.waitForSelector('#chart-school');
  await waitDrawn(page, ['chart-heat-map', 'chart-school']);
  assert.ok((await page.getAttribute('#chart-school', 'aria-label')).startsWith(lastName), 'the trajectory is the clicked school’s');
  assert.match(await page.getAttribute(`#school-table tr[data-pos="324"]`, 'class'), /\bselected\b/);
  await assertClean(assert, app);
  await app.context.close();
});

test('sorting by an indicator, then scrolling, keeps the order through the whole list, both ways', async () => {
  const { app, page, expected } = await openSchools();
  // Scrolled away first: a new sort starts at the top of its list.
  await scrollTable(page, 3000);
  const sortButton = page.locator('#school-table thead th').nth(4).locator('button');
  await sortButton.click();
  await page.waitForSelector('#school-table thead th:nth-child(5)[aria-sort="ascending"]');
  const asc = await readWholeTable(page, 'ascending');
  // Missing values sort first; then the values in order, as in the export.
  const value = (x) => (x === null ? -Infinity : x);
  const want = expected.map((r) => value(r.indicator0)).sort((a, b) => a - b);
  assert.deepEqual(asc.rows.map((r) => value(r.indicator0)), want, 'ascending through every row');

  await sortButton.click();
  await page.waitForSelector('#school-table thead th:nth-child(5)[aria-sort="descending"]');
  const fresh = await scrollTable(page, null);
  assert.equal(fresh.scrollTop, 0, 'a new sort shows the top of the list');
  const desc = await readWholeTable(page, 'descending');
  assert.deepEqual(desc.rows.map((r) => value(r.indicator0)), [...want].reverse(), 'descending through every row');
  await assertClean(assert, app);
  await app.context.close();
});

test('keyboard: Tab walks the school rows past those first rendered; arrows, Page Down, End and Home move between rows; Enter opens a school', async () => {
  const { app, page } = await openSchools();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const tr = el?.closest('#school-table tr[data-pos]');
    if (!tr) return { pos: null, tag: el?.tagName, id: el?.id };
    const box = document.getElementById('school-table-scroll').getBoundingClientRect();
    const head = document.querySelector('#school-table thead').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return {
      pos: Number(tr.dataset.pos),
      rowindex: Number(tr.getAttribute('aria-rowindex')),
      name: el.textContent,
      // In the box and not under its sticky header.
      visible: r.top >= head.bottom - 0.5 && r.bottom <= box.bottom + 0.5,
      focusVisible: el.matches(':focus-visible'),
    };
  });
  const initial = await scrollTable(page, 0);
  const beyond = initial.rows.at(-1).pos + 10;
  await page.focus('#school-table tr[data-pos="0"] th button');
  for (let i = 0; i < beyond; i++) await page.keyboard.press('Tab');
  let f = await focused();
  assert.deepEqual({ pos: f.pos, rowindex: f.rowindex, visible: f.visible }, { pos: beyond, rowindex: beyond + 2, visible: true },
    `Tab ×${beyond} from the first row reaches row ${beyond} (first rendered: 0–${initial.rows.at(-1).pos})`);
  await page.keyboard.press('Shift+Tab');
  f = await focused();
  assert.deepEqual({ pos: f.pos, visible: f.visible }, { pos: beyond - 1, visible: true }, 'Shift+Tab goes back a row');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  f = await focused();
  assert.equal(f.pos, beyond + 1, 'ArrowDown ×2');
  await page.keyboard.press('ArrowUp');
  assert.equal((await focused()).pos, beyond, 'ArrowUp');
  await page.keyboard.press('PageDown');
  f = await focused();
  assert.ok(f.pos > beyond + 5 && f.visible, `Page Down moves about a view down: row ${f.pos}`);

  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.closest('tr')?.dataset.pos === '324');
  f = await focused();
  assert.deepEqual({ pos: f.pos, rowindex: f.rowindex, visible: f.visible, focusVisible: f.focusVisible }, { pos: 324, rowindex: 326, visible: true, focusVisible: true }, 'End: the last row, in view, with the focus ring');
  await page.screenshot({ path: join(artifactsDir, 'schools-table-keyboard-end.png') });

  // Enter on a row's button opens that school, and the focus stays on it.
  const name = f.name;
  await page.keyboard.press('Enter');
  await page.waitForSelector('#chart-school');
  await waitDrawn(page, ['chart-heat-map', 'chart-school']);
  assert.ok((await page.getAttribute('#chart-school', 'aria-label')).startsWith(name));
  assert.equal((await focused()).pos, 324, 'the focus stays on the opened row');

  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.activeElement?.closest('tr')?.dataset.pos === '0');
  f = await focused();
  assert.deepEqual({ pos: f.pos, visible: f.visible }, { pos: 0, visible: true }, 'Home: the first row');
  await assertClean(assert, app);
  await app.context.close();
});

test('filters shrink the list: a search and level and status filters list exactly the matching schools, from the top, without spacers', async () => {
  const { app, page, expected } = await openSchools();
  await scrollTable(page, 1e6);
  // A search: names containing it (or codes), as in the export.
  const needle = '初级中学 01';
  await page.fill('#school-filter', needle);
  const matching = expected.filter((r) => r.name.toLowerCase().includes(needle.toLowerCase()) || r.id.toLowerCase().includes(needle.toLowerCase()));
  assert.ok(matching.length > 0 && matching.length < 30, `a handful match “${needle}”: ${matching.length}`);
  await page.waitForFunction((n) => document.getElementById('school-table').getAttribute('aria-rowcount') === String(n + 1), matching.length);
  let v = await scrollTable(page, null);
  assert.equal(v.scrollTop, 0, 'the filtered list shows from its top');
  assert.match(await page.textContent('#school-count'), new RegExp(`^${matching.length} `));
  assert.deepEqual(v.rows.map(key).sort(), matching.map((r) => `${r.id}/${r.level}`).sort(), 'exactly the matching schools');
  assertView(v, 'search');
  assert.equal(v.spacers, 0, 'a list that fits needs no spacer');

  // Level and status: junior schools that fail, from the export.
  await page.fill('#school-filter', '');
  await page.selectOption('#school-level', 'junior');
  await page.selectOption('#school-pass', 'failing');
  const failing = expected.filter((r) => r.level === 'junior' && !r.passes);
  await page.waitForFunction((n) => document.getElementById('school-table').getAttribute('aria-rowcount') === String(n + 1), failing.length);
  const { rows } = await readWholeTable(page, 'junior, failing');
  assert.deepEqual(rows.map(key).sort(), failing.map((r) => `${r.id}/${r.level}`).sort(), 'exactly the failing junior schools');
  await page.screenshot({ path: join(artifactsDir, 'schools-table-filtered.png') });
  await assertClean(assert, app);
  await app.context.close();
});

test('screenshot: the schools tab at 1366×768 with the table scrolled to its middle', async () => {
  const { app, page } = await openSchools();
  await page.locator('#school-table-scroll').scrollIntoViewIfNeeded();
  const v = await scrollTable(page, 150 * ROW_PX);
  assertView(v, 'middle');
  await page.screenshot({ path: join(artifactsDir, 'schools-table-middle.png') });
  await assertClean(assert, app);
  await app.context.close();
});
