// Enforce the Casbin export with node-casbin: for every rule of rules.json
// and every role of its catalogue, Casbin must decide as the rule says.
// usage: node casbin_check.js DIR (model.conf, policy.csv) RULES.json
'use strict';
const fs = require('fs');
const { newEnforcer } = require('casbin');

(async () => {
  const [dir, rulesPath] = process.argv.slice(2);
  const doc = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));
  const e = await newEnforcer(`${dir}/model.conf`, `${dir}/policy.csv`);
  const roles = doc.roles.filter((r) => r.kind === 'role').map((r) => r.id);
  let checked = 0;
  const wrong = [];
  for (const rule of doc.rules) {
    if (rule.kind === 'audience') continue;
    for (const role of roles) {
      const want = rule.allow.includes(role);
      const got = await e.enforce(role, rule.resource, rule.action);
      if (got !== want) wrong.push(`${role} ${rule.id}: casbin ${got}, rules.json ${want}`);
      checked++;
    }
  }
  // A few requests spelled out, as a reader would ask them.
  const spelled = [
    ['admin-agent', 'customer-purchase.reservations', 'enable', true],
    ['sales-agent', 'customer-purchase.reservations', 'enable', false],
    ['sales-agent', 'customer-purchase.reservations', 'read', true],
    ['billing-admin', 'customer-purchase.reservations', 'read', false],
    ['global-admin', 'article/user-roles', 'perform', true],
  ];
  for (const [sub, obj, act, want] of spelled) {
    const got = await e.enforce(sub, obj, act);
    if (got !== want) wrong.push(`${sub} ${obj} ${act}: casbin ${got}, expected ${want}`);
    checked++;
  }
  if (checked < 50) wrong.push(`only ${checked} requests checked`);
  if (wrong.length) {
    console.log(wrong.join('\n'));
    process.exit(1);
  }
  console.log(`casbin: ${checked} requests decided as rules.json says`);
})().catch((err) => {
  console.log(err);
  process.exit(1);
});
