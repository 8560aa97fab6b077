/*
 * nw2md -- noweb pipeline backend that writes Pandoc Markdown.
 *
 * Usage:
 *   markup FILES | autodefs.c | finduses -noquote | noidx | nw2md > book.md
 *
 * Documentation chunks are copied verbatim (they are Markdown already);
 * [[quoted code]] becomes an inline code span.  Each code chunk becomes
 *
 *   ::: {#LABEL .nwchunk}
 *   [...header...]{.nwhdr} [◁ 3](#PREV) [▷ 9](#NEXT)
 *
 *   ~~~ {.nwcode}
 *   <one token per line, see below>
 *   ~~~
 *
 *   [Used in [7](#L7).]{.nwfoot}
 *   :::
 *
 * The .nwcode block is not meant to be read by people: tools/book.lua turns
 * it into highlighted, hyperlinked HTML/EPUB (Pandoc AST) or LaTeX.  Each
 * line of it is one token; the first character says what it is:
 *
 *   n                      end of a code line
 *   pTEXT                  plain text
 *   kTEXT tTEXT cTEXT sTEXT dTEXT rTEXT
 *                          keyword, type, comment, string/char literal,
 *                          number/constant, preprocessor directive
 *   I<c>LABEL TEXT         use of an indexed identifier (class <c>, one of
 *                          p k t c s d r), linking to chunk LABEL
 *   D<c>LABEL TEXT         defining occurrence of an indexed identifier
 *   ULABEL NUM NAME        use of chunk NAME whose first definition is
 *                          LABEL, chunk number NUM (LABEL "-" if undefined)
 *
 * At the end come "# Index of chunks {-}" and "# Index of identifiers {-}".
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -Werror -o nw2md nw2md.c
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ utilities */

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("nw2md: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

#define PUSH(arr, n, cap, val)                                           \
    do {                                                                 \
        if ((n) == (cap)) {                                              \
            (cap) = (cap) ? 2 * (cap) : 16;                              \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));              \
        }                                                                \
        (arr)[(n)++] = (val);                                            \
    } while (0)

static int startswith(const char *s, const char *pre)
{
    return strncmp(s, pre, strlen(pre)) == 0;
}

/* string -> int hash table (keys are not copied; they live in the input) */
struct hent { const char *key; int val; struct hent *next; };
struct htab { struct hent **b; size_t nb; };

static unsigned long hstr(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static void hinit(struct htab *t, size_t nb)
{
    t->nb = nb;
    t->b = xrealloc(NULL, nb * sizeof *t->b);
    memset(t->b, 0, nb * sizeof *t->b);
}

static int hget(const struct htab *t, const char *k, int dflt)
{
    for (struct hent *e = t->b[hstr(k) % t->nb]; e; e = e->next)
        if (strcmp(e->key, k) == 0)
            return e->val;
    return dflt;
}

/* insert if absent */
static void hadd(struct htab *t, const char *k, int v)
{
    size_t i = hstr(k) % t->nb;
    for (struct hent *e = t->b[i]; e; e = e->next)
        if (strcmp(e->key, k) == 0)
            return;
    struct hent *e = xrealloc(NULL, sizeof *e);
    e->key = k;
    e->val = v;
    e->next = t->b[i];
    t->b[i] = e;
}

/* -------------------------------------------------------------- output */

static int out_nl = 2; /* number of newlines that end the output so far */

static int to_docs; /* out() collects docs text, see flush_docs() */
static void dbuf_add(const char *s, size_t n);

static void out(const char *s, size_t n)
{
    if (!n)
        return;
    if (to_docs) {
        dbuf_add(s, n);
        return;
    }
    fwrite(s, 1, n, stdout);
    size_t k = 0;
    while (k < n && s[n - 1 - k] == '\n')
        k++;
    out_nl = (k == n) ? out_nl + (int)k : (int)k;
}

static void outs(const char *s) { out(s, strlen(s)); }

static void outc(int c)
{
    char ch = (char)c;
    out(&ch, 1);
}

/* make sure we are at the start of a fresh Markdown block */
static void blankline(void)
{
    while (out_nl < 2)
        outc('\n');
}

/* inline code span for the n bytes at s */
static void out_code_span(const char *s, size_t n)
{
    size_t run = 0, maxrun = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '`') {
            if (++run > maxrun)
                maxrun = run;
        } else
            run = 0;
    }
    int pad = n > 0 && (s[0] == '`' || s[n - 1] == '`' || s[0] == ' ');
    for (size_t i = 0; i <= maxrun; i++)
        outc('`');
    if (pad)
        outc(' ');
    for (size_t i = 0; i < n; i++)
        outc(s[i] == '\n' ? ' ' : s[i]);
    if (pad)
        outc(' ');
    for (size_t i = 0; i <= maxrun; i++)
        outc('`');
}

