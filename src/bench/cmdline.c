/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#include "cmdline.h"
#include <errno.h>
#include <stdarg.h>

static size_t edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b), d[32][32];
        if (la >= 32 || lb >= 32)
                return 32;
        for (size_t i = 0; i <= la; i++)
                d[i][0] = i;
        for (size_t j = 0; j <= lb; j++)
                d[0][j] = j;
        for (size_t i = 1; i <= la; i++)
                for (size_t j = 1; j <= lb; j++)
                        d[i][j] = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1),
                                      d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
        return d[la][lb];
}

static int cmdline_unknown(const struct cmdline *c, const char *arg)
{
        if (strncmp(arg, "--", 2) != 0) {
                fprintf(stderr, "%s: unexpected argument '%s': options start with -- "
                        "(%s --help lists them)\n", c->prog, arg, c->prog);
                return -1;
        }
        const char *eq = strchr(arg, '=');
        const struct cmd_option *near = NULL;
        size_t best = 3;
        for (size_t i = 0; i < c->nopts; i++) {
                const struct cmd_option *o = &c->opts[i];
                if (eq != NULL && o->arg != NULL && strlen(o->name) == (size_t)(eq - arg) &&
                    strncmp(o->name, arg, (size_t)(eq - arg)) == 0) {
                        fprintf(stderr,
                                "%s: unknown option %s: write %s %s, with a space\n",
                                c->prog, arg, o->name, o->arg);
                        return -1;
                }
                size_t d = edit_distance(arg, o->name);
                if (d < best) {
                        best = d;
                        near = o;
                }
        }
        if (near != NULL)
                fprintf(stderr, "%s: unknown option %s (did you mean %s?)\n", c->prog, arg,
                        near->name);
        else
                fprintf(stderr, "%s: unknown option %s (%s --help lists the options)\n",
                        c->prog, arg, c->prog);
        return -1;
}

void cmdline_init(struct cmdline *c, const char *prog, const struct cmd_option *opts,
                  size_t nopts, int argc, char **argv, int first)
{
        if (nopts > CMDLINE_MAX) {
                fprintf(stderr, "%s: a table of %zu options is too long for the parser\n",
                        prog, nopts);
                abort();
        }
        memset(c, 0, sizeof *c);
        c->prog = prog;
        c->opts = opts;
        c->nopts = nopts;
        c->argc = argc;
        c->argv = argv;
        c->next = first;
}

int cmdline_next(struct cmdline *c, const char **opt, const char **val)
{
        if (c->next >= c->argc)
                return 0;
        const char *arg = c->argv[c->next++];
        if (strcmp(arg, "-h") == 0)
                arg = "--help";
        size_t i = 0;
        while (i < c->nopts && strcmp(c->opts[i].name, arg) != 0)
                i++;
        if (i == c->nopts)
                return cmdline_unknown(c, arg);
        const struct cmd_option *o = &c->opts[i];
        if (c->given[i]++ > 0 && !o->repeatable) {
                fprintf(stderr, "%s: %s given twice: it may appear once\n", c->prog, arg);
                return -1;
        }
        *opt = o->name;
        *val = NULL;
        if (o->arg == NULL)
                return 1;
        const char *v = c->next < c->argc ? c->argv[c->next] : NULL;
        if (v == NULL || strncmp(v, "--", 2) == 0) {
                fprintf(stderr, "%s: option %s needs a value: %s %s\n",
                        c->prog, arg, arg, o->arg);
                return -1;
        }
        c->next++;
        if (*v == '\0') {
                fprintf(stderr, "%s: option %s needs a value, not an empty string: %s %s\n",
                        c->prog, arg, arg, o->arg);
                return -1;
        }
        *val = v;
        return 1;
}
int cmdline_error(const struct cmdline *c, const char *opt, const char *val,
                  const char *fmt, ...)
{
        va_list ap;
        fprintf(stderr, "%s: %s%s%s: ", c->prog, opt, val != NULL ? " " : "",
                val != NULL ? val : "");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return -1;
}

int cmdline_number(const struct cmdline *c, const char *opt, const char *val,
                   long long lo, long long hi, long long *out)
{
        char *end;
        errno = 0;
        long long v = strtoll(val, &end, 10);
        if (*val == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
                return cmdline_error(c, opt, val,
                                     "expected a whole number from %lld to %lld", lo, hi);
        *out = v;
        return 0;
}

int cmdline_int(const struct cmdline *c, const char *opt, const char *val,
                int lo, int hi, int *out)
{
        long long v;
        if (cmdline_number(c, opt, val, lo, hi, &v) < 0)
                return -1;
        *out = (int)v;
        return 0;
}

int cmdline_impair(const struct cmdline *c, const char *opt, const char *val,
                   struct impair_cfg *cfg)
{
        char err[512];
        if (impair_parse(cfg, val, err, sizeof err) == 0)
                return 0;
        fprintf(stderr, "%s: %s %s\n", c->prog, opt, err);
        fprintf(stderr, "%s: %s takes KEY=VALUE,... with each key at most once:\n",
                c->prog, opt);
        impair_print_forms(stderr, 2);
        return -1;
}
void cmdline_usage(FILE *f, const struct cmd_option *opts, size_t nopts,
                   const char *const groups[], size_t ngroups)
{
        for (size_t g = 0; g < ngroups; g++) {
                bool heading = false;
                for (size_t i = 0; i < nopts; i++) {
                        const struct cmd_option *o = &opts[i];
                        if (o->group != (int)g)
                                continue;
                        if (!heading)
                                fprintf(f, "\n%s:\n", groups[g]);
                        heading = true;
                        int w = fprintf(f, "  %s%s%s", o->name, o->arg != NULL ? " " : "",
                                        o->arg != NULL ? o->arg : "");
                        if (w + 2 > CMDLINE_COLUMN) {
                                fputc('\n', f);
                                w = 0;
                        }
                        fprintf(f, "%*s", CMDLINE_COLUMN - w, "");
                        for (const char *s = o->help; *s != '\0'; s++) {
                                fputc(*s, f);
                                if (*s == '\n')
                                        fprintf(f, "%*s", CMDLINE_COLUMN, "");
                        }
                        fputc('\n', f);
                        if (o->more != NULL)
                                o->more(f, CMDLINE_COLUMN);
                }
        }
}
