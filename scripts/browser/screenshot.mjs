// Usage: node scripts/browser/screenshot.mjs SITE_DIR PAGE_PATH OUT.png [--width 1280] [--height 900] [--dark] [--full]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// One page of a built site as a PNG, in headless Chromium: the first screen
// (or the whole page with --full). The README's picture is made with
//   node scripts/browser/screenshot.mjs public /leadership-accelerator/impact/ docs/img/impact-report.png --width 1000 --height 760

import { createRequire } from 'node:module';
import process from 'node:process';

import { CHROMIUM_ARGS } from './chromium.mjs';
import { startServer } from './static-server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const bool = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const width = Number(flag('--width', '1280'));
const height = Number(flag('--height', '900'));
const dark = bool('--dark');
const full = bool('--full');
const [site, pagePath, out] = args;
if (!site || !pagePath || !out) {
  console.error('usage: node scripts/browser/screenshot.mjs SITE_DIR PAGE_PATH OUT.png [--width 1280] [--height 900] [--dark] [--full]');
  process.exit(2);
}

const server = await startServer(site, '/');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  const ctx = await browser.newContext({ colorScheme: dark ? 'dark' : 'light', reducedMotion: 'reduce', viewport: { width, height } });
  const page = await ctx.newPage();
  const resp = await page.goto(`http://127.0.0.1:${server.address().port}${pagePath}`, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp?.status()} for ${pagePath}`);
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: out, fullPage: full });
  console.log(out);
} finally {
  await browser.close();
  server.close();
}
