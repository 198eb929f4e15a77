"""Assert what rules.json holds, and validate it against its JSON Schema with
an independent validator (python3-jsonschema, draft 2020-12).
usage: check_rules.py bundled|forms|unknown|sections|translation-only RULES.json SCHEMA.json [SITE_DIR]"""
import json
import sys

import jsonschema

case, rules_path, schema_path = sys.argv[1:4]
site = sys.argv[4] if len(sys.argv) > 4 else None
with open(rules_path, encoding="utf-8") as f:
    text = f.read()
doc = json.loads(text)
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(doc)

failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")


rules = {r["id"]: r for r in doc["rules"]}
roles = {r["id"]: r for r in doc["roles"]}
expect("rules sorted by id", [r["id"] for r in doc["rules"]], sorted(rules))
expect("roles sorted by id", [r["id"] for r in doc["roles"]], sorted(roles))
expect("schemaVersion", doc["schemaVersion"], 1)
expect("sourceLocale", doc["sourceLocale"], "en-us")


def rule(rid, **want):
    r = rules.get(rid)
    if r is None:
        failures.append(f"rule {rid} is missing")
        return
    for key, value in want.items():
        if key in ("article", "anchor", "line", "locales", "locale"):
            expect(f"{rid} source.{key}", r["source"].get(key), value)
        elif key == "readOnly":
            expect(f"{rid} readOnly", r.get("readOnly"), value)
        else:
            expect(f"{rid} {key}", r.get(key), value)


if case == "bundled":
    expect("locales", doc["locales"][:2], ["en-us", "de-de"])
    expect("admin-agent names", {k: roles["admin-agent"]["names"][k] for k in ("en-us", "de-de")},
           {"en-us": "Admin agent", "de-de": "Administrator-Agent"})
    expect("sales-agent de-de", roles["sales-agent"]["names"]["de-de"], "Vertriebsbeauftragter")
    expect("helpdesk-agent de-de", roles["helpdesk-agent"]["names"]["de-de"], "Helpdesk-Agent")
    expect("billing-admin de-de", roles["billing-admin"]["names"]["de-de"], "Abrechnungsadministrator")
    expect("global-admin de-de", roles["global-admin"]["names"]["de-de"], "Globaler Administrator")
    expect("owner de-de", roles["owner"]["names"]["de-de"], "Besitzer")
    expect("csp-partner kind", roles["csp-partner"]["kind"], "audience")
    cp = "customer-purchase.reservations"
    for action, event in (("enable", "Create Customer Purchase Permissions"),
                          ("disable", "Delete Customer Purchase Permissions")):
        rule(f"{cp}:{action}", kind="action", resource=cp, action=action, allow=["admin-agent"],
             default="off", audit=event, channels=["api", "dashboard"],
             requires=["cloud-plan-subscription", "customer-owner-role"],
             article="customer-purchase-permissions.md", anchor="permission-rules",
             locale="en-us", locales=["de-de", "en-us"])
    rule(f"{cp}:read", allow=["admin-agent", "helpdesk-agent", "sales-agent"],
         readOnly=["helpdesk-agent", "sales-agent"], derived="read-only", default="off")
    rule("activity-log.read:read", allow=["admin-agent", "helpdesk-agent", "sales-agent"],
         default="on", article="activity-log.md", anchor="who-can-read-the-activity-log")
    tasks = {
        "activity-log": ["admin-agent", "helpdesk-agent", "sales-agent"],
        "assign-owner-role": ["admin-agent"],
        "customer-purchase-permissions": ["admin-agent", "sales-agent"],
        "reservations/buy-reservations-for-customers": ["admin-agent", "sales-agent"],
        "reservations/help-customers-manage-reservations": ["admin-agent", "billing-admin"],
        "subscriptions/buy-cloud-plan": ["admin-agent", "sales-agent"],
        "subscriptions/check-subscription": ["admin-agent", "helpdesk-agent", "sales-agent"],
        "user-roles": ["global-admin"],
    }
    for art, allow in tasks.items():
        # The roles header follows the front matter (one key longer in the
        # article with zone pivots).
        rule(f"article/{art}:perform", kind="task", action="perform", allow=allow,
             article=art + ".md", locale="en-us",
             line=14 if art == "customer-purchase-permissions" else 13)
    # Only English has this article; every other one is stated in German too.
    rule("article/reservations/buy-reservations-for-customers:perform", locales=["en-us"])
    for art in ("activity-log", "customer-purchase-permissions", "user-roles"):
        if "de-de" not in rules[f"article/{art}:perform"]["source"]["locales"]:
            failures.append(f"article/{art}:perform is not stated in de-de")
    rule("article/index:audience", kind="audience", audience=["csp-customer", "csp-partner"])
    rule("article/customer-purchase-permissions:audience", audience=["csp-partner"])
    task_ids = sorted(r for r in rules if rules[r]["kind"] == "task")
    expect("task rules", task_ids, sorted(f"article/{a}:perform" for a in tasks))
    if site:
        # The policy tables show in both locales, with localized role names.
        # Actions, requirements and channels with the labels of policy_labels.
        for loc, label, names, terms in (
                ("en-us", "Allowed roles", ["Admin agent", "Sales agent", "Helpdesk agent"],
                 ['data-id="enable">Turn on<', 'data-id="api">Partner API<']),
                ("de-de", "Zulässige Rollen",
                 ["Administrator-Agent", "Vertriebsbeauftragter", "Helpdesk-Agent"],
                 ['data-id="enable">Aktivieren<', 'data-id="disable">Deaktivieren<',
                  'data-id="customer-owner-role">Ein Benutzer des Kunden mit der Rolle „Besitzer“<'])):
            with open(f"{site}/{loc}/customer-purchase-permissions.html", encoding="utf-8") as f:
                html = f.read()
            start = html.find('<div class="policy">')
            table = html[start:html.find("</div>", start)] if start >= 0 else ""
            if 'data-policy-id="customer-purchase.reservations"' not in table:
                failures.append(f"{loc}: no policy table")
            for s in [label] + terms + [f'data-role="{r}">{n}</span>' for r, n in
                                        zip(["admin-agent", "sales-agent", "helpdesk-agent"], names)]:
                if s not in table:
                    failures.append(f"{loc}: policy table lacks {s!r}")
