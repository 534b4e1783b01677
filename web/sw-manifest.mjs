// Writes <dist>/sw.js: the service worker (web/sw.js) after one line naming
// this build's files and its cache. Run by the end of web/build.sh over what
// is actually in web/dist, so a file the build adds is cached with no list to
// keep up to date. `node web/sw-manifest.mjs [dist]` (default web/dist).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('./sw.js', import.meta.url));

/// Every file under `dir`, as paths relative to it with `/`, sorted; without
/// sw.js (the browser keeps the service worker itself) and dotfiles. The
/// Excel module (excel_worker.js, youjun_excel*) is left out: it loads only
/// when a planner imports or exports a workbook (issue 14), so a first visit
/// must not download it; offline, a workbook import reports that the Excel
/// component cannot load, and changes nothing.
function listFiles(dir, top = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return listFiles(path, top);
      return e.isFile() ? [relative(top, path).split(sep).join('/')] : [];
    })
    .filter((p) => p !== 'sw.js' && !/^(excel_worker\.js|youjun_excel)/.test(p))
    .sort();
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/// Writes `dist/sw.js` and returns { cache, files: [{ path, sha256, bytes }] }.
/// The cache name is `youjun-` and 16 hex digits of a SHA-256 over every
/// file's path and hash and over web/sw.js: any changed byte, a new build.
export function writeServiceWorker(dist) {
  const worker = readFileSync(source, 'utf8');
  const files = listFiles(dist).map((path) => {
    const bytes = readFileSync(join(dist, path));
    return { path, sha256: sha256(bytes), bytes: bytes.length };
  });
  const all = files.map((f) => `${f.path}\0${f.sha256}\n`).join('') + worker;
  const cache = `youjun-${sha256(all).slice(0, 16)}`;
  const build = { cache, files: files.map(({ path, sha256 }) => ({ path, sha256 })) };
  writeFileSync(join(dist, 'sw.js'), `self.YOUJUN_BUILD = ${JSON.stringify(build)};\n${worker}`);
  return { cache, files };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('./dist/', import.meta.url));
  const { cache, files } = writeServiceWorker(dist);
  const total = files.reduce((n, f) => n + f.bytes, 0);
  console.log(`[build] sw.js: ${files.length} files cached for offline use (${total} bytes), cache ${cache}`);
}
