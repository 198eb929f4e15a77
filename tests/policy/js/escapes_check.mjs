// Text with quotes, backslashes, commas, '#', '//', non-Latin script and
// U+2028 through the exports, read back by the engines: Cedar's annotations
// (cedar-wasm's parser) must hold exactly the text of rules.json, Casbin's
// policy (node-casbin's file adapter) exactly the (role, resource, action)
// triples, and the Cedar schema and policies must still validate.
// usage: node escapes_check.mjs CASBIN_DIR CEDAR_DIR RULES.json
import fs from 'fs';
import { createRequire } from 'module';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

const require = createRequire(import.meta.url);
const { newEnforcer } = require('casbin');
const [casbinDir, cedarDir, rulesPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));
const wrong = [];
const rules = doc.rules.filter((r) => r.kind !== 'audience');

const text = fs.readFileSync(`${cedarDir}/policies.cedar`, 'utf8');
const schema = fs.readFileSync(`${cedarDir}/folio.cedarschema`, 'utf8');
const v = cedar.validate({ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
if (v.type !== 'success' || v.validationErrors.length) wrong.push(`validation: ${JSON.stringify(v)}`);
const parts = cedar.policySetTextToParts(text);
if (parts.type !== 'success') wrong.push(`parse: ${JSON.stringify(parts)}`);
const got = {};
for (const p of parts.policies || []) {
  const j = cedar.policyToJson(p);
  if (j.type !== 'success') { wrong.push(`policyToJson: ${JSON.stringify(j)}`); continue; }
  got[j.json.annotations.id] = j.json.annotations;
}
for (const r of rules) {
  const a = got[r.id];
  if (!a) { wrong.push(`cedar: no policy with @id ${r.id}`); continue; }
  const src = `${r.source.article}${r.source.anchor ? '#' + r.source.anchor : ''}, line ${r.source.line}`;
  for (const [k, want] of [['audit', r.audit], ['source', src], ['default', r.default]])
    if ((a[k] ?? undefined) !== want) wrong.push(`cedar ${r.id} @${k}: ${JSON.stringify(a[k])}, rules.json ${JSON.stringify(want)}`);
}

const e = await newEnforcer(`${casbinDir}/model.conf`, `${casbinDir}/policy.csv`);
const policy = (await e.getPolicy()).map((p) => JSON.stringify(p)).sort();
const want = rules.flatMap((r) => r.allow.map((role) => JSON.stringify([role, r.resource, r.action]))).sort();
if (JSON.stringify(policy) !== JSON.stringify(want)) wrong.push(`casbin policy ${policy}, rules.json ${want}`);

if (wrong.length) {
  console.log(wrong.join('\n'));
  process.exit(1);
}
console.log(`escapes: ${rules.length} rules' text read back exactly by cedar-wasm and node-casbin`);
