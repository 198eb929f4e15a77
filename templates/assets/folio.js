/* folio page behaviour that the markup cannot give by itself. A table wider
   than the text column scrolls sideways; such a scrolling region must be
   reachable from the keyboard (WCAG 2.1.1), so it gets a tab stop while,
   and only while, it overflows. */
(function () {
  'use strict';
  function mark() {
    var tables = document.querySelectorAll('main.content article table');
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i];
      if (t.scrollWidth > t.clientWidth + 1) {
        t.setAttribute('tabindex', '0');
      } else if (t.getAttribute('tabindex') === '0') {
        t.removeAttribute('tabindex');
      }
    }
  }
  var timer = 0;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(mark, 100); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mark);
  else mark();
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
