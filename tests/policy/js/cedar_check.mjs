// Validate the Cedar export against its schema with the Cedar engine
// (cedar-wasm), then authorize every rule x role request: Cedar must decide
// as rules.json says, and name the policy whose @id is the rule.
// usage: node cedar_check.mjs DIR (policies.cedar, folio.cedarschema) RULES.json
import fs from 'fs';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

const [dir, rulesPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));
const text = fs.readFileSync(`${dir}/policies.cedar`, 'utf8');
const schema = fs.readFileSync(`${dir}/folio.cedarschema`, 'utf8');
const wrong = [];

const parsed = cedar.checkParseSchema(schema);
if (parsed.type !== 'success') wrong.push(`schema: ${JSON.stringify(parsed)}`);
const v = cedar.validate({ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
if (v.type !== 'success' || v.validationErrors.length) wrong.push(`validation: ${JSON.stringify(v)}`);

// Give each policy its @id as its Cedar id, so answers name rules.
const parts = cedar.policySetTextToParts(text);
if (parts.type !== 'success') wrong.push(`split: ${JSON.stringify(parts)}`);
const byId = {};
for (const p of parts.policies || []) {
  const m = /@id\("([^"]*)"\)/.exec(p);
  if (!m) wrong.push(`a policy without @id: ${p}`);
  else byId[m[1]] = p;
}
const audits = {};
for (const p of parts.policies || []) {
  const id = /@id\("([^"]*)"\)/.exec(p);
  const audit = /@audit\("([^"]*)"\)/.exec(p);
  if (id && audit) audits[id[1]] = audit[1];
}

const roles = doc.roles.filter((r) => r.kind === 'role').map((r) => r.id);
let checked = 0;
for (const rule of doc.rules) {
  if (rule.kind === 'audience') continue;
  if (rule.allow.length && !byId[rule.id]) wrong.push(`no policy for ${rule.id}`);
  if ((rule.audit || null) !== (audits[rule.id] || null) && rule.allow.length)
    wrong.push(`${rule.id}: @audit ${audits[rule.id]}, rules.json ${rule.audit}`);
  for (const role of roles) {
    const want = rule.allow.includes(role) ? 'allow' : 'deny';
    const ans = cedar.isAuthorized({
      principal: { type: 'Folio::Role', id: role },
      action: { type: 'Folio::Action', id: rule.action },
      resource: { type: 'Folio::Resource', id: rule.resource },
      context: {},
      policies: { staticPolicies: byId },
      entities: [],
    });
    checked++;
    if (ans.type !== 'success') { wrong.push(`${role} ${rule.id}: ${JSON.stringify(ans)}`); continue; }
    const got = ans.response.decision;
    if (got !== want) wrong.push(`${role} ${rule.id}: cedar ${got}, rules.json ${want}`);
    if (got === 'allow' && !ans.response.diagnostics.reason.includes(rule.id))
      wrong.push(`${role} ${rule.id}: allowed by ${ans.response.diagnostics.reason}`);
  }
}
// A user in a role inherits what the role may do.
const user = cedar.isAuthorized({
  principal: { type: 'Folio::User', id: 'lena' },
  action: { type: 'Folio::Action', id: 'enable' },
  resource: { type: 'Folio::Resource', id: 'customer-purchase.reservations' },
  context: {},
  policies: { staticPolicies: byId },
  entities: [{ uid: { type: 'Folio::User', id: 'lena' }, attrs: {}, parents: [{ type: 'Folio::Role', id: 'admin-agent' }] }],
});
if (user.type !== 'success' || user.response.decision !== 'allow') wrong.push(`user in admin-agent: ${JSON.stringify(user)}`);
if (checked < 50) wrong.push(`only ${checked} requests checked`);
if (wrong.length) {
  console.log(wrong.join('\n'));
  process.exit(1);
}
console.log(`cedar: policies valid against the schema; ${checked} requests decided as rules.json says`);
