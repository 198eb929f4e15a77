/* folio search: searches the locale's static index, written by folio beside
   the pages, for titles, headings, descriptions and text. The index is split
   (see generator/out_search.h): a small manifest (search-index.js), term
   shards (search/t<i>.js) and one file per page (search/p<id>.js). Each is
   a script that calls a function defined here, loaded by adding a script
   element when it is needed, which also works from file:// and offline: a
   query loads the manifest, the shards that hold its words and the pages
   it shows. No framework. Keyboard: "/" focuses the field, arrow keys move
   through the results, Escape closes them, Enter opens the first result.
   Text from the index is only ever inserted as text, never as HTML. */
(function () {
  'use strict';
  var MAX_RESULTS = 12;
  /* As generator/out_search.h: the longest term, in code points. */
  var MAX_TERM = 32;
  /* A word is matched as the start of longer words ("perm" finds
     "permissions") when those words lie in at most this many shards (about
     16 KB each); a shorter, more common start is matched as a whole word
     until more letters are typed, so no key press loads much. */
  var PREFIX_SHARDS = 4;
  /* The pages of the results (search/p<id>.js, a few KB each) are loaded
     once the field has not changed for this long (ms), so that typing a
     word does not load the results of each of its beginnings. */
  var SETTLE = 300;
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  var manifest = null;
  var shards = [], pages = [];   /* loaded files, by number */
  var requested = {}, failed = {};
  var timer = 0, settle = 0, queued = false, openFirst = false, shown = '', changed = 0;
  var shownCount = 0;            /* results of the shown list laid out so far */
  var before = '';               /* the field at the last input event */

  /* Case and accents do not matter: "uberblick" finds "Überblick"; Arabic
     short vowels (harakat) are ignored the same way. folio folds the
     index's words the same way (out_search_terms). */
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '').toLowerCase()
      .replace(/\u03c2/g, '\u03c3');
  }
  /* Scripts written without spaces: every ideograph or kana is a word. */
  var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}]/u;
  var CJK_ALL = new RegExp(CJK.source, 'gu');
  var WORD_CHAR = /[\p{L}\p{N}]/u;
  /* The words of s, folded, in order; each cut at MAX_TERM code points. */
  function words(s) {
    return fold(s).replace(CJK_ALL, ' $& ').split(/[^\p{L}\p{N}]+/u).filter(function (t) {
      return t.length > 0;
    }).map(function (t) { return Array.from(t).slice(0, MAX_TERM).join(''); });
  }
  function terms(q) {
    var seen = {};
    return words(q).filter(function (t) { return seen[t] ? false : (seen[t] = true); });
  }

  /* Code point order, the order of the index (UTF-8 bytes): UTF-16 puts
     surrogates (astral characters) before U+E000-U+FFFF. */
  function unit(c) { return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c; }
  function cmp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) return unit(x) - unit(y);
    }
    return a.length - b.length;
  }

  /* Node (the tests) gets the folding and decoding; a page gets search. */
  if (typeof document === 'undefined') {
    if (typeof module === 'object' && module.exports)
      module.exports = { fold: fold, words: words, terms: terms, cmp: cmp, decode: decode, MAX_TERM: MAX_TERM };
    return;
  }
  var form = document.querySelector('form.search');
  if (!form || !form.querySelector) return;
  var input = form.querySelector('.search-input');
  var panel = form.querySelector('.search-results');
  var status = panel.querySelector('.search-status');
  var list = panel.querySelector('ul');
  var indexUrl = new URL(form.getAttribute('data-index'), document.baseURI);

  function load(name, url) {
    if (requested[name]) return;
    requested[name] = true;
    var s = document.createElement('script');
    s.src = url.href;
    s.onload = function () { s.remove(); };
    s.onerror = function () { s.remove(); failed[name] = true; rerun(); };
    document.head.appendChild(s);
  }
  function loadPart(name) {
    var url = new URL('search/' + name + '.js', indexUrl);
    /* A new build changes the version: no stale shard from a cache. */
    if (/^https?:$/.test(url.protocol)) url.search = 'v=' + manifest.version;
    load(name, url);
  }
  function loadManifest() { load('manifest', indexUrl); }

  window.folioSearchManifest = function (m) { manifest = m; rerun(); };
  window.folioSearchTerms = function (i, t) { shards[i] = t; rerun(); };
  window.folioSearchPage = function (id, p) { pages[id] = p; rerun(); };

  /* Files arrive one by one: search again once the current ones are in. */
  function rerun() {
    if (queued) return;
    queued = true;
    setTimeout(function () { queued = false; if (input.value.trim()) search(); }, 0);
  }

  /* Which shards a term needs, and whether it is matched as a prefix. */
  function plan(t) {
    var keys = manifest.shards, lo = 0, hi = keys.length - 1;
    while (lo < hi) {   /* the last shard whose first key is <= t */
      var mid = (lo + hi + 1) >> 1;
      if (cmp(keys[mid], t) <= 0) lo = mid; else hi = mid - 1;
    }
    hi = lo;
    while (hi + 1 < keys.length && keys[hi + 1].lastIndexOf(t, 0) === 0) hi++;
    return hi - lo < PREFIX_SHARDS ? { t: t, prefix: true, from: lo, to: hi }
                                   : { t: t, prefix: false, from: lo, to: lo };
  }

  /* For every page holding a word that matches p: fields and count. */
  function postings(p, fields, count) {
    for (var s = p.from; s <= p.to; s++) {
      var list = shards[s] || [];
      var lo = 0, hi = list.length / 2;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (cmp(list[2 * mid], p.t) < 0) lo = mid + 1; else hi = mid;
      }
      for (var i = 2 * lo; i < list.length; i += 2) {
        var term = list[i];
        if (p.prefix ? term.lastIndexOf(p.t, 0) !== 0 : term !== p.t) break;
        decode(list[i + 1], function (id, w) {
          fields[id] |= w >> 3;
          count[id] = Math.min(5, count[id] + (w & 7));
        });
      }
    }
  }
  /* Calls fn(page id, weight) for each posting of a term (see
     generator/out_search.h for the format). */
  function decode(s, fn) {
    var id = -1, i = 0;
    while (i < s.length) {
      var gap = 0, shift = 0, v;
      while ((v = DIGIT[s.charCodeAt(i++)]) >= 32) { gap |= (v - 32) << shift; shift += 5; }
      id += (gap | v << shift) + 1;
      fn(id, DIGIT[s.charCodeAt(i++)]);
    }
  }

  /* Every term must occur somewhere; the title weighs most, then headings,
     the description and the text. Ties go to the title first in order
     (page ids follow the titles). Only the best (want) are kept, in order: a
     common word matches most pages, and sorting them all took longer than
     loading the results. */
  function rank(plans, want) {
    var n = manifest.pages, total = null;
    for (var k = 0; k < plans.length; k++) {
      var fields = new Uint8Array(n), count = new Uint8Array(n);
      postings(plans[k], fields, count);
      var next = new Float64Array(n);
      for (var id = 0; id < n; id++) {
        var s = (fields[id] & 1 ? 20 : 0) + (fields[id] & 2 ? 8 : 0) + (fields[id] & 4 ? 4 : 0) + count[id];
        next[id] = s && (!total || total[id]) ? s + (total ? total[id] : 0) : 0;
      }
      total = next;
    }
    var best = [];
    for (var j = 0; j < n; j++) {
      var t = total[j];
      if (!t || (best.length === want && t <= total[best[want - 1]])) continue;
      var at = best.length;
      while (at > 0 && total[best[at - 1]] < t) at--;
      best.splice(at, 0, j);
      if (best.length > want) best.pop();
    }
    return best;
  }

  /* The ranking of the current terms, kept while only pages arrive. */
  var ranked = { key: null, hits: [] };
  function rankOnce(ts, plans) {
    var gone = Object.keys(failed).sort().join(',');
    var k = MAX_RESULTS + Object.keys(failed).filter(function (f) { return f[0] === 'p'; }).length;
    var key = ts.join('\u0000') + '\u0001' + gone;
    if (ranked.key !== key) ranked = { key: key, hits: ts.length ? rank(plans, k) : [] };
    return ranked.hits;
  }

  /* Where a term starts a word in hay (folded), from position from. */
  function findWord(hay, t, from) {
    for (var i = hay.indexOf(t, from); i >= 0; i = hay.indexOf(t, i + 1))
      if (i === 0 || CJK.test(t) || !WORD_CHAR.test(hay.charAt(i - 1))) return i;
    return -1;
  }

  /* A piece of the text around the first hit (or of the description or a
     heading when the text kept in the index has none), with the terms
     marked. The folded text has the same length as the original only
     when no accent was dropped, so positions are looked up in a folded
     copy of the piece. */
  function snippet(p, ts, li) {
    var sources = [p.x].concat(p.d ? [p.d] : [], p.h), text = p.d || p.x, at = -1;
    for (var s = 0; s < sources.length && at < 0; s++) {
      var folded = fold(sources[s]);
      for (var i = 0; i < ts.length && at < 0; i++) at = findWord(folded, ts[i], 0);
      if (at >= 0) text = sources[s];
    }
    var start = 0;
    if (at > 0) {
      var ratio = text.length / Math.max(1, fold(text).length);
      start = Math.max(0, Math.floor(at * ratio) - 60);
      var sp = text.indexOf(' ', start);
      if (sp >= 0 && sp < start + 20) start = sp + 1;
    }
    var piece = text.slice(start, start + 180);
    var el = document.createElement('span');
    el.className = 'search-snippet';
    if (p.l || manifest.lang) el.lang = p.l || manifest.lang;
    var foldedPiece = fold(piece);
    var pos = 0;
    if (foldedPiece.length === piece.length) {
      for (;;) {
        var best = -1, len = 0;
        for (var k = 0; k < ts.length; k++) {
          var j = findWord(foldedPiece, ts[k], pos);
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

  /* Runs on every change and whenever a file arrives. The results show in
     rank order as their pages arrive: the first as soon as its page is in,
     and the list only grows (a result never moves), so it never flickers. */
  function search() {
    var q = input.value.trim();
    if (!q) { list.textContent = ''; shown = ''; close(); return; }
    if (!manifest) { loadManifest(); return; }
    var ts = terms(q), plans = ts.map(plan), missing = false;
    plans.forEach(function (p) {
      for (var s = p.from; s <= p.to; s++)
        if (!shards[s] && !failed['t' + s]) { loadPart('t' + s); missing = true; }
    });
    if (missing) return;
    var hits = rankOnce(ts, plans)
      .filter(function (id) { return !failed['p' + id]; }).slice(0, MAX_RESULTS);
    var wait = changed + SETTLE - Date.now();
    if (wait > 0 && !openFirst && hits.some(function (id) { return !pages[id]; })) {
      clearTimeout(settle);
      settle = setTimeout(search, wait);
      return;
    }
    hits.forEach(function (id) {
      if (!pages[id]) { loadPart('p' + id); missing = true; }
    });
    var ready = 0;
    while (ready < hits.length && pages[hits[ready]]) ready++;
    if (missing && !ready) return;
    var key = q + '\n' + hits.join(',');
    if (key !== shown || panel.hidden) {
      render(q, ts, hits.length);
      shownCount = 0;
    }
    /* Appended, not laid out again: a result the reader has reached with
       the arrow keys keeps the focus. */
    for (; shownCount < ready; shownCount++) item(hits[shownCount], ts);
    shown = key;
    if (openFirst) {
      openFirst = false;
      var first = links()[0];
      if (first) window.location.href = first.href;
    }
  }

  function render(q, ts, count) {
    list.textContent = '';
    status.textContent = count ? message('data-results', q, count)
                               : message('data-no-results', q, 0);
    panel.hidden = false;
  }

  function item(id, ts) {
    var p = pages[id];
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = new URL(p.u, indexUrl).href;
    var title = document.createElement('span');
    title.className = 'search-title';
    title.textContent = p.t;
    if (p.l || manifest.lang) title.lang = p.l || manifest.lang;
    a.appendChild(title);
    snippet(p, ts, a);
    li.appendChild(a);
    list.appendChild(li);
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

  input.addEventListener('focus', loadManifest);
  input.addEventListener('input', function () {
    openFirst = false;
    /* More than one character at once (pasted, autocompleted, picked from
       the browser's suggestions): the reader is not typing a word out, so
       its results are fetched and shown at once, without the pause. */
    var whole = input.value.length > before.length + 1;
    before = input.value;
    changed = whole ? 0 : Date.now();
    clearTimeout(timer);
    timer = setTimeout(search, whole ? 0 : 60);
  });
  /* Enter opens the first result, once the results are in. */
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    openFirst = true;
    search();
  });
  form.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') { e.preventDefault(); if (panel.hidden) search(); move(1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (e.key === 'Escape') { close(); input.focus(); }
  });
  form.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
  });
  input.addEventListener('focus', function () { if (input.value.trim() && manifest) search(); });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
  });
  form.hidden = false;
})();
