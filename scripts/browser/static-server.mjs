// A static file server for the browser checks: serves a built site on
// 127.0.0.1 (a random port) under its base path, as a static host does —
// folder URLs serve their index.html, a folder without its slash
// redirects, anything else gets the site's 404.html with status 404.
// `routes` adds fixed responses (check.mjs serves axe-core from one).

import { createServer } from 'node:http';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * Resolve a URL path to a file of the site, like a static host would.
 * Returns {file} for a file, {redirect} for a folder without trailing slash,
 * or {missing: true}.
 */
export function resolvePath(site, base, urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return { missing: true };
  }
  if (p === base.slice(0, -1)) return { redirect: base };
  if (!p.startsWith(base)) return { missing: true };
  const rel = p.slice(base.length);
  if (rel.split('/').some((seg) => seg === '..') || rel.includes('\0')) return { missing: true };
  const full = path.join(site, rel);
  if (full !== site && !full.startsWith(site + path.sep)) return { missing: true };
  let st;
  try {
    st = fs.statSync(full);
  } catch {
    return { missing: true };
  }
  if (st.isDirectory()) {
    if (!p.endsWith('/')) return { redirect: `${urlPath}/` };
    const index = path.join(full, 'index.html');
    return fs.existsSync(index) ? { file: index } : { missing: true };
  }
  return st.isFile() ? { file: full } : { missing: true };
}

export async function startServer(site, base, routes = {}) {
  const notFound = path.join(site, '404.html');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (routes[url.pathname]) {
      routes[url.pathname](req, res);
      return;
    }
    const r = resolvePath(site, base, url.pathname);
    if (r.redirect) {
      res.writeHead(301, { Location: r.redirect + url.search });
      res.end();
      return;
    }
    const send = (status, file) => {
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      const body = fs.readFileSync(file);
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
    } else if (r.file) {
      send(200, r.file);
    } else if (fs.existsSync(notFound)) {
      send(404, notFound);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
