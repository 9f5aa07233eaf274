// Usage: node scripts/browser/check.mjs SITE_DIR [--base /sub/] [--artifacts DIR] [--strict]   (npm ci in scripts/browser first; needs /usr/bin/chromium)
//
// Browser checks of a built playbook site. Serves SITE_DIR on 127.0.0.1
// (random port) under the base path, opens every .html page in headless
// Chromium (playwright-core, system /usr/bin/chromium, overridable with
// $CHROMIUM) and fails on:
//   - console errors, uncaught page errors, failed requests (network errors,
//     4xx/5xx of same-origin resources, any request leaving 127.0.0.1);
//   - axe-core violations of impact "serious" or "critical" (light mode on
//     every page; dark mode on the home, a session and a traceability page);
//     with --strict, violations of any impact;
//   - horizontal overflow of the document at a 360px-wide viewport;
//   - same-origin links to files that do not exist or to #fragments that are
//     not ids of the target page.
// Screenshots (1280px full page: home, a session, the action map; 360px: a
// session) go to --artifacts (default ./.ci-artifacts/screenshots).
// HTML validity (Nu Html Checker) is checked separately by vnu.sh.

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 360, height: 780 };
const CONCURRENCY = Math.max(1, Math.min(4, Number(process.env.CHECK_CONCURRENCY) || os.availableParallelism?.() || 2));
const NAV_TIMEOUT = 30_000;

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) console.error(`check.mjs: ${msg}`);
  console.error('usage: node scripts/browser/check.mjs SITE_DIR [--base /sub/] [--artifacts DIR] [--strict]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { site: null, base: '/', artifacts: path.join('.ci-artifacts', 'screenshots'), strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') usage();
    else if (a === '--base' || a.startsWith('--base=')) o.base = value();
    else if (a === '--artifacts' || a.startsWith('--artifacts=')) o.artifacts = value();
    else if (a === '--strict') o.strict = true;
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (o.site === null) o.site = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.site) usage('SITE_DIR is required');
  o.site = path.resolve(o.site);
  if (!fs.existsSync(o.site) || !fs.statSync(o.site).isDirectory()) usage(`${o.site} is not a directory`);
  let b = o.base.trim();
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  o.base = b.replace(/\/{2,}/g, '/');
  o.artifacts = path.resolve(o.artifacts);
  return o;
}

