/* folio policy: export the rules of a project (or of a rules.json) for other
 * tools, and the validators that CI and reviewers run against rules.json:
 * eval (may this role do this?), diff (what did a change widen?) and audit
 * (which activity-log entries did the rules not allow?). */
#include "cmd_policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "pipeline.h"
#include "report.h"
#include "policy.h"
#include "text.h"
#include "util.h"

static const char usage[] =
    "usage: folio policy export [-C DIR | --rules FILE] [--format FORMAT] [-o PATH]\n"
    "       folio policy eval --rules FILE --role ROLE [--role ROLE...] --action ACTION\n"
    "       folio policy diff OLD NEW [--fail-on-widen] [--format text|json]\n"
    "       folio policy audit --rules FILE LOG\n"
    "       folio policy glossary [-C DIR] [--locale L]\n"
    "\n"
    "export  the rules of the project in DIR (checked as `folio check` does) or of a\n"
    "        rules.json. FORMAT: json (rules.json, the default), csv, casbin\n"
    "        (-o DIR gets model.conf and policy.csv) or cedar (-o DIR gets\n"
    "        policies.cedar and folio.cedarschema). json and csv go to -o FILE or stdout.\n"
    "eval    may a user in ROLE (an id, or a role name in any locale; --role again for a\n"
    "        user in several roles: any of them is enough) do ACTION (a rule id\n"
    "        resource:action, an activity-log event name, or an action name that only\n"
    "        one rule has)? Prints the deciding rule, its conditions and where it is\n"
    "        stated. Exit 0 allow, 1 deny, 2 unknown role, unknown or ambiguous action.\n"
    "diff    what changed from OLD to NEW (two rules.json files): rules added and\n"
    "        removed, permissions widened and narrowed. With --fail-on-widen, exit 1\n"
    "        when a change grants more (a rule added, a role, a channel or an on\n"
    "        default added, a requirement dropped).\n"
    "audit   LOG is JSON Lines, one entry per line with \"role\" (or \"roles\": [...])\n"
    "        and \"action\" (a rule id or action name) or \"event\" (an activity-log event\n"
    "        name). Lists the entries the rules do not allow (exit 1) and those that\n"
    "        name an unknown role or an unknown or ambiguous action, in eval's words\n"
    "        (exit 2, as for invalid lines).\n"
    "glossary  for each translation locale (or L), the names its articles use where\n"
    "        the source article's role headers name a role, aligned position by\n"
    "        position, as YAML for locales/<locale>.yml with counts; conflicts flagged.\n"
    "\n"
    "Exit status 2: usage errors and unreadable or invalid files.\n";

static int usage_error(const char *msg, const char *arg) {
  return cli_usage_error(msg, arg, "folio policy --help");
}

/* Standard output with every write checked: the first failure is kept and
 * reported once, by out_close, and the command then exits 2 (a report that
 * did not reach its reader is no report). */
typedef struct {
  FILE *f;
  int err; /* errno of the first failed write; 0 while all went well */
} output;

