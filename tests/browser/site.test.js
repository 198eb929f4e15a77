// Browser tests of the generated site: Debian's chromium, headless, driven by
// playwright-core (never a downloaded browser), the site served from
// 127.0.0.1 by node's http module. Each case is one ctest test.
// usage: node site.test.js FOLIO PROJECT_DIR CASE
//   CASE: switcher | anchor | search | rtl | pivots | nojs | copy | phone | languages |
//         axe:LOCALE | notfound
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const assert = require('assert');
const { spawnSync } = require('child_process');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.FOLIO_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOCALES = ['en-us', 'de-de', 'ar-sa'];

// Build the bundled site into a temporary folder.
function buildSite(folio, project) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-browser-'));
  const out = path.join(tmp, 'site');
  const r = spawnSync(folio, ['build', '-q', '-C', project, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`folio build failed (${r.status}):\n${r.stderr}`);
  return { tmp, out };
}

// A static server for the site; a missing page under /<locale>/ gets that
// locale's 404 page with status 404, as a web server configured for it would.
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain' };
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.normalize(path.join(root, url));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (fs.existsSync(file)) {
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
      return;
    }
    const loc = url.split('/')[1];
    const nf = path.join(root, LOCALES.includes(loc) ? loc : '', '404.html');
    res.writeHead(404, { 'Content-Type': TYPES['.html'] });
    res.end(fs.existsSync(nf) ? fs.readFileSync(nf) : 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const cases = {
  // The switcher lands on the same article in the other language, on the
  // fallback page of an untranslated one, and keeps working across locales.
  async switcher(page, origin) {
    await page.goto(`${origin}/de-de/user-roles.html`);
    await Promise.all([page.waitForURL('**/en-us/user-roles.html'),
      page.click('.language-switcher a[hreflang="en-US"]')]);
    assert.strictEqual(await page.getAttribute('html', 'lang'), 'en-US');
    assert.strictEqual((await page.innerText('main h1')).trim(), 'User roles in the Contoso Partner Portal');
    await Promise.all([page.waitForURL('**/de-de/user-roles.html'),
      page.click('.language-switcher a[hreflang="de-DE"]')]);
    assert.strictEqual((await page.innerText('main h1')).trim(), 'Benutzerrollen im Contoso Partner Portal');

    await page.goto(`${origin}/en-us/index.html`);
    await Promise.all([page.waitForURL('**/ar-sa/index.html'),
      page.click('.language-switcher a[hreflang="ar-SA"]')]);
    assert.strictEqual(await page.getAttribute('html', 'dir'), 'rtl');
    assert.strictEqual((await page.innerText('main h1')).trim(), 'نظرة عامة على مدخل شركاء Contoso');

    // Not translated into German: the German site shows the English text.
    await page.goto(`${origin}/en-us/reservations/buy-reservations-for-customers.html`);
    await Promise.all([page.waitForURL('**/de-de/reservations/buy-reservations-for-customers.html'),
      page.click('.language-switcher a[hreflang="de-DE"]')]);
    assert(await page.isVisible('.notice-untranslated'));
    assert.strictEqual(await page.getAttribute('main article', 'lang'), 'en-US');
    assert.strictEqual((await page.innerText('main h1')).trim(), 'Buy reservations on behalf of customers');
  },

  // "In this article" links scroll their heading to the top of the window.
  async anchor(page, origin) {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${origin}/en-us/customer-purchase-permissions.html`);
    assert.strictEqual(await page.evaluate(() => window.scrollY), 0);
    const link = page.locator('.on-this-page a[href="#prerequisites"]');
    await link.click();
    await page.waitForFunction(() => location.hash === '#prerequisites');
    const top = await page.evaluate(() => document.getElementById('prerequisites').getBoundingClientRect().top);
    assert(top >= 0 && top < 40, `heading is at ${top}px from the top`);
    assert(await page.evaluate(() => window.scrollY) > 300, 'the page did not scroll');
    // A link inside the body, to an explicit <a name> anchor on another page.
    await page.goto(`${origin}/en-us/index.html`);
    await Promise.all([page.waitForURL('**/customer-purchase-permissions.html#prerequisites'),
      page.click('main article a[href="customer-purchase-permissions.html#prerequisites"]')]);
    await page.waitForFunction(() => {
      const r = document.getElementById('prerequisites').getBoundingClientRect();
      return r.top >= 0 && r.top < 40;
    }, null, { timeout: 3000 });
  },

  // Search finds an article by a word of its body, from the keyboard only.
  async search(page, origin) {
    await page.goto(`${origin}/en-us/index.html`);
    await page.keyboard.press('/');
    assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'search-input');
    await page.keyboard.type('refunds');
    // Results update on every key: wait for the ones of the whole word, not
    // of a prefix typed a moment earlier (seen on a slow, sanitized run).
    await page.waitForFunction(() => /“refunds”/.test(document.querySelector('.search-status').textContent),
      null, { timeout: 5000 });
    const first = page.locator('#search-results li a').first();
    await first.waitFor({ timeout: 5000 });
    assert.strictEqual(await first.getAttribute('href'),
      `${origin}/en-us/reservations/help-customers-manage-reservations.html`);
    assert.match(await page.textContent('.search-status'), /Results for “refunds”: 1/);
    assert.strictEqual(await page.textContent('#search-results mark'), 'Refunds');
    await page.keyboard.press('ArrowDown');
    assert.strictEqual(await page.evaluate(() => document.activeElement.getAttribute('href')),
      await first.getAttribute('href'));
    await Promise.all([page.waitForURL('**/help-customers-manage-reservations.html'), page.keyboard.press('Enter')]);

    // German, accents folded: "uberblick" finds "Überblick"; Escape closes.
    await page.goto(`${origin}/de-de/subscriptions/buy-cloud-plan.html`);
    await page.fill('#search-input', 'Filterfeld');
    await page.locator('#search-results li a').first().waitFor();
    assert.strictEqual(await page.locator('#search-results li').count(), 1);
    assert.match(await page.getAttribute('#search-results li a', 'href'), /de-de\/subscriptions\/check-subscription\.html$/);
    await page.fill('#search-input', 'zzqx');
    await page.waitForFunction(() => /Keine Ergebnisse/.test(document.querySelector('.search-status').textContent));
    await page.keyboard.press('Escape');
    assert(await page.isHidden('#search-results'));
  },

  // The Arabic page reads right to left: the navigation sits on the right,
  // headings and paragraphs start at the right edge.
  async rtl(page, origin) {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${origin}/ar-sa/index.html`);
    assert.strictEqual(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    const box = (sel) => page.locator(sel).first().boundingBox();
    const nav = await box('nav.sidebar'), main = await box('main'), aside = await box('.on-this-page');
    assert(nav.x > main.x + main.width - 1, `sidebar (${nav.x}) is not right of main (${main.x}+${main.width})`);
    assert(aside.x + aside.width <= main.x + 1, 'the "In this article" column is not on the left');
    // The first paragraph's first line starts at main's right edge.
    const line = await page.evaluate(() => {
      const p = document.querySelector('main article > p:not(:has(strong))') || document.querySelector('main article > p');
      const r = document.createRange();
      r.setStart(p.firstChild, 0);
      r.setEnd(p.firstChild, 1);
      const m = document.querySelector('main article').getBoundingClientRect();
      return { first: r.getBoundingClientRect().right, right: m.right };
    });
    assert(Math.abs(line.first - line.right) < 2, `text starts at ${line.first}, main ends at ${line.right}`);
    // The same layout in English is the mirror image.
    await page.goto(`${origin}/en-us/index.html`);
    const enNav = await box('nav.sidebar'), enMain = await box('main');
    assert(enNav.x + enNav.width <= enMain.x + 1, 'English sidebar is not on the left');
  },

  // Zone pivots: one zone at a time; the choice survives a reload (?pivots=)
  // and reaches other visits (localStorage); buttons work from the keyboard;
  // printing shows every zone.
  async pivots(page, origin) {
    const url = `${origin}/en-us/customer-purchase-permissions.html`;
    const visible = () => page.evaluate(() => [...document.querySelectorAll('.zone[data-pivot-group="api-client"]')]
      .filter((z) => z.offsetParent !== null).map((z) => z.dataset.pivot));
    const pressed = () => page.evaluate(() => [...document.querySelectorAll('.pivot-selector button')]
      .map((b) => `${b.dataset.pivot}=${b.getAttribute('aria-pressed')}`).join(' '));
    await page.goto(url);
    assert(await page.isVisible('.pivot-selector'), 'the selector is hidden');
    assert.strictEqual((await page.innerText('.pivot-selector legend')).trim(), 'Choose how you call the API');
    assert.deepStrictEqual(await visible(), ['powershell']);
    assert.strictEqual(await pressed(), 'powershell=true bash=false csharp=false');
    assert(!(await page.isVisible('.zone-label')), 'zone labels show beside the selector');
    await page.click('.pivot-selector button[data-pivot="bash"]');
    assert.deepStrictEqual(await visible(), ['bash']);
    assert.strictEqual(await pressed(), 'powershell=false bash=true csharp=false');
    assert.strictEqual(new URL(page.url()).searchParams.get('pivots'), 'bash');
    await page.reload();
    assert.deepStrictEqual(await visible(), ['bash']);
    // Without ?pivots=, the last choice (localStorage).
    await page.goto(url);
    assert.deepStrictEqual(await visible(), ['bash']);
    // ?pivots= wins over the stored choice.
    await page.goto(`${url}?pivots=csharp`);
    assert.deepStrictEqual(await visible(), ['csharp']);
    // Keyboard: Tab reaches the buttons, Space and Enter press them.
    await page.focus('.pivot-selector button[data-pivot="csharp"]');
    await page.keyboard.press('Shift+Tab');
    assert.strictEqual(await page.evaluate(() => document.activeElement.dataset.pivot), 'bash');
    await page.keyboard.press('Space');
    assert.deepStrictEqual(await visible(), ['bash']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    assert.deepStrictEqual(await visible(), ['powershell']);
    // Printed, every zone shows, each under its label.
    await page.emulateMedia({ media: 'print' });
    assert.deepStrictEqual(await visible(), ['powershell', 'bash', 'csharp']);
    assert(!(await page.isVisible('.pivot-selector')), 'the selector is printed');
    assert.strictEqual(await page.locator('.zone-label:visible').count(), 3);
    await page.emulateMedia({ media: 'screen' });
    // German: the German prompt and titles of content/de-de/zone-pivot-groups.yml.
    await page.goto(`${origin}/de-de/customer-purchase-permissions.html?pivots=csharp`);
    assert.strictEqual((await page.innerText('.pivot-selector legend')).trim(), 'Wählen Sie, wie Sie die API aufrufen');
    assert.deepStrictEqual(await visible(), ['csharp']);
  },

  // Without JavaScript: every zone and its label, no selector, no copy
  // button; the page is still whole.
  async nojs(page, origin) {
    const context = await page.context().browser().newContext({ javaScriptEnabled: false });
    try {
      const p = await context.newPage();
      await p.goto(`${origin}/en-us/customer-purchase-permissions.html?pivots=bash`);
      const zones = await p.evaluate(() => [...document.querySelectorAll('.zone')]
        .filter((z) => z.offsetParent !== null).map((z) => z.dataset.pivot));
      assert.deepStrictEqual(zones, ['powershell', 'bash', 'csharp']);
      assert.deepStrictEqual(await p.locator('.zone-label').allInnerTexts(), ['PowerShell', 'Bash (curl)', 'C#']);
      assert(!(await p.isVisible('.pivot-selector')), 'a selector that cannot work is shown');
      assert.strictEqual(await p.locator('.code-copy').count(), 0);
      // Highlighting is in the HTML: it needs no script.
      assert(await p.locator('.code-block .tok-command').count() > 0, 'no highlighted tokens');
      assert.strictEqual(await p.innerText('.code-block .code-lang >> nth=0'), 'JSON');
    } finally {
      await context.close();
    }
  },

  // The copy button copies the code (without its last line break) and
  // announces "Copied"; the labels are the locale's.
  async copy(page, origin) {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.goto(`${origin}/en-us/customer-purchase-permissions.html?pivots=bash`);
    const block = page.locator('.code-block').filter({ has: page.locator('code.language-bash') });
    const button = block.locator('button.code-copy');
    assert.strictEqual((await button.innerText()).trim(), 'Copy');
    await button.click();
    const expected = (await block.locator('pre').textContent()).replace(/\n$/, '');
    assert(expected.startsWith('# Turn on customer purchases') && expected.endsWith('purchases are on."'));
    assert.strictEqual(await page.evaluate(() => navigator.clipboard.readText()), expected);
    await page.waitForFunction(() => document.querySelector('.copy-status[aria-live="polite"]').textContent === 'Copied');
    assert.strictEqual((await button.innerText()).trim(), 'Copied');
    // From the keyboard, another block: the clipboard has its code.
    const json = page.locator('.code-block').filter({ has: page.locator('code.language-json') }).first();
    await json.locator('button.code-copy').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t.startsWith('{')));
    assert.strictEqual(await page.evaluate(() => navigator.clipboard.readText()),
      '{\n  "allowCustomerPurchases": true\n}');
    await page.goto(`${origin}/de-de/customer-purchase-permissions.html`);
    assert.strictEqual((await page.innerText('.code-copy >> nth=0')).trim(), 'Kopieren');
  },

  // On a phone: the policy table fits (its rows stacked, each value under
  // its heading), nothing scrolls the page sideways, the pivot buttons fit.
  async phone(page, origin) {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const locale of ['en-us', 'de-de']) {
      await page.goto(`${origin}/${locale}/customer-purchase-permissions.html`);
      const m = await page.evaluate(() => {
        const policy = document.querySelector('.policy');
        const sel = document.querySelector('.pivot-selector').getBoundingClientRect();
        return { page: document.documentElement.scrollWidth, policy: policy.scrollWidth - policy.clientWidth,
          selRight: sel.right, row: getComputedStyle(document.querySelector('.policy-table tr')).display,
          label: getComputedStyle(document.querySelector('.policy-table td'), '::before').content };
      });
      assert(m.page <= 390, `${locale}: the page is ${m.page}px wide`);
      assert(m.policy <= 0, `${locale}: the policy table overflows by ${m.policy}px`);
      assert(m.selRight <= 390, `${locale}: the pivot buttons reach ${m.selRight}px`);
      assert.strictEqual(m.row, 'block');
      assert.match(m.label, locale === 'en-us' ? /Allowed roles/ : /Zulässige Rollen/);
    }
    // The localized labels of policy_labels.
    assert.deepStrictEqual(await page.locator('.policy-table tbody th').allInnerTexts(), ['Aktivieren', 'Deaktivieren']);
  },

  // The root language list names each language in that language, marked
  // with lang (and dir) on the link itself.
  async languages(page, origin) {
    await page.goto(`${origin}/index.html`);
    const links = await page.evaluate(() => [...document.querySelectorAll('.language-list a')].map((a) =>
      [a.getAttribute('lang'), a.getAttribute('dir'), a.querySelector('.language-name').textContent,
        a.querySelector('.choose').textContent]));
    assert.deepStrictEqual(links, [['en-US', 'ltr', 'English', 'Choose a language'],
      ['de-DE', 'ltr', 'Deutsch', 'Sprache wählen'], ['ar-SA', 'rtl', 'العربية', 'اختر لغة']]);
    await Promise.all([page.waitForURL('**/de-de/index.html'), page.click('.language-list a[hreflang="de-DE"] .choose')]);
  },

  // axe-core: no serious or critical violation on the home page and an
  // article page of each locale (and the language list and a 404 page).
  async axe(page, origin, locale) {
    assert(LOCALES.includes(locale), `axe needs a locale: axe:${LOCALES.join('|axe:')}`);
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const pages = [`/${locale}/index.html`, `/${locale}/user-roles.html`,
      `/${locale}/reservations/buy-reservations-for-customers.html`, `/${locale}/404.html`,
      `/${locale}/customer-purchase-permissions.html`];
    if (locale === LOCALES[0]) pages.push('/index.html');
    const failures = [];
    for (const [w, h] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      for (const p of pages) {
        await page.goto(origin + p);
        await page.addScriptTag({ content: axeSource });
        const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        for (const v of res.violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            failures.push(`${p} at ${w}px: ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
        assert(res.passes === undefined || Array.isArray(res.passes));
      }
    }
    assert.deepStrictEqual(failures, []);
    console.log(`axe: ${pages.length} pages at 2 widths, no serious or critical violation`);
  },

  // A missing page under a locale answers with that locale's 404 page,
  // styled, searchable, with working links.
  async notfound(page, origin) {
    const resp = await page.goto(`${origin}/de-de/no/such/page.html`);
    assert.strictEqual(resp.status(), 404);
    assert.strictEqual((await page.innerText('main h1')).trim(), 'Seite nicht gefunden');
    assert.strictEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).display), 'flex');
    assert(await page.isVisible('#search-input'), 'search is not offered');
    await Promise.all([page.waitForURL('**/de-de/index.html'), page.click('main a.button')]);
    assert.strictEqual((await page.innerText('main h1')).trim(), 'Übersicht über das Contoso Partner Portal');
  },
};

async function main() {
  const [folio, project, spec] = process.argv.slice(2);
  const [name, arg] = spec.split(':');
  const fn = cases[name];
  if (!fn) throw new Error(`unknown case ${name} (${Object.keys(cases).join(', ')})`);
  const { tmp, out } = buildSite(path.resolve(folio), path.resolve(project));
  const server = await serve(out);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30000 });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Nothing may leave 127.0.0.1.
    await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
    await fn(page, origin, arg);
    assert.deepStrictEqual(errors, [], 'script errors in the page');
    console.log(`browser.${spec}: 1 passed, 0 failed`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  console.log(`browser: 0 passed, 1 failed`);
  process.exit(1);
});
