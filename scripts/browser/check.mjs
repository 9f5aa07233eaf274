// Usage: node scripts/browser/check.mjs SITE_DIR [--base /sub/] [--artifacts DIR] [--strict] [--verbose] [--expect SELECTOR]...   (npm ci in scripts/browser first; needs /usr/bin/chromium)
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
// With --expect SELECTOR (repeatable), some page must hold a visible element
// matching each selector (e.g. every kind of fenced block of a lesson).
// In parallel, the Nu Html Checker (vnu-jar, run with `java`, or $JAVA) checks
// every .html file and any error fails the run (--no-vnu skips it; vnu.sh runs
// it alone).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS } from './chromium.mjs';
import { resolvePath, startServer as serveSite } from './static-server.mjs';
import { parseSiteArgs } from './args.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'));
// axe-core is injected from this reserved URL of the test server (cacheable,
// so Chromium compiles it once rather than on every page).
const AXE_PATH = '/__check__/axe.min.js';

const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  // The site must be self-contained: no host name resolves, so any request
  // leaving 127.0.0.1 fails (and is reported by the requestfailed listener).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 360, height: 780 };
const CONCURRENCY = Math.max(1, Math.min(4, Number(process.env.CHECK_CONCURRENCY) || os.availableParallelism?.() || 2));
const NAV_TIMEOUT = 30_000;

// ---------------------------------------------------------------- arguments

const SPEC = {
  script: 'check.mjs',
  usage: [
    'SITE_DIR [--base /sub/] [--artifacts DIR] [--strict] [--no-vnu] [--verbose] [--only SUBSTRING] [--expect SELECTOR]...',
    '  --no-vnu      skip the Nu Html Checker (HTML validity)',
    '  --strict      fail on axe violations of any impact (default: serious and critical only)',
    '  --verbose     print each page as it is checked, with timings',
    '  --only S      check only pages whose URL path contains S (for debugging)',
    '  --expect SEL  fail unless some page shows an element matching SEL',
  ],
  artifacts: 'screenshots',
  defaults: { strict: false, only: null, vnu: true, expect: [] },
  values: { '--only': (o, v) => { o.only = v; }, '--expect': (o, v) => o.expect.push(v) },
  flags: { '--strict': (o) => { o.strict = true; }, '--no-vnu': (o) => { o.vnu = false; } },
};

function parseArgs(argv) {
  return parseSiteArgs(argv, SPEC);
}

// ------------------------------------------------------------------- server

function startServer(site, base) {
  return serveSite(site, base, {
    [AXE_PATH]: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=86400' });
      res.end(AXE_SOURCE);
    },
  });
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
    await page.addScriptTag({ url: AXE_PATH });
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
    const group = `${v.id} [${v.impact}]${mode ? ` (${mode})` : ''}: ${v.help}`;
    for (const n of v.nodes) {
      const f = { kind: 'axe', page: pagePath, detail: n.target, group, why: (n.summary || '').replace(/\n\s*/g, ' ') };
      (blocking ? failures : warnings).push(f);
    }
  }
}

/** Print problems grouped by kind (and by rule for axe), compactly. */
function printProblems(list, log) {
  const MAX = 12;
  const byKind = new Map();
  for (const f of list) {
    if (!byKind.has(f.kind)) byKind.set(f.kind, []);
    byKind.get(f.kind).push(f);
  }
  for (const [kind, items] of byKind) {
    log(`\n== ${kind} (${items.length})`);
    const groups = new Map();
    for (const f of items) {
      const g = f.group ?? '';
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(f);
    }
    for (const [g, gi] of groups) {
      if (g) {
        log(`  ${g} — ${gi.length}× on ${new Set(gi.map((f) => f.page)).size} page(s)`);
        if (gi[0].why) log(`    ${gi[0].why.slice(0, 400)}`);
      }
      for (const f of gi.slice(0, MAX)) log(`    ${f.page}${g ? `  →  ${f.detail}` : `\n        ${f.detail}`}`);
      if (gi.length > MAX) log(`    … and ${gi.length - MAX} more`);
    }
  }
  return [...byKind].map(([k, l]) => `${k}: ${l.length}`).join(', ');
}

