/* highlight: the tokenizers of each language, escaping, and the property
 * that highlighting only adds spans (stripped of them and unescaped, the
 * output is the input, for any input). */
#include <string.h>

#include "highlight.h"
#include "test.h"

static char out_[8192];

/* The highlighted HTML of code in language name (NULL: none). */
static const char *hl(const char *name, const char *code) {
  const highlight_lang *l = name ? highlight_find(name, strlen(name)) : NULL;
  if (name && !l)
    return "(unknown language)";
  buf b = {0};
  highlight_html(&b, l, code, strlen(code));
  snprintf(out_, sizeof out_, "%s", b.data ? b.data : "");
  buf_free(&b);
  return out_;
}

#define S(kind, text) "<span class=\"tok-" kind "\">" text "</span>"

static void test_tables(void) { CHECK(highlight_tables_sorted()); }

static void test_find(void) {
  CHECK_STR(highlight_label(highlight_find("json", 4)), "JSON");
  CHECK_STR(highlight_label(highlight_find("JSON", 4)), "JSON");
  CHECK_STR(highlight_label(highlight_find("azurecli", 8)), "Azure CLI");
  CHECK_STR(highlight_label(highlight_find("azurepowershell", 15)), "Azure PowerShell");
  CHECK_STR(highlight_label(highlight_find("C#", 2)), "C#");
  CHECK_STR(highlight_label(highlight_find("yml", 3)), "YAML");
  CHECK_STR(highlight_label(highlight_find("jsonx", 4)), "JSON"); /* only len bytes count */
  CHECK(highlight_find("jsonx", 5) == NULL);
  CHECK(highlight_find("brainfuck", 9) == NULL);
  CHECK(highlight_find("", 0) == NULL);
  /* Known, but plain text: no label. */
  CHECK(highlight_find("text", 4) != NULL);
  CHECK(highlight_label(highlight_find("text", 4)) == NULL);
  CHECK(highlight_label(NULL) == NULL);
}

