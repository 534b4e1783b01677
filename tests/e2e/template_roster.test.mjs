// End-to-end test of the roster template (issue 18, defect 4): the template
// downloaded from the import dialog, in CSV and in Excel, imports, applies,
// and the workspace runs on it: the schools tab lists the template's schools
// (and only them) and its heat map is redrawn for them. Before the fix the check passed ("无误") but applying
// was refused, as the template's junior row was paired with a primary school.
//
// Run: node --test --test-reporter=spec tests/e2e/template_roster.test.mjs
// (after web/build.sh). Ends with assertClean: no panic, no console error,
// no request to another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openApp, assertClean, appState, waitGeneration, openTab, canvasDigest, artifactsDir, download, textIfAny } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const TEMPLATE_SCHOOLS = ['示例小学 001', '示例九年一贯制学校 002', '示例初中 003'];

async function openImport(page) {
  if ((await page.locator('#drawer[data-drawer="import"]').count()) === 0) await page.click('#open-import');
  await page.waitForSelector('#drawer[data-drawer="import"]');
}

for (const [button, mimeType] of [['#template-csv', 'text/csv'], ['#template-xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']]) {
  test(`the ${button.slice(10)} template downloaded from the import dialog imports, applies and runs`, async () => {
    const app = await openApp(env, { context: { acceptDownloads: true } });
    const { page } = app;
    await openTab(page, 'schools', ['chart-heat-map']);
    const heatBefore = await canvasDigest(page, 'chart-heat-map');
    await openImport(page);
    const file = await download(page, button);
    assert.match(file.name, /^youjun-roster-template\.(csv|xlsx)$/);

    const { generation } = await appState(page);
    await page.setInputFiles('#import-roster', { name: file.name, mimeType, buffer: file.bytes });
    await page.waitForSelector('#import-ready, #import-problems');
    assert.equal(await page.locator('#import-problems').count(), 0, await textIfAny(page, '#import-problems'));
    assert.match(await page.textContent('#import-ready'), /4 行（3 所学校）/);
    await page.click('#import-apply');
    // Applied: the scenario re-ran on the template, and no error was shown.
    await waitGeneration(page, generation, ['chart-heat-map']);
    const status = await textIfAny(page, '#import-status');
    assert.doesNotMatch(status, /无法|cannot/, `import status: ${status}`);

    await openTab(page, 'schools', ['chart-heat-map']);
    await page.screenshot({ path: join(artifactsDir, `template-roster-${button.slice(10)}.png`) });
    const names = await page.$$eval('#school-table tbody th', (ths) => ths.map((th) => th.textContent));
    for (const n of TEMPLATE_SCHOOLS) assert.ok(names.some((x) => x.includes(n)), `${n} in the school table: ${JSON.stringify(names)}`);
    assert.ok(names.every((x) => TEMPLATE_SCHOOLS.some((n) => x.includes(n))), `only the template's schools: ${JSON.stringify(names)}`);
    // The heat map (schools × indicators) is drawn anew for the three schools.
    const heat = await canvasDigest(page, 'chart-heat-map');
    assert.ok(heat.inked > 0, 'the heat map is drawn');
    assert.notEqual(heat.hash, heatBefore.hash, 'the heat map shows the template, not the built-in roster');
    await assertClean(assert, app);
    await app.context.close();
  });
}
