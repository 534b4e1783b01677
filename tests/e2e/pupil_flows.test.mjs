// Where pupils go (issue 16): the three pupil-flow levers appear in the
// 招生预测 panel of a scenario that states them (Baoshan) and not of one that
// does not (Pudong); moving them in the page gives the pupils the CLI gives
// with the same `--set`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launch, openApp, assertClean, pickScenario, openTab, openGroup, leverId, setLever, chartRow, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const repo = fileURLToPath(new URL('../../', import.meta.url));
const FLOWS = ['enrollment.junior_entry_share', 'enrollment.public_entry.share', 'enrollment.migrant.change'];

function cliPupils(id, sets) {
  const args = ['run', '--quiet', '--bin', 'youjun', '--', 'run', `scenarios/${id}.toml`, '--runs', '1', '--json'];
  for (const s of sets) args.push('--set', s);
  const out = JSON.parse(execFileSync('cargo', args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 }));
  return Object.fromEntries(out.years.map((y, t) => [y, out.series.students_primary[t]]));
}

function assertSame(page, cli, what) {
  for (const [y, v] of Object.entries(cli)) {
    assert.ok(Math.abs(page[y] - v) < 1e-6 * Math.max(1, v), `${what}, ${y}: page ${page[y]}, CLI ${v}`);
  }
}

test('the pupil-flow levers are where the scenario states them, and agree with the CLI', async () => {
  const app = await openApp(env);
  const { page } = app;
  await pickScenario(page, 'pudong-2024');
  await openGroup(page, 'Enrollment');
  for (const path of FLOWS) assert.equal(await page.locator(`#${leverId(path)}`).count(), 0, `Pudong states no ${path}`);

  await pickScenario(page, 'baoshan-urban-rural');
  await openGroup(page, 'Enrollment');
  for (const path of FLOWS) assert.equal(await page.locator(`#${leverId(path)}`).count(), 1, `Baoshan's ${path}`);
  await openTab(page, 'resources', ['chart-enrollment']);
  const before = await chartRow(page, 'chart-enrollment', '小学在校生');
  assertSame(before, cliPupils('baoshan-urban-rural', []), 'as built');

  // Migrant children's intake a quarter above 2024's, then 81% of the cohort
  // in public schools against 90% (both in display units).
  await setLever(page, 'enrollment.migrant.change', 1.25, ['chart-enrollment']);
  const more = await chartRow(page, 'chart-enrollment', '小学在校生');
  assert.equal(more[2024], before[2024], 'the roster year is unchanged');
  for (const y of [2025, 2026, 2027, 2028, 2029, 2030]) assert.ok(more[y] > before[y], `${y}: ${more[y]} > ${before[y]}`);
  assertSame(more, cliPupils('baoshan-urban-rural', ['enrollment.migrant.change=1.25']), 'migrant change 1.25');

  await setLever(page, 'enrollment.public_entry.share', 81, ['chart-enrollment']);
  const both = await chartRow(page, 'chart-enrollment', '小学在校生');
  assertSame(both, cliPupils('baoshan-urban-rural', ['enrollment.migrant.change=1.25', 'enrollment.public_entry.share=0.81']), 'and public share 81%');
  assert.ok(both[2025] < more[2025], 'a smaller public share, fewer pupils');

  await page.locator(`#${leverId('enrollment.migrant.change')}`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifactsDir, 'pupil-flow-levers-baoshan.png') });
  await assertClean(assert, app);
  await app.context.close();
});