// ------------------------------------------------------------------- server

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
function resolvePath(site, base, urlPath) {
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

async function startServer(site, base) {
  const notFound = path.join(site, '404.html');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
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

// -------------------------------------------------------------------- pages

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

function pageUrlPath(base, rel) {
  if (rel === 'index.html') return base;
  if (rel.endsWith('/index.html')) return base + rel.slice(0, -'index.html'.length);
  return base + rel;
}

// ------------------------------------------------------------------- checks

const failures = [];
const warnings = [];
const fail = (kind, page, detail) => failures.push({ kind, page, detail });

/** Run axe-core in the page; returns the violations. */
async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
}

function reportAxe(violations, pagePath, mode, strict) {
  for (const v of violations) {
    const blocking = strict || v.impact === 'serious' || v.impact === 'critical';
    for (const n of v.nodes) {
      const detail = `[${v.impact}] ${v.id}${mode ? ` (${mode})` : ''}: ${v.help}\n      target: ${n.target}${
        n.summary ? `\n      ${n.summary.replace(/\n\s*/g, ' ')}` : ''
      }`;
      if (blocking) fail('axe', pagePath, detail);
      else warnings.push({ kind: 'axe', page: pagePath, detail });
    }
  }
}

/** Elements sticking out of the viewport horizontally (for the report). */
function overflowCulprits() {
  const vw = window.innerWidth;
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
    }
    return false;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (typeof el.className === 'string' && el.className.trim()) s += `.${el.className.trim().split(/\s+/).join('.')}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return text ? `${s} "${text}"` : s;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || scrolls(el)) continue;
    // Only the outermost offender of a subtree.
    if (out.some((o) => o.el.contains(el))) continue;
    out.push({ el, right: Math.round(r.right) });
    if (out.length >= 5) break;
  }
  return out.map((o) => `${describe(o.el)} (right edge ${o.right}px)`);
}

/** Ids of the page and its links (absolute URLs), for the link check. */
function collectLinks() {
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
  const links = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const h = a.getAttribute('href');
    try {
      links.push(new URL(h, document.baseURI).href);
    } catch {
      links.push(`invalid:${h}`);
    }
  }
  return { ids, links };
}

// --------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = htmlFiles(opts.site);
  if (files.length === 0) {
    console.error(`check.mjs: no .html files under ${opts.site}`);
    process.exit(1);
  }
  const server = await startServer(opts.site, opts.base);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const pages = files.map((rel) => ({ rel, path: pageUrlPath(opts.base, rel) }));
  const sessionPage =
    pages.find((p) => /(^|\/)sessions\/[^/]+\/index\.html$/.test(p.rel)) ?? null;
  const actionMapPage = pages.find((p) => /(^|\/)action-map\/index\.html$/.test(p.rel)) ?? null;
  const traceabilityPage = pages.find((p) => /(^|\/)traceability\/index\.html$/.test(p.rel)) ?? null;
  const homePage = pages.find((p) => p.rel === 'index.html') ?? null;
  const shots = new Map(); // page path -> [{name, width}]
  const addShot = (p, name, width) => {
    if (!p) return;
    if (!shots.has(p.path)) shots.set(p.path, []);
    shots.get(p.path).push({ name, width });
  };
  addShot(homePage, 'home-1280.png', DESKTOP.width);
  addShot(sessionPage, 'session-1280.png', DESKTOP.width);
  addShot(actionMapPage, 'action-map-1280.png', DESKTOP.width);
  addShot(sessionPage, 'session-360.png', MOBILE.width);
  for (const [what, p] of [['home page', homePage], ['session page', sessionPage], ['action-map page', actionMapPage], ['traceability page', traceabilityPage]]) {
    if (!p) warnings.push({ kind: 'setup', page: '-', detail: `no ${what} found; its screenshot / dark-mode pass is skipped` });
  }
  fs.mkdirSync(opts.artifacts, { recursive: true });

  console.log(`Serving ${opts.site} at ${origin}${opts.base}`);
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  console.log(`Chromium ${browser.version()} (${executablePath}); checking ${pages.length} pages, ${CONCURRENCY} at a time`);

  const linkData = new Map(); // page path -> {ids:Set, links:[]}

  /** Attach listeners reporting errors against whatever page is current. */
  function watch(page, current) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        fail('console', current.path, `${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
      }
    });
    page.on('pageerror', (err) => fail('pageerror', current.path, String(err?.stack || err)));
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? 'failed';
      if (why === 'net::ERR_ABORTED' && req.url().startsWith(origin) && req.resourceType() === 'document') return;
      fail('request', current.path, `${req.method()} ${req.url()} → ${why}`);
    });
    page.on('response', (res) => {
      const url = res.url();
      if (!url.startsWith(`${origin}/`)) return;
      if (res.status() >= 400) fail('request', current.path, `${res.request().method()} ${url.slice(origin.length)} → HTTP ${res.status()}`);
    });
  }

  async function newContext(colorScheme) {
    const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme, reducedMotion: 'reduce', serviceWorkers: 'block' });
    // The site must be self-contained: anything not served by us is blocked
    // (and reported by the requestfailed listener).
    await ctx.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
    return ctx;
  }

  async function visit(page, current, p) {
    current.path = p.path;
    await page.setViewportSize(DESKTOP);
    let resp;
    try {
      resp = await page.goto(origin + p.path, { waitUntil: 'load', timeout: NAV_TIMEOUT });
    } catch (e) {
      fail('navigation', p.path, String(e.message || e).split('\n')[0]);
      return false;
    }
    if (!resp) fail('navigation', p.path, 'no response');
    else if (resp.status() !== 200) fail('navigation', p.path, `HTTP ${resp.status()}`);
    await page.evaluate(() => document.fonts?.ready);
    return true;
  }

  // Light mode: every page.
  const queue = [...pages];
  const ctx = await newContext('light');
  async function worker() {
    const page = await ctx.newPage();
    const current = { path: '' };
    watch(page, current);
    for (let p = queue.shift(); p; p = queue.shift()) {
      if (!(await visit(page, current, p))) continue;
      const wanted = shots.get(p.path) ?? [];
      for (const s of wanted.filter((s) => s.width === DESKTOP.width)) {
        await page.screenshot({ path: path.join(opts.artifacts, s.name), fullPage: true });
      }
      reportAxe(await runAxe(page), p.path, '', opts.strict);
      const { ids, links } = await page.evaluate(collectLinks);
      linkData.set(p.path, { ids: new Set(ids), links });
      for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
        fail('duplicate-id', p.path, `id="${id}" is used more than once`);
      }
      // Narrow screen.
      await page.setViewportSize(MOBILE);
      const o = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (o.scrollWidth > o.innerWidth + 1) {
        const culprits = await page.evaluate(overflowCulprits);
        fail('overflow-360', p.path, `document is ${o.scrollWidth}px wide in a ${o.innerWidth}px viewport${
          culprits.length ? `; sticking out: ${culprits.join('; ')}` : ''
        }`);
      }
      for (const s of wanted.filter((s) => s.width === MOBILE.width)) {
        await page.screenshot({ path: path.join(opts.artifacts, s.name), fullPage: true });
      }
    }
    await page.close();
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pages.length) }, worker));
  await ctx.close();

  // Dark mode: axe (colour contrast above all) on a few representative pages.
  const darkPages = [homePage, sessionPage, traceabilityPage].filter(Boolean);
  if (darkPages.length) {
    const dctx = await newContext('dark');
    const page = await dctx.newPage();
    const current = { path: '' };
    watch(page, current);
    for (const p of darkPages) {
      if (!(await visit(page, current, p))) continue;
      const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
      if (!dark) fail('dark-mode', p.path, 'prefers-color-scheme: dark emulation did not take effect');
      reportAxe(await runAxe(page), p.path, 'dark mode', opts.strict);
    }
    await dctx.close();
  }
  await browser.close();
  server.close();

  // Links between pages: target file exists, #fragment is an id there.
  let linkCount = 0;
  const reported = new Set();
  for (const [from, { links }] of linkData) {
    for (const href of links) {
      if (href.startsWith('invalid:')) {
        fail('link', from, `invalid href ${JSON.stringify(href.slice(8))}`);
        continue;
      }
      const u = new URL(href);
      if (u.origin !== origin) continue;
      linkCount++;
      const key = `${from} ${href}`;
      if (reported.has(key)) continue;
      const r = resolvePath(opts.site, opts.base, u.pathname);
      const target = u.pathname + u.search;
      if (r.missing) {
        reported.add(key);
        fail('link', from, `broken link to ${target}`);
        continue;
      }
      if (u.hash.length > 1) {
        const tpath = r.redirect ? r.redirect : u.pathname;
        const t = linkData.get(tpath);
        let frag;
        try {
          frag = decodeURIComponent(u.hash.slice(1));
        } catch {
          frag = u.hash.slice(1);
        }
        if (t && !t.ids.has(frag)) {
          reported.add(key);
          fail('link', from, `link to ${tpath}#${frag}: no element with that id`);
        }
      }
    }
  }

  // ------------------------------------------------------------- summary
  if (warnings.length) {
    console.log(`\n${warnings.length} warning(s) (not failing${opts.strict ? '' : '; --strict makes axe ones fail'}):`);
    for (const w of warnings) console.log(`  ${w.kind} ${w.page}\n      ${w.detail}`);
  }
  const shotFiles = [...shots.values()].flat().map((s) => path.join(opts.artifacts, s.name)).filter((f) => fs.existsSync(f));
  if (shotFiles.length) console.log(`\nScreenshots:\n${shotFiles.map((f) => `  ${f}`).join('\n')}`);
  if (failures.length) {
    const byKind = new Map();
    for (const f of failures) {
      if (!byKind.has(f.kind)) byKind.set(f.kind, []);
      byKind.get(f.kind).push(f);
    }
    console.error(`\nFAILED: ${failures.length} problem(s) on ${new Set(failures.map((f) => f.page)).size} page(s) of ${pages.length}`);
    for (const [kind, list] of byKind) {
      console.error(`\n== ${kind} (${list.length})`);
      for (const f of list) console.error(`  ${f.page}\n      ${f.detail}`);
    }
    const counts = [...byKind].map(([k, l]) => `${k}: ${l.length}`).join(', ');
    console.error(`\nSummary: ${counts}`);
    process.exit(1);
  }
  console.log(`\n${pages.length} pages checked (light-mode axe on all, dark-mode axe on ${darkPages.length}, 360px overflow on all, ${linkCount} same-origin links) — no problems found`);
}

main().catch((e) => {
  console.error(`check.mjs: ${e?.stack || e}`);
  process.exit(1);
});
