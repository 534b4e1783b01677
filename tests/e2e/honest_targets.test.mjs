// Honest targets (issue 16): a target whose series the plan's own inputs set
// (Pudong's demonstration schools and projects) is marked 由方案设定 / "set
// by the plan" in the targets table and the briefing, shows no probability,
// and is counted neither among the outcomes met nor among those at risk;
// the page agrees with `youjun run --json` target by target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launch, openApp, assertClean, waitMonteCarlo, targetRows, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const repo = fileURLToPath(new URL('../../', import.meta.url));

/// The CLI's targets for a built-in scenario, with the scenario's own runs
/// (the page's Monte Carlo uses the same runs and seed).
function cliTargets(id) {
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'youjun', '--', 'run', `scenarios/${id}.toml`, '--json'], {
    cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000,
  });
  return JSON.parse(out).targets;
}

test('targets set by the plan carry the mark and no probability, in the table and the briefing, as in the CLI', async () => {
  const cli = cliTargets('pudong-2024');
  const fixed = cli.filter((t) => t.kind === 'set_by_plan');
  assert.deepEqual(fixed.map((t) => t.id), ['demo-2026', 'demo-projects-2026']);
  assert.ok(fixed.every((t) => t.probability === null), 'the CLI gives a target set by the plan no probability');

  const app = await openApp(env);
  const { page } = app;
  await waitMonteCarlo(page);
  const table = await page.$$eval('#targets-table tbody tr[data-target]', (trs) => trs.map((tr) => ({
    id: tr.dataset.target,
    kind: tr.dataset.kind,
    verdict: tr.querySelector('td.verdict').textContent.trim(),
    shown: tr.querySelector('td.prob').textContent.trim(),
  })));
  const values = Object.fromEntries((await targetRows(page)).map((r) => [r.id, r]));
  assert.deepEqual(table.map((r) => r.id), cli.map((t) => t.id), 'the table lists the CLI\'s targets in order');
  for (const [k, t] of cli.entries()) {
    const row = table[k];
    assert.equal(row.kind, t.kind, `${t.id}: kind`);
    if (t.kind === 'set_by_plan') {
      assert.equal(row.verdict, '由方案设定', `${t.id}: the mark`);
      assert.doesNotMatch(row.shown, /\d/, `${t.id}: no probability shown (${row.shown})`);
    } else {
      assert.match(row.verdict, /达成/, `${t.id}: a verdict`);
      assert.equal(values[t.id].probability, t.probability, `${t.id}: the page's probability is the CLI's`);
      assert.match(row.shown, /^\d+%$|^<1%$|^>99%$/, `${t.id}: the probability shown (${row.shown})`);
    }
  }
  await page.locator('#targets-table').screenshot({ path: join(artifactsDir, 'targets-set-by-plan.png') });

  // English: the same mark in words.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  const en = await page.$eval('#targets-table tr[data-target="demo-2026"] td.verdict', (td) => td.textContent.trim());
  assert.equal(en, 'set by the plan');
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');

  // The balance tab: the resource test's verdict by year and what the model leaves out.
  await page.click('#tab-balance');
  await page.waitForSelector('#tab-balance[aria-selected="true"]');
  const scope = await page.textContent('#assessment-scope');
  for (const d of ['政府保障程度', '教育质量', '社会认可度']) assert.ok(scope.includes(d), `the balance tab names ${d}: ${scope}`);
  assert.match(await page.textContent('#certification-line'), /2026 [✔✘]\/[✔✘]/);
  await page.screenshot({ path: join(artifactsDir, 'balance-assessment-scope.png'), fullPage: true });
  await page.click('#tab-targets');

  // The briefing: the 2026 and 2028 outcome targets are counted; those set
  // by the plan are listed with the mark, no probability, and named apart.
  await page.click('#open-briefing');
  await page.waitForSelector('.briefing-view[data-ready="true"]');
  const brief = await page.$$eval('.brief-targets tbody tr[data-target]', (trs) => trs.map((tr) => ({
    id: tr.dataset.target,
    kind: tr.dataset.kind,
    verdict: tr.querySelector('td.verdict').textContent.trim(),
    shown: tr.querySelector('td.prob').textContent.trim(),
  })));
  const headline = cli.filter((t) => [2026, 2028].includes(t.year));
  const outcomes = headline.filter((t) => t.kind === 'outcome');
  assert.deepEqual(brief.map((r) => r.id).sort(), headline.map((t) => t.id).sort(), 'the briefing lists the 2026 and 2028 targets');
  for (const r of brief.filter((r) => r.kind === 'set_by_plan')) {
    assert.equal(r.verdict, '由方案设定', `${r.id}: the mark in the briefing`);
    assert.doesNotMatch(r.shown, /\d/, `${r.id}: no probability in the briefing (${r.shown})`);
  }
  const met = outcomes.filter((t) => t.met).length;
  const verdict = await page.textContent('#briefing-verdict');
  assert.ok(verdict.includes(`${outcomes.length} 项目标中 ${met} 项达成`), `only outcomes are counted: ${verdict}`);
  const summary = await page.textContent('#briefing-summary p');
  assert.ok(summary.includes(`共${outcomes.length}项目标，中心情景下达成${met}项`), summary);
  assert.ok(summary.includes('另有2项由方案设定'), summary);
  const cliLabel = (id) => cli.find((t) => t.id === id).label;
  for (const t of fixed) assert.ok(!summary.includes(cliLabel(t.id)), `${t.id} is not named at risk: ${summary}`);
  // Outcomes at risk are named: every 2026/2028 outcome missed or below 80%.
  for (const t of outcomes.filter((t) => !t.met || t.probability < 0.8)) {
    assert.ok(summary.includes(t.label), `${t.id} is named at risk: ${summary}`);
  }
  assert.ok((await page.textContent('#briefing-scope')).includes('社会认可度'), 'the briefing names the dimensions outside the model');
  await assertClean(assert, app);
  await app.context.close();
});
