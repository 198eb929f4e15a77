// The live-reload script as the server serves it (saved by test_httpserve),
// run in node against stand-ins for EventSource, location and the DOM: when
// it reloads, when it shows the diagnostics overlay, and that every payload
// string is escaped before it reaches innerHTML.
//   node reload_script.js reload.js
'use strict';
const fs = require('fs');
const vm = require('vm');
const assert = require('assert');

const code = fs.readFileSync(process.argv[2], 'utf8');

function page(pathname) {
  const state = { reloads: 0, es: null };
  class EventSource {
    constructor(url) {
      assert.strictEqual(url, '/__folio/events');
      this.handlers = {};
      state.es = this;
    }
    addEventListener(kind, fn) {
      this.handlers[kind] = fn;
    }
  }
  const body = {
    children: [],
    appendChild(el) {
      el.parentNode = body;
      body.children.push(el);
    },
    removeChild(el) {
      body.children.splice(body.children.indexOf(el), 1);
      el.parentNode = null;
    },
  };
  const document = {
    body,
    documentElement: body,
    createElement: () => ({ style: {}, attrs: {}, setAttribute(k, v) { this.attrs[k] = v; } }),
  };
  const location = { pathname, reload: () => state.reloads++ };
  const window = { EventSource };
  vm.runInNewContext(code, { window, document, location, EventSource });
  state.send = (kind, payload) =>
    state.es.handlers[kind]({ data: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  state.overlay = () => (body.children.length ? body.children[body.children.length - 1].innerHTML : null);
  state.overlays = () => body.children.length;
  return state;
}

// The state a page gets on connecting never reloads it, even if it changed.
let p = page('/en-us/page.html');
p.send('state', { ok: true, changed: ['/en-us/page.html'], diagnostics: [] });
assert.strictEqual(p.reloads, 0);
assert.strictEqual(p.overlay(), null);

// Another page changed: nothing. This page changed: reload.
p.send('build', { ok: true, changed: ['/en-us/other.html'], diagnostics: [] });
assert.strictEqual(p.reloads, 0);
p.send('build', { ok: true, changed: ['en-us/page.html'], diagnostics: [] });
assert.strictEqual(p.reloads, 1);
p.send('build', { ok: true, changed: ['*'] });
assert.strictEqual(p.reloads, 2);

// A failed build: the overlay lists every diagnostic, escaped; no reload.
p.send('build', {
  ok: false,
  changed: ['/en-us/page.html'],
  diagnostics: [
    { page: '/de-de/x.html', file: 'content/<a>.md', line: 3, col: 7, severity: 'error',
      message: '<img src=x onerror=alert(1)> & "quoted" \'single\'' },
  ],
});
assert.strictEqual(p.reloads, 2);
let html = p.overlay();
assert.ok(html.includes('the build failed'), html);
assert.ok(html.includes('content/&lt;a&gt;.md:3:7'), html);
assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39;'), html);
assert.ok(!html.includes('<img'), html);
assert.ok(!html.includes('<a>'), html);

// A later clean build hides it; only one overlay at a time.
p.send('build', { ok: true, changed: [], diagnostics: [] });
assert.strictEqual(p.overlays(), 0);

// Errors of this page (the build went on): the overlay, with only its own.
p.send('build', {
  ok: true,
  changed: [],
  diagnostics: [
    { page: '/en-us/page.html', file: 'content/en-us/page.md', line: 1, col: 1, severity: 'error', message: 'mine' },
    { page: '/en-us/other.html', file: 'content/en-us/other.md', line: 2, col: 2, severity: 'error', message: 'theirs' },
  ],
});
html = p.overlay();
assert.ok(html && html.includes('this page has errors') && html.includes('mine') && !html.includes('theirs'), html);
p.send('build', { ok: true, changed: [], diagnostics: [{ page: '/en-us/page.html', severity: 'error', message: 'again' }] });
assert.strictEqual(p.overlays(), 1);
// Warnings alone, or errors of other pages: hidden.
p.send('build', { ok: true, changed: [], diagnostics: [{ page: '/en-us/page.html', severity: 'warning', message: 'w' }] });
assert.strictEqual(p.overlays(), 0);
p.send('build', { ok: true, changed: [], diagnostics: [{ page: '/en-us/other.html', severity: 'error', message: 'e' }] });
assert.strictEqual(p.overlays(), 0);
// A diagnostic of no page in particular ("*": folio.yml, toc.yml) is every page's.
p.send('build', { ok: true, changed: [], diagnostics: [{ page: '*', file: 'toc.yml', severity: 'error', message: 'everyone' }] });
html = p.overlay();
assert.ok(html && html.includes('this page has errors') && html.includes('everyone'), html);
p.send('build', { ok: true, changed: [], diagnostics: [{ page: '*', severity: 'warning', message: 'w' }] });
assert.strictEqual(p.overlays(), 0);

// The state after a reload shows what the last build found.
p = page('/en-us/page.html');
p.send('state', { ok: false, changed: [], diagnostics: [] });
assert.ok(p.overlay().includes('the build failed'));
assert.strictEqual(p.reloads, 0);

// Folder URLs are their index.html; percent-escapes are decoded.
p = page('/en-us/');
p.send('build', { ok: true, changed: ['/en-us/index.html'] });
assert.strictEqual(p.reloads, 1);
p = page('/en-us/caf%C3%A9.html');
p.send('build', { ok: true, changed: ['/en-us/café.html'] });
assert.strictEqual(p.reloads, 1);

// Bad payloads are ignored; a resync reloads.
p = page('/index.html');
p.send('build', 'not json');
p.send('build', 'null');
assert.strictEqual(p.reloads, 0);
p.send('resync', '{}');
assert.strictEqual(p.reloads, 1);

console.log('reload.js: all checks passed');