/* Markdown for literal text: every ASCII punctuation character escaped */
static void out_md_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 128 && ispunct(c))
            outc('\\');
        outc(c);
    }
}

/* Markdown for a chunk name: literal text, [[code]] as code spans */
static void out_md_name(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        const char *q = strstr(s + i, "[[");
        if (!q) {
            out_md_text(s + i, n - i);
            return;
        }
        const char *e = strstr(q + 2, "]]");
        if (!e) {
            out_md_text(s + i, n - i);
            return;
        }
        while (e[2] == ']') /* noweb: the last ]] of a run of ]s */
            e++;
        out_md_text(s + i, (size_t)(q - (s + i)));
        out_code_span(q + 2, (size_t)(e - (q + 2)));
        i = (size_t)(e + 2 - s);
    }
}

/* link title: backslash-escape quotes and backslashes */
static void out_title(const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            outc('\\');
        outc(*s);
    }
}

/* ------------------------------------------------------------- input */

static char **lines;
static size_t nlines;

static void read_input(void)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = xrealloc(NULL, cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
        len += r;
        if (cap - len < 2) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    buf[len] = '\0';
    size_t lcap = 0;
    char *p = buf;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        size_t ll = strlen(p);
        if (ll && p[ll - 1] == '\r') /* CRLF input */
            p[ll - 1] = '\0';
        PUSH(lines, nlines, lcap, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* -------------------------------------------------------------- chunks */

struct chunk {
    const char *label;
    const char *name;
    const char *prev, *next;
    const char *file; /* the .nw file it is defined in */
    int nonempty;     /* it holds code (not only blank lines) */
    int notused;
    const char **uses; /* labels of chunks using this one */
    size_t nuses, capuses;
};

static struct chunk *chunks;
static size_t nchunks, capchunks;
static struct htab label2chunk; /* chunk label -> index */
static struct htab name2first;  /* chunk name  -> index of first def */

static void scan_chunks(void)
{
    int in_code = 0, in_hdr = 0;
    struct chunk *c = NULL;
    const char *file = "";
    for (size_t i = 0; i < nlines; i++) {
        const char *l = lines[i];
        if (startswith(l, "@file "))
            file = l + 6;
        if (startswith(l, "@begin code ")) {
            struct chunk z;
            memset(&z, 0, sizeof z);
            z.label = z.name = "";
            z.file = file;
            PUSH(chunks, nchunks, capchunks, z);
            c = &chunks[nchunks - 1];
            in_code = 1;
            in_hdr = 1;
        } else if (startswith(l, "@end code ")) {
            in_code = 0;
        } else if (!in_code) {
            continue;
        } else if (startswith(l, "@xref label ") && !*c->label) {
            c->label = l + 12;
            hadd(&label2chunk, c->label, (int)(nchunks - 1));
        } else if (startswith(l, "@defn ")) {
            c->name = l + 6;
            hadd(&name2first, c->name, (int)(nchunks - 1));
        } else if (startswith(l, "@nl")) {
            in_hdr = 0;
        } else if (!in_hdr && (startswith(l, "@use ") ||
                               (startswith(l, "@text ") &&
                                strspn(l + 6, " \t") != strlen(l + 6)))) {
            c->nonempty = 1;
        } else if (in_hdr) {
            if (startswith(l, "@xref prevdef "))
                c->prev = l + 14;
            else if (startswith(l, "@xref nextdef "))
                c->next = l + 14;
            else if (startswith(l, "@xref notused "))
                c->notused = 1;
            else if (startswith(l, "@xref useitem "))
                PUSH(c->uses, c->nuses, c->capuses, l + 14);
        }
    }
}

/* a root chunk: no space, and a '/' or '.' in the name */
static int is_root_name(const char *n)
{
    return !strchr(n, ' ') && (strchr(n, '/') || strchr(n, '.'));
}

/* [N](#LABEL "name") */
static void out_chunk_link(const char *label, const char *text)
{
    int k = hget(&label2chunk, label, -1);
    outs("[");
    if (text)
        outs(text);
    if (k >= 0) {
        char num[32];
        snprintf(num, sizeof num, "%d", k + 1);
        outs(num);
    } else
        outs("?");
    outs("](#");
    outs(label);
    if (k >= 0) {
        outs(" \"");
        out_title(chunks[k].name);
        outs("\"");
    }
    outs(")");
}

/* ------------------------------------------------------- C highlighting */

static const char *const c_keywords[] = {
    "auto", "break", "case", "const", "continue", "default", "do", "else",
    "enum", "extern", "for", "goto", "if", "inline", "register", "restrict",
    "return", "sizeof", "static", "struct", "switch", "typedef", "union",
    "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Generic",
    "_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof",
    "static_assert", "noreturn", "asm", "__attribute__", "typeof",
    "__typeof__", "__asm__", "__inline__", "__restrict", NULL};

static const char *const c_types[] = {
    "void", "char", "short", "int", "long", "float", "double", "signed",
    "unsigned", "_Bool", "bool", "_Complex", "FILE", "va_list", NULL};

static const char *const c_consts[] = {
    "NULL", "true", "false", "EOF", "__FILE__", "__LINE__", "__func__",
    "stdin", "stdout", "stderr", NULL};

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return 1;
    return 0;
}

static char classify_word(const char *s, size_t n)
{
    if (in_list(c_keywords, s, n))
        return 'k';
    if (in_list(c_types, s, n))
        return 't';
    if (n > 2 && s[n - 2] == '_' && s[n - 1] == 't')
        return 't';
    if (in_list(c_consts, s, n))
        return 'd';
    return 'p';
}

enum { S_NORMAL, S_BCOMMENT, S_LCOMMENT, S_STRING, S_CHAR };

struct lexer {
    int st;
    int linestart; /* only blanks so far on this line */
    int include;   /* after #include: <...> is a string */
};

/* pending token, merged with following text of the same class */
static char tokcls;
static char *tokbuf;
static size_t toklen, tokcap;

static void tok_flush(void)
{
    if (toklen) {
        outc(tokcls);
        out(tokbuf, toklen);
        outc('\n');
    }
    toklen = 0;
}

static void tok(char cls, const char *s, size_t n)
{
    if (!n)
        return;
    if (cls != tokcls)
        tok_flush();
    tokcls = cls;
    if (toklen + n > tokcap) {
        tokcap = 2 * (toklen + n);
        tokbuf = xrealloc(tokbuf, tokcap);
    }
    memcpy(tokbuf + toklen, s, n);
    toklen += n;
}

static int isid0(int c) { return isalpha(c) || c == '_'; }
static int isid(int c) { return isalnum(c) || c == '_'; }

/* class of an identifier occurring in the current lexer state */
static char ident_class(const struct lexer *lx, const char *s, size_t n)
{
    switch (lx->st) {
    case S_BCOMMENT:
    case S_LCOMMENT:
        return 'c';
    case S_STRING:
    case S_CHAR:
        return 's';
    default:
        return classify_word(s, n);
    }
}

static void lex_run(struct lexer *lx, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t j;
        switch (lx->st) {
        case S_BCOMMENT:
            for (j = i; j + 1 < n && !(s[j] == '*' && s[j + 1] == '/'); j++)
                ;
            if (j + 1 < n) {
                tok('c', s + i, j + 2 - i);
                i = j + 2;
                lx->st = S_NORMAL;
            } else {
                tok('c', s + i, n - i);
                i = n;
            }
            continue;
        case S_LCOMMENT:
            tok('c', s + i, n - i);
            i = n;
            continue;
        case S_STRING:
        case S_CHAR: {
            char q = lx->st == S_STRING ? '"' : '\'';
            for (j = i; j < n; j++) {
                if (s[j] == '\\' && j + 1 < n) {
                    j++;
                } else if (s[j] == q) {
                    j++;
                    lx->st = S_NORMAL;
                    break;
                }
            }
            tok('s', s + i, j - i);
            i = j;
            continue;
        }
        default:
            break;
        }
        /* S_NORMAL */
        if (c == ' ') {
            tok('p', s + i, 1);
            i++;
            continue;
        }
        if (c == '#' && lx->linestart) {
            j = i + 1;
            while (j < n && s[j] == ' ')
                j++;
            size_t w = j;
            while (j < n && isid((unsigned char)s[j]))
                j++;
            lx->include = (j - w == 7 && memcmp(s + w, "include", 7) == 0);
            tok('r', s + i, j - i);
            i = j;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            tok('c', s + i, 2);
            i += 2;
            lx->st = S_BCOMMENT;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            tok('c', s + i, n - i);
            i = n;
            lx->st = S_LCOMMENT;
        } else if (c == '"' || c == '\'') {
            tok('s', s + i, 1);
            i++;
            lx->st = c == '"' ? S_STRING : S_CHAR;
        } else if (c == '<' && lx->include) {
            for (j = i + 1; j < n && s[j] != '>'; j++)
                ;
            if (j < n)
                j++;
            tok('s', s + i, j - i);
            i = j;
            lx->include = 0;
        } else if (isdigit(c) ||
                   (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
            for (j = i + 1; j < n; j++) {
                unsigned char d = (unsigned char)s[j];
                if (isalnum(d) || d == '.' || d == '_')
                    continue;
                if ((d == '+' || d == '-') && strchr("eEpP", s[j - 1]))
                    continue;
                break;
            }
            tok('d', s + i, j - i);
            i = j;
        } else if (isid0(c)) {
            for (j = i + 1; j < n && isid((unsigned char)s[j]); j++)
                ;
            tok(classify_word(s + i, j - i), s + i, j - i);
            i = j;
        } else {
            tok('p', s + i, 1);
            i++;
        }
        lx->linestart = 0;
    }
}

static void lex_newline(struct lexer *lx)
{
    tok_flush();
    outs("n\n");
    if (lx->st != S_BCOMMENT)
        lx->st = S_NORMAL;
    lx->linestart = 1;
    lx->include = 0;
}

/* ------------------------------------------------------- code chunks */

enum { G_TEXT, G_IDENT, G_USE, G_NL };

struct seg {
    int type;
    const char *text;  /* text, identifier or chunk name */
    const char *label; /* link target */
    int isdef;
};

static struct seg *segs;
static size_t nsegs, capsegs;
static const char **defs;
static size_t ndefs, capdefs;
static char *runbuf;
static size_t runcap;

static void emit_code(void)
{
    struct lexer lx = {S_NORMAL, 1, 0};
    tokcls = 0;
    toklen = 0;
    while (nsegs && segs[nsegs - 1].type == G_NL) /* trailing blank lines */
        nsegs--;
    outs("~~~ {.nwcode}\n");
    for (size_t i = 0; i < nsegs; i++) {
        struct seg *g = &segs[i];
        switch (g->type) {
        case G_TEXT: {
            size_t len = 0;
            size_t k = i;
            while (k < nsegs && segs[k].type == G_TEXT) {
                size_t m = strlen(segs[k].text);
                if (len + m + 1 > runcap) {
                    runcap = 2 * (len + m + 1);
                    runbuf = xrealloc(runbuf, runcap);
                }
                memcpy(runbuf + len, segs[k].text, m);
                len += m;
                k++;
            }
            lex_run(&lx, runbuf, len);
            i = k - 1;
            break;
        }
        case G_IDENT: {
            size_t m = strlen(g->text);
            char cls = ident_class(&lx, g->text, m);
            /* the first occurrence (outside comments and strings) of an
               identifier defined in this chunk is its defining occurrence */
            if (cls != 'c' && cls != 's')
                for (size_t d = 0; d < ndefs; d++)
                    if (defs[d] && strcmp(defs[d], g->text) == 0) {
                        g->isdef = 1;
                        defs[d] = NULL;
                    }
            tok_flush();
            outc(g->isdef ? 'D' : 'I');
            outc(cls);
            outs(g->label);
            outc(' ');
            outs(g->text);
            outc('\n');
            lx.linestart = 0;
            break;
        }
        case G_USE: {
            tok_flush();
            int k = hget(&label2chunk, g->label, -1);
            char num[32];
            if (k >= 0)
                snprintf(num, sizeof num, "%d", k + 1);
            else
                strcpy(num, "?");
            outc('U');
            outs(k >= 0 ? g->label : "-");
            outc(' ');
            outs(num);
            outc(' ');
            outs(g->text);
            outc('\n');
            lx.linestart = 0;
            break;
        }
        case G_NL:
            lex_newline(&lx);
            break;
        }
    }
    tok_flush();
    outs("~~~\n");
}

/* "chapter 7 fills" for a hook: the chapter of the next definition with
   code in it, or the one its name announces ("... (chapter 7)") */
static void out_part_of(const char *file)
{
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    char buf[64];
    if (isdigit((unsigned char)b[0]))
        snprintf(buf, sizeof buf, "chapter %d", atoi(b));
    else if (isupper((unsigned char)b[0]) && b[1] == '-')
        snprintf(buf, sizeof buf, "appendix %c", b[0]);
    else
        snprintf(buf, sizeof buf, "a later part");
    outs(buf);
}

static void out_filler(const struct chunk *c)
{
    for (const struct chunk *d = c; d->next != NULL;) {
        int k = hget(&label2chunk, d->next, -1);
        if (k < 0)
            break;
        d = &chunks[k];
        if (d->nonempty) {
            out_part_of(d->file);
            outs(" fills");
            return;
        }
    }
    const char *ch = strstr(c->name, "(chapter ");
    if (ch != NULL) {
        char buf[64];
        snprintf(buf, sizeof buf, "chapter %d will fill", atoi(ch + 9));
        outs(buf);
    } else
        outs("later chapters may fill");
}

static size_t code_chunk(size_t i, int idx)
{
    struct chunk *c = &chunks[idx];
    const char *ref = NULL;         /* most recent @xref ref */
    const char *pend = NULL;        /* pending @index use name */
    const char *pendref = NULL;
    int hdr = 1;
    nsegs = 0;
    ndefs = 0;
    for (i++; i < nlines && !startswith(lines[i], "@end code "); i++) {
        const char *l = lines[i];
        struct seg g = {G_TEXT, NULL, NULL, 0};
        if (startswith(l, "@nl")) {
            if (hdr) {
                hdr = 0;
                continue;
            }
            g.type = G_NL;
            g.text = "";
            PUSH(segs, nsegs, capsegs, g);
            pend = NULL;
        } else if (startswith(l, "@text ")) {
            const char *t = l + 6;
            if (pend) {
                size_t m = strlen(pend);
                if (strncmp(t, pend, m) == 0) {
                    g.type = G_IDENT;
                    g.text = pend;
                    g.label = pendref;
                    PUSH(segs, nsegs, capsegs, g);
                    t += m;
                    g.type = G_TEXT;
                    g.label = NULL;
                }
                pend = NULL;
            }
            if (*t) {
                g.text = t;
                PUSH(segs, nsegs, capsegs, g);
            }
        } else if (startswith(l, "@xref ref ")) {
            ref = l + 10;
        } else if (startswith(l, "@index use ")) {
            pend = l + 11;
            pendref = ref ? ref : c->label;
        } else if (startswith(l, "@index defn ") ||
                   startswith(l, "@index localdefn ")) {
            PUSH(defs, ndefs, capdefs, strchr(l + 7, ' ') + 1);
        } else if (startswith(l, "@use ")) {
            g.type = G_USE;
            g.text = l + 5;
            g.label = ref ? ref : "nw@notdef";
            PUSH(segs, nsegs, capsegs, g);
            pend = NULL;
        }
    }

    /* a hook: a definition with no code, which a later chapter (or a
       later definition) fills; printed as one line, not an empty box */
    int empty = 1;
    for (size_t k = 0; k < nsegs; k++)
        if (segs[k].type != G_NL &&
            (segs[k].type != G_TEXT || strspn(segs[k].text, " \t") !=
                                           strlen(segs[k].text)))
            empty = 0;

    /* header */
    int first = hget(&name2first, c->name, idx);
    char num[32];
    blankline();
    outs("::: {#");
    outs(c->label);
    outs(empty ? " .nwchunk .nwhook}\n[" : " .nwchunk}\n[");
    snprintf(num, sizeof num, "%d", idx + 1);
    outs("[");
    outs(num);
    outs("]{.nwnum} ⟨");
    out_md_name(c->name);
    outs(first == idx ? "⟩≡" : "⟩+≡");
    outs("]{.nwhdr}");
    if (c->prev || c->next) {
        outs(" [");
        if (c->prev)
            out_chunk_link(c->prev, "◁\\ ");
        if (c->prev && c->next)
            outs(" ");
        if (c->next)
            out_chunk_link(c->next, "▷\\ ");
        outs("]{.nwnav}");
    }
    if (empty) {
        outs(" [empty here: a hook that ");
        out_filler(c);
        outs(".]{.nwfoot}\n:::\n\n");
        return i;
    }
    outs("\n\n");

    emit_code();

    /* footer */
    const struct chunk *f = &chunks[first];
    outs("\n[");
    if (f->nuses) {
        outs("Used in ");
        for (size_t u = 0; u < f->nuses; u++) {
            if (u)
                outs(", ");
            out_chunk_link(f->uses[u], NULL);
        }
        outs(".");
    } else if (is_root_name(c->name)) {
        outs("Root chunk (tangled to a file).");
    } else {
        outs("Not used in this document.");
    }
    outs("]{.nwfoot}\n:::\n\n");
    return i;
}

/* ----------------------------------------------------------- indexes */

struct entry {
    const char *label, *name;
    const char **defs, **uses;
    size_t ndefs, nuses, cd, cu;
};

static struct entry *cidx, *iidx;
static size_t ncidx, niidx, ccidx, ciidx;

static size_t read_index(size_t i, const char *pre, struct entry **arr,
                         size_t *n, size_t *cap)
{
    /* pre is "@xref chunk" or "@index entry" */
    size_t pl = strlen(pre);
    struct entry *e = NULL;
    for (; i < nlines; i++) {
        const char *l = lines[i];
        if (strcmp(l, "@xref endchunks") == 0 || strcmp(l, "@index endindex") == 0)
            break;
        if (!startswith(l, pre))
            continue;
        const char *k = l + pl;
        if (startswith(k, "begin ")) {
            struct entry z;
            memset(&z, 0, sizeof z);
            z.label = k + 6;
            char *sp = strchr(k + 6, ' ');
            if (!sp)
                continue;
            *sp = '\0';
            z.name = sp + 1;
            PUSH(*arr, *n, *cap, z);
            e = &(*arr)[*n - 1];
        } else if (e && startswith(k, "defn ")) {
            PUSH(e->defs, e->ndefs, e->cd, k + 5);
        } else if (e && startswith(k, "use ")) {
            PUSH(e->uses, e->nuses, e->cu, k + 4);
        }
    }
    return i;
}

static void out_links(const char **labels, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            outs(", ");
        out_chunk_link(labels[k], NULL);
    }
}

