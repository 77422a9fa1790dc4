/*
** repl/main.c — entry point of the `weir` program: subcommand dispatch,
** flags, engine setup, and the choice between the interactive REPL
** (repl.c) and the script runner (script.c).
**
**   weir [--demo] [--mode MODE]               interactive on a terminal
**   weir -f FILE [--keep-going] [--mode M]    run a script
**   weir -c "SQL"                             run one string
**   echo "SQL" | weir                         run piped statements
**
** Exit status: 0, 1 after an error (scripts stop at the first unless
** --keep-going), 2 for bad usage, 130 when Ctrl-C stopped a script.
*/
#include "repl/repl.h"
#include "connectors/connectors.h" /* conn_kafka_dev_main */

#ifdef WEIR_HAVE_SERVER
#include "server/server.h"   /* srv_main: `weir serve` */
#endif

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t repl_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t repl_wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char zUsage[] =
    "usage: weir [OPTIONS] [FILE]\n"
    "\n"
    "Without -f, -c or FILE, weir reads statements from stdin: an\n"
    "interactive REPL on a terminal, a script otherwise.\n"
    "\n"
    "  -f FILE          run the statements in FILE ('-' for stdin)\n"
    "  -c SQL           run the statements in SQL\n"
    "  --keep-going     report errors and continue; exit 1 at the end\n"
    "  --mode MODE      how rows print: changelog, table, json, csv\n"
    "                   (default: changelog on a terminal; otherwise\n"
    "                   table for bounded queries, changelog for\n"
    "                   continuous ones)\n"
    "  --demo           feed the memory source `scores` from the built-in\n"
    "                   game-event generator\n"
    "  --connect H:P    run statements on a `weir serve` at H:P (rows of\n"
    "                   its queries stream back)\n"
    "  --token T        bearer token for --connect (or WEIR_TOKEN)\n"
    "  -h, --help       this text\n"
    "  --version        print the version\n";

static const char zBanner[] =
    "weir " REPL_VERSION " — streaming SQL. Demo source `scores` (user_id, "
    "team, score, ts) is live.\n"
    "Try:\n"
    "  SELECT team, SUM(score) AS total FROM scores GROUP BY team;\n"
    "  SELECT window_start, team, COUNT(*) AS n\n"
    "    FROM TUMBLE(scores, ts, INTERVAL '10' SECOND)\n"
    "    GROUP BY window_start, window_end, team;\n"
    "  .schema scores\n"
    "Ctrl-C stops a running query; .help lists commands; Ctrl-D quits.\n";

/* Options of the default command. */
typedef struct shell_opts {
  const char *zFile;
  const char *zSql;
  int bKeepGoing;
  int bDemo;
  int mode;           /* -1: default */
  const char *zConnect;
  const char *zToken;
} shell_opts;

static int usage_error(const char *zMsg, const char *zArg) {
  fprintf(stderr, "weir: %s%s\n%s", zMsg, zArg ? zArg : "", zUsage);
  return 2;
}

