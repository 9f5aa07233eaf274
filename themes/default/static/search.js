/* playbook search: a program's sessions, competencies, actions, practice
 * scenarios, success signals and metrics — on the home page, those of
 * every program. Progressive: the form in the page header stays hidden
 * unless this script runs. On first use it fetches the documents
 * (<program>/search.json, written by `playbook build`; the form's
 * data-docs lists their URLs) and MiniSearch (minisearch.js), which
 * indexes them in the browser. Results are links: Tab reaches them; Enter in the box goes
 * to the first; Escape clears. The count is announced to screen readers.
 *
 * Under `playbook serve` a page may be updated in place (its body
 * replaced); the script is marked `data-swap` and binds itself to the new
 * form on the `playbook:swap` event, and indexes the documents again, as
 * they may have changed. */
(function () {
  'use strict';
  if (!window.fetch || !window.Promise) return;
  var SHOWN = 20;
  var form, input, status, list;
  var engine = null;
  var docs = [];
  var ready = null;
  var timer = 0;
  /* Bumped when the page is swapped in place: what an older page's load
   * or query finishes is dropped. */
  var generation = 0;
  /* How many programs' documents could not be fetched. */
  var missing = 0;

  function script(src) {
    return new Promise(function (resolve, reject) {
      if (window.MiniSearch) return resolve();
      var s = document.createElement('script');
      s.src = src;
      s.setAttribute('data-swap', '');
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function load() {
    if (!ready) {
      var mine = generation;
      var urls = form.getAttribute('data-docs').split(/\s+/).filter(Boolean);
      // Each program's documents; one that fails does not stop the others.
      var files = Promise.all(urls.map(function (url) {
        return fetch(url, { cache: 'no-cache' }).then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status + ' for ' + url);
          return r.json();
        }).then(null, function (e) { return { error: e }; });
      }));
      ready = Promise.all([script(form.getAttribute('data-lib')), files]).then(function (parts) {
        if (mine !== generation) return;
        var loaded = parts[1].filter(function (f) { return !f.error; });
        if (!loaded.length) throw parts[1][0].error;
        missing = parts[1].length - loaded.length;
        // One list, each document knowing its program; ids are positions.
        docs = [];
        loaded.forEach(function (file) {
          file.docs.forEach(function (d) {
            d.program = file.program;
            d.id = docs.length;
            docs.push(d);
          });
        });
        engine = new window.MiniSearch({
          fields: ['title', 'text'],
          searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.15, combineWith: 'AND' }
        });
        engine.addAll(docs);
      }).then(null, function (e) {
        if (mine === generation) {
          ready = null;
          status.textContent = 'Search could not be loaded (' + e.message + ').';
        }
        throw e;
      });
    }
    return ready;
  }

  /* Run `fn` once the documents are indexed, unless the page has been
   * swapped since. */
  function whenReady(fn) {
    var mine = generation;
    load().then(function () { if (mine === generation && engine) fn(); }, function () {});
  }

  /* A short piece of `text` around the first matched term, terms marked. */
  function excerpt(text, terms) {
    var out = document.createElement('p');
    out.className = 'search-excerpt';
    if (!text) return out;
    var lower = text.toLowerCase();
    var at = -1;
    terms.forEach(function (t) {
      var i = lower.indexOf(t.toLowerCase());
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60);
    var piece = (start > 0 ? '…' : '') + text.slice(start, start + 180) + (start + 180 < text.length ? '…' : '');
    var escaped = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    if (!escaped.length) {
      out.textContent = piece;
      return out;
    }
    var re = new RegExp('(' + escaped.join('|') + ')', 'gi');
    var last = 0;
    piece.replace(re, function (m, _g, i) {
      out.appendChild(document.createTextNode(piece.slice(last, i)));
      var mark = document.createElement('mark');
      mark.textContent = m;
      out.appendChild(mark);
      last = i + m.length;
      return m;
    });
    out.appendChild(document.createTextNode(piece.slice(last)));
    return out;
  }

  function show(q) {
    list.textContent = '';
    if (!q) {
      status.textContent = '';
      return;
    }
    var hits = engine.search(q);
    hits.slice(0, SHOWN).forEach(function (h) {
      var d = docs[h.id];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = d.url;
      a.textContent = d.title;
      var meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = d.kind + ' · ' + d.program;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(meta);
      li.appendChild(excerpt(d.text, h.terms || []));
      list.appendChild(li);
    });
    status.textContent = (hits.length === 0
      ? 'No results for “' + q + '”.'
      : hits.length + (hits.length === 1 ? ' result' : ' results') +
        (hits.length > SHOWN ? ', the first ' + SHOWN + ' shown.' : '.')) +
      (missing ? ' ' + missing + (missing === 1 ? ' program' : ' programs') + ' could not be searched.' : '');
  }

  /* Bind to the page's search form, if it has one. */
  function init() {
    form = document.querySelector('form.search[data-docs]');
    if (!form) return;
    input = form.querySelector('input[type="search"]');
    status = form.querySelector('.search-status');
    list = form.querySelector('.search-results');
    form.hidden = false;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      // The results of what the box says now, not of a query still
      // waiting for its pause.
      clearTimeout(timer);
      whenReady(function () {
        show(input.value.trim());
        var first = list.querySelector('a');
        if (first) first.click();
      });
    });
    input.addEventListener('focus', function () { load().catch(function () {}); });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      // The documents of a large site take a moment to arrive the first time.
      if (!engine && input.value.trim()) status.textContent = 'Loading the search…';
      timer = setTimeout(function () {
        whenReady(function () { show(input.value.trim()); });
      }, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        input.value = '';
        show('');
      }
    });
  }

  init();
  document.addEventListener('playbook:swap', function () {
    clearTimeout(timer);
    generation += 1;
    ready = null;
    engine = null;
    docs = [];
    missing = 0;
    init();
  });
})();

/* The impact report's "Print or save as PDF" button: it is `hidden` in the
 * page, shown only when this script runs (without JavaScript there is
 * nothing to press; the browser's own Print still works), and hidden again
 * in print by the stylesheet. Bound again when `playbook serve` swaps the
 * page in place. */
(function () {
  'use strict';
  if (typeof window.print !== 'function') return;
  function init() {
    var buttons = document.querySelectorAll('button[data-print]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function () { window.print(); });
    }
  }
  init();
  document.addEventListener('playbook:swap', init);
})();
