// Enforce the Casbin export with node-casbin: for every rule of rules.json
// and every role of its catalogue, Casbin must decide as the rule says; a
// user assigned two roles with g lines may do what either may (and what
// folio itself answers, FOLIO.json from folio policy audit); a user with no
// role may do nothing.
// usage: node casbin_check.js DIR (model.conf, policy.csv) RULES.json [FOLIO.json]
'use strict';
const fs = require('fs');
const { newEnforcer } = require('casbin');

(async () => {
  const [dir, rulesPath, folioPath] = process.argv.slice(2);
  const doc = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));
  const e = await newEnforcer(`${dir}/model.conf`, `${dir}/policy.csv`);
  const roles = doc.roles.filter((r) => r.kind === 'role').map((r) => r.id);
  const rules = doc.rules.filter((r) => r.kind !== 'audience');
  let checked = 0;
  const wrong = [];
  const check = async (what, sub, rule, want) => {
    const got = await e.enforce(sub, rule.resource, rule.action);
    if (got !== want) wrong.push(`${what} ${rule.id}: casbin ${got}, expected ${want}`);
    checked++;
  };
  for (const rule of rules)
    for (const role of roles) await check(role, role, rule, rule.allow.includes(role));
  // Users get roles as model.conf documents it: g, user, role.
  const users = {};
  for (let i = 0; i < roles.length; i++)
    for (let j = i + 1; j < roles.length; j++) {
      const u = `user:${roles[i]}+${roles[j]}`;
      await e.addGroupingPolicy(u, roles[i]);
      await e.addGroupingPolicy(u, roles[j]);
      users[u] = [roles[i], roles[j]];
    }
  for (const rule of rules) {
    for (const [u, [a, b]] of Object.entries(users))
      await check(u, u, rule, rule.allow.includes(a) || rule.allow.includes(b));
    await check('user:nobody', 'user:nobody', rule, false);
  }
  // A few requests spelled out, as a reader would ask them.
  await e.addGroupingPolicy('alice', 'admin-agent');
  await e.addGroupingPolicy('alice', 'sales-agent');
  await e.addGroupingPolicy('bob', 'billing-admin');
  const spelled = [
    ['admin-agent', 'customer-purchase.reservations', 'enable', true],
    ['sales-agent', 'customer-purchase.reservations', 'enable', false],
    ['sales-agent', 'customer-purchase.reservations', 'read', true],
    ['billing-admin', 'customer-purchase.reservations', 'read', false],
    ['global-admin', 'article/user-roles', 'perform', true],
    ['alice', 'customer-purchase.reservations', 'enable', true],
    ['alice', 'customer-purchase.reservations', 'read', true],
    ['alice', 'article/reservations/help-customers-manage-reservations', 'perform', true],
    ['bob', 'customer-purchase.reservations', 'read', false],
    ['carol', 'customer-purchase.reservations', 'read', false],
  ];
  for (const [sub, obj, act, want] of spelled) {
    const got = await e.enforce(sub, obj, act);
    if (got !== want) wrong.push(`${sub} ${obj} ${act}: casbin ${got}, expected ${want}`);
    checked++;
  }
  if (folioPath) {
    const folio = JSON.parse(fs.readFileSync(folioPath, 'utf8'));
    let n = 0;
    for (const [key, want] of Object.entries(folio)) {
      const [who, id] = key.split('|');
      const rule = rules.find((r) => r.id === id);
      const got = (await e.enforce(`user:${who}`, rule.resource, rule.action)) ? 'allow' : 'deny';
      if (got !== want) wrong.push(`${who} ${id}: casbin ${got}, folio ${want}`);
      n++;
    }
    if (n < 100) wrong.push(`only ${n} folio answers compared`);
  }
  if (checked < 50) wrong.push(`only ${checked} requests checked`);
  if (wrong.length) {
    console.log(wrong.join('\n'));
    process.exit(1);
  }
  console.log(`casbin: ${checked} requests decided as rules.json says (roles, two-role users, no role, folio's answers)`);
})().catch((err) => {
  console.log(err);
  process.exit(1);
});
