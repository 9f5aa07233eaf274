// Launch flags for Debian's headless Chromium, shared by check.mjs and
// reload.mjs: no sandbox (root), and no background traffic to hosts this
// machine cannot reach.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