static void out_printf(output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(output *o, const char *fmt, ...) {
  if (o->err)
    return;
  va_list ap;
  va_start(ap, fmt);
  errno = 0;
  if (vfprintf(o->f, fmt, ap) < 0)
    o->err = errno ? errno : EIO;
  va_end(ap);
}

static void out_puts(output *o, const char *s) { out_printf(o, "%s", s); }

/* rc, or 2 when some write failed (then said on stderr). */
static int out_close(output *o, int rc) {
  errno = 0;
  if (!o->err && fflush(o->f) == EOF)
    o->err = errno ? errno : EIO;
  if (!o->err && ferror(o->f))
    o->err = EIO;
  if (!o->err)
    return rc;
  fprintf(stderr, "folio policy: cannot write standard output: %s\n", strerror(o->err));
  return 2;
}

static void print_diags(diag_list *d) {
  diag_sort(d);
  report_print(stderr, d, REPORT_TEXT, isatty(2) && !getenv("NO_COLOR"));
}

static policy_set *load_rules(arena *a, const char *path) {
  diag_list d = {0};
  policy_set *s = policy_read_json(a, path, &d);
  print_diags(&d);
  diag_list_free(&d);
  return s;
}

static int write_out(const char *path, buf *b) {
  if (!path) {
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
      return -1;
    return fflush(stdout) == EOF ? -1 : 0;
  }
  return write_file(path, b->data ? b->data : "", b->len);
}

static int write_in_dir(const char *dir, const char *name, buf *b) {
  char *p = path_join(dir, name);
  int rc = write_file(p, b->data ? b->data : "", b->len);
  if (rc < 0)
    fprintf(stderr, "folio policy: cannot write %s: %s\n", p, strerror(errno));
  free(p);
  return rc;
}

/* ---- export ---- */

static int do_export(const policy_set *s, const char *format, const char *out) {
  buf a = {0}, b = {0};
  int rc = 0;
  const char *bad = NULL;
  bool ok = true;
  if (!strcmp(format, "json")) {
    ok = policy_write_json(s, &a);
  } else if (!strcmp(format, "csv")) {
    ok = policy_export_csv(s, &a, &bad);
  } else if (!strcmp(format, "casbin")) {
    policy_export_casbin_model(&a);
    ok = policy_export_casbin_policy(s, &b, &bad);
  } else {
    ok = policy_export_cedar_policies(s, &a, &bad) && policy_export_cedar_schema(s, &b, &bad);
  }
  if (!ok) {
    /* Nothing is written: half an export is worse than none. */
    arena *tmp = arena_new();
    fprintf(stderr, "folio policy: the %s export cannot carry '%s' (%s)\n", format,
            bad ? text_for_display(tmp, bad, 120) : "?",
            !strcmp(format, "casbin") ? "a line break, a parenthesis or text that is not UTF-8"
                                      : "text that is not UTF-8");
    arena_free(tmp);
    rc = 2;
  } else if (!strcmp(format, "json") || !strcmp(format, "csv")) {
    if (write_out(out, &a) < 0) {
      fprintf(stderr, "folio policy: cannot write %s: %s\n", out ? out : "standard output",
              strerror(errno));
      rc = 2;
    }
  } else {
    bool casbin = !strcmp(format, "casbin");
    if (mkdir_p(out) < 0) {
      fprintf(stderr, "folio policy: cannot create %s: %s\n", out, strerror(errno));
      rc = 2;
    } else if (write_in_dir(out, casbin ? "model.conf" : "policies.cedar", &a) < 0 ||
               write_in_dir(out, casbin ? "policy.csv" : "folio.cedarschema", &b) < 0) {
      rc = 2;
    }
  }
  buf_free(&a);
  buf_free(&b);
  return rc;
}

static int cmd_export(int argc, char **argv) {
  const char *root = NULL, *rules = NULL, *format = "json", *out = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool next = i + 1 < argc;
    if (!strcmp(a, "-C") && next)
      root = argv[++i];
    else if (!strcmp(a, "--rules") && next)
      rules = argv[++i];
    else if (!strcmp(a, "--format") && next)
      format = argv[++i];
    else if (!strcmp(a, "-o") && next)
      out = argv[++i];
    else
      return usage_error(a[0] == '-' ? "unknown option (or missing value):" : "unexpected argument",
                         a);
  }
  if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "casbin") &&
      strcmp(format, "cedar"))
    return usage_error("unknown export format", format);
  if ((!strcmp(format, "casbin") || !strcmp(format, "cedar")) && !out)
    return usage_error("this format writes two files: name a folder with -o DIR for", format);
  if (root && rules)
    return usage_error("give either -C DIR or --rules FILE, not both", NULL);
  if (rules) {
    arena *a = arena_new();
    policy_set *s = load_rules(a, rules);
    int rc = s ? do_export(s, format, out) : 2;
    arena_free(a);
    return rc;
  }
  /* Check the project as `folio check` does, without writing the site. */
  pipeline_options opt = {.root = root ? root : ".", .quiet = true};
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, PIPELINE_CHECK);
  diag_list shown = {0};
  for (size_t i = 0; i < b.diags.count; i++)
    if (b.diags.items[i].sev != SEV_INFO)
      diag_add(&shown, b.diags.items[i].file, b.diags.items[i].line, b.diags.items[i].col,
               b.diags.items[i].sev, b.diags.items[i].code, "%s", b.diags.items[i].message);
  print_diags(&shown);
  diag_list_free(&shown);
  int rc = (int)st;
  if (st == PIPELINE_OK && b.rules)
    rc = do_export(b.rules, format, out);
  else if (st == PIPELINE_OK)
    rc = 1;
  pipeline_free(&b);
  return rc;
}

