// Browser tests of the generated site: Debian's chromium, headless, driven by
// playwright-core (never a downloaded browser), the site served from
// 127.0.0.1 by node's http module. Each case is one ctest test.
// usage: node site.test.js FOLIO PROJECT_DIR CASE
//   CASE: switcher | anchor | search | searchfile | searchlarge[:N] | rtl | pivots |
//         nojs | copy | phone | languages | axe:LOCALE | notfound | lightbox
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

// Waits for every result of the query q: the list grows as the results'
// pages arrive, and the status line ends with their number.
function allResults(page, q, timeout = 20000) {
  return page.waitForFunction((w) => {
    const st = document.querySelector('.search-status').textContent;
    const m = st.match(/(\d+)\s*$/);
    return st.includes(`“${w}”`) &&
      document.querySelectorAll('#search-results li').length === (m ? Number(m[1]) : 0);
  }, q, { timeout });
}

// Build the bundled site (or a generated project) into a temporary folder.
function buildSite(folio, project, tmp) {
  const out = path.join(tmp, 'site');
  const r = spawnSync(folio, ['build', '-q', '-C', project, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`folio build failed (${r.status}):\n${r.stderr}`);
  return { out };
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
    // A fragment in another letter case (a case-mismatch warning) still
    // reaches its anchor: folio.js matches ids ignoring case.
    await page.goto(`${origin}/en-us/index.html`);
    await page.goto(`${origin}/en-us/customer-purchase-permissions.html#PreRequisites`);
    await page.waitForFunction(() => {
      const r = document.getElementById('prerequisites').getBoundingClientRect();
      return r.top >= 0 && r.top < 40 && window.scrollY > 300;
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
    await allResults(page, 'refunds', 5000);
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

  // Search from file://, as a reader who opened the folder: the index files
  // are scripts, no fetch is needed.
  async searchfile(page, origin, arg, ctx) {
    await page.goto(`file://${ctx.out}/en-us/index.html`);
    await page.fill('#search-input', 'refunds');
    await allResults(page, 'refunds');
    assert.strictEqual(await page.locator('#search-results li').count(), 1);
    assert.match(await page.getAttribute('#search-results li a', 'href'),
      /^file:\/\/.*\/en-us\/reservations\/help-customers-manage-reservations\.html$/);
    // A prefix finds the longer words, and Enter opens the first result.
    await page.fill('#search-input', 'permiss');
    await allResults(page, 'permiss');
    assert(await page.locator('#search-results li').count() > 1);
    const first = await page.getAttribute('#search-results li a', 'href');
    await Promise.all([page.waitForURL(first), page.keyboard.press('Enter')]);
  },

  // A generated locale of N articles (3,000 by default): a one-word query
  // finds the pages in rank order and loads only a few small files. Budget:
  // 300 KB at 10,000 pages in all; the part that grows with the index (the
  // manifest and the term shards) is held to it scaled to N, the pages shown
  // (search/p<id>.js, a dozen at most) do not depend on N.
  async searchlarge(page, origin, arg, ctx) {
    const n = ctx.articles;
    const expected = JSON.parse(fs.readFileSync(path.join(ctx.project, 'expected.json'), 'utf8'));
    const loaded = async () => {
      const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      const files = urls.map((u) => decodeURIComponent(new URL(u).pathname))
        .filter((p) => /^\/en-us\/(search-index\.js|search\/)/.test(p));
      const size = (kind) => files.filter((f) => kind.test(f))
        .reduce((sum, f) => sum + fs.statSync(path.join(ctx.out, f)).size, 0);
      return { files: files.length, manifest: size(/search-index/), shards: size(/\/t\d+\.js$/),
        pages: size(/\/p\d+\.js$/), total: size(/./) };
    };
    const query = async (q) => {
      await page.goto(`${origin}/en-us/index.html`);
      await page.fill('#search-input', q);
      await allResults(page, q);
      return page.$$eval('#search-results li a', (as) => as.map((a) => a.getAttribute('href')));
    };
    const budget = 300 * 1024, scaled = budget * n / 10000;
    const check = (q, bytes) => {
      console.log(`"${q}": ${bytes.files} files, ${bytes.total} bytes (manifest ${bytes.manifest}, ` +
        `shards ${bytes.shards}, pages ${bytes.pages})`);
      assert(bytes.total <= budget, `"${q}" loaded ${bytes.total} bytes, over ${budget}`);
      assert(bytes.manifest + bytes.shards <= scaled,
        `"${q}": manifest and shards ${bytes.manifest + bytes.shards} bytes, over ${scaled} (${n} pages)`);
    };

    // The planted word: title, heading, description, text x3, text, and
    // "zephyrines" (a prefix match), in that order.
    const hrefs = await query('zephyrine');
    assert.deepStrictEqual(hrefs.map((h) => h.replace(`${origin}/en-us/`, '')), expected.zephyrine);
    check('zephyrine', await loaded());

    // A common word: a dozen results, each holding the word.
    const common = await query('permissions');
    assert.strictEqual(common.length, 12);
    check('permissions', await loaded());
    const texts = await page.$$eval('#search-results li a', (as) => as.map((a) => a.textContent.toLowerCase()));
    assert(texts.filter((t) => t.includes('permissions')).length >= 10, 'snippets do not show the word');

    // A short start matches whole words only when its words span many shards.
    await query('pe');
    check('pe', await loaded());
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

  // An :::image lightbox opens the large image in a modal dialog labelled
  // with the alt text; focus stays in it, Escape closes it and focus goes
  // back to the link. Without JavaScript the link opens the image itself.
  async lightbox(page, origin) {
    await page.goto(`${origin}/de-de/subscriptions/check-subscription.html`);
    const link = page.locator('main a.lightbox').first();
    const alt = await link.locator('img').getAttribute('alt');
    await link.click();
    const dialog = page.locator('dialog.lightbox-dialog[open]');
    await dialog.waitFor();
    assert.strictEqual(await dialog.getAttribute('aria-label'), alt);
    assert.match(await dialog.locator('img').getAttribute('src'), /media\/customer-subscriptions\.svg$/);
    assert.strictEqual(await dialog.locator('img').getAttribute('alt'), alt);
    assert.strictEqual((await dialog.locator('button').innerText()).trim(), 'Schließen');
    const inDialog = () => page.evaluate(() => !!document.activeElement.closest('dialog[open]'));
    assert(await inDialog(), 'focus is not in the dialog');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      assert(await inDialog() || await page.evaluate(() => document.activeElement === document.body),
        'Tab left the dialog for the page behind it');
    }
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog.lightbox-dialog[open]'));
    assert(await page.evaluate(() => document.activeElement.matches('a.lightbox')), 'focus did not return');
    // The close button closes it too.
    await link.click();
    await dialog.waitFor();
    await dialog.locator('button').click();
    await page.waitForFunction(() => !document.querySelector('dialog.lightbox-dialog[open]'));

    const noScript = await page.context().browser().newContext({ javaScriptEnabled: false });
    try {
      await noScript.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
      const p2 = await noScript.newPage();
      await p2.goto(`${origin}/en-us/subscriptions/check-subscription.html`);
      await Promise.all([p2.waitForURL('**/media/customer-subscriptions.svg'), p2.click('main a.lightbox')]);
    } finally {
      await noScript.close();
    }
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
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-browser-'));
  const ctx = { project: path.resolve(project) };
  if (name === 'searchlarge') {
    ctx.articles = Number(arg || 3000);
    ctx.project = path.join(tmp, 'corpus');
    const r = spawnSync('python3', [path.join(__dirname, '../site/gen_search_corpus.py'), ctx.project,
      '--repo', path.resolve(project), '--articles', String(ctx.articles)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gen_search_corpus.py failed:\n${r.stderr}`);
  }
  let server = null, browser = null;
  try {
    ctx.out = buildSite(path.resolve(folio), ctx.project, tmp).out;
    server = await serve(ctx.out);
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30000 });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Nothing may leave 127.0.0.1 (file:// is the site itself).
    await context.route(/^(?!http:\/\/127\.0\.0\.1:|file:)/, (route) => route.abort());
    await fn(page, origin, arg, ctx);
    assert.deepStrictEqual(errors, [], 'script errors in the page');
    console.log(`browser.${spec}: 1 passed, 0 failed`);
  } finally {
    if (browser) await browser.close();
    if (server) server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  console.log(`browser: 0 passed, 1 failed`);
  process.exit(1);
});
