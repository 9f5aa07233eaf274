// Usage: node scripts/browser/layout.mjs SITE_DIR [--base /sub/] [--artifacts DIR] [--program ID]... [--verbose]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// The layout a client's reader sees, measured in headless Chromium at a
// phone's width (390x844) and a laptop's (1280x900), each in light mode,
// dark mode and print media. For each program of the site (or those named
// with --program), on its overview, action map, evaluation, metrics and
// curriculum pages, a signal page and a metric page, it fails on:
//   - page-scroll   the document scrolls sideways;
//   - table-cell    a cell of a table (not a `.matrix`, which scrolls in its
//                   own box by design) whose box is outside the viewport:
//                   on a phone it cannot be seen without scrolling inside
//                   the table, with no sign that it exists;
//   - nav-height    at 390px, the header (brand, section navigation, search)
//                   takes a third of the first screen or more;
//   - amap-columns  at 1280px, the action map's nodes are not in the columns
//                   their headings name (goal, actions, practices, sessions);
//   - toc-print     the contents list of the printable guide or workbook is
//                   hidden in print;
//   - impact-top    on the impact report, the answer (verdict) or the
//                   headline's chart is not above the first table;
//   - impact-print-button  the print button shows in print, or is hidden
//                   on screen although scripts run;
//   - impact-quotes in print, a comment's text is not larger than its tags;
//   - axe           an axe-core violation of impact serious or critical (each
//                   width and mode).
// The results page and the impact report are measured too, where a
// program has them (their charts in detail: charts.mjs).
// Screenshots go to --artifacts (default .ci-artifacts/layout): every page
// measured at each width in light mode, and the action map and metrics page
// in dark mode and print too.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS } from './chromium.mjs';
import { startServer as serveSite } from './static-server.mjs';
import { parseSiteArgs, siteUsage } from './args.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'));
const AXE_PATH = '/__layout__/axe.min.js';

const CHROMIUM_ARGS = [...BASE_CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const VIEWPORTS = [
  { name: '390', width: 390, height: 844 },
  { name: '1280', width: 1280, height: 900 },
];
const MODES = ['light', 'dark', 'print'];
/** Section pages measured, and those measured where they exist. */
const SECTIONS = ['', 'action-map/', 'evaluation/', 'metrics/', 'curriculum/'];
const RESULTS = ['results/', 'impact/'];

const SPEC = {
  script: 'layout.mjs',
  usage: ['SITE_DIR [--base /sub/] [--artifacts DIR] [--program ID]... [--verbose]'],
  artifacts: 'layout',
  defaults: { programs: [] },
  values: { '--program': (o, v) => o.programs.push(v) },
  needsIndex: true,
};

function usage(msg) {
  siteUsage(SPEC, msg);
}

function parseArgs(argv) {
  return parseSiteArgs(argv, SPEC);
}

/** Programs of a built site: folders with an index.html and a curriculum. */
function programsOf(site) {
  return fs
    .readdirSync(site, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(site, e.name, 'curriculum', 'index.html')))
    .map((e) => e.name)
    .sort();
}

/** The first entity page of `kind` of a program (`signals`, `metrics`). */
function firstEntity(site, program, kind) {
  const dir = path.join(site, program, kind);
  if (!fs.existsSync(dir)) return null;
  const first = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'index.html')))
    .map((e) => e.name)
    .sort()[0];
  return first ? `${kind}/${first}/` : null;
}

// ------------------------------------------------------ measured in pages

