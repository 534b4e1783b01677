// English mode shows no Chinese outside proper names (issue 17): for each
// built-in scenario, every tab, every lever panel, every toolbar drawer and
// a school's trajectory are scanned for Han characters, in the text, the
// accessible names (aria-label), tooltips (title), placeholders and the
// picker's options. Allowed: the roster's own school and 学区 names (read
// from the page's per-school CSV export), the district names, the app's
// name 优均, and elements the page marks as Chinese (lang="zh-CN", the
// toggle back to 中文). The briefing stays Chinese by design; its English
// variant is scanned in the last test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openApp, assertClean, appState, waitGeneration, pickScenario, openTab, openDrawer, download, parseCsv, GROUPS, openGroup, waitMonteCarlo, artifactsDir, briefingFitsA4 } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const SCENARIOS = ['pudong-2024', 'putuo-strong-junior', 'baoshan-urban-rural', 'minhang-hongqiao-district', 'chongming-rural-island'];
const TABS = ['targets', 'balance', 'resources', 'schools', 'map', 'compare', 'ask'];
const DRAWERS = ['share', 'saved', 'import', 'export'];
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
/// Proper names that stay Chinese in English: the app and the districts.
const NAMES = ['优均', '浦东新区', '浦东', '普陀区', '普陀', '宝山区', '宝山', '闵行区', '闵行', '虹桥镇', '虹桥', '崇明区', '崇明'];

/// The school and 学区 names of the shown scenario's roster, from the page's
/// per-school CSV export.
async function rosterNames(page) {
  await openDrawer(page, 'export');
  const file = await download(page, '#export-schools-csv');
  await page.click('#drawer .close');
  const [head, ...rows] = parseCsv(file.bytes);
  const cols = ['name', 'district_group'].map((k) => head.indexOf(k)).filter((i) => i >= 0);
  assert.ok(cols.length >= 1, `a name column in the schools CSV (${head.join(',')})`);
  return new Set(rows.flatMap((r) => cols.map((i) => r[i])).filter(Boolean));
}

/// Every piece of text the page (or the element `root`) shows or announces,
/// outside elements marked as Chinese: text nodes, aria-label, title,
/// placeholder and alt.
async function pageTexts(page, root = 'body') {
  return page.evaluate((root) => {
    const zh = (el) => (el.closest('[lang]')?.getAttribute('lang') ?? '').startsWith('zh');
    const out = [];
    const top = document.querySelector(root);
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      // <noscript> is shown only without JavaScript, when the page has no language.
      if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || zh(el)) continue;
      const t = n.textContent.trim();
      if (t) out.push(t);
    }
    for (const el of top.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (zh(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(`${a}: ${v}`);
      }
    }
    return out;
  }, root);
}

/// The texts with Han characters left once the allowed names are taken out.
function chinese(texts, allowed) {
  const names = [...allowed].sort((a, b) => b.length - a.length);
  return texts.filter((t) => {
    let rest = t;
    for (const n of names) if (rest.includes(n)) rest = rest.split(n).join('');
    return HAN.test(rest);
  });
}

test('English mode shows no Chinese outside proper names: every scenario, tab, lever panel, drawer and a school’s trajectory', { timeout: 600_000 }, async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  const found = [];
  for (const id of SCENARIOS) {
    await openTab(page, 'targets');
    await pickScenario(page, id);
    const allowed = new Set([...NAMES, ...await rosterNames(page)]);
    const scan = async (where) => {
      for (const t of chinese(await pageTexts(page), allowed)) found.push(`${id} · ${where}: ${t}`);
    };
    for (const g of GROUPS) await openGroup(page, g);
    for (const tab of TABS) {
      await openTab(page, tab);
      await scan(`tab ${tab}`);
    }
    await openTab(page, 'schools', ['chart-heat-map']);
    await page.click('#school-table tbody tr[data-pos="0"] th button');
    await page.waitForSelector('#chart-school');
    await scan('a school’s trajectory');
    for (const d of DRAWERS) {
      await openDrawer(page, d);
      await scan(`drawer ${d}`);
      await page.click('#drawer .close');
    }
  }
  // The scan sees the page: the English question and a target are there.
  const question = await page.textContent('#scenario-question');
  assert.match(question, /^Question: As births fall/, 'Chongming’s question in English');
  assert.deepEqual([...new Set(found)], [], 'Chinese text in English mode');
  await assertClean(assert, app);
  await app.context.close();
});

