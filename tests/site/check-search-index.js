// The sharded search index of a generated site (gen_search_corpus.py), read
// without a browser: every file is valid UTF-8 and safe in a script, runs
// as JavaScript and calls the function it should; the manifest's shard keys
// and each shard's terms are sorted and agree; every page has its file and
// appears in the postings; and the postings of each page are exactly what
// the page script's own folding (folio-search.js, words()) finds in its
// title, headings, description and text, so that C and JavaScript fold
// words alike. Also: the same bytes at -j 1 and -j 2.
// usage: node check-search-index.js FOLIO REPO [ARTICLES]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');
const assert = require('assert');
const { spawnSync, execFileSync } = require('child_process');

const [folio, repo] = process.argv.slice(2, 4).map((p) => path.resolve(p));
const articles = Number(process.argv[4] || 3000);
const search = require(path.join(repo, 'templates/assets/folio-search.js'));
const MAX_TEXT = 8000; // OUT_SEARCH_MAX_TEXT

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-search-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const project = path.join(tmp, 'p');
execFileSync('python3', [path.join(repo, 'tests/site/gen_search_corpus.py'), project, '--repo', repo,
  '--articles', String(articles)], { stdio: 'inherit' });
function build(out, jobs) {
  const r = spawnSync(folio, ['build', '-q', '-j', String(jobs), '-C', project, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`folio build failed (${r.status}):\n${r.stderr}`);
  return out;
}
let t0 = Date.now();
const site = build(path.join(tmp, 'site'), 2);
console.log(`  generated and built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const loc = path.join(site, 'en-us');
const expected = JSON.parse(fs.readFileSync(path.join(project, 'expected.json'), 'utf8'));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// Every file of the index, run in a sandbox that records the calls.
const files = ['search-index.js'].concat(fs.readdirSync(path.join(loc, 'search')).sort().map((f) => `search/${f}`));
const calls = { manifest: [], terms: new Map(), pages: new Map() };
const decoder = new TextDecoder('utf-8', { fatal: true });
const problems = [];
let current = null; // the file being run
const sandbox = vm.createContext({
  folioSearchManifest: (m) => calls.manifest.push({ f: current, m }),
  folioSearchTerms: (i, list) => calls.terms.set(i, { f: current, list }),
  folioSearchPage: (id, p) => calls.pages.set(id, { f: current, p }),
});
for (const f of files) {
  const bytes = fs.readFileSync(path.join(loc, f));
  let text;
  try { text = decoder.decode(bytes); } catch (e) { problems.push(`${f}: not UTF-8`); continue; }
  if (/<\/script|<!--/i.test(text)) problems.push(`${f}: has </script or <!--`);
  if (/[\u2028\u2029]/.test(text)) problems.push(`${f}: raw U+2028 or U+2029`);
  current = f;
  try { vm.runInContext(text, sandbox, { filename: f }); } catch (e) { problems.push(`${f}: ${e.message}`); }
}
const manifest = calls.manifest.length === 1 ? calls.manifest[0].m : null;

test('every file is valid UTF-8, safe in a script, and runs', () => {
  assert.deepStrictEqual(problems.slice(0, 10), []);
  assert.strictEqual(calls.manifest.length, 1);
  assert.strictEqual(calls.manifest[0].f, 'search-index.js');
  for (const [i, { f }] of calls.terms) assert.strictEqual(f, `search/t${i}.js`);
  for (const [id, { f }] of calls.pages) assert.strictEqual(f, `search/p${id}.js`);
  assert.strictEqual(files.length, 1 + calls.terms.size + calls.pages.size, 'files that call nothing');
});

test('the manifest: pages, sorted shard keys, one file per shard', () => {
  assert.strictEqual(manifest.v, 2);
  assert.strictEqual(manifest.locale, 'en-us');
  assert.strictEqual(manifest.lang, 'en-US');
  assert.strictEqual(manifest.pages, articles + 1); // and the home page
  assert.match(manifest.version, /^[0-9a-f]{16}$/);
  const keys = manifest.shards;
  assert.strictEqual(keys[0], '');
  for (let i = 1; i < keys.length; i++) assert(search.cmp(keys[i - 1], keys[i]) < 0, `keys ${i - 1}, ${i}`);
  assert.strictEqual(calls.terms.size, keys.length);
  for (let i = 0; i < keys.length; i++) assert(calls.terms.has(i), `shard ${i}`);
  console.log(`  ${manifest.pages} pages, ${keys.length} shards, manifest ${fs.statSync(path.join(loc, 'search-index.js')).size} bytes`);
});

// The postings of every page: id -> Map(term -> weight).
const byPage = new Map();
test('each shard holds sorted, folded terms within its keys; postings decode', () => {
  const keys = manifest.shards;
  let prev = null, nterms = 0;
  for (let i = 0; i < keys.length; i++) {
    const list = calls.terms.get(i).list;
    assert(list.length > 0 || keys.length === 1, `shard ${i} is empty`);
    assert.strictEqual(list.length % 2, 0);
    for (let k = 0; k < list.length; k += 2) {
      const t = list[k];
      assert(prev === null || search.cmp(prev, t) < 0, `${t} after ${prev}`);
      assert(search.cmp(keys[i], t) <= 0 && (i + 1 === keys.length || search.cmp(t, keys[i + 1]) < 0),
        `${t} is outside shard ${i}`);
      if (k === 0 && i > 0) assert(t.startsWith(keys[i]), `shard ${i} key ${keys[i]} is not a start of ${t}`);
      assert.deepStrictEqual(search.words(t), [t], `term ${JSON.stringify(t)} is not folded`);
      let last = -1;
      search.decode(list[k + 1], (id, w) => {
        assert(id > last && id < manifest.pages, `${t}: page ${id}`);
        assert(w >= 0 && w < 64 && (w & 7) <= 5, `${t}: weight ${w}`);
        last = id;
        if (!byPage.has(id)) byPage.set(id, new Map());
        byPage.get(id).set(t, w);
      });
      prev = t;
      nterms++;
    }
  }
  console.log(`  ${nterms} terms`);
});

test('every page has its file, in title order, and appears in the postings', () => {
  assert.strictEqual(calls.pages.size, manifest.pages);
  let prev = null;
  for (let id = 0; id < manifest.pages; id++) {
    const p = calls.pages.get(id).p;
    assert(p && p.t && p.u, `page ${id}`);
    assert(fs.existsSync(path.join(loc, p.u)), `${p.u} does not exist`);
    const key = Buffer.from(p.t + '\0' + p.u);
    assert(prev === null || Buffer.compare(prev, key) < 0, `page ${id} (${p.t}) out of title order`);
    prev = key;
    assert(byPage.has(id) && byPage.get(id).size > 0, `page ${id} (${p.u}) is in no shard`);
  }
});

test('postings are what the page script finds in each page (C and JS fold alike)', () => {
  let full = 0;
  for (let id = 0; id < manifest.pages; id++) {
    const p = calls.pages.get(id).p;
    const want = new Map();
    const add = (s, field) => {
      for (const t of search.words(s)) {
        const w = want.get(t) || 0;
        want.set(t, field ? w | field << 3 : (w & ~7) | Math.min(5, (w & 7) + 1));
      }
    };
    add(p.t, 1);
    p.h.forEach((h) => add(h, 2));
    add(p.d, 4);
    const whole = Buffer.byteLength(p.x) < MAX_TEXT - 4; // the index's text was not cut
    add(whole ? p.x : p.x.slice(0, p.x.lastIndexOf(' ')), 0);
    const got = byPage.get(id);
    for (const [t, w] of want) {
      assert(got.has(t), `${p.u}: "${t}" is missing from the index`);
      if (whole) assert.strictEqual(got.get(t), w, `${p.u}: "${t}" weight`);
      else assert.strictEqual(got.get(t) >> 3, w >> 3, `${p.u}: "${t}" fields`);
    }
    if (whole) {
      full++;
      for (const t of got.keys()) assert(want.has(t), `${p.u}: "${t}" is in the index, not in the page`);
    }
  }
  assert(full > manifest.pages / 2, `only ${full} pages checked in full`);
  console.log(`  ${full} pages compared term by term, the others up to ${MAX_TEXT} bytes`);
});

test('other scripts, entities and characters unsafe in a script', () => {
  const id = [...calls.pages].find(([, v]) => v.p.u === expected.unicode)[0];
  const p = calls.pages.get(id).p;
  assert(p.x.includes('Raw references: lone \ufffd surrogate, \ufffd again, \ufffd past the end, \ufffd nul, fine été.'), p.x.slice(-200));
  assert(p.x.includes('Never put </script> in a script string, nor a line\u2028separator or\u2029paragraph'));
  const got = byPage.get(id);
  for (const t of ['uberblick', 'straße', 'οδοσ', 'λογοσ', 'مرحبا', 'بالعالم', '数', '据', 'カ', 'の', 'script', 'ete'])
    assert(got.has(t), `"${t}" is not indexed for ${p.u}`);
  assert(got.get('uberblick') >> 3 & 2, 'Überblick is in a heading');
});

test('the planted word: the pages that hold it', () => {
  const want = new Set(expected.zephyrine);
  const ids = new Set();
  for (const [id, terms] of byPage) if ([...terms.keys()].some((t) => t.startsWith('zephyrine'))) ids.add(id);
  assert.deepStrictEqual([...ids].map((id) => calls.pages.get(id).p.u).sort(), [...want].sort());
});

test('the same bytes at -j 1', () => {
  const one = path.join(build(path.join(tmp, 'j1'), 1), 'en-us');
  for (const f of files)
    assert(fs.readFileSync(path.join(loc, f)).equals(fs.readFileSync(path.join(one, f))), f);
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