static void test_escaping(void) {
  CHECK_STR(hl(NULL, "a < b && c > \"d\" 'e'"),
            "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
  CHECK_STR(hl("output", "<b>&amp;</b>"), "&lt;b&gt;&amp;amp;&lt;/b&gt;");
  /* Inside a token too. */
  CHECK_STR(hl("json", "\"<&>\""), S("string", "&quot;&lt;&amp;&gt;&quot;"));
  CHECK_STR(hl(NULL, ""), "");
}

static void test_json(void) {
  CHECK_STR(hl("json", "{\"on\": true, \"n\": -1.5e3, \"s\": \"a\\\"b\", \"z\": null}"),
            "{" S("key", "&quot;on&quot;") ": " S("literal", "true") ", " S("key", "&quot;n&quot;")
            ": " S("number", "-1.5e3") ", " S("key", "&quot;s&quot;") ": "
            S("string", "&quot;a\\&quot;b&quot;") ", " S("key", "&quot;z&quot;") ": "
            S("literal", "null") "}");
  /* A key with the colon on the next line; comments (JSON with comments). */
  CHECK_STR(hl("json", "[\"a\"\n, \"b\"\n:1] // c"),
            "[" S("string", "&quot;a&quot;") "\n, " S("key", "&quot;b&quot;") "\n:" S("number", "1")
            "] " S("comment", "// c"));
  /* An unterminated string stops at the line end. */
  CHECK_STR(hl("json", "\"open\n1"), S("string", "&quot;open") "\n" S("number", "1"));
}

static void test_yaml(void) {
  CHECK_STR(hl("yaml", "name: Contoso # the partner\nenabled: true\nlimit: 10\n"),
            S("key", "name") ": " S("string", "Contoso") " " S("comment", "# the partner") "\n"
            S("key", "enabled") ": " S("literal", "true") "\n" S("key", "limit") ": " S("number", "10") "\n");
  CHECK_STR(hl("yaml", "---\n- id: 'it''s'\n  url: https://x.example/a#b\n"),
            S("meta", "---") "\n- " S("key", "id") ": " S("string", "&#39;it&#39;&#39;s&#39;") "\n  "
            S("key", "url") ": " S("string", "https://x.example/a#b") "\n");
  CHECK_STR(hl("yaml", "roles: [admin, sales]\nbase: &b {a: 1}\n"),
            S("key", "roles") ": [" S("string", "admin") ", " S("string", "sales") "]\n"
            S("key", "base") ": " S("meta", "&amp;b") " {" S("key", "a") ": " S("number", "1") "}\n");
  /* A block scalar: the deeper lines are its text, comments included. */
  CHECK_STR(hl("yaml", "run: |\n  echo hi # not a comment\n\n  done\nnext: x"),
            S("key", "run") ": |\n  " S("string", "echo hi # not a comment") "\n\n  " S("string", "done")
            "\n" S("key", "next") ": " S("string", "x"));
}

static void test_xml(void) {
  CHECK_STR(hl("xml", "<?xml version=\"1.0\"?>\n<a href='x' b=c>T &amp; <!-- c --></a>"),
            S("meta", "&lt;?xml version=&quot;1.0&quot;?&gt;") "\n" S("tag", "&lt;a") " " S("attr", "href")
            "=" S("string", "&#39;x&#39;") " " S("attr", "b") "=" S("string", "c") S("tag", "&gt;") "T "
            S("literal", "&amp;amp;") " " S("comment", "&lt;!-- c --&gt;") S("tag", "&lt;/a") S("tag", "&gt;"));
  CHECK_STR(hl("html", "<br/><p hidden>1 < 2</p>"),
            S("tag", "&lt;br") S("tag", "/&gt;") S("tag", "&lt;p") " " S("attr", "hidden") S("tag", "&gt;")
            "1 &lt; 2" S("tag", "&lt;/p") S("tag", "&gt;"));
}

static void test_bash(void) {
  CHECK_STR(hl("azurecli", "az group create --name \"my rg\" -l westus # make it\n"),
            S("command", "az") " group create " S("param", "--name") " " S("string", "&quot;my rg&quot;") " "
            S("param", "-l") " westus " S("comment", "# make it") "\n");
  CHECK_STR(hl("bash", "RG=$(az group show -n x) && echo ${RG} $1 2>&1 | grep a#b"),
            S("variable", "RG") "=$(" S("command", "az") " group show " S("param", "-n") " x) &amp;&amp; "
            S("command", "echo") " " S("variable", "${RG}") " " S("variable", "$1") " " S("number", "2") "&gt;&amp;" S("number", "1") " | "
            S("command", "grep") " a#b");
  CHECK_STR(hl("bash", "if [ -f x ]; then\n  cat x \\\n    y\nfi"),
            S("keyword", "if") " " S("command", "[") " " S("param", "-f") " x ]; " S("keyword", "then") "\n  "
            S("command", "cat") " x \\\n    y\n" S("keyword", "fi"));
}

static void test_bash_reserved_words(void) {
  /* Only where a command could start; "in" after for, case, select. */
  CHECK_STR(hl("bash", "for f in a b; do echo done in; done"),
            S("keyword", "for") " f " S("keyword", "in") " a b; " S("keyword", "do") " " S("command", "echo")
            " done in; " S("keyword", "done"));
  CHECK_STR(hl("sh", "case $x in\nesac; ls in"),
            S("keyword", "case") " " S("variable", "$x") " " S("keyword", "in") "\n" S("keyword", "esac") "; "
            S("command", "ls") " in");
}

static void test_powershell(void) {
  CHECK_STR(hl("powershell", "$rg = Get-AzResourceGroup -Name 'it''s' -ErrorAction Stop # find it"),
            S("variable", "$rg") " = " S("command", "Get-AzResourceGroup") " " S("param", "-Name") " "
            S("string", "&#39;it&#39;&#39;s&#39;") " " S("param", "-ErrorAction") " Stop "
            S("comment", "# find it"));
  CHECK_STR(hl("azurepowershell", "if ($env:X -eq $true) { Write-Output \"a`\"b\" }"),
            S("keyword", "if") " (" S("variable", "$env:X") " " S("keyword", "-eq") " " S("literal", "$true")
            ") { " S("command", "Write-Output") " " S("string", "&quot;a`&quot;b&quot;") " }");
  /* An argument with a dash is not a command; block comments and here-strings. */
  CHECK_STR(hl("ps", "New-Item -Name my-file <# c #>\n$t = @\"\nline \"q\"\n\"@"),
            S("command", "New-Item") " " S("param", "-Name") " my-file " S("comment", "&lt;# c #&gt;") "\n"
            S("variable", "$t") " = " S("string", "@&quot;\nline &quot;q&quot;\n&quot;@"));
}

static void test_sql(void) {
  CHECK_STR(hl("sql", "SELECT name FROM users WHERE id = @id AND note = N'it''s' -- c\n/* d */"),
            S("keyword", "SELECT") " name " S("keyword", "FROM") " users " S("keyword", "WHERE") " id = "
            S("variable", "@id") " " S("keyword", "AND") " note = " S("string", "N&#39;it&#39;&#39;s&#39;") " "
            S("comment", "-- c") "\n" S("comment", "/* d */"));
}

static void test_csharp(void) {
  CHECK_STR(hl("csharp", "#region A\nvar s = @\"a\"\"b\"; // c\nint n = 0x1F + 2.5m; bool t = true;"),
            S("meta", "#region A") "\n" S("keyword", "var") " s = " S("string", "@&quot;a&quot;&quot;b&quot;")
            "; " S("comment", "// c") "\n" S("keyword", "int") " n = " S("number", "0x1F") " + "
            S("number", "2.5m") "; " S("keyword", "bool") " t = " S("literal", "true") ";");
  CHECK_STR(hl("cs", "Console.WriteLine($\"Hi {name}\\n\"); char c = '\\'';"),
            "Console.WriteLine(" S("string", "$&quot;Hi {name}\\n&quot;") "); " S("keyword", "char")
            " c = " S("string", "&#39;\\&#39;&#39;") ";");
}

static void test_python(void) {
  CHECK_STR(hl("python", "@dataclass\ndef f(x=None):\n    return r\"\\d\" # c\n\"\"\"doc \"q\" \"\"\" "),
            S("meta", "@dataclass") "\n" S("keyword", "def") " f(x=" S("literal", "None") "):\n    "
            S("keyword", "return") " " S("string", "r&quot;\\d&quot;") " " S("comment", "# c") "\n"
            S("string", "&quot;&quot;&quot;doc &quot;q&quot; &quot;&quot;&quot;") " ");
  /* Identifiers that start like prefixes are identifiers. */
  CHECK_STR(hl("py", "bar = fr'x' if b else 1_000"),
            "bar = " S("string", "fr&#39;x&#39;") " " S("keyword", "if") " b " S("keyword", "else") " "
            S("number", "1_000"));
}

static void test_javascript(void) {
  CHECK_STR(hl("js", "const s = `a\n${b}`; let n = 'x\n'"),
            S("keyword", "const") " s = " S("string", "`a\n${b}`") "; " S("keyword", "let") " n = "
            S("string", "&#39;x") "\n" S("string", "&#39;"));
  CHECK_STR(hl("typescript", "interface P { id: string } // c"),
            S("keyword", "interface") " P { id: " S("keyword", "string") " } " S("comment", "// c"));
  /* UTF-8 names are one word. */
  CHECK_STR(hl("js", "const gr\xc3\xb6\xc3\x9f" "e = 1;"),
            S("keyword", "const") " gr\xc3\xb6\xc3\x9f" "e = " S("number", "1") ";");
}

/* Strip the spans and unescape: the input must come back, byte for byte. */
static char *plain(const char *html) {
  buf b = {0};
  for (const char *p = html; *p;) {
    if (!strncmp(p, "<span class=\"tok-", 17)) {
      p = strchr(p, '>') + 1;
    } else if (!strncmp(p, "</span>", 7)) {
      p += 7;
    } else if (*p == '<' || *p == '>' || *p == '"' || *p == '\'') {
      buf_puts(&b, "(raw special)");
      p++;
    } else if (*p == '&') {
      static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                           {"&quot;", "\""}, {"&#39;", "'"}};
      size_t k = 0;
      while (k < 5 && strncmp(p, ent[k][0], strlen(ent[k][0])))
        k++;
      if (k == 5) {
        buf_puts(&b, "(raw &)");
        p++;
      } else {
        buf_puts(&b, ent[k][1]);
        p += strlen(ent[k][0]);
      }
    } else {
      buf_putc(&b, *p++);
    }
  }
  return buf_detach(&b);
}

