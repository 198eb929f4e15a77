// Validate the Cedar export against its schema with the Cedar engine
// (cedar-wasm), then authorize every rule x role request, audience rules
// included: Cedar must decide as rules.json says when the request context
// meets the rule's conditions (switched on, requirements met, a listed
// channel), deny when it fails one, and name the policy whose @id is the
// rule. Users in two roles (a Folio::User whose parents are both roles) get
// the union and must match folio's own answers (FOLIO.json, from folio
// policy audit); a user in no role is denied everything.
// usage: node cedar_check.mjs DIR (policies.cedar, folio.cedarschema) RULES.json [FOLIO.json]
import fs from 'fs';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

const [dir, rulesPath, folioPath] = process.argv.slice(2);
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
const audits = {};
for (const p of parts.policies || []) {
  const j = cedar.policyToJson(p);
  if (j.type !== 'success') { wrong.push(`policyToJson: ${JSON.stringify(j)}`); continue; }
  const a = j.json.annotations || {};
  if (!a.id) wrong.push(`a policy without @id: ${p}`);
  else byId[a.id] = p;
  if (a.id && a.audit) audits[a.id] = a.audit;
  // Conditions are conditions, not comments: a rule with a default,
  // requirements or channels has a when clause on the context for each.
  const r = doc.rules.find((x) => x.id === a.id);
  const want = r ? 1 + (r.default ? 1 : 0) + ((r.requires || []).length ? 1 : 0) + ((r.channels || []).length ? 1 : 0) : 0;
  if (r && j.json.conditions.length !== want) wrong.push(`${a.id}: ${j.json.conditions.length} when clauses, expected ${want}`);
}

const kindOf = {};
for (const r of doc.roles) kindOf[r.id] = r.kind;
const roles = doc.roles.filter((r) => r.kind === 'role').map((r) => r.id);
const audiences = doc.roles.filter((r) => r.kind === 'audience').map((r) => r.id);
const entityOf = (id) => ({ type: kindOf[id] === 'audience' ? 'Folio::Audience' : 'Folio::Role', id });
const actionOf = (rule) => (rule.kind === 'audience' ? 'audience' : rule.action);
const allowedOf = (rule) => rule.allow || rule.audience || [];
// A context that meets every condition of the rule.
const meets = (rule) => ({ enabled: true, met: rule.requires || [], channel: (rule.channels || ['web'])[0] });

function ask(principal, rule, context, entities = []) {
  return cedar.isAuthorized({
    principal,
    action: { type: 'Folio::Action', id: actionOf(rule) },
    resource: { type: 'Folio::Resource', id: rule.resource },
    context,
    schema,
    validateRequest: true,
    policies: { staticPolicies: byId },
    entities,
  });
}
function decide(what, principal, rule, context, want, entities) {
  const ans = ask(principal, rule, context, entities);
  checked++;
  if (ans.type !== 'success') { wrong.push(`${what}: ${JSON.stringify(ans)}`); return; }
  const got = ans.response.decision;
  if (got !== want) wrong.push(`${what}: cedar ${got}, expected ${want}`);
  if (got === 'allow' && JSON.stringify(ans.response.diagnostics.reason) !== JSON.stringify([rule.id]))
    wrong.push(`${what}: allowed by ${ans.response.diagnostics.reason}, not by rule ${rule.id}`);
}
const user = (id, parents) => [
  { uid: { type: 'Folio::User', id }, attrs: {}, parents: parents.map(entityOf) },
  ...parents.map((p) => ({ uid: entityOf(p), attrs: {}, parents: [] })),
];

let checked = 0, audienceRules = 0, conditions = 0;
for (const rule of doc.rules) {
  const allow = allowedOf(rule);
  if (allow.length && !byId[rule.id]) wrong.push(`no policy for ${rule.id}`);
  if ((rule.audit || null) !== (audits[rule.id] || null) && allow.length)
    wrong.push(`${rule.id}: @audit ${audits[rule.id]}, rules.json ${rule.audit}`);
  if (rule.kind === 'audience') audienceRules++;
  const who = rule.kind === 'audience' ? audiences : roles;
  for (const role of who) {
    const want = allow.includes(role) ? 'allow' : 'deny';
    decide(`${role} ${rule.id}`, entityOf(role), rule, meets(rule), want);
  }
  if (!allow.length) continue;
  // The first allowed principal, with a context that fails one condition.
  const p = entityOf(allow[0]);
  const fails = [];
  for (const req of rule.requires || [])
    fails.push([`without ${req}`, { ...meets(rule), met: (rule.requires || []).filter((x) => x !== req) }]);
  if ((rule.requires || []).length) { const c = meets(rule); delete c.met; fails.push(['no met', c]); }
  if ((rule.channels || []).length) {
    fails.push(['channel elsewhere', { ...meets(rule), channel: 'fax' }]);
    const c = meets(rule); delete c.channel; fails.push(['no channel', c]);
  }
  if (rule.default === 'off') { const c = meets(rule); delete c.enabled; fails.push(['default off, not switched on', c]); }
  if (rule.default === 'on') {
    fails.push(['default on, switched off', { ...meets(rule), enabled: false }]);
    const c = meets(rule); delete c.enabled;
    decide(`${rule.id} default on, not said`, p, rule, c, 'allow');
  }
  for (const [why, ctx] of fails) { decide(`${allow[0]} ${rule.id} ${why}`, p, rule, ctx, 'deny'); conditions++; }
}

// Users: two roles give the union; no role gives nothing.
for (const rule of doc.rules.filter((r) => r.kind !== 'audience')) {
  for (let i = 0; i < roles.length; i++)
    for (let j = i + 1; j < roles.length; j++) {
      const want = rule.allow.includes(roles[i]) || rule.allow.includes(roles[j]) ? 'allow' : 'deny';
      decide(`user in ${roles[i]}+${roles[j]} ${rule.id}`, { type: 'Folio::User', id: 'u' }, rule, meets(rule), want,
        user('u', [roles[i], roles[j]]));
    }
  decide(`user in no role ${rule.id}`, { type: 'Folio::User', id: 'nobody' }, rule, meets(rule), 'deny', user('nobody', []));
}
// folio's own answers (policy audit with "roles": [a, b]) for the same users.
if (folioPath) {
  const folio = JSON.parse(fs.readFileSync(folioPath, 'utf8'));
  let n = 0;
  for (const [key, want] of Object.entries(folio)) {
    const [who, id] = key.split('|');
    const rule = doc.rules.find((r) => r.id === id);
    const ans = ask({ type: 'Folio::User', id: 'u' }, rule, meets(rule), user('u', who.split('+')));
    const got = ans.type === 'success' ? ans.response.decision : JSON.stringify(ans);
    if (got !== want) wrong.push(`${who} ${id}: cedar ${got}, folio ${want}`);
    n++;
  }
  if (n < 100) wrong.push(`only ${n} folio answers compared`);
}
if (checked < 50) wrong.push(`only ${checked} requests checked`);
if (doc.rules.some((r) => r.kind === 'audience') && !audienceRules) wrong.push('no audience rule checked');
if (wrong.length) {
  console.log(wrong.join('\n'));
  process.exit(1);
}
console.log(`cedar: policies valid against the schema; ${checked} requests decided as rules.json says ` +
  `(${audienceRules} audience rules, ${conditions} failed conditions denied, two-role users, folio's answers)`);
