// End-to-end tests of bounded import (issue 18, items 1 and 5): a workbook
// bomb is refused in the browser with a message and no panic, the workspace
// still answers a lever edit afterwards, a file over the size limit is not
// read, and reading a 50,000-row CSV, then applying it (the workspace runs
// on it), leaves no main-thread task over 200 ms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { mkdtempSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp, assertClean, appState, waitGeneration, setLever, openDrawer, targetRows, recordLongTasks, longTasks, leverId, MIGRATION } from './harness.mjs';

let env;
// Large files go to the page from disk: a buffer would be decoded by a
// script in the page, a main-thread task of its own.
const scratch = mkdtempSync(join(tmpdir(), 'youjun-bounded-'));
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function closeDrawer(page, key) {
  if ((await page.locator(`#drawer[data-drawer="${key}"]`).count()) > 0) await page.click(`#open-${key}`);
  await page.waitForSelector('#drawer', { state: 'detached' });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/// A zip of [name, bytes, deflate?, declaredSize?] entries.
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, body, deflate, declared] of entries) {
    const data = deflate ? deflateRawSync(body, { level: 9 }) : body;
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0);
    common.writeUInt16LE(0, 2);
    common.writeUInt16LE(deflate ? 8 : 0, 4);
    common.writeUInt16LE(0, 6);
    common.writeUInt16LE(0x21, 8);
    common.writeUInt32LE(crc32(body), 10);
    common.writeUInt32LE(data.length, 14);
    common.writeUInt32LE(declared ?? body.length, 18);
    common.writeUInt16LE(Buffer.byteLength(name), 22);
    common.writeUInt16LE(0, 24);
    const n = Buffer.from(name);
    const local = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), common, n, data]);
    // Comment length, disk, internal and external attributes, then the offset.
    const tail = Buffer.alloc(14);
    tail.writeUInt32LE(offset, 10);
    centrals.push(Buffer.concat([Buffer.from('PK\x01\x02', 'binary'), Buffer.from([20, 0]), common, tail, n]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.write('PK\x05\x06', 0, 'binary');
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

/// A valid workbook whose one sheet holds one text cell of `n` letters A:
/// some hundred KB that inflate to `n` bytes. `declared` replaces the
/// sheet's uncompressed size in the headers (a header that lies).
function workbookBomb(n, declared) {
  const xml = (s) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${s}`);
  const sheet = Buffer.concat([
    xml('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'),
    Buffer.alloc(n, 'A'),
    Buffer.from('</t></is></c></row></sheetData></worksheet>'),
  ]);
  return zip([
    ['[Content_Types].xml', xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')],
    ['_rels/.rels', xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')],
    ['xl/workbook.xml', xml('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')],
    ['xl/_rels/workbook.xml.rels', xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')],
    ['xl/worksheets/sheet1.xml', sheet, true, declared],
  ]);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('a workbook bomb is refused with a message, no panic, and the workspace still answers edits', async () => {
  const app = await openApp(env);
  const { page } = app;
  // 70 MB of XML in ~70 KB; with honest headers, then with a header that
  // declares 10 bytes (refused while inflating).
  for (const declared of [undefined, 10]) {
    const bomb = workbookBomb(70 << 20, declared);
    assert.ok(bomb.length < 600 << 10, `${bomb.length} bytes`);
    await openDrawer(page, 'import');
    await page.setInputFiles('#import-roster', { name: 'bomb.xlsx', mimeType: XLSX, buffer: bomb });
    await page.waitForSelector('#import-problems', { timeout: 60_000 });
    const text = await page.textContent('#import-problems');
    assert.match(text, /「bomb\.xlsx」有 1 处问题/);
    assert.match(text, /部件「xl\/worksheets\/sheet1\.xml」解压后超过 64 MB 的上限/);
    assert.equal(await page.locator('#import-drop-bad').count(), 0);
    assert.equal(await page.locator('#import-current').count(), 0, 'no roster was imported');
    await closeDrawer(page, 'import');
  }
  // The page still answers a lever edit.
  await setLever(page, 'enrollment.intake_adjustment', '1.1', ['chart-target']);
  await assertClean(assert, app);
  await app.context.close();
});

test('a roster file over 64 MB is refused without being read', async () => {
  const app = await openApp(env);
  const { page } = app;
  await openDrawer(page, 'import');
  const huge = join(scratch, 'huge.csv');
  writeFileSync(huge, '');
  truncateSync(huge, (64 << 20) + 1);
  await page.setInputFiles('#import-roster', huge);
  await page.waitForSelector('#import-status');
  assert.equal(await page.textContent('#import-status'), '无法读取文件「huge.csv」：文件大于 64 MB 的上限，未读取');
  await assertClean(assert, app);
  await app.context.close();
});

/// 50,000 rows (25,000 primary, 25,000 junior schools), as a CSV file
/// named large.csv; returns its path.
function largeCsv(n = 50_000, name = 'large.csv') {
  const head = '学校代码,学校名称,学段,在校生数,专任教师数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积(平方米),体育运动场馆面积(平方米),教学仪器设备值(元),网络多媒体教室数,对口初中';
  const rows = [head];
  for (let i = 0; i < n; i++) {
    rows.push(i % 2 === 0
      ? `P${i},第${i}小学,小学,300,20,15,2,2,1500,2500,600000,10,`
      : `J${i},第${i}初中,初中,400,35,25,3,3,2600,4200,1300000,14,`);
  }
  const path = join(scratch, name);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}


/// Reading and checking the file (in the worker) and showing the result;
/// returns the long tasks it left.
async function readLarge() {
  const app = await openApp(env);
  const { page } = app;
  await openDrawer(page, 'import');
  await recordLongTasks(page);
  await page.setInputFiles('#import-roster', largeCsv());
  await page.waitForSelector('#import-ready', { timeout: 120_000 });
  assert.match(await page.textContent('#import-ready'), /50000 行（50000 所学校）/);
  const long = await longTasks(page);
  console.log(`long tasks while reading 50,000 rows (ms): ${JSON.stringify(long)}`);
  await assertClean(assert, app);
  await app.context.close();
  return long;
}

/// A task over `budget` ms in one attempt may be the machine pausing the
/// browser (a shared CI host: once a 436 ms task where reruns of the same
/// commit gave 111–125 ms). So the steps run once more, in a fresh page, and
/// the test fails only when that attempt also has one: a step the page
/// itself makes too long shows in both.
async function noTaskOver(budget, first, again) {
  if (first.every((d) => d <= budget)) return;
  console.log(`a task over ${budget} ms (${JSON.stringify(first)}): measuring again`);
  const second = await again();
  assert.ok(second.every((d) => d <= budget),
    `main-thread tasks over ${budget} ms, in two attempts: ${JSON.stringify(first)}, then ${JSON.stringify(second)}`);
}

test('reading a 50,000-row CSV leaves no main-thread task over 200 ms', async () => {
  await noTaskOver(200, await readLarge(), readLarge);
});

/// Applying it: a roster this big is applied a step at a time (its JSON in
/// slices, the model, the central run a year at a time; `with_roster_then`
/// in src/ui/state.rs), with the dialog showing the step, then every view.
/// Until issue 18 this took over 90 s: each primary without a 对口初中 held a
/// share for every junior row (25,000 × 25,000). The results must show; the
/// long tasks it leaves are recorded for the next test.
async function applyLarge() {
  const app = await openApp(env);
  const { page } = app;
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', largeCsv());
  await page.waitForSelector('#import-ready', { timeout: 120_000 });
  await recordLongTasks(page);
  const { generation } = await appState(page);
  const started = Date.now();
  await page.click('#import-apply');
  // The dialog counts the steps while the page stays live.
  await page.waitForFunction(() => /正在应用花名册「large\.csv」：\d+\/\d+ 步/.test(document.querySelector('#import-status')?.textContent ?? ''), null, { timeout: 30_000 });
  await waitGeneration(page, generation, ['chart-target'], { timeout: 60_000 });
  console.log(`applying 50,000 rows: ${Date.now() - started} ms to the redrawn target chart`);
  const long = await longTasks(page);
  console.log(`long tasks while applying 50,000 rows (ms): ${JSON.stringify(long)}`);
  // The workspace runs on the imported roster: all 50,000 schools.
  assert.match(await page.textContent('#messages'), /已导入花名册「large\.csv」：50000 行。/);
  await openDrawer(page, 'import');
  assert.match(await page.textContent('#import-current'), /当前使用导入的花名册「large\.csv」（50000 行/);
  assert.ok((await targetRows(page)).length > 0, 'the targets table shows the run');
  await assertClean(assert, app);
  await app.context.close();
  return long;
}

let applyLongTasks = null;
test('applying a 50,000-row CSV runs the workspace on it', async () => {
  applyLongTasks = await applyLarge();
});

/// No step of that apply, nor the views and the autosave after it, holds the
/// main thread over 200 ms.
test('applying a 50,000-row CSV leaves no main-thread task over 200 ms', async () => {
  assert.ok(applyLongTasks, 'the apply test ran');
  await noTaskOver(200, applyLongTasks, applyLarge);
});

/// A roster too big for localStorage (8,000 rows: about 4 MB of JSON, over
/// the 2 MB kept inline): the autosave keeps the planner's edits and the
/// roster's hash, never fails for lack of room, and the roster itself goes to
/// IndexedDB. After a reload both are back. Without IndexedDB's copy (here:
/// deleted), the page says the file must be imported again, and importing it
/// again is recognised as the same roster.
test('an imported roster too big for localStorage comes back from IndexedDB, or is asked for again', async () => {
  const app = await openApp(env);
  const { page } = app;
  const file = largeCsv(8_000, 'eight-thousand.csv');
  const importIt = async () => {
    await openDrawer(page, 'import');
    await page.setInputFiles('#import-roster', file);
    await page.waitForSelector('#import-ready', { timeout: 60_000 });
    const { generation } = await appState(page);
    await page.click('#import-apply');
    await waitGeneration(page, generation, ['chart-target'], { timeout: 60_000 });
  };
  const messages = async () => page.$$eval('#messages li.message', (ls) => ls.map((l) => l.textContent));
  // The number of slices IndexedDB holds for the roster `hash`.
  const kept = (hash) => page.evaluate((hash) => new Promise((ok) => {
    const open = indexedDB.open('youjun', 1);
    open.onerror = () => ok(null);
    open.onupgradeneeded = () => open.result.createObjectStore('rosters');
    open.onsuccess = () => {
      const get = open.result.transaction('rosters').objectStore('rosters').get(hash);
      get.onsuccess = () => { ok(typeof get.result === 'number' ? get.result : null); open.result.close(); };
      get.onerror = () => { ok(null); open.result.close(); };
    };
  }), hash);

  await importIt();
  await setLever(page, MIGRATION, 2.5);
  assert.ok((await messages()).every((t) => !t.includes('自动保存失败')), `no failed autosave: ${await messages()}`);
  const stored = await page.evaluate(() => localStorage.getItem('youjun.autosave'));
  assert.ok(stored && stored.length < 100_000, `the autosave is small: ${stored?.length} characters`);
  const hash = JSON.parse(stored).roster_hash;
  assert.match(hash, /^[0-9a-f]{16}$/);
  for (let i = 0; i < 100 && !(await kept(hash)); i++) await page.waitForTimeout(100);
  // In slices of 1 MiB (each copied into the store in a task of its own).
  assert.ok((await kept(hash)) >= 3, `the roster is in IndexedDB, in slices: ${await kept(hash)}`);

  // A reload: the edits from localStorage, the roster from IndexedDB.
  await page.reload();
  await page.waitForFunction(() => [...document.querySelectorAll('#messages li.message')].some((l) => l.textContent.includes('已从本浏览器恢复导入的花名册')), null, { timeout: 60_000 });
  assert.ok((await messages()).some((t) => t.includes('8000 行') && t.includes(hash)), `restored, named by rows and hash: ${await messages()}`);
  assert.ok((await messages()).every((t) => !t.includes('太大，浏览器存储放不下')), `the request for the file is answered: ${await messages()}`);
  assert.equal(await page.inputValue(`#${leverId(MIGRATION)}`), '2.5', 'the edit is back');
  await openDrawer(page, 'import');
  assert.match(await page.textContent('#import-current'), /（8000 行/);

  // Without IndexedDB's copy: the page asks for the file, and knows it again.
  await page.evaluate(() => new Promise((ok) => { const d = indexedDB.deleteDatabase('youjun'); d.onsuccess = d.onerror = d.onblocked = () => ok(); }));
  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  assert.equal(await page.inputValue(`#${leverId(MIGRATION)}`), '2.5', 'the edit is back');
  assert.ok((await messages()).some((t) => t.includes('太大，浏览器存储放不下') && t.includes(hash)), `the page asks for the file again: ${await messages()}`);
  await importIt();
  assert.ok((await messages()).some((t) => t.includes('导入的花名册与链接所用的相同')), `the file is recognised: ${await messages()}`);
  assert.equal(await page.inputValue(`#${leverId(MIGRATION)}`), '2.5', 'the edit stays');
  await assertClean(assert, app);
  await app.context.close();
});