/* ---- eval ---- */

static void print_source(output *o, const policy_rule *r) {
  out_printf(o, "  source: %s%s%s, line %d (%s)", r->article ? r->article : "?",
             r->anchor && *r->anchor ? "#" : "", r->anchor ? r->anchor : "", r->line,
             r->locale ? r->locale : "?");
  if (r->locales.count) {
    out_puts(o, "; stated in");
    for (size_t i = 0; i < r->locales.count; i++)
      out_printf(o, "%s %s", i ? "," : "", r->locales.items[i]);
  }
  out_puts(o, "\n");
}

static void print_list(output *o, const char *label, const strlist *l) {
  out_printf(o, "  %s:", label);
  if (!l->count)
    out_puts(o, " (none)");
  for (size_t i = 0; i < l->count; i++)
    out_printf(o, "%s %s", i ? "," : "", l->items[i]);
  out_puts(o, "\n");
}

static int cmd_eval(int argc, char **argv) {
  const char *rules = NULL, *action = NULL;
  const char **roles = xcalloc((size_t)argc + 1, sizeof *roles);
  size_t nroles = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool next = i + 1 < argc;
    if (!strcmp(a, "--rules") && next)
      rules = argv[++i];
    else if (!strcmp(a, "--role") && next)
      roles[nroles++] = argv[++i];
    else if (!strcmp(a, "--action") && next)
      action = argv[++i];
    else {
      free(roles);
      return usage_error(a[0] == '-' ? "unknown option (or missing value):" : "unexpected argument",
                         a);
    }
  }
  if (!rules || !nroles || !action) {
    free(roles);
    return usage_error("eval needs --rules, --role and --action", NULL);
  }
  arena *a = arena_new();
  policy_set *s = load_rules(a, rules);
  if (!s) {
    free(roles);
    arena_free(a);
    return 2;
  }
  int rc;
  policy_answer ans = policy_ask(s, a, roles, nroles, action);
  if (ans.error) {
    /* The same words as audit's for the same question. */
    fprintf(stderr, "folio policy: %s\n", ans.error);
    rc = 2;
  } else {
    const policy_rule *r = ans.rule;
    output o = {stdout, 0};
    if (ans.decision == POLICY_ALLOW) {
      out_printf(&o, "allow: %s may %s\n  rule: %s\n", ans.role, r->id, r->id);
      rc = 0;
    } else {
      buf who = {0};
      for (size_t i = 0; i < nroles; i++)
        buf_printf(&who, "%s%s", i ? ", " : "", policy_role_id(s, roles[i]));
      out_printf(&o, "deny: %s may not %s\n  rule: %s\n", buf_cstr(&who), r->id, r->id);
      buf_free(&who);
      rc = 1;
    }
    print_list(&o, "allowed roles", &r->allow);
    if (r->read_only.count)
      print_list(&o, "read-only roles", &r->read_only);
    if (r->requires.count)
      print_list(&o, "requires", &r->requires);
    if (r->channels.count)
      print_list(&o, "channels", &r->channels);
    if (r->deflt)
      out_printf(&o, "  default: %s\n", r->deflt);
    if (r->audit)
      out_printf(&o, "  audit event: %s\n", r->audit);
    print_source(&o, r);
    rc = out_close(&o, rc);
  }
  free(roles);
  arena_free(a);
  return rc;
}

/* ---- diff ---- */

typedef struct {
  buf text, json;
  size_t added, removed, widened, narrowed, changed;
} diff_out;

static void change(diff_out *o, const char *kind, const policy_rule *r, const char *detail) {
  buf_printf(&o->text, "%-9s %s", kind, r->id);
  if (detail && *detail)
    buf_printf(&o->text, "  %s", detail);
  buf_putc(&o->text, '\n');
  buf_puts(&o->json, o->json.len ? ",\n  {\"change\": " : "[\n  {\"change\": ");
  json_put_string(&o->json, kind, strlen(kind));
  buf_puts(&o->json, ", \"rule\": ");
  json_put_string(&o->json, r->id, strlen(r->id));
  buf_puts(&o->json, ", \"detail\": ");
  json_put_string(&o->json, detail ? detail : "", detail ? strlen(detail) : 0);
  buf_puts(&o->json, ", \"article\": ");
  json_put_string(&o->json, r->article ? r->article : "", r->article ? strlen(r->article) : 0);
  buf_printf(&o->json, ", \"line\": %d}", r->line);
}

