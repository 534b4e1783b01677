import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openApp, panicMessage, artifactsDir } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// A digest of the canvas's pixels, read back in the page.
async function canvasDigest(page) {
  return page.evaluate(async () => {
    const c = document.getElementById('new-quality-chart');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const hash = await crypto.subtle.digest('SHA-256', data);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inked++;
    return { hash: Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join(''), inked };
  });
}

test('the page loads in Chinese and draws the new-quality chart', async () => {
  const { page, context, problems, foreignRequests } = await openApp(env);
  assert.equal(await page.title(), '优均 · 义务教育资源规划模拟器');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const digest = await canvasDigest(page);
  assert.ok(digest.inked > 5000, `canvas looks empty: ${digest.inked} inked pixels`);
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  assert.equal(await panicMessage(page), null);
  await context.close();
});

test('moving the slider redraws the chart and the verdicts', async () => {
  const { page, context, problems } = await openApp(env);
  const before = await canvasDigest(page);
  assert.equal(await page.locator('.verdicts .missed').count(), 0, 'at the required gain every milestone is met');

  const slider = page.locator('#gain-slider');
  await slider.focus();
  // Keyboard, as a planner without a mouse would: 22 → 12 schools a year.
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
  assert.equal(await slider.inputValue(), '12');
  assert.equal(await page.locator('#gain-number').inputValue(), '12');

  const after = await canvasDigest(page);
  assert.notEqual(after.hash, before.hash, 'canvas pixels did not change');
  // 58 + 12·n misses 80 (2024), 100 (2025) and 120 (2026).
  assert.equal(await page.locator('.verdicts .missed').count(), 3);

  await page.screenshot({ path: join(artifactsDir, 'new-quality-gain12.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.equal(await panicMessage(page), null);
  await context.close();
});

test('typing a number moves the slider; out-of-range input is ignored', async () => {
  const { page, context } = await openApp(env);
  const number = page.locator('#gain-number');
  await number.fill('30');
  assert.equal(await page.locator('#gain-slider').inputValue(), '30');
  const at30 = await canvasDigest(page);
  await number.fill('500');
  assert.equal(await page.locator('#gain-slider').inputValue(), '30', 'an out-of-range value must not reach the chart');
  assert.equal((await canvasDigest(page)).hash, at30.hash);
  await page.screenshot({ path: join(artifactsDir, 'new-quality-gain30.png'), fullPage: true });
  assert.equal(await panicMessage(page), null);
  await context.close();
});