test('a scenario file without English target labels shows them in Chinese in English mode; with them, in English', async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await page.click('#lang-toggle');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#scenario-question'), /^Question: Does Pudong reach 80 \/ 100 \/ 120/);
  assert.equal((await page.textContent('#targets-table tr[data-target="nq-2024"] td button')).trim(), '2024: 80 district-level new-quality project schools');
  // The same scenario as a user's file without its English text.
  await openDrawer(page, 'export');
  const json = await download(page, '#export-scenario-json');
  const scenario = JSON.parse(json.bytes.toString('utf8'));
  assert.ok(scenario.scenario.name_en && scenario.targets.every((t) => t.label_en), 'the export keeps the English text');
  delete scenario.scenario.name_en;
  delete scenario.scenario.question_en;
  for (const t of scenario.targets) delete t.label_en;
  await openDrawer(page, 'import');
  const g = (await appState(page)).generation;
  await page.setInputFiles('#import-scenario', { name: 'no-english.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await waitGeneration(page, g, ['chart-target']);
  // The targets are the file's, in Chinese for want of English; the question
  // is the built-in base's (a scenario file always names one), in English.
  assert.equal((await page.textContent('#targets-table tr[data-target="nq-2024"] td button')).trim(), scenario.targets[0].label);
  assert.equal(await page.getAttribute('#targets-table tr[data-target="nq-2024"] td button', 'title'), scenario.targets[0].source_en);
  assert.match(await page.textContent('#scenario-question'), /^Question: Does Pudong reach/);
  await assertClean(assert, app);
  await app.context.close();
});

/// The briefing is Chinese by design; its English variant (issue 17) is one
/// click away. Putuo: three targets at risk, so the summary and the path
/// sentences are there in English, and nothing else Chinese but names.
test('the briefing’s English variant has no Chinese outside names, has its paths, fits one A4 page, and switches back to the same Chinese', { timeout: 900_000 }, async () => {
  const app = await openApp(env, { context: { acceptDownloads: true } });
  const { page } = app;
  await pickScenario(page, 'putuo-strong-junior');
  const allowed = new Set([...NAMES, ...await rosterNames(page)]);
  await waitMonteCarlo(page);
  await page.click('#open-briefing');
  await page.waitForSelector('.briefing-view[data-ready="true"]');
  await page.waitForSelector('#briefing-paths[data-state="done"], #briefing-paths[data-state="failed"]', { timeout: 600_000 });
  assert.equal(await page.getAttribute('#briefing-paths', 'data-state'), 'done', await page.textContent('#briefing-paths'));
  const zhSummary = await page.textContent('#briefing-summary p');
  const zhPaths = await page.$$eval('#briefing-paths li', (ls) => ls.map((l) => l.dataset.target));
  assert.match(zhSummary, /共\d+项目标/);
  assert.equal(await page.getAttribute('#briefing', 'lang'), 'zh-CN');

  await page.click('#briefing-lang');
  await page.waitForSelector('#briefing[lang="en"]');
  const summary = await page.textContent('#briefing-summary p');
  assert.match(summary, /^Of the \d+ targets for 2026 and 2028, \d+ are met in the central run, and \d+ reach a probability of 80% or more\./, summary);
  // The same targets get a path, now in English.
  const paths = await page.$$eval('#briefing-paths li', (ls) => ls.map((l) => ({ id: l.dataset.target, text: l.textContent })));
  assert.deepEqual(paths.map((p) => p.id), zhPaths);
  assert.ok(paths.length > 0, 'Putuo has targets at risk');
  for (const p of paths) assert.match(p.text, /^(.+ (raised|lowered) from .+ to .+: the probability of ".+" rises from \d+% to \d+%\.|".+" \(probability \d+%\): .+\.)$/, p.text);
  const texts = await pageTexts(page, '#briefing');
  assert.ok(texts.some((t) => t.startsWith('1. Targets')), 'the scan reads the briefing');
  assert.deepEqual(chinese(texts, allowed), [], 'Chinese text in the English briefing');

  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  await briefingFitsA4(page, 'briefing-en-overflow.png');
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, 'briefing-print-en.png') });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'one page');

  await page.emulateMedia({ media: 'screen' });
  await page.click('#briefing-lang');
  await page.waitForSelector('#briefing[lang="zh-CN"]');
  assert.equal(await page.textContent('#briefing-summary p'), zhSummary);
  await assertClean(assert, app);
  await app.context.close();
});
