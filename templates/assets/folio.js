/* folio page behaviour that the markup cannot give by itself. Without this
   script every page still works: all zones are shown (each under its
   label), code has no copy button, wide tables scroll.
   - Wide tables and code: a table or code block wider than the text column
     scrolls sideways; such a scrolling region must be reachable from the
     keyboard (WCAG 2.1.1), so it gets a tab stop while, and only while, it
     overflows.
   - Zone pivots: each .pivot-selector shows one pivot of its group at a
     time; the choice is kept in ?pivots= (one id per group, comma-separated,
     as Learn's ?pivots=) and in localStorage, and a link to an anchor inside
     a hidden zone shows that zone.
   - Code blocks: a copy button; "Copied" is announced in a live region. */
(function () {
  'use strict';

  function markTables() {
    var tables = document.querySelectorAll('main.content article table, main.content article pre');
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i];
      if (t.scrollWidth > t.clientWidth + 1) {
        t.setAttribute('tabindex', '0');
      } else if (t.getAttribute('tabindex') === '0') {
        t.removeAttribute('tabindex');
      }
    }
  }

  /* ---- zone pivots ---- */

  var STORE = 'folio.pivot.';
  var groups = [];

  function pivotsOf(zone) {
    return (zone.getAttribute('data-pivot') || '').split(',').map(function (s) { return s.trim(); });
  }

  function stored(key) {
    try { return window.localStorage.getItem(STORE + key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(STORE + key, value); } catch (e) { /* private mode */ }
  }

  function keepInUrl() {
    var url = new URL(window.location.href);
    url.searchParams.set('pivots', groups.map(function (g) { return g.current; }).join(','));
    window.history.replaceState(window.history.state, '', url.href);
  }

  function show(group, id) {
    group.current = id;
    group.buttons.forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-pivot') === id ? 'true' : 'false');
    });
    group.zones.forEach(function (z) { z.hidden = pivotsOf(z).indexOf(id) < 0; });
    markTables(); /* what overflows has changed */
  }

  /* A #fragment that names something inside a hidden zone shows that zone
     (and the zones around it). */
  function reveal() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (!id) return;
    var target = document.getElementById(id) || document.getElementsByName(id)[0];
    if (!target) return;
    var changed = false;
    for (var zone = target.closest('.zone[hidden]'); zone; zone = target.closest('.zone[hidden]')) {
      var name = zone.getAttribute('data-pivot-group');
      var group = groups.filter(function (g) { return g.name === name; })[0];
      if (!group) break;
      show(group, pivotsOf(zone)[0]);
      changed = true;
    }
    if (changed) target.scrollIntoView();
  }

  function setUpPivots() {
    var selectors = document.querySelectorAll('.pivot-selector');
    if (!selectors.length) return;
    var wanted = (new URL(window.location.href).searchParams.get('pivots') || '').split(',');
    Array.prototype.forEach.call(selectors, function (sel) {
      var name = sel.getAttribute('data-pivot-group');
      var group = {
        name: name,
        buttons: Array.prototype.slice.call(sel.querySelectorAll('button[data-pivot]')),
        zones: Array.prototype.filter.call(document.querySelectorAll('.zone[data-pivot-group]'),
          function (z) { return z.getAttribute('data-pivot-group') === name; }),
        current: null
      };
      var ids = group.buttons.map(function (b) { return b.getAttribute('data-pivot'); });
      var choice = wanted.filter(function (w) { return ids.indexOf(w) >= 0; })[0];
      if (!choice && ids.indexOf(stored(name)) >= 0) choice = stored(name);
      show(group, choice || ids[0]);
      group.buttons.forEach(function (b) {
        b.addEventListener('click', function () {
          show(group, b.getAttribute('data-pivot'));
          store(name, group.current);
          keepInUrl();
        });
      });
      sel.hidden = false;
      groups.push(group);
    });
    document.documentElement.classList.add('pivots-ready');
    reveal();
    window.addEventListener('hashchange', reveal);
  }

  /* ---- copy buttons ---- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext)
      return navigator.clipboard.writeText(text);
    /* file:// and plain http: the older way, through a selection. */
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }

  function setUpCopy() {
    var blocks = document.querySelectorAll('.code-block');
    if (!blocks.length) return;
    var status = document.createElement('div');
    status.className = 'visually-hidden copy-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    document.body.appendChild(status);
    Array.prototype.forEach.call(blocks, function (block) {
      var header = block.querySelector('.code-header');
      if (!header) {
        header = document.createElement('div');
        header.className = 'code-header';
        block.insertBefore(header, block.firstChild);
      }
      var label = block.getAttribute('data-copy') || 'Copy';
      var done = block.getAttribute('data-copied') || 'Copied';
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'code-copy';
      button.textContent = label;
      var timer = 0;
      button.addEventListener('click', function () {
        var code = block.querySelector('pre');
        /* Without the last line break: pasted into a shell, it would run. */
        copyText(code.textContent.replace(/\n$/, '')).then(function () {
          button.textContent = done;
          /* Cleared first, so a second copy is announced again. */
          status.textContent = '';
          window.setTimeout(function () { status.textContent = done; }, 50);
          clearTimeout(timer);
          timer = window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () { /* nothing copied: the button stays as it is */ });
      });
      header.appendChild(button);
    });
  }

  function start() {
    setUpPivots();
    setUpCopy();
    markTables();
  }

  var resizeTimer = 0;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(markTables, 100); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

/* Lightbox: an :::image with lightbox="..." links to the large image, which
   is what a reader without JavaScript gets. With it, the large image opens
   in a modal <dialog> over the page: showModal() makes the page behind it
   inert (focus stays inside), Escape closes it (the browser's cancel), so
   do the close button and a click on the backdrop, and focus returns to the
   link. The image's alt text labels the dialog and the large image. */
(function () {
  'use strict';
  var dialog = null, img = null, opener = null;
  function build(closeLabel) {
    dialog = document.createElement('dialog');
    dialog.className = 'lightbox-dialog';
    var bar = document.createElement('div');
    bar.className = 'lightbox-bar';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'lightbox-close';
    close.textContent = closeLabel;
    close.addEventListener('click', function () { dialog.close(); });
    bar.appendChild(close);
    img = document.createElement('img');
    dialog.appendChild(bar);
    dialog.appendChild(img);
    /* A click outside the image and the bar lands on the dialog itself. */
    dialog.addEventListener('click', function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener('close', function () {
      img.removeAttribute('src');
      if (opener) opener.focus();
    });
    document.body.appendChild(dialog);
  }
  function open(link) {
    var small = link.querySelector('img');
    var alt = small ? small.getAttribute('alt') || '' : '';
    if (!dialog) build(link.getAttribute('data-close-label') || 'Close');
    dialog.querySelector('.lightbox-close').textContent = link.getAttribute('data-close-label') || 'Close';
    img.src = link.href;
    img.alt = alt;
    if (alt) dialog.setAttribute('aria-label', alt); else dialog.removeAttribute('aria-label');
    opener = link;
    dialog.showModal();
    dialog.querySelector('.lightbox-close').focus();
  }
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var link = e.target.closest ? e.target.closest('a.lightbox') : null;
    if (!link || typeof HTMLDialogElement !== 'function') return;
    e.preventDefault();
    open(link);
  });
})();

/* Learn's anchors are matched whatever their case (folio reports a link
   whose #fragment differs in case as a warning, and keeps it as written):
   when the fragment names no element, go to the one whose id matches it
   ignoring case. */
(function () {
  'use strict';
  function follow() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!id || document.getElementById(id)) return;
    var want = id.toLowerCase();
    var all = document.querySelectorAll('[id], a[name]');
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      var own = el.id || el.getAttribute('name') || '';
      if (own.toLowerCase() === want) { el.scrollIntoView(); return; }
    }
  }
  window.addEventListener('hashchange', follow);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', follow);
  else follow();
})();