/** Everything measured in one page, at its viewport and media. */
function measure() {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (typeof el.className === 'string' && el.className.trim()) s += `.${el.className.trim().split(/\s+/).join('.')}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const out = { scrollWidth: document.documentElement.scrollWidth, vw, vh, cells: [], header: null, amap: null, toc: null };
  for (const table of document.querySelectorAll('table:not(.matrix)')) {
    if (!visible(table)) continue;
    for (const cell of table.querySelectorAll('th, td')) {
      if (!visible(cell)) continue;
      const r = cell.getBoundingClientRect();
      if (r.left < -1 || r.right > vw + 1) {
        const caption = table.caption?.textContent?.trim() || table.className || 'table';
        out.cells.push(`${describe(cell)} in ${caption.slice(0, 40)}: ${Math.round(r.left)}–${Math.round(r.right)}px`);
      }
    }
  }
  const header = document.querySelector('.site-header');
  if (header && visible(header)) out.header = Math.round(header.getBoundingClientRect().bottom + window.scrollY);
  const amap = document.querySelector('.amap');
  if (amap) {
    const cols = [...amap.querySelectorAll('.amap-cols > span')].filter(visible).map((c) => c.getBoundingClientRect().left);
    const lefts = (sel) => [...amap.querySelectorAll(sel)].filter(visible).map((n) => n.getBoundingClientRect().left);
    out.amap = {
      cols,
      goal: lefts('.amap-goal'),
      actions: lefts('.amap-node-action'),
      practices: lefts('.amap-node-practice, .amap-action > .amap-gap'),
      sessions: lefts('.amap-sessions .amap-node'),
      links: amap.querySelectorAll('a[href]').length,
      focusable: [...amap.querySelectorAll('a[href]')].filter((a) => a.tabIndex >= 0).length,
    };
  }
  const toc = document.querySelector('nav.toc');
  if (toc) out.toc = getComputedStyle(toc).display !== 'none' && visible(toc);
  // The impact report's opening: the answer above every table, the print
  // button's display, a quote's text size against its tags'.
  const verdict = document.querySelector('.answer .verdict');
  if (verdict) {
    const table = document.querySelector('main table');
    const button = document.querySelector('button[data-print]');
    const quote = document.querySelector('.comments blockquote p');
    const tag = document.querySelector('.comments .meta');
    out.impact = {
      answerFirst: !table || verdict.getBoundingClientRect().bottom <= table.getBoundingClientRect().top,
      chartFirst: !table || !document.querySelector('.answer svg.chart') || document.querySelector('.answer svg.chart').getBoundingClientRect().bottom <= table.getBoundingClientRect().top,
      button: button ? visible(button) && getComputedStyle(button).display !== 'none' : null,
      quotePx: quote ? parseFloat(getComputedStyle(quote).fontSize) : null,
      tagPx: tag ? parseFloat(getComputedStyle(tag).fontSize) : null,
    };
  }
  return out;
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: AXE_PATH });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} [${v.impact}]: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

// --------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const programs = opts.programs.length ? opts.programs : programsOf(opts.site);
  if (programs.length === 0) usage(`no program pages under ${opts.site}`);
  const pages = [];
  for (const p of programs) {
    const rels = [...SECTIONS, firstEntity(opts.site, p, 'signals'), firstEntity(opts.site, p, 'metrics')].filter((r) => r !== null);
    for (const r of rels) pages.push({ path: `${opts.base}${p}/${r}`, name: `${p}-${r.replace(/\/$/, '').replace(/\//g, '-') || 'overview'}` });
    for (const r of ['guide/', 'workbook/']) {
      if (fs.existsSync(path.join(opts.site, p, r, 'index.html'))) pages.push({ path: `${opts.base}${p}/${r}`, name: `${p}-${r.slice(0, -1)}`, printOnly: true });
    }
    for (const r of RESULTS) {
      if (fs.existsSync(path.join(opts.site, p, r, 'index.html'))) pages.push({ path: `${opts.base}${p}/${r}`, name: `${p}-${r.slice(0, -1)}` });
    }
    // Each cohort's results page and impact report (the program's results
    // page compares the cohorts).
    const cohorts = path.join(opts.site, p, 'cohorts');
    const ids = fs.existsSync(cohorts) ? fs.readdirSync(cohorts).sort() : [];
    for (const c of ids) {
      for (const r of RESULTS) {
        if (fs.existsSync(path.join(cohorts, c, r, 'index.html'))) pages.push({ path: `${opts.base}${p}/cohorts/${c}/${r}`, name: `${p}-${c}-${r.slice(0, -1)}` });
      }
    }
  }
  fs.mkdirSync(opts.artifacts, { recursive: true });
  const server = await serveSite(opts.site, opts.base, {
    [AXE_PATH]: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=86400' });
      res.end(AXE_SOURCE);
    },
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  console.log(`Chromium ${browser.version()}: ${pages.length} pages of ${programs.join(', ')} at ${VIEWPORTS.map((v) => v.name).join(' and ')} px, ${MODES.join(', ')}`);

  const failures = [];
  const shots = [];
  const problem = (p, kind, detail) => failures.push({ kind, page: p.path, detail });
  for (const mode of MODES) {
    const ctx = await browser.newContext({ colorScheme: mode === 'dark' ? 'dark' : 'light', reducedMotion: 'reduce', serviceWorkers: 'block' });
    const page = await ctx.newPage();
    if (mode === 'print') await page.emulateMedia({ media: 'print' });
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      for (const p of pages) {
        if (p.printOnly && mode !== 'print') continue;
        const t0 = Date.now();
        const resp = await page.goto(origin + p.path, { waitUntil: 'load' });
        if (!resp || resp.status() !== 200) {
          problem(p, 'navigation', `HTTP ${resp?.status()}`);
          continue;
        }
        await page.evaluate(() => document.fonts?.ready);
        const m = await page.evaluate(measure);
        const where = `${vp.name}px ${mode}`;
        if (m.scrollWidth > m.vw + 1) problem(p, 'page-scroll', `${where}: the page is ${m.scrollWidth}px wide in a ${m.vw}px viewport`);
        for (const c of m.cells.slice(0, 5)) problem(p, 'table-cell', `${where}: ${c}`);
        if (m.cells.length > 5) problem(p, 'table-cell', `${where}: … and ${m.cells.length - 5} more cells off-screen`);
        if (vp.width < 600 && mode !== 'print' && m.header !== null && m.header * 3 >= m.vh) {
          problem(p, 'nav-height', `${where}: the header is ${m.header}px of a ${m.vh}px screen (at most a third: ${Math.floor(m.vh / 3)}px)`);
        }
        if (m.amap) {
          if (m.amap.focusable !== m.amap.links) problem(p, 'amap-links', `${where}: ${m.amap.links - m.amap.focusable} of the map's links cannot be focused`);
          if (vp.width >= 1000 && mode !== 'print') {
            const [g, a, pr, s] = m.amap.cols;
            const off = (xs, col) => xs.filter((x) => Math.abs(x - col) > 1.5).length;
            const bad = m.amap.cols.length !== 4 ? 'no four column headings' : [
              off(m.amap.goal, g) && 'goal',
              off(m.amap.actions, a) && 'actions',
              off(m.amap.practices, pr) && 'practices',
              off(m.amap.sessions, s) && 'sessions',
            ].filter(Boolean).join(', ');
            if (bad) problem(p, 'amap-columns', `${where}: not under their column heading: ${bad}`);
          }
        }
        if (m.impact) {
          const im = m.impact;
          if (!im.answerFirst || !im.chartFirst) problem(p, 'impact-top', `${where}: the answer or its chart is not above the first table`);
          if (mode === 'print' && im.button) problem(p, 'impact-print-button', `${where}: the print button shows in print`);
          if (mode !== 'print' && im.button === false) problem(p, 'impact-print-button', `${where}: the print button is hidden though scripts run`);
          if (mode === 'print' && im.quotePx !== null && im.tagPx !== null && !(im.quotePx > im.tagPx)) {
            problem(p, 'impact-quotes', `${where}: a quote's text (${im.quotePx}px) is not larger than its tags (${im.tagPx}px)`);
          }
        }
        if (mode === 'print' && m.toc === false) problem(p, 'toc-print', `${where}: the contents list is hidden in print`);
        if (!p.printOnly) for (const v of await runAxe(page)) problem(p, 'axe', `${where}: ${v}`);
        const shoot = mode === 'light' || (/(action-map|metrics)$/.test(p.name) && !p.printOnly) || (p.printOnly && vp.width === 1280);
        if (shoot) {
          const file = path.join(opts.artifacts, `${p.name}-${vp.name}-${mode}.png`);
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
        }
        if (opts.verbose) console.log(`  ${where} ${p.path} ${Date.now() - t0} ms`);
      }
    }
    await ctx.close();
  }
  await browser.close();
  server.close();

  const print = (list, log) => {
    for (const f of list) log(`  [${f.kind}] ${f.page}  ${f.detail}`);
  };
  console.log(`\nScreenshots (${shots.length}) in ${opts.artifacts}`);
  if (failures.length) {
    console.error(`\nFAILED: ${failures.length} problem(s)`);
    print(failures, console.error);
    process.exit(1);
  }
  console.log(`\n${pages.length} pages × ${VIEWPORTS.length} widths × ${MODES.length} modes: no page scroll, no table cell off-screen, header under a third of a phone's screen, the action map in its columns, contents lists in print, axe — no problems found`);
}

main().catch((e) => {
  console.error(`layout.mjs: ${e?.stack || e}`);
  process.exit(1);
});
