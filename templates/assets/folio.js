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
