// End-to-end tests of issue 18 item 3, "nothing a planner made is ever
// discarded", in headless Chromium against web/dist:
// (a) with the browser's storage full, opening a share link says so before
//     anything is replaced and offers the current scenario as a download;
//     cancelling keeps the workspace, and the edit is never lost;
// (b) an autosave this version cannot apply (a value out of range, a lever
//     it does not have) opens the default, and is listed under Saved with
//     its reason, exportable and deletable, its stored text unchanged.
// Every test ends with assertClean: no panic, no console error, no request
// to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openApp, assertClean, appState, leverId, setLever, artifactsDir, MIGRATION, download, openDrawer } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const DEFAULT = 'pudong-2024';
const INTAKE = 'enrollment.intake_adjustment';
const ROTATION = MIGRATION; // in the Enrollment panel, open on a fresh page
const withDownloads = { context: { acceptDownloads: true } };

async function messages(page, kind) {
  return page.$$eval(`#messages li.message[data-kind="${kind}"]`, (ls) => ls.map((l) => l.textContent));
}

/// Fills localStorage with filler keys until not one more character fits.
async function fillStorage(page) {
  return page.evaluate(() => {
    let big = 'x'.repeat(1024 * 1024);
    for (let i = 0; big.length > 0; i++) {
      try { localStorage.setItem(`filler.${i}`, big); } catch { big = big.slice(0, Math.floor(big.length / 2)); }
    }
    return Object.keys(localStorage).filter((k) => k.startsWith('filler.')).length;
  });
}

/// A share link to Pudong with net migration changed, made in
/// a context of its own.
async function makeLink() {
  const maker = await openApp(env);
  await setLever(maker.page, ROTATION, 3);
  await openDrawer(maker.page, 'share');
  const link = await maker.page.inputValue('#share-link');
  await assertClean(assert, maker);
  await maker.context.close();
  return link;
}

/// The value of a lever in a scenario file, wherever the JSON puts it.
function leverInScenario(json, path) {
  const [section, key] = path.split('.');
  const v = JSON.parse(json)[section][key];
  return typeof v === 'object' ? v.value : v;
}

test('with storage full, a share link warns before replacing the edited scenario and offers it as a download', async () => {
  const link = await makeLink();
  const fragment = link.slice(link.indexOf('#'));
  const app = await openApp(env, withDownloads);
  const { page } = app;
  const defaultRotation = await page.inputValue(`#${leverId(ROTATION)}`);
  const defaultIntake = await page.inputValue(`#${leverId(INTAKE)}`);

  // Storage full first, then the edit: it is only in the page now (its
  // autosave fails and says so).
  assert.ok(await fillStorage(page) > 0);
  await setLever(page, INTAKE, 1.1, ['chart-target']);
  await page.waitForFunction(() => [...document.querySelectorAll('#messages li.message')].some((l) => l.textContent.includes('自动保存失败')));
  const stored = await page.evaluate(() => localStorage.getItem('youjun.autosave'));
  assert.ok(!stored.includes('intake_adjustment'), 'the edit could not be autosaved');

  // Open the link in this page: nothing is replaced before the planner answers.
  const before = await appState(page);
  await page.evaluate((f) => { location.hash = f; }, fragment);
  await page.waitForSelector('#link-guard');
  const guard = await page.textContent('#link-guard');
  assert.match(guard, /存储空间已满/, `the prompt says why: ${guard}`);
  assert.match(guard, /下载当前方案/);
  await page.screenshot({ path: join(artifactsDir, 'nothing_lost_link_held.png') });
  assert.equal(await page.inputValue(`#${leverId(INTAKE)}`), '1.1', 'the edit is still on the page');
  assert.equal((await appState(page)).generation, before.generation, 'the workspace was not replaced');

  // The download is the edited scenario, as a scenario file.
  const file = await download(page, '#link-guard-download');
  assert.match(file.name, /\.json$/);
  assert.equal(leverInScenario(file.bytes.toString('utf8'), INTAKE), 1.1, 'the download holds the edit');

  // Cancel: the workspace stays, with its edit.
  await page.click('#link-guard-cancel');
  await page.waitForSelector('#link-guard', { state: 'detached' });
  assert.equal(await page.inputValue(`#${leverId(INTAKE)}`), '1.1');
  assert.equal(await page.inputValue(`#${leverId(ROTATION)}`), defaultRotation);
  assert.ok((await messages(page, 'info')).some((t) => t.includes('未打开链接')));

  // The same link again, and this time the planner opens it.
  await page.evaluate((f) => { location.hash = f; }, fragment);
  await page.waitForSelector('#link-guard');
  await page.click('#link-guard-open');
  await page.waitForSelector('#link-guard', { state: 'detached' });
  await page.waitForFunction(([id]) => document.getElementById(id).value === '3', [leverId(ROTATION)]);
  assert.equal(await page.inputValue(`#${leverId(INTAKE)}`), defaultIntake);
  assert.ok((await messages(page, 'info')).some((t) => t.includes('已打开分享链接')));
  await assertClean(assert, app);
  await app.context.close();
});

