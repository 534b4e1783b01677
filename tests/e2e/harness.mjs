// Shared set-up for the end-to-end tests: serve web/dist on a free port and
// launch the system Chromium through playwright-core (which downloads nothing).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';

// playwright-core is installed under web/ by web/setup.sh.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const distDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('./artifacts/', import.meta.url));
mkdirSync(artifactsDir, { recursive: true });

export async function launch() {
  const server = await startServer({ dir: distDir, port: 0 });
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/// Opens a page that records console errors, page errors and any request to
/// another origin, so tests can assert none happened.
export async function openApp(env, { viewport = { width: 1366, height: 768 } } = {}) {
  const context = await env.browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = [];
  const foreignRequests = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(env.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
  await page.goto(env.url);
  await page.waitForSelector('canvas#new-quality-chart');
  return { page, context, problems, foreignRequests };
}

export async function panicMessage(page) {
  return page.evaluate(() => document.body.dataset.panic ?? null);
}