static void emit_indexes(void)
{
    blankline();
    outs("# Index of chunks {#nw-chunk-index .unnumbered}\n\n"
         "::: {.nwindex .nwchunkindex}\n");
    if (!ncidx)
        outs("No chunks.\n\n");
    for (size_t k = 0; k < ncidx; k++) {
        const struct entry *e = &cidx[k];
        int defined = hget(&label2chunk, e->label, -1) >= 0;
        if (defined) {
            outs("[⟨");
            out_md_name(e->name);
            outs("⟩](#");
            outs(e->label);
            outs(")");
        } else {
            outs("⟨");
            out_md_name(e->name);
            outs("⟩");
        }
        if (e->ndefs) {
            outs(" defined in ");
            out_links(e->defs, e->ndefs);
        } else
            outs(" *never defined*");
        if (e->nuses) {
            outs("; used in ");
            out_links(e->uses, e->nuses);
        } else if (is_root_name(e->name))
            outs("; root chunk");
        else
            outs("; *never used*");
        outs(".\n\n");
    }
    outs(":::\n\n# Index of identifiers {#nw-identifier-index .unnumbered}\n\n"
         "::: {.nwindex .nwidentindex}\n");
    if (!niidx)
        outs("No identifiers.\n\n");
    for (size_t k = 0; k < niidx; k++) {
        const struct entry *e = &iidx[k];
        size_t m = strlen(e->name);
        outs("[");
        out_code_span(e->name, m);
        outs("](#");
        outs(e->label);
        outs(")");
        if (e->ndefs) {
            int d = hget(&label2chunk, e->defs[0], -1);
            outs(" defined in ");
            if (d >= 0) {
                outs("⟨");
                out_md_name(chunks[d].name);
                outs("⟩ ");
            }
            out_links(e->defs, e->ndefs);
        }
        if (e->nuses) {
            outs("; used in ");
            out_links(e->uses, e->nuses);
        } else
            outs("; not used");
        outs(".\n\n");
    }
    outs(":::\n");
}

