// End-to-end test of an import worker that dies in the middle of reading a
// roster (issue 18: "a dead worker is reported by file name"). The page's
// copy of web/excel_worker.js is replaced, for one import, by the same
// script with a prelude that lets two chunks of schools through and then
// kills the worker: its messages stop and an uncaught error ends it, as a
// worker that runs out of memory or crashes does. The page must name the
// file in the interface language, keep the roster and results it had, and
// read the same file when it is chosen again.
//
// Run: node --test --test-reporter=spec tests/e2e/import_worker_killed.test.mjs
// (after web/build.sh). Ends with assertClean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp, assertClean, appState, waitGeneration, waitMonteCarlo, openDrawer, targetRows, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const scratch = mkdtempSync(join(tmpdir(), 'youjun-killed-'));

/// A valid roster of `rows` rows (alternately a primary and a junior school,
/// each primary feeding the junior after it), as the CSV file `name`.
function rosterCsv(name, rows) {
  const lines = ['学校代码,学校名称,学段,在校生数,专任教师数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积(平方米),体育运动场馆面积(平方米),教学仪器设备值(元),网络多媒体教室数,对口初中'];
  for (let i = 0; i < rows; i++) {
    lines.push(i % 2 === 0
      ? `P${i},第${i}小学,小学,300,20,15,2,2,1500,2500,600000,10,J${i + 1}`
      : `J${i},第${i}初中,初中,400,35,25,3,3,2600,4200,1300000,14,`);
  }
  const path = join(scratch, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// Put before the worker's own script (its `import` is hoisted, so the
// module still loads first): after two chunks of schools the worker goes
// silent and dies of an uncaught error.
const KILL = `
{
  const post = self.postMessage.bind(self);
  let chunks = 0;
  let dead = false;
  self.postMessage = (message, transfer) => {
    if (dead) return;
    if (message && message.chunk !== undefined && ++chunks > 2) {
      dead = true;
      setTimeout(() => { throw new Error('worker killed by the test'); });
      return;
    }
    return post(message, transfer);
  };
}
`;

test('an import worker killed mid-import is reported by file name in the page language, the last good state stays, and a retry works', async () => {
  // No service worker: every request for the worker's script reaches the route below.
  const app = await openApp(env, { context: { serviceWorkers: 'block' } });
  const { page, context } = app;

  // The last good state: a roster imported and applied.
  await openDrawer(page, 'import');
  await page.setInputFiles('#import-roster', rosterCsv('first.csv', 400));
  await page.waitForSelector('#import-ready');
  let { generation } = await appState(page);
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-target']);
  const shown = async () => {
    const { generation, scenario } = await appState(page);
    return { generation, scenario, rows: await targetRows(page) };
  };
  // The probabilities too: the Monte Carlo of the applied roster has finished
  // (with the fast workers it can finish before or after the snapshot).
  await waitMonteCarlo(page);
  const before = await shown();

  // The next worker dies after two of the eight chunks of a 2,000-row file.
  let killed = 0;
  await context.route('**/excel_worker.js', async (route) => {
    const response = await route.fetch();
    killed++;
    await route.fulfill({ response, body: KILL + (await response.text()) });
  });
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await openDrawer(page, 'import');
  const second = rosterCsv('second.csv', 2000);
  await page.setInputFiles('#import-roster', second);
  await page.waitForSelector('#import-status', { timeout: 60_000 });
  assert.equal(killed, 1, 'the killing script was served once');
  const en = await page.textContent('#import-status');
  assert.match(en, /^Could not read the file “second\.csv”: reading stopped \(the background reader failed: .*worker killed by the test.*\); nothing was changed$/);
  assert.equal(await page.locator('#import-reading').count(), 0, 'no longer shown as reading');
  assert.equal(await page.locator('#import-ready, #import-problems').count(), 0, 'no half-read roster is offered');
  // Still the first roster, with the same results.
  assert.match(await page.textContent('#import-current'), /“first\.csv” \(400 rows/);
  await page.screenshot({ path: join(artifactsDir, 'import-worker-killed.png') });
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');
  assert.match(await page.textContent('#import-status'), /^无法读取文件「second\.csv」：读取中断（后台读取进程出错：.*worker killed by the test.*），未作任何更改$/);
  const after = await shown();
  assert.deepEqual({ ...after, generation: undefined }, { ...before, generation: undefined }, 'the workspace shows what it showed');
  assert.equal(after.generation, before.generation, 'no scenario change');

  // The same file again, with the worker's own script: read, applied.
  await context.unroute('**/excel_worker.js');
  await page.setInputFiles('#import-roster', second);
  await page.waitForSelector('#import-ready', { timeout: 60_000 });
  assert.match(await page.textContent('#import-ready'), /「second\.csv」无误：2000 行（2000 所学校）/);
  assert.equal(await page.locator('#import-status').count(), 0, 'the failure is cleared by the new read');
  ({ generation } = await appState(page));
  await page.click('#import-apply');
  await waitGeneration(page, generation, ['chart-target']);
  await openDrawer(page, 'import');
  assert.match(await page.textContent('#import-current'), /「second\.csv」（2000 行/);
  assert.equal(killed, 1);
  // The worker's death reached the page as an error event it handled: no
  // console error, no page error.
  await assertClean(assert, app);
  await context.close();
});