test('with storage full, a share link opened on page load keeps the autosaved edits until the planner answers', async () => {
  const link = await makeLink();
  const app = await openApp(env, withDownloads);
  const { page, context } = app;
  await setLever(page, INTAKE, 1.1, ['chart-target']);
  await page.waitForFunction(() => (localStorage.getItem('youjun.autosave') ?? '').includes('intake_adjustment'));
  await fillStorage(page);
  const autosave = await page.evaluate(() => localStorage.getItem('youjun.autosave'));

  const second = await openApp(env, { url: link, reuse: context });
  const p = second.page;
  await p.waitForSelector('#link-guard');
  assert.match(await p.textContent('#link-guard'), /存储空间已满/);
  assert.equal(await p.inputValue(`#${leverId(INTAKE)}`), '1.1', 'the autosaved edit is open, not the link');
  assert.equal(await p.evaluate(() => location.hash), '', 'the fragment is cleared');
  // The autosave still holds the edit, not the link (the restored page may
  // write it again, with a new time).
  const now = JSON.parse(await p.evaluate(() => localStorage.getItem('youjun.autosave')));
  assert.deepEqual(now.payload, JSON.parse(autosave).payload, 'the autosave still holds the edit');
  const file = await download(p, '#link-guard-download');
  assert.equal(leverInScenario(file.bytes.toString('utf8'), INTAKE), 1.1);
  await p.click('#link-guard-cancel');
  await p.waitForSelector('#link-guard', { state: 'detached' });
  assert.equal(await p.inputValue(`#${leverId(INTAKE)}`), '1.1');

  // With room again, a link keeps the edits as a saved scenario first, without asking.
  await p.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler.')) localStorage.removeItem(k); });
  const fragment = link.slice(link.indexOf('#'));
  await p.evaluate((f) => { location.hash = f; }, fragment);
  await p.waitForFunction(([id]) => document.getElementById(id).value === '3', [leverId(ROTATION)]);
  assert.equal(await p.locator('#link-guard').count(), 0);
  assert.ok((await messages(p, 'info')).some((t) => t.includes('打开链接前的方案已保存为')));
  await openDrawer(p, 'saved');
  assert.match(await p.textContent('#saved-list'), /打开链接前的方案/);
  await assertClean(assert, app);
  await assertClean(assert, second);
  await context.close();
});

test('an autosave this version cannot apply opens the default, and is listed with its reason, exportable, its text unchanged', async () => {
  const app = await openApp(env, withDownloads);
  const { page } = app;
  const defaultIntake = await page.inputValue(`#${leverId(INTAKE)}`);
  await setLever(page, INTAKE, 1.1, ['chart-target']);
  await page.waitForFunction(() => (localStorage.getItem('youjun.autosave') ?? '').includes('intake_adjustment'));
  const good = await page.evaluate(() => localStorage.getItem('youjun.autosave'));
  const cases = [
    ['out of range', good.replace('["enrollment.intake_adjustment",1.1]', '["enrollment.intake_adjustment",9.5]'), '超出范围'],
    ['unknown lever', good.replace('["enrollment.intake_adjustment",1.1]', '["enrollment.retired_lever",1.1]'), '没有此项'],
  ];
  for (const [what, text, why] of cases) {
    assert.notEqual(text, good, `${what}: the autosave was changed`);
    await page.evaluate((t) => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('youjun.')) localStorage.removeItem(k);
      localStorage.setItem('youjun.autosave', t);
    }, text);
    await page.reload();
    await page.waitForSelector('#chart-target[data-drawn]');
    assert.equal((await appState(page)).scenario, DEFAULT, `${what}: the default opens`);
    assert.equal(await page.inputValue(`#${leverId(INTAKE)}`), defaultIntake, `${what}: with its default value`);
    const errors = await messages(page, 'error');
    assert.ok(errors.some((t) => t.includes('无法应用') && t.includes(why)), `${what}: the message says why: ${errors}`);
    const key = 'youjun.quarantine.youjun.autosave';
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), text, `${what}: kept byte for byte`);

    await openDrawer(page, 'saved');
    const item = page.locator(`#kept-list li[data-kept-key="${key}"]`);
    assert.match(await item.textContent(), new RegExp(why), `${what}: listed with its reason`);
    assert.match(await item.textContent(), /自动保存/);
    if (what === 'out of range') {
      await page.screenshot({ path: join(artifactsDir, 'nothing_lost_kept_aside.png') });
    }
    const stored = await download(page, `#kept-list li[data-kept-key="${key}"] .kept-export`);
    assert.equal(stored.bytes.toString('utf8'), text, `${what}: the export is the stored text`);
    const scenario = await download(page, `#kept-list li[data-kept-key="${key}"] .kept-scenario`);
    assert.equal(JSON.parse(scenario.bytes.toString('utf8')).scenario.id, DEFAULT, `${what}: a scenario file of its base`);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), text, `${what}: still unchanged after export`);

    // Deleting asks once more, then removes only that text.
    await page.click(`#kept-list li[data-kept-key="${key}"] .kept-delete`);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), text, 'one click does not delete');
    await page.click(`#kept-list li[data-kept-key="${key}"] .kept-delete`);
    await page.waitForSelector(`#kept-list li[data-kept-key="${key}"]`, { state: 'detached' });
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null);
    await page.click('#drawer .close');
  }
  await assertClean(assert, app);
  await app.context.close();
});
