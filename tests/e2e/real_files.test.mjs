// End-to-end test of rosters as bureaus keep them (issue 17): through the
// browser's import dialog, the roster template saved as GB18030 CSV by
// LibreOffice, and a LibreOffice workbook with two sheets holding a roster
// (2023学年, 2024学年), then the official form (title, two-row merged
// header, totals) whose one roster sheet is chosen by itself. Each time the
// dialog shows how the file was read (encoding, sheet, header, columns,
// rows left aside) before anything is applied; applying gives the template's
// three schools. The files and the commands that made them:
// tests/data/real-files/README.md.
//
// Run: node --test --test-reporter=spec tests/e2e/real_files.test.mjs
// (after web/build.sh). Ends with assertClean: no panic, no console error,
// no request to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openApp, assertClean, appState, waitGeneration, openTab, artifactsDir, textIfAny } from './harness.mjs';

const data = (name) => readFileSync(fileURLToPath(new URL(`../data/real-files/${name}`, import.meta.url)));
const TEMPLATE_SCHOOLS = ['示例小学 001', '示例九年一贯制学校 002', '示例初中 003'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function openImport(page) {
  if ((await page.locator('#drawer[data-drawer="import"]').count()) === 0) await page.click('#open-import');
  await page.waitForSelector('#drawer[data-drawer="import"]');
}

async function choose(page, name, mimeType) {
  await page.setInputFiles('#import-roster', { name, mimeType, buffer: data(name) });
  await page.waitForSelector('#import-ready, #import-problems', { timeout: 30_000 });
}

async function decisions(page) {
  return page.$$eval('#import-mapping .mapping-decisions li', (lis) => lis.map((li) => li.textContent));
}

/** Applies the roster in the dialog and checks the schools tab lists exactly the template's schools. */
async function applyAndCheck(page, shot) {
  const { generation } = await appState(page);
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-heat-map']);
  const status = await textIfAny(page, '#import-status');
  assert.doesNotMatch(status, /无法|cannot/, `import status: ${status}`);
  await openTab(page, 'schools', ['chart-heat-map']);
  const names = await page.$$eval('#school-table tbody th', (ths) => ths.map((th) => th.textContent));
  assert.equal(new Set(names.map((x) => TEMPLATE_SCHOOLS.find((n) => x.includes(n)))).size, 3, JSON.stringify(names));
  assert.ok(names.every((x) => TEMPLATE_SCHOOLS.some((n) => x.includes(n))), `only the template's schools: ${JSON.stringify(names)}`);
  if (shot) await page.screenshot({ path: join(artifactsDir, shot) });
}

test('the template saved as GB18030 CSV imports, saying its encoding, in Chinese and in English', async () => {
  const app = await openApp(env);
  const { page } = app;
  await openTab(page, 'schools', ['chart-heat-map']);
  await openImport(page);
  await choose(page, 'template-gb18030.csv', 'text/csv');
  assert.equal(await page.locator('#import-problems').count(), 0, await textIfAny(page, '#import-problems'));
  assert.match(await page.textContent('#import-ready'), /4 行（3 所学校）/);
  const said = await decisions(page);
  assert.ok(said.includes('文件编码：GB18030/GBK（自动识别，不是 UTF-8）'), JSON.stringify(said));
  assert.ok(said.includes('表头：第 1 行'), JSON.stringify(said));
  assert.equal(await page.locator('#import-mapping li.unusual').count(), 1, 'only the encoding is unusual');
  // Every one of the template's 32 columns is matched, shown column by column.
  assert.match(await page.textContent('#import-mapping summary'), /32 列中 32 列对应到花名册字段/);
  assert.equal(await page.locator('#import-mapping tr[data-field="school_id"]').count(), 1);
  // The same in English, without reading the file again.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  assert.ok((await decisions(page)).includes('Encoding: GB18030/GBK (detected; not UTF-8)'), JSON.stringify(await decisions(page)));
  assert.match(await page.textContent('#import-mapping summary'), /Columns: 32 of 32 matched to roster fields/);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');
  await applyAndCheck(page);
  await assertClean(assert, app);
  await app.context.close();
});

/// The template in each encoding a bureau's PC writes (UTF-8, UTF-8 with a
/// BOM as the dialog offers it, UTF-16 LE as Excel's "Unicode text",
/// GB18030 as LibreOffice wrote it, GBK as iconv wrote it) reads through the
/// dialog to the same four rows and 32 matched columns and says its
/// encoding; the UTF-16 file applies to the template's three schools
/// (natively, every encoding gives the identical roster:
/// tests/it/roster_encodings.rs).
test('the template in every encoding imports through the dialog to the same schools, each saying its encoding', { timeout: 300_000 }, async () => {
  const app = await openApp(env);
  const { page } = app;
  // applyAndCheck waits for the schools tab's heat map.
  await openTab(page, 'schools', ['chart-heat-map']);
  const template = readFileSync(fileURLToPath(new URL('../golden/roster-template.csv', import.meta.url)));
  const files = [
    ['template-utf8.csv', data('template-utf8.csv'), '文件编码：UTF-8'],
    ['roster-template.csv', template, '文件编码：UTF-8 (BOM)'],
    ['template-utf16le.txt', data('template-utf16le.txt'), '文件编码：UTF-16 LE（自动识别，不是 UTF-8）'],
    ['template-gb18030.csv', data('template-gb18030.csv'), '文件编码：GB18030/GBK（自动识别，不是 UTF-8）'],
    ['template-gbk-iconv.csv', data('template-gbk-iconv.csv'), '文件编码：GB18030/GBK（自动识别，不是 UTF-8）'],
  ];
  for (const [name, buffer, said] of files) {
    await openImport(page);
    await page.setInputFiles('#import-roster', { name, mimeType: 'text/csv', buffer });
    await page.waitForSelector('#import-ready, #import-problems', { timeout: 30_000 });
    assert.equal(await page.locator('#import-problems').count(), 0, `${name}: ${await textIfAny(page, '#import-problems')}`);
    assert.match(await page.textContent('#import-ready'), /4 行（3 所学校）/, name);
    const decided = await decisions(page);
    assert.ok(decided.includes(said), `${name}: ${JSON.stringify(decided)}`);
    assert.match(await page.textContent('#import-mapping summary'), /32 列中 32 列对应到花名册字段/, name);
    // Applying takes a while; the GB18030 file is applied in the test above,
    // and UTF-16 (the least like the others) here.
    if (name.includes('utf16')) await applyAndCheck(page);
    else await page.click('#drawer .close');
  }
  await assertClean(assert, app);
  await app.context.close();
});

test('a workbook with two roster sheets waits for the planner to choose one, then imports it', async () => {
  const app = await openApp(env);
  const { page } = app;
  await openTab(page, 'schools', ['chart-heat-map']);
  await openImport(page);
  await choose(page, 'two-sheets.xlsx', XLSX);
  // Nothing is read until a sheet is chosen: the problem names both, the dialog lists them.
  const problem = await page.textContent('#import-problems');
  assert.match(problem, /2 张工作表含花名册：「2023学年」「2024学年」/);
  assert.equal(await page.locator('#import-apply').count(), 0);
  const options = await page.$$eval('#import-sheet option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(options, ['请选择工作表', '2023学年（含花名册）', '2024学年（含花名册）']);
  await page.selectOption('#import-sheet', '2024学年');
  await page.waitForSelector('#import-ready', { timeout: 30_000 });
  assert.match(await page.textContent('#import-ready'), /4 行（3 所学校）/);
  assert.ok((await decisions(page)).includes('工作表：「2024学年」（指定）'));
  assert.equal(await page.$eval('#import-sheet', (s) => s.value), '2024学年');
  await applyAndCheck(page);
  await assertClean(assert, app);
  await app.context.close();
});

test('the official form shows every mapping decision before it is applied', async () => {
  const app = await openApp(env);
  const { page } = app;
  await openTab(page, 'schools', ['chart-heat-map']);
  await openImport(page);
  await choose(page, 'official.xlsx', XLSX);
  assert.equal(await page.locator('#import-problems').count(), 0, await textIfAny(page, '#import-problems'));
  const said = await decisions(page);
  for (const expected of [
    '工作表：「基本情况」，2 张工作表中唯一含花名册的一张',
    '两行表头：第 3–4 行（第 3 行有分组标题，列名在第 4 行；跨两行合并的列名取第 3 行）',
    '第 1 行在表头之上（标题或说明：「示例区2024学年义务教育学校基本情况统计表」），略过',
    '第 10 行为合计行（「合计」），略过',
    'X 列「办学条件 / 教学仪器设备值（万元）」→ 教学仪器设备值(元)（equipment_yuan）：去掉单位「万元」后匹配；数值乘以 10000 折算',
  ]) assert.ok(said.includes(expected), `${expected} in ${JSON.stringify(said, null, 1)}`);
  await page.click('#import-mapping summary');
  await page.screenshot({ path: join(artifactsDir, 'real-files-mapping.png') });
  await applyAndCheck(page);
  await assertClean(assert, app);
  await app.context.close();
});
