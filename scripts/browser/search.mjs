// Usage: node scripts/browser/search.mjs SITE_DIR --program ID --query Q --expect TITLE
//          [--kind KIND] [--base /sub/] [--home] [--absent TEXT]... [--artifacts DIR]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// Client-side search of a built playbook site, in headless Chromium. Serves
// SITE_DIR on 127.0.0.1 under the base path and, on the program's overview
// page (with --home: on the home page, whose box searches every program,
// and TITLE must be found with program ID's name):
//   1. with JavaScript off: the search form is not shown, and the page works;
//   2. with JavaScript on: types Q into the search box (keyboard only); the
//      results must list TITLE with its kind (KIND) and the program's name,
//      the count must be announced in the status region, Tab must reach the
//      first result, and axe-core must find no serious or critical problem
//      with the results shown (light and dark);
//   3. Enter in the box follows the first result: the page it opens must be
//      TITLE's (its h1) — also when pressed right after typing, before any
//      result shows;
//   4. every --absent TEXT must be missing from the program's search.json
//      (the participant edition's search must hold no facilitator text);
//   5. with --home, when another program's documents fail to load (HTTP
//      404), TITLE is still found and the status says a program could not
//      be searched.
// Exits non-zero on any failure.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

import { CHROMIUM_ARGS } from './chromium.mjs';
import { startServer } from './static-server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TIMEOUT = 20_000;

function usage(msg) {
  if (msg) console.error(`search.mjs: ${msg}`);
  console.error('usage: node scripts/browser/search.mjs SITE_DIR --program ID --query Q --expect TITLE [--kind KIND] [--base /sub/] [--home] [--absent TEXT]... [--artifacts DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { site: null, program: null, query: null, expect: null, kind: null, base: '/', home: false, absent: [], artifacts: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--program') o.program = value();
    else if (a === '--query') o.query = value();
    else if (a === '--expect') o.expect = value();
    else if (a === '--kind') o.kind = value();
    else if (a === '--base') o.base = value();
    else if (a === '--absent') o.absent.push(value());
    else if (a === '--home') o.home = true;
    else if (a === '--artifacts') o.artifacts = value();
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (!o.site) o.site = path.resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if (!o.site || !o.program || !o.query || !o.expect) usage('SITE_DIR, --program, --query and --expect are required');
  if (!o.base.startsWith('/')) o.base = `/${o.base}`;
  if (!o.base.endsWith('/')) o.base = `${o.base}/`;
  return o;
}

const failures = [];
const fail = (what) => {
  failures.push(what);
  console.error(`FAIL: ${what}`);
};
const ok = (what) => console.log(`ok: ${what}`);