static int cmp_item(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted copy of l, for a merge walk: comparing two lists of n roles
 * costs n log n, not n * n (a rules.json may be made to be slow). */
static const char **sorted(const strlist *l) {
  const char **c = xcalloc(l->count + 1, sizeof *c);
  if (l->count)
    memcpy(c, l->items, l->count * sizeof *c);
  qsort(c, l->count, sizeof *c, cmp_item);
  return c;
}

static void list_changes(diff_out *o, const policy_rule *r, const char *what, const strlist *old,
                         const strlist *new_, bool more_is_wider) {
  buf plus = {0}, minus = {0};
  const char **a = sorted(old), **b = sorted(new_);
  size_t i = 0, j = 0;
  while (i < old->count || j < new_->count) {
    int c = i == old->count ? 1 : j == new_->count ? -1 : strcmp(a[i], b[j]);
    if (c < 0)
      buf_printf(&minus, "%s%s", minus.len ? ", " : "", a[i++]);
    else if (c > 0)
      buf_printf(&plus, "%s%s", plus.len ? ", " : "", b[j++]);
    else
      i++, j++;
  }
  free(a);
  free(b);
  buf detail = {0};
  if (plus.len) {
    buf_printf(&detail, "+%s %s", what, buf_cstr(&plus));
    change(o, more_is_wider ? "widened" : "narrowed", r, buf_cstr(&detail));
    *(more_is_wider ? &o->widened : &o->narrowed) += 1;
  }
  if (minus.len) {
    detail.len = 0;
    buf_printf(&detail, "-%s %s", what, buf_cstr(&minus));
    change(o, more_is_wider ? "narrowed" : "widened", r, buf_cstr(&detail));
    *(more_is_wider ? &o->narrowed : &o->widened) += 1;
  }
  buf_free(&detail);
  buf_free(&plus);
  buf_free(&minus);
}

static void join(buf *b, const strlist *l) {
  for (size_t i = 0; i < l->count; i++)
    buf_printf(b, "%s%s", i ? ", " : "", l->items[i]);
}

static void diff_rules(diff_out *o, const policy_set *old, const policy_set *new_) {
  size_t i = 0, j = 0;
  while (i < old->nrules || j < new_->nrules) {
    int c = i == old->nrules   ? 1
            : j == new_->nrules ? -1
                                : strcmp(old->rules[i].id, new_->rules[j].id);
    if (c < 0) {
      buf d = {0};
      buf_puts(&d, "was: ");
      join(&d, &old->rules[i].allow);
      change(o, "removed", &old->rules[i], buf_cstr(&d));
      buf_free(&d);
      o->removed++;
      i++;
      continue;
    }
    if (c > 0) {
      buf d = {0};
      buf_puts(&d, new_->rules[j].kind == RULE_AUDIENCE ? "audience: " : "allow: ");
      join(&d, &new_->rules[j].allow);
      change(o, "added", &new_->rules[j], buf_cstr(&d));
      buf_free(&d);
      o->added++;
      j++;
      continue;
    }
    const policy_rule *a = &old->rules[i], *b = &new_->rules[j];
    if (b->kind == RULE_AUDIENCE) {
      buf d = {0};
      list_changes(o, b, "audience", &a->allow, &b->allow, true);
      buf_free(&d);
    } else {
      list_changes(o, b, "role", &a->allow, &b->allow, true);
      list_changes(o, b, "channel", &a->channels, &b->channels, true);
      list_changes(o, b, "requirement", &a->requires, &b->requires, false);
      const char *da = a->deflt ? a->deflt : "unset", *db = b->deflt ? b->deflt : "unset";
      if (strcmp(da, db)) {
        char detail[64];
        snprintf(detail, sizeof detail, "default %s -> %s", da, db);
        bool wider = !strcmp(db, "on");
        change(o, wider ? "widened" : "narrowed", b, detail);
        *(wider ? &o->widened : &o->narrowed) += 1;
      }
      const char *ea = a->audit ? a->audit : "", *eb = b->audit ? b->audit : "";
      if (strcmp(ea, eb)) {
        buf d = {0};
        buf_printf(&d, "audit event '%s' -> '%s'", ea, eb);
        change(o, "changed", b, buf_cstr(&d));
        buf_free(&d);
        o->changed++;
      }
    }
    i++;
    j++;
  }
}

static int cmd_diff(int argc, char **argv) {
  const char *files[2] = {NULL, NULL};
  size_t nfiles = 0;
  bool fail_on_widen = false, json = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--fail-on-widen")) {
      fail_on_widen = true;
    } else if (!strcmp(a, "--format") && i + 1 < argc) {
      const char *f = argv[++i];
      if (strcmp(f, "text") && strcmp(f, "json"))
        return usage_error("diff prints text or json, not", f);
      json = !strcmp(f, "json");
    } else if (a[0] == '-' && a[1]) {
      return usage_error("unknown option (or missing value):", a);
    } else if (nfiles < 2) {
      files[nfiles++] = a;
    } else {
      return usage_error("diff compares two files; unexpected", a);
    }
  }
  if (nfiles != 2)
    return usage_error("diff needs OLD and NEW rules files", NULL);
  arena *mem = arena_new();
  policy_set *old = load_rules(mem, files[0]);
  policy_set *new_ = old ? load_rules(mem, files[1]) : NULL;
  if (!old || !new_) {
    arena_free(mem);
    return 2;
  }
  diff_out o = {0};
  diff_rules(&o, old, new_);
  output out = {stdout, 0};
  if (json) {
    out_puts(&out, o.json.len ? buf_cstr(&o.json) : "[");
    out_puts(&out, o.json.len ? "\n]\n" : "]\n");
  } else {
    if (o.text.len)
      out_puts(&out, buf_cstr(&o.text));
    out_printf(&out, "%zu added, %zu removed, %zu widened, %zu narrowed, %zu changed\n", o.added,
               o.removed, o.widened, o.narrowed, o.changed);
  }
  int rc = fail_on_widen && (o.added || o.widened) ? 1 : 0;
  if (rc)
    fprintf(stderr, "folio policy: the new rules grant more than the old (--fail-on-widen)\n");
  rc = out_close(&out, rc);
  buf_free(&o.text);
  buf_free(&o.json);
  arena_free(mem);
  return rc;
}