/* ------------------------------------------------- documentation text */

/*
 * Docs chunks are copied through, except that a '[' with no matching ']'
 * later in its paragraph is written as "\[".  That does not change what
 * Pandoc makes of the text (such a bracket can never start a link, span
 * or citation), but Pandoc 2.17 searches the rest of the *document* for
 * the missing ']' at every such bracket, which makes reading a book with
 * a few "[0, n)" intervals quadratic (seconds and gigabytes).  Code
 * spans, $math$, raw HTML tags, LaTeX commands, fenced code blocks, YAML
 * blocks and lines indented by 4 or more columns are left alone.
 */

static char *dbuf;
static size_t dlen, dcap;

static void dbuf_add(const char *s, size_t n)
{
    if (dlen + n > dcap) {
        dcap = 2 * (dlen + n) + 256;
        dbuf = xrealloc(dbuf, dcap);
    }
    memcpy(dbuf + dlen, s, n);
    dlen += n;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static size_t indent_cols(const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ')
            col++;
        else if (s[i] == '\t')
            col = (col / 4 + 1) * 4;
        else
            break;
    }
    return col;
}

/* length of a ``` or ~~~ fence starting the line (0 if none) */
static size_t fence_len(const char *s, size_t n, char *ch)
{
    size_t i = 0, k = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i < n && (s[i] == '`' || s[i] == '~')) {
        while (i + k < n && s[i + k] == s[i])
            k++;
        if (k >= 3) {
            *ch = s[i];
            return k;
        }
    }
    return 0;
}

