// Usage: node scripts/browser/reload.mjs [SITE] [--playbook BIN] [--rounds N] [--artifacts DIR]
//   (npm ci in scripts/browser first; needs /usr/bin/chromium, or $CHROMIUM)
//
// Live reload of `playbook serve`, in a real browser. Copies SITE (default:
// the repository's example) to a temporary folder, starts `playbook serve`
// on it (BIN: $PLAYBOOK, else target/release/playbook, else
// target/debug/playbook) on a free port, opens a session page in headless
// Chromium (fresh profile) and:
//   0. N times lets the page fetch itself and show a new line, with no file
//      change: a baseline of the browser's share and of this machine's
//      scheduling delays, to read the next numbers against;
//   1. N times (default 20) appends a unique line to that session's markdown
//      and measures the time from the write until the line is visible in the
//      page; checks the scroll position survives and that the page updated
//      in place (no navigation); prints the median, the maximum and the
//      rounds over 150 ms, and the server's share (write to `reload` event);
//   2. breaks the session (an unknown competency id): the error overlay must
//      appear, name the file and the id, and leave the last good page in
//      place; fixing it must remove the overlay and leave the page current;
//   3. saves the session the way vim / JetBrains / VS Code do (a temporary
//      file renamed over it): the new text must appear;
//   4. deletes a session that other sessions link to: the overlay must name
//      the deleted id and every file with a broken link; restoring it must
//      remove the overlay;
//   5. adds a stylesheet to the site: the page must reload (a navigation)
//      and show the new style.
// With --artifacts, a screenshot of the overlay and the server's log go
// there. Exits non-zero on any failure.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_ARGS } from './chromium.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STEP_TIMEOUT = 20_000;
const OVERLAY = '#playbook-serve-overlay';

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) console.error(`reload.mjs: ${msg}`);
  console.error('usage: node scripts/browser/reload.mjs [SITE] [--playbook BIN] [--rounds N] [--artifacts DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { site: REPO, playbook: process.env.PLAYBOOK || null, rounds: 20, artifacts: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--playbook') o.playbook = value();
    else if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--artifacts') o.artifacts = value();
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else o.site = path.resolve(a);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) usage('--rounds must be a positive integer');
  if (!o.playbook) {
    const release = path.join(REPO, 'target', 'release', 'playbook');
    o.playbook = fs.existsSync(release) ? release : path.join(REPO, 'target', 'debug', 'playbook');
  }
  if (!fs.existsSync(o.playbook)) usage(`no playbook binary at ${o.playbook} (cargo build --release)`);
  if (!fs.existsSync(path.join(o.site, 'playbook.yaml'))) usage(`${o.site} holds no playbook.yaml`);
  return o;
}

// ------------------------------------------------------------------ helpers

const failures = [];
function fail(msg) {
  failures.push(msg);
  console.error(`FAIL: ${msg}`);
}
function ok(msg) {
  console.log(`ok: ${msg}`);
}

function copySite(from) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-reload-'));
  for (const entry of ['playbook.yaml', 'content', 'templates', 'static', 'themes', 'library']) {
    const src = path.join(from, entry);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(to, entry), { recursive: true });
  }
  return to;
}

/** The first program (by folder name) and its session guides. */
function findSessions(site) {
  const content = path.join(site, 'content');
  const programs = fs
    .readdirSync(content)
    .filter((d) => !d.startsWith('.') && !d.startsWith('_'))
    .filter((d) => fs.existsSync(path.join(content, d, 'sessions')))
    .sort();
  if (programs.length === 0) throw new Error('no program with sessions/ under content/');
  const program = programs[0];
  const dir = path.join(content, program, 'sessions');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  return { program, dir, files };
}

/** Sessions of the program that other sessions link to (by `requires`,
 *  `session:id` links or `id.md` links), with the files that link to them. */
function linkedSessions(dir, files) {
  const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const out = [];
  for (const f of files) {
    const id = f.replace(/\.md$/, '');
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(session:${esc}\\b|\\(${esc}\\.md[#)]|requires:[^\\n]*\\b${esc}\\b)`);
    const by = files.filter((g) => g !== f && re.test(texts.get(g)));
    if (by.length > 0) out.push({ file: f, id, by });
  }
  return out;
}

function startServer(bin, site) {
  const child = spawn(bin, ['--color', 'never', 'serve', site, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`playbook serve did not start:\n${log}`)), 60_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/ at (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`playbook serve exited (${code}):\n${log}`)));
  });
  return { child, url, log: () => log };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median, maximum, how many rounds took over 150 ms (this machine's
 *  scheduling stalls show there, in the baseline too), and every round. */
