// The command line the site-checking scripts share (check.mjs, layout.mjs,
// charts.mjs): SITE_DIR, --base /sub/, --artifacts DIR, --verbose, plus
// each script's own flags and valued options.
//
//   parseSiteArgs(process.argv.slice(2), {
//     script: 'charts.mjs',
//     usage: ['SITE_DIR [--base /sub/] …', '  --x  what it does'],
//     artifacts: 'charts',               // default folder under .ci-artifacts/
//     defaults: { programs: [] },         // the script's own options
//     values: { '--program': (o, v) => o.programs.push(v) },
//     flags: { '--strict': (o) => { o.strict = true; } },
//     needsIndex: true,                   // SITE_DIR must hold index.html
//   })

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** Print the usage (and `msg`) and exit 2. */
export function siteUsage(spec, msg) {
  if (msg) console.error(`${spec.script}: ${msg}`);
  const [first, ...rest] = spec.usage;
  console.error(`usage: node scripts/browser/${spec.script} ${first}`);
  for (const line of rest) console.error(line);
  process.exit(2);
}

/** `/sub` → `/sub/`; `` → `/`; doubled slashes made one. */
export function normaliseBase(base) {
  let b = base.trim();
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b.replace(/\/{2,}/g, '/');
}

/** The options of `argv` by `spec` (see the top of this file). */
export function parseSiteArgs(argv, spec) {
  const o = {
    site: null,
    base: '/',
    artifacts: path.join('.ci-artifacts', spec.artifacts),
    verbose: false,
    ...structuredClone(spec.defaults ?? {}),
  };
  const values = { '--base': (o, v) => { o.base = v; }, '--artifacts': (o, v) => { o.artifacts = v; }, ...(spec.values ?? {}) };
  const flags = { '--verbose': (o) => { o.verbose = true; }, '-v': (o) => { o.verbose = true; }, ...(spec.flags ?? {}) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (a === '-h' || a === '--help') siteUsage(spec);
    else if (values[name]) {
      let v;
      if (a.includes('=')) v = a.slice(a.indexOf('=') + 1);
      else if (i + 1 >= argv.length) siteUsage(spec, `${a} needs a value`);
      else v = argv[++i];
      values[name](o, v);
    } else if (flags[a]) flags[a](o);
    else if (a.startsWith('-')) siteUsage(spec, `unknown option ${a}`);
    else if (o.site === null) o.site = a;
    else siteUsage(spec, `unexpected argument ${a}`);
  }
  if (!o.site) siteUsage(spec, 'SITE_DIR is required');
  o.site = path.resolve(o.site);
  if (spec.needsIndex) {
    if (!fs.existsSync(path.join(o.site, 'index.html'))) siteUsage(spec, `${o.site} holds no built site (no index.html)`);
  } else if (!fs.existsSync(o.site) || !fs.statSync(o.site).isDirectory()) {
    siteUsage(spec, `${o.site} is not a directory`);
  }
  o.base = normaliseBase(o.base);
  o.artifacts = path.resolve(o.artifacts);
  return o;
}
