/* folio search: searches the locale's static index (search-index.js, written
   by folio beside the pages) for titles, headings and text. No framework, no
   network: the index is loaded with a script element, which also works from
   file://. Keyboard: "/" focuses the field, arrow keys move through the
   results, Escape closes them, Enter opens the first result. Text from the
   index is only ever inserted as text, never as HTML. */
(function () {
  'use strict';
  var form = document.querySelector('form.search');
  if (!form || !form.querySelector) return;
  var input = form.querySelector('.search-input');
  var panel = form.querySelector('.search-results');
  var status = panel.querySelector('.search-status');
  var list = panel.querySelector('ul');
  var indexUrl = new URL(form.getAttribute('data-index'), document.baseURI);
  var pages = null, loading = false, timer = 0;
  var MAX_RESULTS = 12;

  /* Case and accents do not matter: "uberblick" finds "Überblick"; Arabic
     short vowels (harakat) are ignored the same way. */
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '').toLowerCase();
  }
  function terms(q) {
    return fold(q).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }

  window.folioSearchIndex = function (data) {
    pages = data.pages.map(function (p) {
      return {
        title: p.t, url: new URL(p.u, indexUrl).href, lang: p.l, text: p.x,
        ft: fold(p.t), fh: fold(p.h.join(' \u2022 ')), fd: fold(p.d), fx: fold(p.x)
      };
    });
    loading = false;
    if (input.value.trim()) search();
  };

  function load() {
    if (pages || loading) return;
    loading = true;
    var s = document.createElement('script');
    s.src = indexUrl.href;
    s.onerror = function () { loading = false; };
    document.head.appendChild(s);
  }

  function count(hay, t) {
    var n = 0, i = hay.indexOf(t);
    while (i >= 0 && n < 5) { n++; i = hay.indexOf(t, i + t.length); }
    return n;
  }

  /* Every term must occur somewhere; the title weighs most, then headings,
     the description and the text. */
  function score(p, ts) {
    var total = 0;
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i];
      var s = (p.ft.indexOf(t) >= 0 ? 20 : 0) + (p.fh.indexOf(t) >= 0 ? 8 : 0) +
              (p.fd.indexOf(t) >= 0 ? 4 : 0) + count(p.fx, t);
      if (!s) return 0;
      total += s;
    }
    return total;
  }

  /* A piece of the text around the first hit, with the terms marked. The
     folded text has the same length as the original only when no accent
     was dropped, so positions are looked up in a folded copy of the piece. */
  function snippet(p, ts, li) {
    var at = -1;
    for (var i = 0; i < ts.length && at < 0; i++) at = p.fx.indexOf(ts[i]);
    var text = p.text;
    var start = 0;
    if (at > 0) {
      var ratio = text.length / Math.max(1, p.fx.length);
      start = Math.max(0, Math.floor(at * ratio) - 60);
      var sp = text.indexOf(' ', start);
      if (sp >= 0 && sp < start + 20) start = sp + 1;
    }
    var piece = text.slice(start, start + 180);
    var el = document.createElement('span');
    el.className = 'search-snippet';
    if (p.lang) el.lang = p.lang;
    var folded = fold(piece);
    var pos = 0;
    if (folded.length === piece.length) {
      for (;;) {
        var best = -1, len = 0;
        for (var k = 0; k < ts.length; k++) {
          var j = folded.indexOf(ts[k], pos);
          if (j >= 0 && (best < 0 || j < best)) { best = j; len = ts[k].length; }
        }
        if (best < 0) break;
        el.appendChild(document.createTextNode(piece.slice(pos, best)));
        var m = document.createElement('mark');
        m.textContent = piece.slice(best, best + len);
        el.appendChild(m);
        pos = best + len;
      }
    }
    el.appendChild(document.createTextNode(piece.slice(pos) + (start + 180 < text.length ? '\u2026' : '')));
    if (start > 0) el.insertBefore(document.createTextNode('\u2026'), el.firstChild);
    li.appendChild(el);
  }

  function message(key, q, n) {
    return form.getAttribute(key).replace('{query}', q).replace('{count}', String(n));
  }

  function search() {
    var q = input.value.trim();
    list.textContent = '';
    if (!q) { close(); return; }
    if (!pages) { load(); return; }
    var ts = terms(q);
    var hits = [];
    for (var i = 0; i < pages.length; i++) {
      var s = ts.length ? score(pages[i], ts) : 0;
      if (s) hits.push({ p: pages[i], s: s });
    }
    hits.sort(function (a, b) { return b.s - a.s || (a.p.title < b.p.title ? -1 : 1); });
    hits = hits.slice(0, MAX_RESULTS);
    status.textContent = hits.length ? message('data-results', q, hits.length)
                                     : message('data-no-results', q, 0);
    hits.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = h.p.url;
      var title = document.createElement('span');
      title.className = 'search-title';
      title.textContent = h.p.title;
      if (h.p.lang) title.lang = h.p.lang;
      a.appendChild(title);
      snippet(h.p, ts, a);
      li.appendChild(a);
      list.appendChild(li);
    });
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  function move(by) {
    var ls = links();
    if (!ls.length) return;
    var i = ls.indexOf(document.activeElement);
    if (i < 0) { (by > 0 ? ls[0] : ls[ls.length - 1]).focus(); return; }
    var j = i + by;
    if (j < 0) input.focus();
    else if (j < ls.length) ls[j].focus();
  }

  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 60);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    search();
    var first = links()[0];
    if (first) window.location.href = first.href;
  });
  form.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') { e.preventDefault(); if (panel.hidden) search(); move(1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (e.key === 'Escape') { close(); input.focus(); }
  });
  form.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
  });
  input.addEventListener('focus', function () { if (input.value.trim() && pages) search(); });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
  });
  form.hidden = false;
})();
