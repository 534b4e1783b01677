// Seats (issue 16): the resources tab draws the seat gap by 学区 for each
// level with its data table and the 学位预警 line; the numbers agree with
// `youjun run --json`; Chongming's new school (CM-N01, seed 004 §28) has no
// pupils before 2027 and pupils from 2027; the briefing carries the line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launch, openApp, assertClean, pickScenario, openTab, waitDrawn, layoutOverflow, canvasScaleMismatches, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const repo = fileURLToPath(new URL('../../', import.meta.url));

function cliRun(id) {
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'youjun', '--', 'run', `scenarios/${id}.toml`, '--runs', '1', '--json'], {
    cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000,
  });
  return JSON.parse(out);
}

async function seatTable(page, id) {
  return page.$eval(`#${id}-table`, (t) => ({
    year: Number(t.dataset.year),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => ({ group: tr.dataset.group, gap: Number(tr.dataset.gap) })),
  }));
}

test('the seat chart by 学区 and the 学位预警 line agree with the CLI; the new school opens in 2027', async () => {
  const cli = cliRun('chongming-rural-island');
  const app = await openApp(env);
  const { page } = app;
  await pickScenario(page, 'chongming-rural-island');
  await openTab(page, 'resources', ['chart-seats-primary', 'chart-seats-junior']);
  for (const level of ['primary', 'junior']) {
    const { year, rows } = await seatTable(page, `chart-seats-${level}`);
    const t = cli.years.indexOf(year);
    assert.ok(t >= 0, `${level}: the chart's year ${year} is in the run`);
    // One row per 学区 (Chongming: 18), each once.
    assert.equal(rows.length, 18, `${level}: ${rows.map((r) => r.group)}`);
    assert.equal(new Set(rows.map((r) => r.group)).size, rows.length);
    const sum = rows.reduce((a, r) => a + r.gap, 0);
    assert.ok(Math.abs(sum - cli.series[`seat_gap_${level}`][t]) < 1e-6, `${level} ${year}: ${sum} vs the CLI's ${cli.series[`seat_gap_${level}`][t]}`);
  }
  const warning = (await page.textContent('#seat-warning')).trim();
  assert.match(warning, /^学位预警：/);
  const anyGap = [2026, 2028].some((y) => ['primary', 'junior'].some((l) => cli.series[`seat_gap_${l}`][cli.years.indexOf(y)] > 0));
  assert.equal(warning.includes('学位均充足'), !anyGap, warning);
  const layout = await layoutOverflow(page);
  assert.deepEqual(layout.overflowing, [], 'nothing past the right edge');
  assert.ok(layout.scrollWidth <= layout.clientWidth, `page width ${layout.scrollWidth} > ${layout.clientWidth}`);
  assert.deepEqual(await canvasScaleMismatches(page), [], 'every chart drawn at its laid-out width');
  await page.locator('#seat-warning').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifactsDir, 'resources-seats-chongming.png') });
  // Tall enough that the whole chart is inside the page's scrolling panel.
  await page.setViewportSize({ width: 1366, height: 1800 });
  await page.locator('#chart-seats-junior').screenshot({ path: join(artifactsDir, 'seat-chart-junior-chongming.png') });
  await page.setViewportSize({ width: 1366, height: 768 });

  // English: the same line in words, the chart redrawn.
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  await waitDrawn(page, ['chart-seats-junior']);
  assert.match((await page.textContent('#seat-warning')).trim(), /^Seat warning: /);
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="zh-CN"]');

  // The new school: the CLI's row has no pupils before 2027 and pupils from 2027.
  const school = cli.schools.find((s) => s.id === 'CM-N01');
  assert.ok(school, 'the CLI lists the new school');
  for (const y of school.years) {
    if (y.year < 2027) assert.ok(!y.open && y.students === 0, `${y.year}: ${JSON.stringify(y)}`);
    else assert.ok(y.open && y.students > 0, `${y.year}: ${JSON.stringify(y)}`);
  }
  // Its places count from 2027: capacity_junior rises by its 960 seats.
  const cap = cli.series.capacity_junior;
  assert.equal(cap[cli.years.indexOf(2027)] - cap[cli.years.indexOf(2026)], 960);

  // The briefing carries the same line.
  await page.click('#open-briefing');
  await page.waitForSelector('.briefing-view[data-ready="true"]');
  const brief = (await page.textContent('#briefing-seats')).trim();
  assert.match(brief, /^学位预警：/);
  assert.equal(brief.includes('学位均充足'), !anyGap, brief);
  await assertClean(assert, app);
  await app.context.close();
});
