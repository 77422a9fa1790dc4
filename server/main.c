/*
** server/main.c — the flags of `weir serve` (reached from repl/main.c's
** subcommand table).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

static const char zUsage[] =
    "usage: weir serve [OPTIONS]\n"
    "\n"
    "Run continuous queries for HTTP clients (see docs/server.md).\n"
    "\n"
    "  --listen HOST:PORT     address to bind (default 127.0.0.1:7878;\n"
    "                         port 0 picks a free one)\n"
    "  --token T              require 'Authorization: Bearer T' (or\n"
    "                         ?token=T); mandatory off loopback\n"
    "                         (also read from WEIR_TOKEN)\n"
    "  --state-dir DIR        keep the catalog (CREATE/DROP) in DIR and\n"
    "                         restore it at start\n"
    "  --max-request BYTES    largest request accepted (default 1048576)\n"
    "  --max-subscribers N    concurrent SSE streams (default 10000)\n"
    "  --subscriber-buffer B  unsent bytes after which a subscriber is\n"
    "                         disconnected (default 4194304)\n"
    "  --port-file FILE       write the bound port to FILE\n"
    "  --demo                 feed memory source `scores` from the demo\n"
    "                         generator, with views team_totals and\n"
    "                         scores_10s for the dashboard\n"
    "  -h, --help             this text\n";

static int parse_size(const char *z, size_t *pn) {
  char *e;
  unsigned long long v = strtoull(z, &e, 10);
  if (e == z) return 1;
  if (*e == 'k' || *e == 'K')
    v <<= 10, e++;
  else if (*e == 'm' || *e == 'M')
    v <<= 20, e++;
  if (*e || v == 0) return 1;
  *pn = (size_t)v;
  return 0;
}

int srv_main(int argc, char **argv) {
  srv_config cfg;
  memset(&cfg, 0, sizeof(cfg));
  cfg.zHost = "127.0.0.1";
  cfg.iPort = 7878;
  cfg.nMaxRequest = 1 << 20;
  cfg.nMaxSubscribers = 10000;
  cfg.nSubBuffer = 4 << 20;
  cfg.nMaxConns = 20000;
  cfg.zToken = getenv("WEIR_TOKEN");
  static char zHost[256];
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    if (!strcmp(z, "-h") || !strcmp(z, "--help")) {
      fputs(zUsage, stdout);
      return 0;
    }
    if (!strcmp(z, "--demo")) {
      cfg.bDemo = 1;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "weir serve: unknown option or missing value: %s\n%s", z,
              zUsage);
      return 2;
    }
    const char *v = argv[++i];
    size_t n = 0;
    if (!strcmp(z, "--listen")) {
      const char *p = strrchr(v, ':');
      if (!p || p == v || (size_t)(p - v) >= sizeof zHost) {
        fprintf(stderr, "weir serve: --listen wants HOST:PORT\n");
        return 2;
      }
      memcpy(zHost, v, (size_t)(p - v));
      zHost[p - v] = 0;
      if (zHost[0] == '[') { /* [::1]:7878 */
        memmove(zHost, zHost + 1, strlen(zHost));
        char *b = strchr(zHost, ']');
        if (b) *b = 0;
      }
      char *e;
      long port = strtol(p + 1, &e, 10);
      if (*e || port < 0 || port > 65535) {
        fprintf(stderr, "weir serve: bad port in --listen %s\n", v);
        return 2;
      }
      cfg.zHost = zHost;
      cfg.iPort = (int)port;
    } else if (!strcmp(z, "--token")) {
      cfg.zToken = v;
    } else if (!strcmp(z, "--state-dir")) {
      cfg.zStateDir = v;
    } else if (!strcmp(z, "--port-file")) {
      cfg.zPortFile = v;
    } else if (!strcmp(z, "--max-request") && !parse_size(v, &n)) {
      cfg.nMaxRequest = n;
    } else if (!strcmp(z, "--subscriber-buffer") && !parse_size(v, &n)) {
      cfg.nSubBuffer = n;
    } else if (!strcmp(z, "--max-subscribers") && !parse_size(v, &n)) {
      cfg.nMaxSubscribers = (int)n;
      if (cfg.nMaxConns < cfg.nMaxSubscribers + 100)
        cfg.nMaxConns = cfg.nMaxSubscribers + 100;
    } else {
      fprintf(stderr, "weir serve: bad option %s %s\n%s", z, v, zUsage);
      return 2;
    }
  }
  return srv_run(&cfg);
}
