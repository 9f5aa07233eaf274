// playbook serve: live reload and the error overlay. `playbook serve` adds
// this script to every page it serves; `playbook build` output never has it.
//
// Each served page carries its version (data-page), which is also its ETag.
// The server's event stream (/__playbook/events) sends the current state on
// connect and then every change:
//   reload  {"build": ID}  — a build is in place: the page asks the server
//                            whether it is still current (a conditional
//                            GET with its version). If not, it updates in
//                            place: the new page replaces the body and head
//                            at the same scroll position, without a
//                            navigation. Pages with scripts of their own,
//                            a site whose stylesheets, images or other files
//                            changed (data-assets), or an answer other than
//                            200 reload instead (keeping the scroll position).
//                            A theme script marked `data-swap` (the theme's
//                            search) promises to bind itself to the new body
//                            on the `playbook:swap` event, so its pages
//                            update in place too.
//   error   {"build", "errors": [...], "warnings", "text"} — the last change
//                            broke the playbook: show the diagnostics over
//                            the page (built with DOM APIs and textContent
//                            only: report text is never parsed as markup).
(() => {
  'use strict';
  const me = document.currentScript;
  const endpoint = (me && me.dataset.events) || '/__playbook/events';
  const scrollKey = 'playbook-serve:scroll:' + location.pathname + location.search;
  // For tools and tests: the page's version, whether the server's state has
  // arrived since the page loaded, and how many in-place updates happened.
  const state = { version: (me && me.dataset.page) || '', connected: false, updates: 0 };
  // The fingerprint of the site's stylesheets, images and other files.
  const assets = (me && me.dataset.assets) || '';
  window.playbookServe = state;

  // Restore the scroll position saved just before a live reload.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const y = Number(saved) || 0;
    window.scrollTo(0, y);
    window.addEventListener('load', () => window.scrollTo(0, y), { once: true });
  }

  let reloading = false;
  // The error overlay's element, while shown.
  let host = null;
  function reload() {
    if (reloading) return;
    reloading = true;
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  const ours = (s) => s.hasAttribute('data-page') && s.hasAttribute('data-events');
  const swappable = (s) => s.hasAttribute('data-swap');
  // Scripts that cannot follow an in-place update.
  const hasOwnScripts = (doc) => [...doc.scripts].some((s) => !ours(s) && !swappable(s));
  // Does `doc` need a script this page has not run?
  const src = (s) => s.getAttribute('src') || s.textContent;
  const newScripts = (doc) => {
    const loaded = new Set([...document.scripts].filter(swappable).map(src));
    return [...doc.scripts].some((s) => swappable(s) && !loaded.has(src(s)));
  };
  const styles = (doc) =>
    [...doc.querySelectorAll('link[rel~="stylesheet"], style')]
      .map((e) => [e.tagName, e.getAttribute('href'), e.getAttribute('media'), e.href ? '' : e.textContent].join(' '))
      .join('\n');

  // Replace the page by `doc` (a parsed new version of it) in place.
  function swap(doc) {
    const y = window.scrollY;
    const html = document.documentElement;
    for (const a of [...html.attributes]) if (!doc.documentElement.hasAttribute(a.name)) html.removeAttribute(a.name);
    for (const a of [...doc.documentElement.attributes]) html.setAttribute(a.name, a.value);
    // The head: everything but the stylesheets (unchanged, or we would
    // have reloaded) is replaced, so title, description and links follow.
    const keep = (e) => e.matches('link[rel~="stylesheet"], style');
    for (const e of [...document.head.children]) if (!keep(e)) e.remove();
    for (const e of [...doc.head.children]) if (!keep(e)) document.head.append(document.adoptNode(e));
    // The new body's copy of this script is inert (parsed, never run).
    document.body.replaceWith(document.adoptNode(doc.body));
    if (host) document.body.append(host);
    window.scrollTo(0, y);
    document.dispatchEvent(new Event('playbook:swap'));
  }

  // Is the page current? If not, update it (or reload).
  async function refresh() {
    if (reloading) return;
    if (!state.version) return reload();
    let res;
    try {
      res = await fetch(location.href, {
        cache: 'no-store',
        headers: { 'If-None-Match': '"' + state.version + '"' },
      });
    } catch {
      return; // the server is gone: the event stream reconnects
    }
    // 304, or the same 404 page (or placeholder) as before: current.
    if (res.status === 304 || res.headers.get('ETag') === '"' + state.version + '"') return;
    if (res.status !== 200) return reload();
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const next = [...doc.scripts].find(ours);
    if (
      !next ||
      next.dataset.assets !== assets ||
      hasOwnScripts(document) ||
      hasOwnScripts(doc) ||
      newScripts(doc) ||
      styles(doc) !== styles(document)
    ) {
      return reload();
    }
    swap(doc);
    state.version = next.dataset.page;
    state.updates += 1;
  }

  // Refreshes run one at a time; a build that lands during one gets
  // another.
  let queue = Promise.resolve();
  const refreshSoon = () => {
    queue = queue.then(refresh, refresh);
    return queue;
  };

  const CSS = `
    :host { all: initial; }
    .backdrop { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;
      background: rgba(20, 20, 24, 0.72); padding: 4vh 3vw;
      font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
    .box { max-width: 62rem; margin: 0 auto; background: #fff; color: #1b1b1f;
      border-top: 6px solid #c62828; border-radius: 6px; padding: 1.25rem 1.5rem;
      box-shadow: 0 10px 40px rgba(0, 0, 0, 0.4); }
    h2 { margin: 0 0 0.25rem; font-size: 1.2rem; color: #b71c1c; }
    p { margin: 0 0 1rem; color: #444; }
    ol { margin: 0; padding: 0; list-style: none; }
    li { border-top: 1px solid #e3e3e8; padding: 0.75rem 0; }
    .loc { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #555; }
    .msg { font-weight: 600; margin: 0.15rem 0; }
    .code { font: 12px ui-monospace, monospace; color: #b71c1c; margin-right: 0.4rem; }
    .label { color: #444; }
    .hint { color: #1b5e20; }
    details { margin-top: 1rem; }
    pre { overflow: auto; background: #f5f5f7; padding: 0.75rem; border-radius: 4px;
      font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
    button { float: right; font: inherit; border: 1px solid #bbb; background: #f5f5f7;
      border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
  `;

  function hideOverlay() {
    if (host) {
      host.remove();
      host = null;
    }
  }
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function where(d) {
    if (!d.file) return '';
    let s = d.file;
    if (d.line) s += ':' + d.line + (d.column ? ':' + d.column : '');
    return s;
  }
  function showOverlay(report) {
    hideOverlay();
    const errors = Array.isArray(report.errors) ? report.errors : [];
    host = document.createElement('div');
    host.id = 'playbook-serve-overlay';
    const root = host.attachShadow({ mode: 'open' });
    root.append(el('style', null, CSS));
    const backdrop = el('div', 'backdrop');
    const box = el('div', 'box');
    box.setAttribute('role', 'alert');
    const close = el('button', null, 'Dismiss');
    close.type = 'button';
    close.addEventListener('click', hideOverlay);
    const n = errors.length;
    box.append(
      close,
      el('h2', null, `The playbook has ${n} error${n === 1 ? '' : 's'}`),
      el('p', null, 'This page shows the last good build. Fix the files below; the page reloads by itself.'),
    );
    const list = el('ol');
    for (const d of errors) {
      const item = el('li');
      const loc = where(d);
      if (loc) item.append(el('div', 'loc', loc));
      const msg = el('div', 'msg');
      msg.append(el('span', 'code', d.code || 'error'), document.createTextNode(d.message || ''));
      item.append(msg);
      if (d.label) item.append(el('div', 'label', d.label));
      if (d.hint) item.append(el('div', 'hint', 'help: ' + d.hint));
      list.append(item);
    }
    box.append(list);
    if (report.text) {
      const details = el('details');
      details.append(el('summary', null, 'Full report'), el('pre', null, report.text));
      box.append(details);
    }
    backdrop.append(box);
    root.append(backdrop);
    (document.body || document.documentElement).append(host);
  }

  let retry = 250;
  function connect() {
    const source = new EventSource(endpoint);
    source.addEventListener('open', () => {
      retry = 250;
    });
    source.addEventListener('reload', (e) => {
      let current;
      try {
        current = JSON.parse(e.data);
      } catch {
        return;
      }
      state.connected = true;
      state.build = current.build;
      hideOverlay();
      refreshSoon();
    });
    // Two kinds of `error` arrive here: the server's diagnostics (a
    // MessageEvent with data) and EventSource's own connection errors.
    source.addEventListener('error', (e) => {
      if (typeof e.data === 'string') {
        state.connected = true;
        try {
          showOverlay(JSON.parse(e.data));
        } catch {
          /* a malformed report: ignore */
        }
        return;
      }
      // While CONNECTING the browser retries by itself; a CLOSED source
      // (e.g. the server answered with an error) is retried here, so the
      // page reconnects, and reloads, once `playbook serve` is back.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 4000);
      }
    });
  }
  connect();
})();