async function axe(page, label) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  for (const v of violations) fail(`axe (${label}): ${v}`);
  if (violations.length === 0) ok(`axe (${label}): no serious or critical problem with the results shown`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const docsFile = path.join(o.site, o.program, 'search.json');
  if (!fs.existsSync(docsFile)) usage(`${docsFile} does not exist`);
  const docs = fs.readFileSync(docsFile, 'utf8');
  for (const text of o.absent) {
    if (docs.includes(text)) fail(`${o.program}/search.json holds "${text}"`);
    else ok(`${o.program}/search.json does not hold "${text}"`);
  }
  const program = JSON.parse(docs).program;

  const server = await startServer(o.site, o.base);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const start = o.home ? `${origin}${o.base}` : `${origin}${o.base}${o.program}/`;
  const label = o.home ? 'Search all programs' : 'Search this program';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // 1. Without JavaScript the form is not shown.
    const off = await browser.newContext({ javaScriptEnabled: false });
    const quiet = await off.newPage();
    await quiet.goto(start, { timeout: TIMEOUT });
    if (await quiet.locator('form.search').isVisible()) fail('with JavaScript off, the search form is shown');
    else ok('with JavaScript off, no search form is shown');
    if (!(await quiet.locator('h1').isVisible())) fail('with JavaScript off, the page has no visible h1');
    await off.close();

    // 2. Typing a query shows results.
    for (const scheme of ['light', 'dark']) {
      const ctx = await browser.newContext({ colorScheme: scheme });
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(start, { timeout: TIMEOUT });
      const box = page.getByRole('searchbox', { name: label });
      await box.waitFor({ state: 'visible', timeout: TIMEOUT });
      await box.focus();
      await page.keyboard.type(o.query, { delay: 20 });
      const first = page.locator('.search-results li').first();
      await first.waitFor({ timeout: TIMEOUT });
      const items = await page.locator('.search-results li').allInnerTexts();
      const hit = items.find((t) => t.includes(o.expect));
      if (!hit) fail(`"${o.query}": "${o.expect}" is not among the results: ${JSON.stringify(items.slice(0, 5))}`);
      else if (o.kind && !hit.includes(`${o.kind} · ${program}`)) fail(`"${o.expect}" does not show "${o.kind} · ${program}": ${JSON.stringify(hit)}`);
      else ok(`"${o.query}" (${scheme}): found "${o.expect}" (${o.kind || 'kind'} · ${program}) among ${items.length} results`);
      const status = await page.locator('.search-status').innerText();
      if (!/\d+ results?/.test(status)) fail(`the status region says "${status}", not a count`);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest('.search-results') !== null);
      if (!focused) fail('Tab from the search box does not reach the first result');
      await axe(page, scheme);
      if (o.artifacts) {
        fs.mkdirSync(o.artifacts, { recursive: true });
        await page.screenshot({ path: path.join(o.artifacts, `search-${o.home ? 'home' : o.program}-${scheme}.png`) });
      }
      if (scheme === 'light') {
        // 3. Enter follows the first result.
        await box.focus();
        const href = await first.locator('a').getAttribute('href');
        const firstTitle = await first.locator('a').innerText();
        await Promise.all([page.waitForURL((u) => u.pathname === new URL(href, origin).pathname, { timeout: TIMEOUT }), page.keyboard.press('Enter')]);
        const h1 = await page.locator('h1').innerText();
        if (!h1.includes(firstTitle.slice(0, 30))) fail(`Enter opened a page whose h1 is "${h1}", not the first result's "${firstTitle}"`);
        else ok(`Enter followed the first result to ${href} ("${h1}")`);
        // 4. Enter before the results show (typed fast, on a page that has
        //    not loaded the documents yet) follows this query's first result.
        await page.goto(start, { timeout: TIMEOUT });
        await box.waitFor({ state: 'visible', timeout: TIMEOUT });
        await box.focus();
        await page.keyboard.type(o.query, { delay: 0 });
        try {
          await Promise.all([page.waitForURL((u) => u.pathname === new URL(href, origin).pathname, { timeout: TIMEOUT }), page.keyboard.press('Enter')]);
          ok("Enter typed before the results showed followed the query's first result");
        } catch (e) {
          fail(`Enter typed before the results showed did not open ${href} (${e.message.split('\n')[0]})`);
        }
      }
      for (const e of errors) fail(`console (${scheme}): ${e}`);
      await ctx.close();
    }

    // 5. One program's documents missing: the others are still searched.
    if (o.home) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const others = [];
      await page.route('**/search.json', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === `${o.base}${o.program}/search.json`) return route.continue();
        others.push(url.pathname);
        return route.fulfill({ status: 404, body: 'gone' });
      });
      await page.goto(start, { timeout: TIMEOUT });
      const box = page.getByRole('searchbox', { name: label });
      await box.waitFor({ state: 'visible', timeout: TIMEOUT });
      await box.focus();
      await page.keyboard.type(o.query, { delay: 20 });
      await page.locator('.search-results li').first().waitFor({ timeout: TIMEOUT });
      const items = await page.locator('.search-results li').allInnerTexts();
      const status = await page.locator('.search-status').innerText();
      if (others.length === 0) fail('the home page fetched no other program\'s documents');
      else if (!items.some((t) => t.includes(o.expect))) fail(`with ${others.join(', ')} missing, "${o.expect}" is not found: ${JSON.stringify(items.slice(0, 3))}`);
      else if (!/could not be searched/.test(status)) fail(`with ${others.join(', ')} missing, the status says "${status}"`);
      else ok(`with ${others.join(', ')} missing: "${o.expect}" still found; status "${status}"`);
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    console.error(`${failures.length} search check(s) failed`);
    process.exit(1);
  }
  console.log('all search checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
