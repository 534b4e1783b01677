// End-to-end test: the page's Monte Carlo and its "what it takes" answers run
// on the roster the planner imported, not on the built-in synthetic roster.
// (Until 2026-12-04 the workers got only the scenario JSON, which names the
// built-in's synthetic roster, so after an import the probabilities were the
// built-in's while the central run was the imported roster's.)
//
// The test takes Chongming's roster from the page's own export, changes it
// (every third school gets 40% more pupils in each grade, which puts the 2026
// science-teacher target at risk: P = 17.9% by the CLI, against 100% on the
// built-in roster), imports it, and checks that every target's
// probability in the page equals the CLI's for the same scenario run on the
// same CSV (`youjun run --json`, the native binary built by `cargo test` or
// on demand), and that at least one differs from the built-in roster's.
// Then it asks the 达标路径 tab for the sensitivity of that target with its
// probability (issue 15: the tornado of the probability), which must equal
// `youjun sensitivity --runs 50 --json` on the same file, row by row.
//
// Run: node --test --test-reporter=spec tests/e2e/imported_roster_mc.test.mjs
// (after web/build.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openApp, assertClean, appState, waitGeneration, pickScenario, openDrawer, openTab, download, parseCsv, targetRows, waitMonteCarlo, artifactsDir, textIfAny } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = 'chongming-rural-island';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// `rows` (header first) as CSV, quoting every cell.
function toCsv(rows) {
  return rows.map((r) => r.map((c) => `"${String(c).replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n';
}

/// The roster with 40% more pupils in every grade of every third school.
function crowded(rows) {
  const [header, ...body] = rows;
  const grades = header.map((h, k) => (/^students_g\d$|年级学生数/.test(h) ? k : -1)).filter((k) => k >= 0);
  assert.equal(grades.length, 9, `grade columns in ${JSON.stringify(header)}`);
  const ids = [...new Set(body.map((r) => r[0]))];
  return [header, ...body.map((r) => {
    if (ids.indexOf(r[0]) % 3 !== 0) return r;
    return r.map((c, k) => (grades.includes(k) && c !== '' ? String(Math.round(Number(c) * 1.4)) : c));
  })];
}

/// A scenario file: the built-in scenario with its roster read from `csvPath`.
function scenarioOn(csvPath) {
  const dir = mkdtempSync(join(tmpdir(), 'youjun-imported-'));
  const toml = readFileSync(join(root, 'scenarios', `${SCENARIO}.toml`), 'utf8');
  // The synthetic roster spec gives way to the CSV (a scenario's roster is one or the other).
  const spec = toml.match(/\n\[roster\.synthetic\]\n(?:[^\[\n][^\n]*\n|\n)*/);
  assert.ok(spec, 'the scenario has a [roster.synthetic] table');
  const scenario = join(dir, 'scenario.toml');
  writeFileSync(scenario, toml.replace(spec[0], `\n[roster]\ncsv = ${JSON.stringify(csvPath)}\n\n`));
  return scenario;
}

/// The CLI's JSON answer to `args` (the native binary, built on demand).
function cli(args) {
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'youjun', '--', ...args], { cwd: root, maxBuffer: 1 << 28 });
  return JSON.parse(out.toString());
}

/// `youjun run --json` of the built-in scenario on `csvPath`: target id → probability.
function cliProbabilities(csvPath) {
  const run = cli(['run', scenarioOn(csvPath), '--json']);
  return Object.fromEntries(run.targets.map((t) => [t.id, t.probability]));
}

test('after an import, the Monte Carlo and the sensitivity with probabilities run on the imported roster (equal to the CLI on the same file)', async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await pickScenario(page, SCENARIO);
  await waitMonteCarlo(page);
  const builtIn = Object.fromEntries((await targetRows(page)).map((t) => [t.id, t.probability]));

  await openDrawer(page, 'export');
  const exported = await download(page, '#export-roster-csv');
  const changed = toCsv(crowded(parseCsv(exported.bytes)));
  const dir = mkdtempSync(join(tmpdir(), 'youjun-roster-'));
  const csvPath = join(dir, 'roster.csv');
  writeFileSync(csvPath, changed);

  await openDrawer(page, 'import');
  const { generation } = await appState(page);
  await page.setInputFiles('#import-roster', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(changed) });
  await page.waitForSelector('#import-ready, #import-problems');
  assert.equal(await page.locator('#import-problems').count(), 0, await textIfAny(page, '#import-problems'));
  await page.click('#import-apply');
  await waitGeneration(page, generation);
  await waitMonteCarlo(page);
  const imported = Object.fromEntries((await targetRows(page)).map((t) => [t.id, t.probability]));

  const byCli = cliProbabilities(csvPath);
  assert.deepEqual(imported, byCli, 'the page’s probabilities on the imported roster equal the CLI’s on the same CSV');
  const uncertain = Object.keys(byCli).filter((id) => byCli[id] > 0 && byCli[id] < 1 && byCli[id] !== builtIn[id]);
  assert.ok(uncertain.length > 0, `some target’s probability moves with the roster to neither 0 nor 1: built-in ${JSON.stringify(builtIn)}, imported ${JSON.stringify(byCli)}`);

  // The "what it takes" tab asks its worker on the same roster: sensitivity
  // with the probability over 50 runs, lever by lever as the CLI's.
  const target = uncertain[0];
  await openTab(page, 'ask');
  await page.selectOption('#ask-target', target);
  await page.check('#ask-with-probability');
  await page.fill('#ask-probability-runs', '50');
  await page.dispatchEvent('#ask-probability-runs', 'change');
  await page.click('#ask-sensitivity-run');
  await page.waitForSelector('#ask-sensitivity-answer #chart-tornado-probability', { timeout: 180_000 });
  const shown = await page.$$eval('#ask-sensitivity-table tbody tr', (rows) => rows.map((r) => {
    const p = [...r.querySelectorAll('td.prob')].map((td) => (td.dataset.value === '' ? null : Number(td.dataset.value)));
    return { lever: r.dataset.lever, low: Number(r.dataset.lowEffect), high: Number(r.dataset.highEffect), pLow: p[0], pHigh: p[1] };
  }));
  const expected = cli(['sensitivity', scenarioOn(csvPath), '--target', target, '--runs', '50', '--json']).rows
    .map((r) => ({ lever: r.lever, low: r.effect_low, high: r.effect_high, pLow: r.probability_low, pHigh: r.probability_high }));
  assert.deepEqual(shown, expected, 'the tab’s sensitivity, with probabilities, equals the CLI’s on the same CSV');
  assert.ok(shown.some((r) => r.pLow !== r.pHigh), 'some lever moves the probability');
  await page.locator('#ask-sensitivity-answer').screenshot({ path: join(artifactsDir, 'ask-sensitivity-probability.png') });
  await assertClean(assert, app);
  await app.context.close();
});
