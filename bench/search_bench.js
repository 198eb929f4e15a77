// Search in headless chromium on a built site: for each query, a fresh
// browser context (nothing cached), the locale's home page, the search field
// focused (which loads the manifest), then the query put into it at once (as
// pasted); prints the files and bytes the query loaded (manifest, term
// shards, pages) and the time from the input event to the first result on
// screen and to all of them.
// Then the same word typed a key at a time, 150 ms apart, as a reader types
// (the script then waits for 300 ms without a key before it loads pages).
// Measures, asserts nothing. Needs tests/browser's node_modules.
// usage: node bench/search_bench.js SITE_DIR LOCALE QUERY...
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const { chromium } = require(path.join(__dirname, '../tests/browser/node_modules/playwright-core'));

const [site, locale, ...queries] = process.argv.slice(2);
const root = path.resolve(site);

function serve() {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function loaded(page) {
  const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const files = urls.map((u) => decodeURIComponent(new URL(u).pathname))
    .filter((p) => p.startsWith(`/${locale}/search`));
  const size = (re) => files.filter((f) => re.test(f)).reduce((s, f) => s + fs.statSync(path.join(root, f)).size, 0);
  return { files: files.length, total: size(/./), manifest: size(/search-index/), shards: size(/\/t\d+\.js$/),
    pages: size(/\/p\d+\.js$/) };
}

// Sets the field and waits for the results of exactly that query: the time
// to the first one on screen, and to all of them (the status line gives
// their number; the list grows as their pages arrive).
function timeQuery(q) {
  return new Promise((resolve) => {
    const status = document.querySelector('.search-status');
    const list = document.querySelector('#search-results');
    const input = document.querySelector('#search-input');
    const t0 = performance.now();
    let first = null;
    const check = () => {
      if (!status.textContent.includes(`“${q}”`)) return;
      const m = status.textContent.match(/(\d+)\s*$/);
      const want = m ? Number(m[1]) : 0, have = list.querySelectorAll('li').length;
      if (first === null && (have > 0 || !want)) first = performance.now() - t0;
      if (have >= want) { obs.disconnect(); resolve({ ms: first, all: performance.now() - t0, results: have }); }
    };
    const obs = new MutationObserver(check);
    obs.observe(status, { childList: true, characterData: true, subtree: true });
    obs.observe(list, { childList: true, subtree: true });
    input.value = q;
    input.dispatchEvent(new Event('input'));
  });
}

async function main() {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.FOLIO_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const fmt = (n) => (n / 1024).toFixed(1) + ' KB';
  try {
    for (const q of queries) {
      for (const mode of ['at once', 'typed']) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${origin}/${locale}/index.html`);
        let r;
        if (mode === 'at once') {
          /* A reader clicks into the box (which loads the manifest), then
             pastes the word: timed from the input event to the results. */
          await page.focus('#search-input');
          await page.waitForFunction(() => performance.getEntriesByType('resource')
            .some((e) => e.name.includes('search-index.js')));
          await page.waitForTimeout(100);
          r = await page.evaluate(timeQuery, q);
        } else {
          await page.focus('#search-input');
          await page.evaluate(() => {
            window.benchKeys = [];
            document.querySelector('#search-input').addEventListener('input', () => window.benchKeys.push(performance.now()));
          });
          for (let i = 1; i < q.length; i++) {
            await page.keyboard.type(q[i - 1]);
            await page.waitForTimeout(150);
          }
          await page.keyboard.type(q[q.length - 1]);
          await page.waitForFunction((w) => {
            const st = document.querySelector('.search-status').textContent;
            const m = st.match(/(\d+)\s*$/);
            return st.includes(`“${w}”`) &&
              document.querySelectorAll('#search-results li').length === (m ? Number(m[1]) : 0);
          }, q, { timeout: 180000 });
          const keys = await page.evaluate(() => window.benchKeys);
          r = { ms: NaN, results: await page.locator('#search-results li').count(),
            gap: (keys[keys.length - 1] - keys[0]) / Math.max(1, keys.length - 1) };
        }
        const b = await loaded(page);
        console.log(`"${q}" ${mode}: ${r.results} results` + (mode === 'at once' ? `, first ${r.ms.toFixed(0)} ms, all ${r.all.toFixed(0)} ms` : `, keys ${r.gap.toFixed(0)} ms apart`) +
          `; ${b.files} files, ${fmt(b.total)} (manifest ${fmt(b.manifest)}, shards ${fmt(b.shards)}, pages ${fmt(b.pages)})`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
