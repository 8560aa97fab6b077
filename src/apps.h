/* Tangled from chapters/04-opening.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#ifndef APPS_H
#define APPS_H
#include "host.h"

int app_start(struct host *h, const char *spec, char *err, size_t errlen);
int app_connect(struct host *h, const char *spec, char *err, size_t errlen);
void app_set_http_root(const char *dir);
#endif