elif case == "forms":
    expect("locales", doc["locales"], ["en-us", "de-de"])
    both = ["de-de", "en-us"]
    rule("article/colon-outside:perform", allow=["admin-agent", "sales-agent"], line=7,
         locales=both)
    rule("article/colon-inside:perform", allow=["admin-agent", "billing-admin"], line=7,
         locales=both)
    # The German Learn-style header (standalone line, then a list).
    rule("article/grant-permission:perform", allow=["admin-agent", "sales-agent"], line=13,
         anchor="let-customers-buy-services-themselves", locales=both)
    rule("article/grant-permission:audience", audience=["csp-customer", "csp-partner"], line=8,
         locales=both)
    rule("customer-permission.services:disable", allow=["admin-agent"],
         audit="Delete Customer Permissions", anchor="permission-rules", line=22, locales=both)
    rule("customer-permission.services:read", allow=["admin-agent", "helpdesk-agent",
                                                     "sales-agent"], locales=both)
    # Headers in code blocks and block quotes are not headers.
    expect("no global-admin or owner rule",
           [r for r in rules if {"global-admin", "owner"} & set(rules[r].get("allow", []))], [])
elif case == "unknown":
    # diag/unknown-role: names no glossary knows are kept under their slugs,
    # and the catalogue marks them unknown with the names as written.
    rule("article/a:perform", allow=["admin-agent", "auditor", "sales-agnt"], locales=["en-us"])
    rule("article/a:audience", audience=["csp-partner-companies"])
    rule("a.thing:enable", allow=["admin-agent"])
    expect("auditor", roles.get("auditor"),
           {"id": "auditor", "kind": "role", "unknown": True,
            "names": {"en-us": "Auditor", "de-de": "Auditor"}})
    expect("sales-agnt names", roles.get("sales-agnt", {}).get("names"), {"en-us": "Sales agnt"})
    expect("csp-partner-companies kind", roles.get("csp-partner-companies", {}).get("kind"),
           "audience")
    expect("known roles are not unknown", [r for r in ("admin-agent", "sales-agent")
                                           if roles[r].get("unknown")], [])
elif case == "sections":
    # diag/sections: one rule per section's header, scoped to its anchor
    # (slugged when the anchor is no id); the German headers take the ids of
    # the English ones in the same order.
    rule("article/orders:perform", allow=["admin-agent"], anchor="orders", line=7,
         locales=["de-de", "en-us"])
    rule("article/orders#refunds:perform", resource="article/orders#refunds",
         allow=["billing-admin"], anchor="refunds", line=11, locale="en-us",
         locales=["de-de", "en-us"])
    rule("article/orders#cafe-orders:perform", allow=["admin-agent", "sales-agent"],
         anchor="caf\u00e9-orders", line=15, locales=["en-us"])
elif case == "translation-only":
    # diag/translation-only: rules only translations state are no rules.
    expect("rules", sorted(rules), [])
else:
    failures.append(f"unknown case {case}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"{case}: rules.json valid against its schema; {len(rules)} rules as expected")