/** Elements sticking out of the viewport horizontally (for the report). */
function overflowCulprits() {
  const vw = window.innerWidth;
  const scrolls = (el) => {
    // Absolutely positioned boxes escape scroll containers that are not
    // their containing block; report them.
    if (/^(absolute|fixed)$/.test(getComputedStyle(el).position)) return false;
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

/**
 * Run the Nu Html Checker over the site; resolves to its error messages as
 * {page, detail, group}. Problems running it are reported as failures too.
 */
function runVnu(site, base) {
  const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
  const java = process.env.JAVA || 'java';
  const args = ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', site];
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve([{ page: '-', detail: `could not run ${java}: ${e.message}` }]);
      return;
    }
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve([{ page: '-', detail: `could not run ${java} (install a JRE, e.g. default-jre-headless): ${e.message}` }]));
    child.on('close', (code) => {
      const start = out.indexOf('{');
      let messages;
      try {
        messages = JSON.parse(out.slice(start)).messages;
      } catch {
        resolve([{ page: '-', detail: `vnu exited with ${code} and unreadable output:\n${out.slice(0, 2000)}` }]);
        return;
      }
      const found = messages
        .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
        .map((m) => {
          let page = m.url ?? '-';
          if (page.startsWith('file:')) {
            const rel = path.relative(site, decodeURIComponent(new URL(page).pathname)).split(path.sep).join('/');
            page = pageUrlPath(base, rel);
          }
          const at = m.lastLine ? `line ${m.lastLine}${m.firstColumn ? `:${m.firstColumn}` : ''}` : '';
          const extract = m.extract ? `  ${JSON.stringify(m.extract.replace(/\s+/g, ' ').trim()).slice(0, 160)}` : '';
          return { page, detail: `${at}${extract}`, group: m.message };
        });
      if (found.length === 0 && code !== 0) found.push({ page: '-', detail: `vnu exited with ${code}:\n${out.slice(0, 2000)}` });
      resolve(found);
    });
  });
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
  const allPages = files.map((rel) => ({ rel, path: pageUrlPath(opts.base, rel) }));
  const pages = opts.only ? allPages.filter((p) => p.path.includes(opts.only)) : allPages;
  const sessionPage =
    pages.find((p) => /(^|\/)sessions\/[^/]+\/index\.html$/.test(p.rel)) ?? null;
  const actionMapPage = pages.find((p) => /(^|\/)action-map\/index\.html$/.test(p.rel)) ?? null;
  const traceabilityPage = pages.find((p) => /(^|\/)traceability\/index\.html$/.test(p.rel)) ?? null;
  const homePage = pages.find((p) => p.rel === 'index.html') ?? null;
  const resultsPage = pages.find((p) => /(^|\/)results\/index\.html$/.test(p.rel)) ?? null;
  const impactPages = pages.filter((p) => /(^|\/)impact\/index\.html$/.test(p.rel));
  const shots = new Map(); // page path -> [{name, width}]
  const printed = []; // {page, sheets}
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
    if (!p && !opts.only) warnings.push({ kind: 'setup', page: '-', detail: `no ${what} found; its screenshot / dark-mode pass is skipped` });
  }
  fs.mkdirSync(opts.artifacts, { recursive: true });

  const vnuDone = opts.vnu ? runVnu(opts.site, opts.base) : Promise.resolve(null);
  console.log(`Serving ${opts.site} at ${origin}${opts.base}`);
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  // launch() (not launchPersistentContext) runs Chromium on a fresh temporary
  // user-data-dir that Playwright deletes on close.
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  console.log(`Chromium ${browser.version()} (${executablePath}); checking ${pages.length} pages, ${CONCURRENCY} at a time`);

  const linkData = new Map(); // page path -> {ids:Set, links:[]}
  const found = new Set(); // --expect selectors seen on some page

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
    const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme, reducedMotion: 'reduce', serviceWorkers: 'block', bypassCSP: true });
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
      const t0 = Date.now();
      if (!(await visit(page, current, p))) continue;
      const t1 = Date.now();
      const wanted = shots.get(p.path) ?? [];
      for (const s of wanted.filter((s) => s.width === DESKTOP.width)) {
        await page.screenshot({ path: path.join(opts.artifacts, s.name), fullPage: true });
      }
      const t2 = Date.now();
      reportAxe(await runAxe(page), p.path, '', opts.strict);
      const t3 = Date.now();
      const { ids, links } = await page.evaluate(collectLinks);
      linkData.set(p.path, { ids: new Set(ids), links });
      for (const sel of opts.expect) {
        if (await page.locator(sel).first().isVisible().catch(() => false)) found.add(sel);
      }
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
      if (opts.verbose) console.log(`  ${p.path}  load ${t1 - t0} ms, axe ${t3 - t2} ms, other ${Date.now() - t1 - (t3 - t2)} ms`);
    }
    await page.close();
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pages.length) }, worker));
  await ctx.close();

  // Dark mode: axe (colour contrast above all) on a few representative pages.
  const darkPages = [homePage, sessionPage, traceabilityPage, resultsPage, impactPages[0]].filter(Boolean);
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
    if (resultsPage) {
      await visit(page, current, resultsPage);
      await page.screenshot({ path: path.join(opts.artifacts, 'results-dark-1280.png'), fullPage: true });
    }
    await dctx.close();
  }

  // Print: every impact report fits on two A4 pages (three with behaviour
  // evidence) and reads without
  // colour (a grayscale screenshot of the print layout goes to the artifacts).
  if (impactPages.length) {
    const pctx = await newContext('light');
    const page = await pctx.newPage();
    const current = { path: '' };
    watch(page, current);
    for (const p of impactPages) {
      if (!(await visit(page, current, p))) continue;
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      const sheets = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      printed.push({ page: p.path, sheets });
      // Two sheets; a third when the report has behaviour evidence (a
      // section of its own: scales, and each item's change in words).
      const behaviour = await page.$('#behaviour-evidence');
      const most = behaviour ? 3 : 2;
      if (sheets > most) fail('print', p.path, `the impact report prints on ${sheets} A4 pages (at most ${most})`);
      if (p === impactPages[0]) {
        fs.writeFileSync(path.join(opts.artifacts, 'impact.pdf'), pdf);
        await page.screenshot({ path: path.join(opts.artifacts, 'impact-print.png'), fullPage: true });
      }
      await page.emulateMedia({ media: 'screen' });
    }
    await pctx.close();
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

  for (const sel of opts.expect) {
    if (!found.has(sel)) fail('expect', '-', `no page shows an element matching ${sel}`);
  }
  if (opts.expect.length) console.log(`expected elements: ${found.size} of ${opts.expect.length} selectors shown`);
  const vnuErrors = await vnuDone;
  if (vnuErrors) {
    for (const v of vnuErrors) failures.push({ kind: 'vnu', ...v });
    console.log(`Nu Html Checker: ${files.length} files, ${vnuErrors.length} error(s)`);
  }

  // ------------------------------------------------------------- summary
  if (warnings.length) {
    console.log(`\n${warnings.length} warning(s), not failing${opts.strict ? '' : ' (--strict makes axe ones fail)'}:`);
    printProblems(warnings, console.log);
  }
  const shotFiles = [...shots.values()].flat().map((s) => path.join(opts.artifacts, s.name)).filter((f) => fs.existsSync(f));
  if (shotFiles.length) console.log(`\nScreenshots:\n${shotFiles.map((f) => `  ${f}`).join('\n')}`);
  if (failures.length) {
    console.error(`\nFAILED: ${failures.length} problem(s) on ${new Set(failures.map((f) => f.page)).size} of ${pages.length} pages`);
    const counts = printProblems(failures, console.error);
    console.error(`\nFAILED (${counts}); ${pages.length} pages checked`);
    process.exit(1);
  }
  for (const x of printed) console.log(`print: ${x.page} fits on ${x.sheets} A4 page(s)`);
  console.log(`\n${pages.length} pages checked: console, requests, axe (light; dark on ${darkPages.length}), 360px overflow, ${linkCount} same-origin links${vnuErrors ? ', Nu Html Checker' : ''}, impact reports printed on A4 — no problems found`);
}

main().catch((e) => {
  console.error(`check.mjs: ${e?.stack || e}`);
  process.exit(1);
});