/* index just past the group opened at p[i] ('{' or '['), or 0 if open */
static size_t skip_group(const char *p, size_t n, size_t i)
{
    char open = p[i], close = open == '{' ? '}' : ']';
    int depth = 0;
    for (; i < n; i++) {
        if (p[i] == '\\')
            i++;
        else if (p[i] == open)
            depth++;
        else if (p[i] == close && --depth == 0)
            return i + 1;
    }
    return 0;
}

static void para_out(const char *p, size_t n)
{
    static size_t *stack;
    static size_t cap;
    size_t top = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            if (i + 1 < n && isalpha((unsigned char)p[i + 1])) {
                size_t j = i + 1;
                while (j < n && isalpha((unsigned char)p[j]))
                    j++;
                while (j < n && (p[j] == '{' || p[j] == '[')) {
                    size_t e = skip_group(p, n, j);
                    if (!e)
                        break;
                    j = e;
                }
                i = j;
            } else
                i += 2;
        } else if (c == '`') {
            size_t k = 0, j;
            while (i + k < n && p[i + k] == '`')
                k++;
            for (j = i + k; j < n; j++) {
                if (p[j] != '`')
                    continue;
                size_t m = 0;
                while (j + m < n && p[j + m] == '`')
                    m++;
                if (m == k)
                    break;
                j += m - 1;
            }
            i = j < n ? j + k : i + k;
        } else if (c == '$') {
            size_t j = 0;
            if (i + 1 < n && p[i + 1] == '$') {
                for (j = i + 2; j + 1 < n; j++)
                    if (p[j] == '$' && p[j + 1] == '$')
                        break;
                i = j + 1 < n ? j + 2 : i + 2;
            } else if (i + 1 < n && !isspace((unsigned char)p[i + 1])) {
                for (j = i + 2; j < n; j++)
                    if (p[j] == '$' && !isspace((unsigned char)p[j - 1]) &&
                        p[j - 1] != '\\' &&
                        !(j + 1 < n && isdigit((unsigned char)p[j + 1])))
                        break;
                i = j < n ? j + 1 : i + 1;
            } else
                i++;
        } else if (c == '<' && i + 1 < n &&
                   (isalpha((unsigned char)p[i + 1]) || p[i + 1] == '/' ||
                    p[i + 1] == '!')) {
            const char *e = memchr(p + i, '>', n - i);
            i = e ? (size_t)(e - p) + 1 : i + 1;
        } else {
            if (c == '[') {
                if (top == cap) {
                    cap = cap ? 2 * cap : 64;
                    stack = xrealloc(stack, cap * sizeof *stack);
                }
                stack[top++] = i;
            } else if (c == ']' && top) {
                top--;
            }
            i++;
        }
    }
    /* stack[0..top) are unmatched, in increasing order */
    size_t from = 0;
    for (size_t k = 0; k < top; k++) {
        size_t pos = stack[k], ls = pos;
        while (ls > 0 && p[ls - 1] != '\n')
            ls--;
        if (indent_cols(p + ls, pos - ls + 1) >= 4)
            continue; /* might be an indented code block */
        out(p + from, pos - from);
        outc('\\');
        from = pos;
    }
    out(p + from, n - from);
}