/* The default command: REPL or script. */
static int cmd_shell(int argc, char **argv) {
  shell_opts o = {NULL, NULL, 0, 0, -1, NULL, getenv("WEIR_TOKEN")};
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    const char *zVal = NULL;
    if (!strcmp(z, "-h") || !strcmp(z, "--help")) {
      fputs(zUsage, stdout);
      return 0;
    } else if (!strcmp(z, "--version") || !strcmp(z, "-V")) {
      printf("weir %s\n", REPL_VERSION);
      return 0;
    } else if (!strcmp(z, "--keep-going")) {
      o.bKeepGoing = 1;
    } else if (!strcmp(z, "--demo")) {
      o.bDemo = 1;
    } else if (!strcmp(z, "--connect") || !strcmp(z, "--token")) {
      if (i + 1 >= argc) return usage_error("missing argument after ", z);
      if (z[2] == 'c') o.zConnect = argv[++i];
      else o.zToken = argv[++i];
    } else if (!strcmp(z, "-f") || !strcmp(z, "-c") || !strcmp(z, "--mode")) {
      if (i + 1 >= argc) return usage_error("missing argument after ", z);
      zVal = argv[++i];
      if (z[1] == 'f') o.zFile = zVal;
      if (z[1] == 'c') o.zSql = zVal;
      if (z[1] == '-') o.mode = repl_mode_parse(zVal);
      if (z[1] == '-' && o.mode < 0)
        return usage_error("unknown mode: ", zVal);
    } else if (!strncmp(z, "--mode=", 7)) {
      o.mode = repl_mode_parse(z + 7);
      if (o.mode < 0) return usage_error("unknown mode: ", z + 7);
    } else if (z[0] == '-' && z[1]) {
      return usage_error("unknown option: ", z);
    } else if (!o.zFile) {
      o.zFile = z;
    } else {
      return usage_error("unexpected argument: ", z);
    }
  }
  if (o.zFile && o.zSql) return usage_error("use either -f or -c", NULL);
  if (o.zConnect && o.bDemo)
    return usage_error("--demo runs locally; start the server with it", NULL);

  repl_ctx ctx;
  memset(&ctx, 0, sizeof(ctx));
  ctx.bInteractive = !o.zFile && !o.zSql && isatty(0);
  ctx.bTtyOut = ctx.bInteractive && isatty(1);
  ctx.bColor = ctx.bTtyOut && !getenv("NO_COLOR");
  ctx.bStatus = ctx.bInteractive && isatty(2);
  ctx.bStopOnError = !ctx.bInteractive && !o.bKeepGoing;
  ctx.zRemote = o.zConnect;
  ctx.zToken = o.zToken;
  if (ctx.zRemote) ctx.bStatus = 0;   /* no local counters to show */
  if (o.mode >= 0)
    ctx.mode = (repl_mode)o.mode;
  else
    ctx.mode = ctx.bInteractive ? REPL_MODE_CHANGELOG : REPL_MODE_AUTO;
  if (!isatty(1)) setvbuf(stdout, NULL, _IOLBF, 0);
  /* Line editing of UTF-8 text needs the terminal's character set. */
  if (ctx.bInteractive) setlocale(LC_CTYPE, "");

  /* The engine runs on our loop, so the status line can have a timer. */
  uv_loop_t loop;
  if (uv_loop_init(&loop)) {
    fprintf(stderr, "Error: cannot create an event loop\n");
    return 1;
  }
  weir_error err;
  memset(&err, 0, sizeof(err));
  if (weir_open(&ctx.pEngine, &loop, &err)) {
    fprintf(stderr, "Error: %s\n", err.message ? err.message : "weir_open");
    weir_error_clear(&err);
    uv_loop_close(&loop);
    return 1;
  }
  repl_output_init(&ctx, &loop);
  repl_signals_install(&ctx);
  int rc = REPL_OK;
  if (o.bDemo && weir_demo_start(ctx.pEngine, &err)) {
    repl_error(&ctx, "%s", err.message ? err.message : "demo failed");
    weir_error_clear(&err);
    rc = REPL_ERR;
  }
  if (rc == REPL_OK) {
    if (o.zSql) {
      rc = repl_run_text(&ctx, o.zSql, 1);
    } else if (o.zFile && strcmp(o.zFile, "-")) {
      rc = repl_run_file(&ctx, o.zFile);
    } else if (ctx.bInteractive) {
      if (o.bDemo) fputs(zBanner, stdout);
      else printf("weir %s — enter \".help\" for usage hints.\n",
                  REPL_VERSION);
      rc = repl_interactive(&ctx);
    } else {
      rc = repl_run_stream(&ctx, stdin);
    }
  }
  if (ctx.zRemote) repl_remote_close(&ctx);
  weir_close(ctx.pEngine);
  ctx.pEngine = NULL;
  repl_output_close(&ctx);
  uv_run(&loop, UV_RUN_DEFAULT);   /* let closed handles finish */
  uv_loop_close(&loop);
  repl_output_finish(&ctx);
  fflush(stdout);
  if (rc == REPL_INTR && !ctx.bInteractive) return 130;
  if (ctx.bInteractive) return 0;
  return ctx.nErr > 0 ? 1 : 0;
}

/* Subcommands: `weir NAME ...` runs aCmd[i].xMain(argc - 1, argv + 1).
** Anything else is the default command, cmd_shell. (Later: serve.) */
typedef struct weir_cmd {
  const char *zName;
  int (*xMain)(int argc, char **argv);
} weir_cmd;

static const weir_cmd aCmd[] = {
#ifdef WEIR_HAVE_SERVER
  {"serve", srv_main},                  /* server/main.c */
#endif
  {"kafka-dev", conn_kafka_dev_main},   /* connectors/kafka_dev.c */
  {NULL, NULL}
};

int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 0; aCmd[i].zName; i++)
      if (!strcmp(argv[1], aCmd[i].zName))
        return aCmd[i].xMain(argc - 1, argv + 1);
  }
  return cmd_shell(argc, argv);
}
