/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef CMDLINE_H
#define CMDLINE_H
#include "base.h"
#include "impair.h"

struct cmd_option {
        int group;                  /* the heading --help lists it under */
        const char *name;           /* "--tun" */
        const char *arg;            /* the form of its value, "NAME"; NULL: a flag */
        const char *help;           /* a line or more, split by '\n' */
        bool repeatable;            /* may be given more than once */
        void (*more)(FILE *f, int indent);   /* more lines of help, or NULL */
};

#define CMDLINE_MAX 64              /* rows of a table */
#define CMDLINE_COLUMN 24           /* where --help starts an option's help */

struct cmdline {
        const char *prog;           /* "tcpstack", for the messages */
        const struct cmd_option *opts;
        size_t nopts;
        char **argv;
        int argc, next;
        unsigned char given[CMDLINE_MAX];   /* times each row was given */
};

void cmdline_init(struct cmdline *c, const char *prog, const struct cmd_option *opts,
                  size_t nopts, int argc, char **argv, int first);
int cmdline_next(struct cmdline *c, const char **opt, const char **val);
int cmdline_error(const struct cmdline *c, const char *opt, const char *val,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int cmdline_number(const struct cmdline *c, const char *opt, const char *val,
                   long long lo, long long hi, long long *out);
int cmdline_int(const struct cmdline *c, const char *opt, const char *val,
                int lo, int hi, int *out);
int cmdline_impair(const struct cmdline *c, const char *opt, const char *val,
                   struct impair_cfg *cfg);
void cmdline_usage(FILE *f, const struct cmd_option *opts, size_t nopts,
                   const char *const groups[], size_t ngroups);
#endif
