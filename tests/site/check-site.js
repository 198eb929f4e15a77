// Checks of the generated multilingual site that need no browser: html lang
// and dir, canonical and hreflang links (symmetric sets, x-default), fallback
// pages of untranslated articles, notices, localized dates, sitemaps against
// the sitemaps.org schema (xmllint), robots.txt, 404 pages, the search index,
// and `folio status`. Builds the bundled project into a temporary folder.
// usage: node check-site.js FOLIO PROJECT_DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const vm = require('vm');
const { execFileSync, spawnSync } = require('child_process');
const assert = require('assert');

const [folio, project] = process.argv.slice(2).map((p) => path.resolve(p));
const here = __dirname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-site-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function build(dir, out, jobs = 2) {
  const r = spawnSync(folio, ['build', '-q', '-j', String(jobs), '-C', dir, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`folio build failed (${r.status}):\n${r.stderr}`);
  return out;
}
const site = build(project, path.join(tmp, 'site'));
const base = 'https://docs.contoso.example/';
const read = (rel) => fs.readFileSync(path.join(site, rel), 'utf8');
const exists = (rel) => fs.existsSync(path.join(site, rel));

function htmlFiles(dir, rel = '') {
  let out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out = out.concat(htmlFiles(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}
const attr = (tag, name) => {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? m[1] : null;
};
const linkTags = (html, rel) =>
  (html.match(/<link [^>]*>/g) || []).filter((t) => attr(t, 'rel') === rel);
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('every page has html lang and dir; ar-sa pages are rtl', () => {
  const pages = htmlFiles(site);
  assert(pages.length > 25, `only ${pages.length} pages`);
  const langOf = { 'en-us': 'en-US', 'de-de': 'de-DE', 'ar-sa': 'ar-SA' };
  for (const p of pages) {
    const m = read(p).match(/<html lang="([^"]+)" dir="(ltr|rtl)">/);
    assert(m, `${p}: no <html lang dir>`);
    const loc = p.split('/')[0];
    if (langOf[loc]) {
      assert.strictEqual(m[1], langOf[loc], `${p}: lang`);
      assert.strictEqual(m[2], loc === 'ar-sa' ? 'rtl' : 'ltr', `${p}: dir`);
    }
  }
});

// The pages a search engine indexes: everything but noindex copies and 404s.
function indexable() {
  return htmlFiles(site).filter((p) => /^[a-z]{2}-[a-z]{2}\//.test(p) && !p.endsWith('/404.html') &&
    !/<meta name="robots" content="noindex/.test(read(p)));
}

test('canonical links are absolute and point to the page itself', () => {
  for (const p of indexable()) {
    const c = linkTags(read(p), 'canonical');
    if (p.endsWith('/index.html') && !c.length) continue; // a generated locale home
    assert.strictEqual(c.length, 1, `${p}: canonical links`);
    assert.strictEqual(attr(c[0], 'href'), base + p, `${p}: canonical`);
  }
});

test('hreflang sets are symmetric, list the page itself and have x-default', () => {
  let sets = 0;
  for (const p of indexable()) {
    const alts = linkTags(read(p), 'alternate').filter((t) => attr(t, 'hreflang'));
    if (!alts.length) continue;
    sets++;
    const mine = alts.map((t) => `${attr(t, 'hreflang')} ${attr(t, 'href')}`).sort();
    assert(mine.includes(`${read(p).match(/<html lang="([^"]+)"/)[1]} ${base}${p}`), `${p} does not list itself`);
    const xd = alts.filter((t) => attr(t, 'hreflang') === 'x-default');
    assert.strictEqual(xd.length, 1, `${p}: x-default`);
    assert(attr(xd[0], 'href').startsWith(base + 'en-us/'), `${p}: x-default is not the source page`);
    for (const t of alts) {
      const href = attr(t, 'href');
      assert(href.startsWith(base), href);
      const other = href.slice(base.length);
      assert(exists(other), `${p}: alternate ${other} does not exist`);
      const theirs = linkTags(read(other), 'alternate').filter((x) => attr(x, 'hreflang'))
        .map((x) => `${attr(x, 'hreflang')} ${attr(x, 'href')}`).sort();
      assert.deepStrictEqual(theirs, mine, `${other} lists another set than ${p}`);
    }
  }
  assert(sets >= 8, `only ${sets} pages have hreflang sets`);
});

test('an untranslated article gets a fallback page: source text, source lang, notice, noindex', () => {
  const p = 'de-de/reservations/buy-reservations-for-customers.html';
  const html = read(p);
  assert(/<html lang="de-DE"/.test(html));
  assert(/<article lang="en-US" dir="ltr">/.test(html), 'article lacks the source language');
  assert(/class="notice notice-untranslated"/.test(html), 'no untranslated notice');
  assert(html.includes('Dieser Artikel wurde noch nicht übersetzt'), 'notice not localized');
  assert(/<meta name="robots" content="noindex, follow">/.test(html));
  assert.strictEqual(attr(linkTags(html, 'canonical')[0], 'href'), base + 'en-us/reservations/buy-reservations-for-customers.html');
  // Links are rebased: media from the source locale, articles in this locale.
  assert(html.includes('href="../subscriptions/check-subscription.html"'), 'article link not kept in de-de');
  assert(!/href="(?!\.\.\/\.\.\/|https?:|#)[^"]*en-us/.test(html));
  for (const m of html.matchAll(/(?:href|src)="(?![a-z]+:|#|\/)([^"#?]+)[^"]*"/g)) {
    const target = path.normalize(path.join(path.dirname(p), m[1]));
    assert(exists(target), `${p}: ${m[1]} does not resolve (${target})`);
  }
  // The translated articles have none of this.
  assert(!/notice-untranslated|noindex/.test(read('de-de/user-roles.html')));
  // The sitemap leaves the copy out.
  assert(!read('de-de/sitemap.xml').includes('de-de/reservations/buy-reservations-for-customers.html'));
});

test('untranslated: none builds no page, and the switcher goes to that language\'s home', () => {
  const proj = path.join(tmp, 'none');
  fs.cpSync(project, proj, { recursive: true, filter: (s) => !/\/(site|build[^/]*|\.git|node_modules)$/.test(s) });
  fs.appendFileSync(path.join(proj, 'folio.yml'), '\nuntranslated: none\n');
  const out = build(proj, path.join(tmp, 'none-site'));
  assert(!fs.existsSync(path.join(out, 'de-de/reservations/buy-reservations-for-customers.html')));
  assert(fs.existsSync(path.join(out, 'de-de/user-roles.html')));
  const en = fs.readFileSync(path.join(out, 'en-us/reservations/buy-reservations-for-customers.html'), 'utf8');
  assert(/<a href="\.\.\/\.\.\/de-de\/index\.html" hreflang="de-DE"/.test(en), 'switcher does not go to the German home');
});

test('machine translation and stale notices link to the source page', () => {
  const mt = read('de-de/activity-log.html');
  assert(/class="notice notice-mt"[^>]*>[^<]*<a href="\.\.\/en-us\/activity-log\.html" hreflang="en-US">/.test(mt));
  assert(!/notice-stale/.test(mt), 'activity-log is current, yet marked stale');
  const stale = read('de-de/subscriptions/check-subscription.html');
  assert(/class="notice notice-stale"[^>]*>[^<]*<a href="\.\.\/\.\.\/en-us\/subscriptions\/check-subscription\.html"/.test(stale));
  assert(stale.includes('Der Originalartikel wurde geändert'));
  for (const p of ['de-de/user-roles.html', 'de-de/index.html', 'ar-sa/index.html', 'en-us/index.html'])
    assert(!/notice-stale/.test(read(p)), `${p} marked stale`);
});

test('dates are in the locale\'s format', () => {
  assert(read('en-us/index.html').includes('<time datetime="2025-03-14">March 14, 2025</time>'));
  assert(read('de-de/index.html').includes('<time datetime="2025-03-21">21. März 2025</time>'));
  assert(read('ar-sa/index.html').includes('<time datetime="2025-03-28">28 مارس 2025</time>'));
});

test('sitemaps validate against the sitemaps.org schema and match the pages', () => {
  const locales = ['en-us', 'de-de', 'ar-sa'];
  for (const l of locales)
    execFileSync('xmllint', ['--noout', '--schema', path.join(here, 'sitemap.xsd'), path.join(site, l, 'sitemap.xml')], { stdio: 'pipe' });
  execFileSync('xmllint', ['--noout', '--schema', path.join(here, 'siteindex.xsd'), path.join(site, 'sitemap.xml')], { stdio: 'pipe' });
  const index = read('sitemap.xml');
  for (const l of locales) assert(index.includes(`<loc>${base}${l}/sitemap.xml</loc>`));
  // Every indexable page is in its locale's sitemap with the same alternates.
  for (const p of indexable()) {
    const l = p.split('/')[0];
    const xml = read(`${l}/sitemap.xml`);
    const m = xml.match(new RegExp(`<url>\\s*<loc>${(base + p).replace(/[.?]/g, '\\$&')}</loc>[\\s\\S]*?</url>`));
    if (p.endsWith('/index.html') && !m && !linkTags(read(p), 'canonical').length) continue;
    assert(m, `${p} is not in ${l}/sitemap.xml`);
    const inMap = (m[0].match(/<xhtml:link [^>]*>/g) || []).map((t) => `${attr(t, 'hreflang')} ${attr(t, 'href')}`).sort();
    const inPage = linkTags(read(p), 'alternate').filter((t) => attr(t, 'hreflang'))
      .map((t) => `${attr(t, 'hreflang')} ${attr(t, 'href')}`).sort();
    assert.deepStrictEqual(inMap, inPage, `${p}: sitemap and page disagree`);
  }
  // A broken sitemap really fails the schema (the check can fail).
  const bad = path.join(tmp, 'bad.xml');
  fs.writeFileSync(bad, read('de-de/sitemap.xml').replace('hreflang="de-DE"', 'hreflang="de DE"'));
  const r = spawnSync('xmllint', ['--noout', '--schema', path.join(here, 'sitemap.xsd'), bad]);
  assert.notStrictEqual(r.status, 0, 'xmllint accepted an invalid hreflang');
});

test('robots.txt names the sitemap index', () => {
  assert.strictEqual(read('robots.txt'), `User-agent: *\nAllow: /\n\nSitemap: ${base}sitemap.xml\n`);
});

test('a 404 page per locale, localized, with site-absolute links', () => {
  for (const [l, title] of [['en-us', 'Page not found'], ['de-de', 'Seite nicht gefunden'], ['ar-sa', 'الصفحة غير موجودة']]) {
    const html = read(`${l}/404.html`);
    assert(html.includes(`<h1>${title}</h1>`), `${l}/404.html`);
    assert(html.includes('href="/assets/folio.css"'));
    assert(html.includes(`href="/${l}/index.html"`));
    assert(html.includes('<meta name="robots" content="noindex">'));
  }
  assert.strictEqual(read('404.html'), read('en-us/404.html'));
});

// A locale's search index (see generator/out_search.h), run as the page
// script would: the manifest, every term shard and every page file.
function searchIndex(dir, l) {
  const idx = { manifest: null, shards: [], pages: [] };
  const sandbox = {
    folioSearchManifest: (m) => { idx.manifest = m; },
    folioSearchTerms: (i, list) => { idx.shards[i] = list; },
    folioSearchPage: (id, p) => { idx.pages[id] = p; },
  };
  const run = (rel) => vm.runInNewContext(fs.readFileSync(path.join(dir, l, rel), 'utf8'), sandbox, { filename: rel });
  run('search-index.js');
  idx.manifest.shards.forEach((_, i) => run(`search/t${i}.js`));
  for (let id = 0; id < idx.manifest.pages; id++) run(`search/p${id}.js`);
  return idx;
}

test('search index: a manifest, term shards and a file per page, per locale', () => {
  for (const [l, lang] of [['en-us', 'en-US'], ['de-de', 'de-DE'], ['ar-sa', 'ar-SA']]) {
    assert(!exists(`${l}/search.json`), 'search.json is no longer written');
    const idx = searchIndex(site, l);
    assert.strictEqual(idx.manifest.locale, l);
    assert.strictEqual(idx.manifest.lang, lang);
    assert.strictEqual(idx.pages.length, idx.manifest.pages);
    assert.strictEqual(fs.readdirSync(path.join(site, l, 'search')).length, idx.manifest.shards.length + idx.manifest.pages);
    for (const p of idx.pages) {
      assert(exists(`${l}/${p.u}`), `${l}: ${p.u} in the index does not exist`);
      assert(p.t && p.x.length > 100 && !/<[a-z]/.test(p.x), `${l}/${p.u}: text`);
    }
    // Every page is in the postings of the words of its title.
    const terms = new Map();
    idx.shards.forEach((list) => { for (let i = 0; i < list.length; i += 2) terms.set(list[i], list[i + 1]); });
    const search = require(path.join(project, 'templates/assets/folio-search.js'));
    idx.pages.forEach((p, id) => {
      for (const w of search.words(p.t)) {
        const ids = [];
        search.decode(terms.get(w) || '', (i, weight) => { if (weight >> 3 & 1) ids.push(i); });
        assert(ids.includes(id), `${l}/${p.u}: "${w}" of the title is not indexed`);
      }
    });
  }
  const de = searchIndex(site, 'de-de');
  assert.strictEqual(de.pages.length, 9, 'de-de: 8 translations and 1 fallback page');
  const fb = de.pages.find((p) => p.u === 'reservations/buy-reservations-for-customers.html');
  assert.strictEqual(fb.l, 'en-US');
  const roles = de.pages.find((p) => p.u === 'user-roles.html');
  assert.strictEqual(roles.l, undefined, 'a translated page has the locale\'s lang');
  assert(roles.h.length >= 3 && roles.x.includes('Besitzer'));
});

test('same bytes at -j 1 and -j 4', () => {
  const a = build(project, path.join(tmp, 'j1'), 1), b = build(project, path.join(tmp, 'j4'), 4);
  const files = htmlFiles(a).concat(['de-de/sitemap.xml', 'sitemap.xml', 'robots.txt', 'de-de/search-index.js'],
    fs.readdirSync(path.join(a, 'de-de/search')).map((f) => `de-de/search/${f}`));
  for (const f of files)
    assert(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
});

// folio status, against hashes computed here with another SHA-256: the
// body alone, or (sha256+includes:) the body, then for each include file in
// the order it is expanded, NUL, its path in the locale folder, NUL, its text.
function includesOf(localeDir, rel, text, out) {
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    for (const m of line.matchAll(/\[!include\s*\[[^\]]*\]\(\s*([^)]*?)\s*\)\]/gi)) {
      const inc = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
      const full = path.join(localeDir, inc);
      if (!fs.existsSync(full)) continue;
      const t = fs.readFileSync(full, 'utf8');
      out.push([inc, t]);
      const fm = t.startsWith('---\n') ? t.indexOf('\n---', 4) : -1;
      includesOf(localeDir, inc, fm < 0 ? t : t.slice(t.indexOf('\n', fm + 1) + 1), out);
    }
  }
  return out;
}
function bodyHash(file, localeDir, rel) {
  const s = fs.readFileSync(file, 'utf8');
  const raw = s.slice(s.indexOf('\n---\n', 3) + 5);
  const incs = includesOf(localeDir, rel, raw, []);
  const h = crypto.createHash('sha256').update(raw.replace(/\r\n/g, '\n'), 'utf8');
  for (const [inc, t] of incs) h.update('\0' + inc + '\0' + t.replace(/\r\n/g, '\n'), 'utf8');
  return (incs.length ? 'sha256+includes:' : 'sha256:') + h.digest('hex');
}

test('folio status --format json: per locale current, stale, missing', () => {
  const out = execFileSync(folio, ['status', '-C', project, '--format', 'json'], { encoding: 'utf8' });
  const st = JSON.parse(out);
  assert.strictEqual(st.source_locale, 'en-us');
  assert.strictEqual(st.hash_key, 'folio.source-hash');
  const de = st.locales.find((l) => l.locale === 'de-de');
  assert.deepStrictEqual(de.counts, { current: 7, stale: 1, untracked: 0, missing: 1, orphan: 0 });
  const by = Object.fromEntries(de.articles.map((a) => [a.path, a]));
  assert.strictEqual(by['subscriptions/check-subscription.md'].state, 'stale');
  assert.strictEqual(by['reservations/buy-reservations-for-customers.md'].state, 'missing');
  assert.strictEqual(by['user-roles.md'].state, 'current');
  for (const a of de.articles)
    assert.strictEqual(a.source_hash, bodyHash(path.join(project, 'content/en-us', a.path), path.join(project, 'content/en-us'), a.path), a.path);
  assert(by['assign-owner-role.md'].source_hash.startsWith('sha256+includes:'), 'an article with includes');
  assert.notStrictEqual(by['subscriptions/check-subscription.md'].recorded_hash, by['subscriptions/check-subscription.md'].source_hash);
  const ar = st.locales.find((l) => l.locale === 'ar-sa');
  assert.strictEqual(ar.counts.current, 1);
  assert.strictEqual(ar.counts.missing, 8);
});

test('folio status (text) and the staleness of an edited source', () => {
  const text = execFileSync(folio, ['status', '-C', project], { encoding: 'utf8' });
  assert(/^de-de: 7 current, 1 stale, 0 untracked, 1 missing, 0 orphan$/m.test(text), text);
  assert(/^  stale +subscriptions\/check-subscription\.md/m.test(text));
  // Editing a source article makes its translations stale; CRLF alone does not.
  const proj = path.join(tmp, 'edit');
  fs.cpSync(project, proj, { recursive: true, filter: (s) => !/\/(site|build[^/]*|\.git|node_modules)$/.test(s) });
  const f = path.join(proj, 'content/en-us/user-roles.md');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/\n/g, '\r\n'));
  let st = JSON.parse(execFileSync(folio, ['status', '-C', proj, '--format', 'json'], { encoding: 'utf8' }));
  let a = st.locales[0].articles.find((x) => x.path === 'user-roles.md');
  assert.strictEqual(a.state, 'current', 'CRLF line endings made a translation stale');
  fs.appendFileSync(f, '\r\nOne more sentence.\r\n');
  st = JSON.parse(execFileSync(folio, ['status', '-C', proj, '--format', 'json'], { encoding: 'utf8' }));
  a = st.locales[0].articles.find((x) => x.path === 'user-roles.md');
  assert.strictEqual(a.state, 'stale');
  const out = build(proj, path.join(tmp, 'edit-site'));
  assert(/notice-stale/.test(fs.readFileSync(path.join(out, 'de-de/user-roles.html'), 'utf8')));
});

let passed = 0, failed = 0;
for (const t of tests) {
  try {
    t.fn();
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${t.name}\n  ${String(e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
