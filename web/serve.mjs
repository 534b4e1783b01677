// A static file server for web/dist on 127.0.0.1, used by `web/serve.sh` and
// the end-to-end tests. It serves files only; the app makes no requests of it
// beyond loading itself.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/// `served`, if given, is told each answer's path and status (the tests use
/// it to see which files went out with a body, and how often).
export function startServer({ dir, port = 8080, host = '127.0.0.1', served } = {}) {
  const rootDir = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (served) res.on('finish', () => served({ path, status: res.statusCode }));
    const file = join(rootDir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(rootDir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      // An ETag from the file's size and time, as common servers send, so a
      // second request for a file the browser holds (the Monte Carlo workers'
      // module, the service worker's copy of what the page just loaded) is a
      // 304 with no body.
      const { size, mtimeMs } = await stat(file);
      const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
      const headers = {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        etag,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'dist');
  const port = Number(process.env.PORT ?? 8080);
  const server = await startServer({ dir, port });
  const { address, port: p } = server.address();
  console.log(`优均 is being served at http://${address}:${p}/ (Ctrl-C to stop)`);
}