/* ---- audit ---- */

/* The next line of f into line, without its newline, keeping at most max+1
 * bytes of it (a longer line is then seen as too long, and the rest of it
 * is read past, not kept). Returns 1 for a line, 0 at the end, -1 when
 * reading failed. Reading a line at a time keeps a large log out of
 * memory. */
static int next_line(FILE *f, buf *line, size_t max) {
  line->len = 0;
  bool any = false;
  int c;
  while ((c = getc(f)) != EOF) {
    any = true;
    if (c == '\n')
      return 1;
    if (line->len <= max)
      buf_putc(line, (char)c);
  }
  if (ferror(f))
    return -1;
  return any ? 1 : 0;
}

static int cmd_audit(int argc, char **argv) {
  const char *rules = NULL, *log = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--rules") && i + 1 < argc)
      rules = argv[++i];
    else if (a[0] == '-' && a[1])
      return usage_error("unknown option (or missing value):", a);
    else if (!log)
      log = a;
    else
      return usage_error("audit reads one log; unexpected", a);
  }
  if (!rules || !log)
    return usage_error("audit needs --rules FILE and a LOG", NULL);
  arena *mem = arena_new();
  policy_set *s = load_rules(mem, rules);
  FILE *f = s ? fopen(log, "rb") : NULL;
  if (s && !f)
    fprintf(stderr, "folio policy: cannot read %s: %s\n", log, strerror(errno));
  if (!f) {
    arena_free(mem);
    return 2;
  }
  size_t entries = 0, denied = 0, unknown = 0, invalid = 0;
  long lineno = 0;
  buf line = {0};
  arena *tmp = arena_new();
  int got = 0;
  output out = {stdout, 0};
  /* Stop at the first failed write: the rest could not be reported. */
  while (!out.err && (got = next_line(f, &line, POLICY_AUDIT_MAX_LINE)) > 0) {
    lineno++;
    arena_reset(tmp);
    policy_audit_entry e;
    const char *why;
    int col;
    int kind = policy_audit_line(tmp, line.data ? line.data : "", line.len, &e, &why, &col);
    if (kind == 0)
      continue;
    entries++;
    if (kind < 0) {
      if (col > 0)
        out_printf(&out, "%s:%ld:%d: invalid: %s\n", log, lineno, col, why);
      else
        out_printf(&out, "%s:%ld: invalid: %s\n", log, lineno, why);
      invalid++;
      continue;
    }
    policy_answer ans = policy_ask(s, tmp, e.roles.items, e.roles.count, e.action);
    if (ans.error) {
      /* The same words as eval's for the same question. */
      out_printf(&out, "%s:%ld: %s\n", log, lineno, ans.error);
      unknown++;
      continue;
    }
    if (ans.decision == POLICY_ALLOW)
      continue;
    /* Roles and actions come from the log: escaped before a terminal sees
     * them. */
    buf who = {0};
    for (size_t i = 0; i < e.roles.count; i++)
      buf_printf(&who, "%s%s", i ? ", " : "", text_for_display(tmp, e.roles.items[i], 120));
    const char *action = text_for_display(tmp, e.action, 120);
    const policy_rule *deciding = ans.rule;
    buf allowed = {0};
    join(&allowed, &deciding->allow);
    out_printf(&out, "%s:%ld: denied: %s may not %s (rule %s allows %s; %s%s%s, line %d)\n", log,
               lineno, buf_cstr(&who), action, deciding->id,
               allowed.len ? buf_cstr(&allowed) : "no role", deciding->article,
               *deciding->anchor ? "#" : "", deciding->anchor, deciding->line);
    buf_free(&allowed);
    denied++;
    buf_free(&who);
  }
  int read_err = got < 0 ? errno : 0;
  int rc = out_close(&out, invalid || unknown ? 2 : denied ? 1 : 0);
  if (read_err) {
    fprintf(stderr, "folio policy: cannot read %s: %s\n", log, strerror(read_err));
    rc = 2;
  }
  fclose(f);
  buf_free(&line);
  arena_free(tmp);
  fprintf(stderr, "folio policy: %s: %zu allowed, %zu not allowed, %zu unknown, %zu invalid\n",
          cli_count(entries, "entry", "entries").s, entries - denied - unknown - invalid, denied,
          unknown, invalid);
  arena_free(mem);
  return rc;
}