static void flush_docs(void)
{
    static int in_yaml, in_fence;
    static size_t flen;
    static char fch;
    size_t i = 0, pstart = 0, plen = 0;
    to_docs = 0;
    while (i < dlen) {
        char *nl = memchr(dbuf + i, '\n', dlen - i);
        size_t e = nl ? (size_t)(nl - dbuf) + 1 : dlen; /* line [i, e) */
        const char *l = dbuf + i;
        size_t n = e - i - (nl ? 1 : 0);
        char ch = 0;
        size_t fl = 0;
        if (in_yaml || in_fence) {
            out(l, e - i);
            if (in_yaml && ((n == 3 && (!memcmp(l, "---", 3) ||
                                        !memcmp(l, "...", 3)))))
                in_yaml = 0;
            if (in_fence && (fl = fence_len(l, n, &ch)) >= flen && ch == fch) {
                size_t s = 0;
                while (l[s] == ' ')
                    s++;
                if (is_blank(l + s + fl, n - s - fl))
                    in_fence = 0;
            }
        } else if (is_blank(l, n) || (fl = fence_len(l, n, &ch)) > 0 ||
                   (plen == 0 && n == 3 && !memcmp(l, "---", 3) && nl &&
                    e < dlen && dbuf[e] != '\n')) {
            if (plen)
                para_out(dbuf + pstart, plen);
            plen = 0;
            out(l, e - i);
            if (!is_blank(l, n)) {
                if (ch) {
                    in_fence = 1;
                    flen = fl;
                    fch = ch;
                } else {
                    in_yaml = 1;
                }
            }
        } else {
            if (!plen)
                pstart = i;
            plen = e - pstart;
        }
        i = e;
    }
    if (plen)
        para_out(dbuf + pstart, plen);
    dlen = 0;
}