static void test_round_trip(void) {
  static const char *const names[] = {"json", "yaml", "xml", "bash", "powershell", "sql",
                                      "csharp", "python", "javascript", "typescript", "text"};
  static const char alphabet[] = "ab1_ \n\t\"'`$@#-:<>&/*!|{}[](),.=\\~%+?;\xc3\xa9\r";
  unsigned long seed = 12345;
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    for (int round = 0; round < 300; round++) {
      char code[200];
      size_t len = (size_t)(round % 120);
      for (size_t i = 0; i < len; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        code[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
      }
      code[len] = 0;
      const highlight_lang *l = highlight_find(names[k], strlen(names[k]));
      buf b = {0};
      highlight_html(&b, l, code, len);
      char *back = plain(b.data ? b.data : "");
      if (!CHECK_STR(back, code))
        fprintf(stderr, "    language %s, html: %s\n", names[k], b.data ? b.data : "");
      /* Spans are never nested or left open. */
      int depth = 0, worst = 0;
      for (const char *p = b.data ? b.data : ""; *p; p++) {
        if (!strncmp(p, "<span", 5))
          depth++;
        else if (!strncmp(p, "</span>", 7))
          depth--;
        if (depth > worst || depth < 0)
          worst = depth < 0 ? -1 : depth;
      }
      CHECK(depth == 0 && worst <= 1 && worst >= 0);
      free(back);
      buf_free(&b);
    }
  }
}

int main(void) {
  RUN(test_tables);
  RUN(test_find);
  RUN(test_escaping);
  RUN(test_json);
  RUN(test_yaml);
  RUN(test_xml);
  RUN(test_bash);
  RUN(test_bash_reserved_words);
  RUN(test_powershell);
  RUN(test_sql);
  RUN(test_csharp);
  RUN(test_python);
  RUN(test_javascript);
  RUN(test_round_trip);
  return test_done();
}