/* ---- glossary ---- */

static int cmd_glossary(int argc, char **argv) {
  const char *root = ".", *want = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool next = i + 1 < argc;
    if (!strcmp(a, "-C") && next)
      root = argv[++i];
    else if (!strcmp(a, "--locale") && next)
      want = argv[++i];
    else
      return usage_error(a[0] == '-' ? "unknown option (or missing value):" : "unexpected argument",
                         a);
  }
  pipeline_options opt = {.root = root, .quiet = true};
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, PIPELINE_CHECK);
  if (st == PIPELINE_IO_ERROR || !b.policy) {
    print_diags(&b.diags);
    pipeline_free(&b);
    return 2;
  }
  int rc = 0;
  size_t found = 0;
  buf y = {0};
  for (size_t l = 1; l < b.cfg.nlocales; l++) {
    if (want && strcmp(want, b.cfg.locales[l]))
      continue;
    if (found++)
      buf_puts(&y, "---\n");
    policy_glossary(b.policy, &b.cfg, &b.content, (int)l, &y);
  }
  if (want && !found)
    rc = usage_error("not a translation locale of the project:", want);
  else {
    output o = {stdout, 0};
    out_puts(&o, buf_cstr(&y));
    rc = out_close(&o, 0);
  }
  buf_free(&y);
  pipeline_free(&b);
  return rc;
}

int cmd_policy(int argc, char **argv) {
  if (argc < 2)
    return usage_error("which policy command? (export, eval, diff, audit, glossary)", NULL);
  const char *sub = argv[1];
  bool help = !strcmp(sub, "-h") || !strcmp(sub, "--help");
  for (int i = 2; i < argc; i++)
    help = help || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help");
  if (help) {
    output o = {stdout, 0};
    out_puts(&o, usage);
    return out_close(&o, 0);
  }
  if (!strcmp(sub, "export"))
    return cmd_export(argc - 1, argv + 1);
  if (!strcmp(sub, "eval"))
    return cmd_eval(argc - 1, argv + 1);
  if (!strcmp(sub, "diff"))
    return cmd_diff(argc - 1, argv + 1);
  if (!strcmp(sub, "audit"))
    return cmd_audit(argc - 1, argv + 1);
  if (!strcmp(sub, "glossary"))
    return cmd_glossary(argc - 1, argv + 1);
  return usage_error("unknown policy command", sub);
}
