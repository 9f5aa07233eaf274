// Usage: node scripts/browser/charts.mjs SITE_DIR [--base /sub/] [--artifacts DIR] [--program ID]... [--verbose]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// The results charts as a reader sees them, measured in headless Chromium
// at a phone's width (390x844) and a laptop's (1280x900), each in light
// mode, dark mode and print media, on each program's results page, impact
// report and the metric pages that draw a series. It fails on:
//   - page-scroll    the document scrolls sideways;
//   - chart-overflow a chart wider than its column or the viewport, or a
//                    figure that scrolls;
//   - ticks          a value axis whose ticks are not evenly spaced by a
//                    nice step (1, 2, 2.5 or 5 x 10^n), not multiples of
//                    it, or whose labels do not read as their values;
//   - target-label   a value label whose box meets the target line;
//   - label-overlap  two value labels that overlap, or one outside its chart;
//   - font-size      chart text drawn smaller than 10 px;
//   - axe            an axe-core violation of impact serious or critical.
// Screenshots go to --artifacts (default .ci-artifacts/charts): every page
// at each width and mode, `<program>-<page>-<width>-<mode>.png`.

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
const AXE_PATH = '/__charts__/axe.min.js';

const CHROMIUM_ARGS = [...BASE_CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const VIEWPORTS = [
  { name: '390', width: 390, height: 844 },
  { name: '1280', width: 1280, height: 900 },
];
const MODES = ['light', 'dark', 'print'];
/** The smallest chart text a reader should have to read, in CSS px. */
const MIN_FONT_PX = 10;

const SPEC = {
  script: 'charts.mjs',
  usage: ['SITE_DIR [--base /sub/] [--artifacts DIR] [--program ID]... [--verbose]'],
  artifacts: 'charts',
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

/** Programs of a built site: folders with a results page. */
function programsOf(site) {
  return fs
    .readdirSync(site, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(site, e.name, 'results', 'index.html')))
    .map((e) => e.name)
    .sort();
}

/** A program's pages with charts: results, impact, and metrics with a series. */
function pagesOf(site, base, program) {
  const out = [];
  for (const r of ['results/', 'impact/']) {
    if (fs.existsSync(path.join(site, program, r, 'index.html'))) out.push({ path: `${base}${program}/${r}`, name: `${program}-${r.slice(0, -1)}` });
  }
  const metrics = path.join(site, program, 'metrics');
  if (fs.existsSync(metrics)) {
    for (const e of fs.readdirSync(metrics, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      const file = path.join(metrics, e, 'index.html');
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('<svg class="chart ')) {
        out.push({ path: `${base}${program}/metrics/${e}/`, name: `${program}-metric-${e}` });
      }
    }
  }
  return out;
}

// ------------------------------------------------------ measured in pages

/** Every chart of the page, measured at its viewport and media. */
function measure(minFont) {
  const vw = window.innerWidth;
  const problems = [];
  const add = (kind, detail) => problems.push({ kind, detail });
  const nice = (step) => {
    const e = Math.floor(Math.log10(step));
    const m = step / 10 ** e;
    return [1, 2, 2.5, 5, 10].some((n) => Math.abs(m - n) < 1e-6);
  };
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const charts = [...document.querySelectorAll('svg.chart')];
  for (const [i, svg] of charts.entries()) {
    const name = svg.querySelector('title')?.textContent?.trim() || `chart ${i + 1}`;
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    // Inside its column and the viewport; its figure does not scroll.
    const column = svg.parentElement.getBoundingClientRect();
    if (box.left < column.left - 1 || box.right > column.right + 1) add('chart-overflow', `${name}: ${Math.round(box.width)}px wide in a ${Math.round(column.width)}px column`);
    if (box.left < -1 || box.right > vw + 1) add('chart-overflow', `${name}: ${Math.round(box.left)}–${Math.round(box.right)}px in a ${vw}px viewport`);
    const fig = svg.closest('.figure-scroll');
    if (fig && fig.scrollWidth > fig.clientWidth + 1) add('chart-overflow', `${name}: its figure scrolls (${fig.scrollWidth} > ${fig.clientWidth}px)`);
    // Ticks: evenly spaced by a nice step, multiples of it, read as their values.
    const ticks = [...svg.querySelectorAll('text.tick')].map((t) => ({ v: Number(t.dataset.tick), text: t.textContent.trim() }));
    const vs = ticks.map((t) => t.v).sort((a, b) => a - b);
    if (vs.length < 2 || vs.some((v) => !Number.isFinite(v))) add('ticks', `${name}: ticks ${JSON.stringify(ticks)}`);
    else {
      const step = vs[1] - vs[0];
      const even = vs.every((v, k) => k === 0 || Math.abs(v - vs[k - 1] - step) < 1e-6);
      const multiples = vs.every((v) => Math.abs(v / step - Math.round(v / step)) < 1e-6);
      if (!nice(step) || !even || !multiples) add('ticks', `${name}: ticks ${vs.join(', ')} (step ${step})`);
      for (const t of ticks) {
        const read = Number(t.text.replace('%', '').replace('\u2212', '-'));
        if (!(Math.abs(read - t.v) < 1e-6 || Math.abs(read - Math.abs(t.v)) < 1e-6)) add('ticks', `${name}: the tick ${t.v} reads "${t.text}"`);
      }
    }
    // Value labels: clear of the target line, of each other, inside the chart.
    const scale = svg.getScreenCTM()?.a || 1;
    const labels = [...svg.querySelectorAll('text.value')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    for (const line of svg.querySelectorAll('line.target-line')) {
      const l = line.getBoundingClientRect();
      const half = (parseFloat(getComputedStyle(line).strokeWidth) || 2) * scale / 2;
      const r = { left: l.left - half, right: l.right + half, top: l.top - half, bottom: l.bottom + half };
      for (const lb of labels) if (meet(lb.r, r)) add('target-label', `${name}: the label "${lb.text}" meets the target line`);
    }
    for (let a = 0; a < labels.length; a++) {
      const ra = labels[a].r;
      if (ra.left < box.left - 1 || ra.right > box.right + 1 || ra.top < box.top - 1 || ra.bottom > box.bottom + 1) add('label-overlap', `${name}: the label "${labels[a].text}" is outside the chart`);
      for (let b = a + 1; b < labels.length; b++) if (meet(ra, labels[b].r)) add('label-overlap', `${name}: the labels "${labels[a].text}" and "${labels[b].text}" overlap`);
    }
    // Readable text.
    let smallest = Infinity;
    for (const t of svg.querySelectorAll('text')) smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    if (smallest < minFont) add('font-size', `${name}: text at ${smallest.toFixed(1)}px (at least ${minFont}px)`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, vw, charts: charts.length, problems };
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
  if (programs.length === 0) usage(`no results pages under ${opts.site}`);
  const pages = programs.flatMap((p) => pagesOf(opts.site, opts.base, p));
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
  let measured = 0;
  for (const mode of MODES) {
    const ctx = await browser.newContext({ colorScheme: mode === 'dark' ? 'dark' : 'light', reducedMotion: 'reduce', serviceWorkers: 'block' });
    const page = await ctx.newPage();
    if (mode === 'print') await page.emulateMedia({ media: 'print' });
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      for (const p of pages) {
        const t0 = Date.now();
        const where = `${vp.name}px ${mode}`;
        const resp = await page.goto(origin + p.path, { waitUntil: 'load' });
        if (!resp || resp.status() !== 200) {
          failures.push({ kind: 'navigation', page: p.path, detail: `${where}: HTTP ${resp?.status()}` });
          continue;
        }
        await page.evaluate(() => document.fonts?.ready);
        const m = await page.evaluate(measure, MIN_FONT_PX);
        measured += m.charts;
        if (m.scrollWidth > m.vw + 1) failures.push({ kind: 'page-scroll', page: p.path, detail: `${where}: the page is ${m.scrollWidth}px wide in a ${m.vw}px viewport` });
        for (const f of m.problems) failures.push({ kind: f.kind, page: p.path, detail: `${where}: ${f.detail}` });
        for (const v of await runAxe(page)) failures.push({ kind: 'axe', page: p.path, detail: `${where}: ${v}` });
        const file = path.join(opts.artifacts, `${p.name}-${vp.name}-${mode}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
        if (opts.verbose) console.log(`  ${where} ${p.path}: ${m.charts} charts, ${Date.now() - t0} ms`);
      }
    }
    await ctx.close();
  }
  await browser.close();
  server.close();

  console.log(`\nScreenshots (${shots.length}) in ${opts.artifacts}`);
  if (measured === 0) failures.push({ kind: 'charts', page: opts.site, detail: 'no chart found on any page' });
  if (failures.length) {
    console.error(`\nFAILED: ${failures.length} problem(s)`);
    for (const f of failures) console.error(`  [${f.kind}] ${f.page}  ${f.detail}`);
    process.exit(1);
  }
  console.log(`\n${pages.length} pages × ${VIEWPORTS.length} widths × ${MODES.length} modes, ${measured} charts measured: nice ticks, labels clear of the target line and of each other, charts inside their column, text of at least ${MIN_FONT_PX}px, no page scroll, axe — no problems found`);
}

main().catch((e) => {
  console.error(`charts.mjs: ${e?.stack || e}`);
  process.exit(1);
});