const spread = (xs) =>
  `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms, ` +
  `${xs.filter((t) => t > 150).length} of ${xs.length} over 150 ms ` +
  `(all: ${xs.map((t) => t.toFixed(0)).join(' ')})`;

async function overlayText(page) {
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    return host && host.shadowRoot ? host.shadowRoot.textContent : null;
  }, OVERLAY);
}

async function waitForOverlay(page, mustContain) {
  await page.waitForFunction(
    ([sel, words]) => {
      const host = document.querySelector(sel);
      const text = host && host.shadowRoot ? host.shadowRoot.textContent : '';
      return words.every((w) => text.includes(w));
    },
    [OVERLAY, mustContain],
    { timeout: STEP_TIMEOUT, polling: 10 },
  );
}

/** Wait until the overlay is gone, then check that the page shows the
 *  server's current version of it (a conditional GET answers 304). */
async function waitForCurrentWithoutOverlay(page) {
  await page.waitForFunction((sel) => !document.querySelector(sel) && window.playbookServe, OVERLAY, {
    timeout: STEP_TIMEOUT,
    polling: 10,
  });
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const status = await page.evaluate(async () => {
      const res = await fetch(location.href, {
        cache: 'no-store',
        headers: { 'If-None-Match': `"${window.playbookServe.version}"` },
      });
      return res.status;
    });
    if (status === 304) return;
    if (Date.now() > deadline) throw new Error(`the page is not the current version (status ${status})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitForText(page, text) {
  // textContent, not innerText: polling innerText forces a layout each
  // time and slows down the very page load being measured.
  await page.waitForFunction((t) => document.body && document.body.textContent.includes(t), text, {
    timeout: STEP_TIMEOUT,
    polling: 10,
  });
  const visible = await page.evaluate((t) => document.body.innerText.includes(t), text);
  if (!visible) throw new Error(`"${text}" is in the page but not visible`);
}

/** Listen to the server's event stream from node: the time of every
 *  `reload` event, to tell the server's share of the latency. */
function listenForReloads(base) {
  const times = [];
  const controller = new AbortController();
  (async () => {
    try {
      const res = await fetch(new URL('/__playbook/events', base), { signal: controller.signal });
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true });
        let at;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (/^event: ?reload$/m.test(block)) times.push(performance.now());
        }
      }
    } catch {
      /* aborted at the end */
    }
  })();
  return { times, stop: () => controller.abort() };
}

// --------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const site = copySite(opts.site);
  const { program, dir, files } = findSessions(site);
  const linked = linkedSessions(dir, files);
  const target = files.find((f) => !linked.some((l) => l.file === f)) || files[0];
  const victim = linked.find((l) => l.file !== target && !l.by.includes(target)) || linked.find((l) => l.file !== target);
  const targetPath = path.join(dir, target);
  const original = fs.readFileSync(targetPath, 'utf8');
  console.log(`site ${opts.site} (copied to ${site}); ${opts.playbook}`);

  const server = startServer(opts.playbook, site);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-reload-profile-'));
  let context;
  try {
    const base = await server.url;
    const pageUrl = `${base}${program}/sessions/${target.replace(/\.md$/, '')}/`;
    const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => fail(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') fail(`console error: ${m.text()}`);
    });
    const res = await page.goto(pageUrl, { waitUntil: 'load' });
    if (!res || res.status() !== 200) throw new Error(`${pageUrl}: status ${res && res.status()}`);
    await page.waitForFunction(() => window.playbookServe && window.playbookServe.connected, null, {
      timeout: STEP_TIMEOUT,
    });
    console.log(`page ${pageUrl}`);
    // The state the server sends on connect must not reload a current
    // page (a page with the theme's search script once did, in a loop).
    await page.evaluate(() => {
      window.__settled = true;
    });
    await new Promise((r) => setTimeout(r, 1000));
    if (await page.evaluate(() => window.__settled === true)) ok('a current page stays put when the event stream connects');
    else fail('the page reloaded by itself after connecting to the event stream');

    // 0. A baseline of this machine, without any file change: the same
    //    number of rounds in which the page fetches itself, parses it and
    //    shows a new line — the browser's share of an update, with the
    //    machine's scheduling delays — and node sees it.
    const baseline = [];
    for (let i = 1; i <= opts.rounds; i++) {
      const marker = `Baseline marker ${i}-${Math.random().toString(36).slice(2, 10)}`;
      const t0 = performance.now();
      await page.evaluate((m) => {
        fetch(location.href, { cache: 'no-store' })
          .then((r) => r.text())
          .then((html) => {
            new DOMParser().parseFromString(html, 'text/html');
            const p = document.createElement('p');
            p.textContent = m;
            document.body.append(p);
          });
      }, marker);
      await waitForText(page, marker);
      baseline.push(performance.now() - t0);
      await page.evaluate((m) => {
        for (const p of document.querySelectorAll('body > p')) if (p.textContent === m) p.remove();
      }, marker);
    }
    console.log(
      `baseline (no rebuild: the page fetches itself and shows a line) over ${baseline.length} rounds: ` +
        spread(baseline),
    );

    // 1. Latency of an edit, and the scroll position across reloads.
    const reloads = listenForReloads(base);
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    let text = original;
    const times = [];
    const serverTimes = [];
    let scrollTarget = null;
    for (let i = 1; i <= opts.rounds; i++) {
      if (i === 2) {
        scrollTarget = await page.evaluate(() => {
          const y = Math.max(0, Math.floor((document.documentElement.scrollHeight - innerHeight) / 2));
          window.scrollTo(0, y);
          return window.scrollY;
        });
      }
      const marker = `Live reload marker ${i}-${Math.random().toString(36).slice(2, 10)}`;
      text += `\n${marker}\n`;
      const t0 = performance.now();
      fs.writeFileSync(targetPath, text);
      try {
        await waitForText(page, marker);
      } catch (e) {
        fail(`round ${i}: "${marker}" not visible within ${STEP_TIMEOUT} ms`);
        continue;
      }
      const ms = performance.now() - t0;
      times.push(ms);
      const event = reloads.times.find((t) => t >= t0);
      if (event !== undefined) serverTimes.push(event - t0);
      if (scrollTarget !== null) {
        const y = await page.evaluate(() => window.scrollY);
        if (Math.abs(y - scrollTarget) > 2) fail(`round ${i}: scroll position ${y} after reload, expected ${scrollTarget}`);
      }
    }
    if (times.length > 0) {
      console.log(`latency over ${times.length} edits: ${spread(times)}`);
    }
    reloads.stop();
    if (serverTimes.length > 0) {
      console.log(
        `  of which write -> reload event (watch, debounce, rebuild, swap): ${spread(serverTimes)}`,
      );
    }
    if (scrollTarget !== null) ok(`scroll position ${scrollTarget} kept across reloads`);
    const inPlace = await page.evaluate(() => [!!window.__sameDocument, window.playbookServe.updates]);
    if (inPlace[0] && inPlace[1] >= opts.rounds) ok(`${inPlace[1]} edits shown in place, without a navigation`);
    else fail(`edits were not shown in place (same document: ${inPlace[0]}, updates: ${inPlace[1]})`);

    // Search after in-place updates: bound to the new form, it finds the
    // text of the last edit (the documents rebuilt), still in place.
    if (await page.locator('form.search input[type="search"]').count()) {
      const token = text.trim().split('\n').pop().split('-').pop();
      const href = `/sessions/${target.replace(/\.md$/, '')}/`;
      try {
        const box = page.locator('form.search input[type="search"]');
        await box.focus();
        await page.keyboard.type(token, { delay: 10 });
        await page.waitForFunction(
          (h) => [...document.querySelectorAll('.search-results a')].some((a) => a.getAttribute('href').endsWith(h)),
          href,
          { timeout: STEP_TIMEOUT, polling: 20 },
        );
        await page.keyboard.press('Escape');
        if (await page.evaluate(() => !!window.__sameDocument)) ok(`search after in-place updates finds the last edit ("${token}")`);
        else fail('searching after in-place updates reloaded the page');
      } catch (e) {
        fail(`search after in-place updates does not find the last edit "${token}" (${e.message.split('\n')[0]})`);
      }
    }

    // 2. A broken edit: overlay over the last good page, gone once fixed.
    const good = text;
    const lastMarker = good.trim().split('\n').pop();
    const broken = /^competencies:\s*\[/m.test(good)
      ? good.replace(/^competencies:\s*\[/m, 'competencies: [no-such-competency, ')
      : good.replace(/^---\n/, '---\ncompetencies: [no-such-competency]\n');
    await page.evaluate(() => {
      window.__beforeChange = true;
    });
    fs.writeFileSync(targetPath, broken);
    try {
      await waitForOverlay(page, ['no-such-competency', `content/${program}/sessions/${target}`]);
      const shown = await overlayText(page);
      const still = await page.evaluate((m) => !!window.__beforeChange && document.body.innerText.includes(m), lastMarker);
      if (!still) fail('the page did not keep the last good build while broken');
      if (!/:\d+:\d+/.test(shown)) fail(`the overlay shows no line and column: ${shown}`);
      ok('broken edit: the overlay names the file, line and unknown id; the last good page stays');
      if (opts.artifacts) {
        fs.mkdirSync(opts.artifacts, { recursive: true });
        await page.screenshot({ path: path.join(opts.artifacts, 'overlay.png') });
      }
    } catch (e) {
      fail(`broken edit: no overlay naming the error (${e.message.split('\n')[0]})`);
    }
    fs.writeFileSync(targetPath, good);
    try {
      await waitForCurrentWithoutOverlay(page);
      ok('fixed: the overlay went away and the page is current');
    } catch (e) {
      fail(`fixed: the overlay stayed or the page is not current (${e.message.split('\n')[0]})`);
    }

    // 3. A rename-style save.
    {
      const marker = `Saved through a rename ${Math.random().toString(36).slice(2, 10)}`;
      text = `${good}\n${marker}\n`;
      const tmp = `${targetPath}.tmp`;
      const t0 = performance.now();
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, targetPath);
      try {
        await waitForText(page, marker);
        ok(`rename-style save shown after ${(performance.now() - t0).toFixed(0)} ms`);
      } catch (e) {
        fail('rename-style save: the new text did not appear');
      }
    }

    // 4. Deleting a session others link to.
    if (!victim) {
      fail(`no session of ${program} is linked to by another session: cannot check broken links`);
    } else {
      const victimPath = path.join(dir, victim.file);
      const saved = fs.readFileSync(victimPath);
      await page.evaluate(() => {
        window.__beforeChange = true;
      });
      fs.rmSync(victimPath);
      const names = [victim.id, ...victim.by.map((f) => `content/${program}/sessions/${f}`)];
      try {
        await waitForOverlay(page, names);
        ok(`deleted ${victim.file}: the overlay names ${names.join(', ')}`);
      } catch (e) {
        fail(`deleted ${victim.file}: the overlay does not name ${names.join(', ')}: ${await overlayText(page)}`);
      }
      fs.writeFileSync(victimPath, saved);
      try {
        await waitForCurrentWithoutOverlay(page);
        ok(`restored ${victim.file}: the overlay went away`);
      } catch (e) {
        fail(`restored ${victim.file}: the overlay stayed`);
      }
    }

    // 5. A changed stylesheet: every page reloads (a navigation) and
    //    shows the new style.
    {
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      const css = path.join(site, 'static', 'style.css');
      const cssText = await (await fetch(new URL('style.css', base))).text();
      fs.mkdirSync(path.dirname(css), { recursive: true });
      fs.writeFileSync(css, `${cssText}\nhtml body { outline: 3px solid rgb(1, 2, 3); }\n`);
      try {
        await page.waitForFunction(
          () => !window.__sameDocument && document.body && getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)',
          null,
          { timeout: STEP_TIMEOUT, polling: 20 },
        );
        ok('changed stylesheet: the page reloaded with the new style');
      } catch (e) {
        fail('changed stylesheet: the page did not reload with the new style');
      }
    }
  } finally {
    if (context) await context.close();
    server.child.kill('SIGINT');
    await new Promise((r) => {
      if (server.child.exitCode !== null) r();
      else server.child.on('exit', r);
    });
    if (opts.artifacts) {
      fs.mkdirSync(opts.artifacts, { recursive: true });
      fs.writeFileSync(path.join(opts.artifacts, 'serve.log'), server.log());
    }
    fs.rmSync(site, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('all live-reload checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
