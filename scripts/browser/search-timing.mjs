// Usage: node scripts/browser/search-timing.mjs SITE_DIR QUERY [RUNS] [PAGE]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// How long search takes the first time, in headless Chromium: SITE_DIR is
// served on 127.0.0.1; for each run a fresh browser context opens PAGE (a
// path, default `/`, the home page, whose box searches every program),
// types QUERY into the search box and waits for the first result. Prints
// each run's milliseconds (fetching the documents and MiniSearch, indexing,
// searching) and the page's JS heap, then the median. A measurement, not
// a check: CI does not run it.
import { createRequire } from 'node:module';
import { CHROMIUM_ARGS } from './chromium.mjs';
import { startServer } from './static-server.mjs';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const [site, query, runs, at] = process.argv.slice(2);
if (!site || !query) {
  console.error('usage: node scripts/browser/search-timing.mjs SITE_DIR QUERY [RUNS] [PAGE]');
  process.exit(2);
}
const server = await startServer(site, '/');
const origin = `http://127.0.0.1:${server.address().port}${at || '/'}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const times = [];
for (let i = 0; i < Number(runs || 3); i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin);
  const box = page.getByRole('searchbox');
  await box.waitFor({ state: 'visible' });
  const t0 = Date.now();
  await box.fill(query);
  await page.locator('.search-results li').first().waitFor({ timeout: 120000 });
  times.push(Date.now() - t0);
  const heap = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : 0);
  console.log(`run ${i}: ${times.at(-1)} ms to first results, JS heap ${(heap / 1048576).toFixed(0)} MiB, status: ${await page.locator('.search-status').innerText()}`);
  await ctx.close();
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)]} ms`);
await browser.close();
server.close();