/* ---------------------------------------------------------------- main */

int main(void)
{
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    read_input();
    hinit(&label2chunk, 4099);
    hinit(&name2first, 4099);
    scan_chunks();

    int codeidx = -1, in_quote = 0, nfiles = 0;
    char *qbuf = NULL;
    size_t qlen = 0, qcap = 0;
    for (size_t i = 0; i < nlines; i++) {
        const char *l = lines[i];
        if (startswith(l, "@begin code ")) {
            flush_docs();
            i = code_chunk(i, ++codeidx);
        } else if (startswith(l, "@begin docs ")) {
            flush_docs();
            to_docs = 1;
        } else if (startswith(l, "@end docs ")) {
            flush_docs();
        } else if (startswith(l, "@file ")) {
            flush_docs();
            if (nfiles++)
                blankline();
        } else if (startswith(l, "@quote")) {
            in_quote = 1;
            qlen = 0;
        } else if (startswith(l, "@endquote")) {
            in_quote = 0;
            out_code_span(qbuf ? qbuf : "", qlen);
        } else if (startswith(l, "@text ") || startswith(l, "@nl") ||
                   startswith(l, "@use ")) {
            const char *t = l[1] == 'n' ? "\n" : strchr(l, ' ') + 1;
            int use = l[1] == 'u';
            if (in_quote) {
                size_t m = strlen(t) + (use ? 4 : 0);
                if (qlen + m + 1 > qcap) {
                    qcap = 2 * (qlen + m + 1);
                    qbuf = xrealloc(qbuf, qcap);
                }
                if (use) {
                    sprintf(qbuf + qlen, "<<%s>>", t);
                } else {
                    memcpy(qbuf + qlen, t, m);
                    if (t[0] == '\n')
                        qbuf[qlen] = ' ';
                }
                qlen += m;
            } else if (use) {
                outs("⟨");
                out_md_name(t);
                outs("⟩");
            } else {
                outs(t);
            }
        } else if (strcmp(l, "@xref beginchunks") == 0) {
            i = read_index(i + 1, "@xref chunk", &cidx, &ncidx, &ccidx);
        } else if (strcmp(l, "@index beginindex") == 0) {
            i = read_index(i + 1, "@index entry", &iidx, &niidx, &ciidx);
        } else if (startswith(l, "@fatal")) {
            fprintf(stderr, "nw2md: noweb pipeline failed: %s\n", l);
            return 1;
        }
    }
    flush_docs();
    emit_indexes();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("nw2md: write error");
        return 1;
    }
    return 0;
}
