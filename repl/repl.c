/*
** repl/repl.c — the interactive side of `weir`: the read-eval-print loop
** on libedit (line editing, history in ~/.weir_history), the dot commands
** (shared with scripts), and SIGINT handling.
**
** Prompt "weir> ", continuation "  ...> "; input lines accumulate until
** parse_complete() (sqlite3_complete) says the statement is complete, then
** run through repl_input (script.c). Ctrl-C stops a running query (the
** handler calls weir_interrupt(), which is async-signal-safe); at the
** prompt it drops the line being typed (siglongjmp out of el_gets, the way
** psql leaves readline). Ctrl-D on an empty line exits.
*/
#include "repl/repl.h"

#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "parser/parser.h"

/* ---- signals -------------------------------------------------------------*/

static weir_engine *volatile g_pEngine;
static repl_ctx *g_pCtx;
static volatile sig_atomic_t g_bInExec;     /* a weir_exec may block */
static volatile sig_atomic_t g_nIntr;       /* Ctrl-C during that exec */
static volatile sig_atomic_t g_bInteractive;
static volatile sig_atomic_t g_bJmpReady;   /* blocked waiting for a key */
static volatile sig_atomic_t g_bSigint;
static volatile sig_atomic_t g_bWinch;      /* the terminal was resized */
static sigjmp_buf g_jmp;

static void on_sigint(int sig) {
  if (g_bInExec) {
    /* Stop the query; a third Ctrl-C ends a process that will not stop. */
    if (++g_nIntr >= 3) {
      signal(sig, SIG_DFL);
      raise(sig);
      return;
    }
    if (g_pEngine) weir_interrupt(g_pEngine);
    return;
  }
  if (g_bJmpReady) {
    g_bJmpReady = 0;
    siglongjmp(g_jmp, 1);
  }
  if (g_bInteractive) {
    g_bSigint = 1;
    return;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void on_sigwinch(int sig) {
  (void)sig;
  g_bWinch = 1;
}

void repl_signals_install(repl_ctx *ctx) {
  g_pEngine = ctx->pEngine;
  g_pCtx = ctx;
  g_bInteractive = ctx->bInteractive;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;   /* no SA_RESTART: a blocked read returns EINTR */
  sigaction(SIGINT, &sa, NULL);
  if (ctx->bInteractive) {
    sa.sa_handler = on_sigwinch;
    sigaction(SIGWINCH, &sa, NULL);
  }
}

void repl_signal_exec_begin(void) {
  g_nIntr = 0;
  g_bInExec = 1;
}

void repl_signal_exec_end(void) { g_bInExec = 0; }

int repl_signal_interrupted(void) { return g_bInExec && g_nIntr > 0; }

int repl_signal_take(void) {
  int b = g_bSigint;
  g_bSigint = 0;
  return b;
}

/* ---- dot commands --------------------------------------------------------*/

static const char zHelp[] =
    ".explain QUERY       show the plan of QUERY (EXPLAIN)\n"
    ".help                this text\n"
    ".mode [MODE]         show or set how rows print: changelog, table,\n"
    "                     json, csv (auto: table for bounded queries,\n"
    "                     changelog for continuous ones)\n"
    ".queries             running queries (SHOW QUERIES)\n"
    ".quit, .exit         leave weir (also Ctrl-D)\n"
    ".read FILE           run the statements in FILE\n"
    ".schema [NAME]       columns of NAME, or of every source, sink, view\n"
    ".sources             list sources (SHOW SOURCES)\n"
    ".stop NAME           stop a running query (STOP QUERY NAME)\n"
    ".timer on|off        print how long each statement took\n"
    ".view NAME           current contents of materialized view NAME\n"
    "\n"
    "Statements end with ';'. Ctrl-C stops a running query.\n";

/* Split zLine into at most nMax words (quotes '…' and \"…\" group); the
** words are written into zBuf. Returns the number of words. */
static int split_words(const char *zLine, char *zBuf, char **azWord,
                       int nMax) {
  int n = 0;
  const char *p = zLine;
  char *w = zBuf;
  while (n < nMax) {
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (!*p) break;
    azWord[n++] = w;
    if (*p == '\'' || *p == '"') {
      char q = *p++;
      while (*p && *p != q) *w++ = *p++;
      if (*p) p++;
    } else {
      while (*p && *p != ' ' && *p != '\t' && *p != '\r') *w++ = *p++;
    }
    *w++ = 0;
  }
  return n;
}

/* The text after the command word (for .explain). */
static const char *rest_of_line(const char *zLine) {
  const char *p = zLine;
  while (*p && *p != ' ' && *p != '\t') p++;
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* Run SQL built by a dot command. */
static int run_sql(repl_ctx *ctx, const char *zFmt, ...)
  __attribute__((format(printf, 2, 3)));
static int run_sql(repl_ctx *ctx, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *z = common_vmprintf(zFmt, ap);
  va_end(ap);
  int rc = repl_run_text(ctx, z, 1);
  common_free(z);
  return rc;
}

/* Append name to b, quoted as an identifier when it needs to be. */
static void put_ident(common_buf *b, const char *z) {
  int bPlain = (*z == '_' || (*z | 0x20) >= 'a') && (*z | 0x20) <= 'z';
  for (const char *p = z; *p && bPlain; p++)
    bPlain = *p == '_' || (*p >= '0' && *p <= '9') ||
             ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
  if (bPlain) {
    common_buf_puts(b, z);
    return;
  }
  common_buf_putc(b, '"');
  for (; *z; z++) {
    if (*z == '"') common_buf_putc(b, '"');
    common_buf_putc(b, *z);
  }
  common_buf_putc(b, '"');
}

/* Names in the first column of a SHOW table (rows after the "---" rule). */
static int collect_names(const char *zText, char ***pazName, int nName) {
  const char *p = zText;
  int bRows = 0;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (!bRows) {
      if (n > 0 && p[0] == '-') bRows = 1;
    } else if (n > 0) {
      const char *bar = memchr(p, '|', n);
      size_t k = bar ? (size_t)(bar - p) : n;
      while (k > 0 && p[k - 1] == ' ') k--;
      if (k > 0) {
        *pazName = common_realloc(*pazName,
                                  (size_t)(nName + 1) * sizeof(char *));
        (*pazName)[nName++] = common_strndup(p, k);
      }
    }
    p += n + (e ? 1 : 0);
  }
  return nName;
}

/* .schema without a name: DESCRIBE every source, sink and view. */
static int schema_all(repl_ctx *ctx) {
  common_buf cap;
  common_buf_init(&cap);
  char **azName = NULL;
  int nName = 0, rc = REPL_OK;
  static const char *azShow[] = {"SOURCES", "SINKS", "VIEWS"};
  for (int i = 0; i < COMMON_ARRAY_SIZE(azShow) && rc == REPL_OK; i++) {
    common_buf_reset(&cap);
    ctx->pCapture = &cap;
    rc = run_sql(ctx, "SHOW %s;", azShow[i]);
    ctx->pCapture = NULL;
    if (cap.n) nName = collect_names(cap.z, &azName, nName);
  }
  common_buf_free(&cap);
  if (rc == REPL_OK && nName == 0) printf("(no sources, sinks or views)\n");
  for (int i = 0; i < nName; i++) {
    if (rc == REPL_OK) {
      common_buf b;
      common_buf_init(&b);
      common_buf_puts(&b, "DESCRIBE ");
      put_ident(&b, azName[i]);
      common_buf_putc(&b, ';');
      rc = repl_run_text(ctx, b.z, 1);
      common_buf_free(&b);
    }
    common_free(azName[i]);
  }
  common_free(azName);
  return rc;
}

/* .view NAME: a materialized view's contents, printed like the result of
** a query that ended (the view's own query is the handle). */
typedef struct view_print {
  repl_ctx *ctx;
  weir_query *q;
} view_print;

static void vp_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names,
                     const weir_type *col_types) {
  view_print *v = arg;
  v->q = q;
  v->ctx->cb.on_start(v->ctx->cb.arg, q, name, ncol, col_names, col_types);
}

static void vp_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  view_print *v = arg;
  v->ctx->cb.on_row(v->ctx->cb.arg, q, op, ncol, values);
}

static int view_contents(repl_ctx *ctx, const char *zName) {
  weir_error err = {0};
  int rc;
  repl_output_exec_begin(ctx);
  if (ctx->zRemote) {
    rc = repl_remote_view(ctx, zName, &err);
  } else {
    view_print v = {ctx, NULL};
    weir_callbacks cb = {&v, vp_start, vp_row, NULL, NULL};
    ctx->bSnapshot = 1;
    rc = weir_view_snapshot(ctx->pEngine, zName, &cb, &err);
    ctx->bSnapshot = 0;
    if (!rc && v.q) ctx->cb.on_end(ctx->cb.arg, v.q, NULL);
  }
  repl_output_exec_end(ctx);
  if (rc) {
    repl_error(ctx, "%s", err.message ? err.message : "no such view");
    weir_error_clear(&err);
    return ctx->bStopOnError ? REPL_ERR : REPL_OK;
  }
  return REPL_OK;
}

/* A dot command failed: report, and stop a script that stops on errors. */
static int dot_fail(repl_ctx *ctx, const char *zMsg, const char *zArg) {
  repl_error(ctx, "%s%s", zMsg, zArg ? zArg : "");
  return ctx->bStopOnError ? REPL_ERR : REPL_OK;
}

int repl_dot_command(repl_ctx *ctx, const char *zLine) {
  size_t nLine = strlen(zLine);
  char *zBuf = common_malloc(nLine + 1);
  char *az[4];
  int nArg = split_words(zLine, zBuf, az, 4);
  int rc = REPL_OK;
  const char *zCmd = nArg ? az[0] : ".";
  if (!strcmp(zCmd, ".help")) {
    fputs(zHelp, stdout);
  } else if (!strcmp(zCmd, ".quit") || !strcmp(zCmd, ".exit")) {
    rc = REPL_QUIT;
  } else if (!strcmp(zCmd, ".sources")) {
    rc = run_sql(ctx, "SHOW SOURCES;");
  } else if (!strcmp(zCmd, ".queries")) {
    rc = run_sql(ctx, "SHOW QUERIES;");
  } else if (!strcmp(zCmd, ".stop")) {
    if (nArg < 2)
      rc = dot_fail(ctx, "usage: .stop NAME", NULL);
    else
      rc = run_sql(ctx, "STOP QUERY %s;", az[1]);
  } else if (!strcmp(zCmd, ".schema")) {
    if (nArg >= 2) {
      common_buf b;
      common_buf_init(&b);
      common_buf_puts(&b, "DESCRIBE ");
      put_ident(&b, az[1]);
      common_buf_putc(&b, ';');
      rc = repl_run_text(ctx, b.z, 1);
      common_buf_free(&b);
    } else {
      rc = schema_all(ctx);
    }
  } else if (!strcmp(zCmd, ".explain")) {
    const char *zQuery = rest_of_line(zLine);
    if (!*zQuery) {
      rc = dot_fail(ctx, "usage: .explain QUERY", NULL);
    } else {
      common_buf b;
      common_buf_init(&b);
      common_buf_printf(&b, "EXPLAIN %s", zQuery);
      while (b.n && (b.z[b.n - 1] == ' ' || b.z[b.n - 1] == '\t')) b.n--;
      b.z[b.n] = 0;
      if (!parse_complete(b.z)) common_buf_putc(&b, ';');
      rc = repl_run_text(ctx, b.z, 1);
      common_buf_free(&b);
    }
  } else if (!strcmp(zCmd, ".mode")) {
    if (nArg < 2) {
      printf("%s\n", repl_mode_name(ctx->mode));
    } else {
      int m = repl_mode_parse(az[1]);
      if (m < 0)
        rc = dot_fail(ctx, "unknown mode (changelog, table, json, csv): ",
                      az[1]);
      else
        ctx->mode = (repl_mode)m;
    }
  } else if (!strcmp(zCmd, ".read")) {
    if (nArg < 2) {
      rc = dot_fail(ctx, "usage: .read FILE", NULL);
    } else if (ctx->nReadDepth >= 16) {
      rc = dot_fail(ctx, ".read nested too deeply: ", az[1]);
    } else {
      ctx->nReadDepth++;
      rc = repl_run_file(ctx, az[1]);
      ctx->nReadDepth--;
      if (rc == REPL_QUIT) rc = REPL_OK;   /* .quit ends the file only */
    }
  } else if (!strcmp(zCmd, ".view")) {
    if (nArg < 2)
      rc = dot_fail(ctx, "usage: .view NAME", NULL);
    else
      rc = view_contents(ctx, az[1]);
  } else if (!strcmp(zCmd, ".timer")) {
    if (nArg < 2 || (strcmp(az[1], "on") && strcmp(az[1], "off")))
      rc = dot_fail(ctx, "usage: .timer on|off", NULL);
    else
      ctx->bTimer = !strcmp(az[1], "on");
  } else {
    rc = dot_fail(ctx, "unknown command (see .help): ", zCmd);
  }
  common_free(zBuf);
  fflush(stdout);
  return rc;
}

/* ---- the loop ------------------------------------------------------------*/

static const char *volatile g_zPrompt = "weir> ";

static char *prompt_fn(EditLine *el) {
  (void)el;
  return (char *)g_zPrompt;
}

/* libedit's character reader: wait for a key while the engine's loop keeps
** running, so background work (INSERT INTO jobs, materialized views,
** processing-time timers) goes on while the prompt is idle. Returns 1 with
** *pc set, 0 at end of input, -1 on error. */
static int read_char(EditLine *el, wchar_t *pc) {
  char aBuf[MB_LEN_MAX];
  int n = 0;
  for (;;) {
    /* Ctrl-C leaves el_gets only from here, where libedit is idle: the
    ** handler jumps out of poll() or read(), or the flag it set when it
    ** could not is seen on the next turn. */
    if (g_bSigint) {
      g_bSigint = 0;
      siglongjmp(g_jmp, 1);
    }
    struct pollfd pfd = {0, POLLIN, 0};
    g_bJmpReady = 1;
    int r = poll(&pfd, 1, 50);
    g_bJmpReady = 0;
    if (r < 0 && errno != EINTR) return -1;
    if (g_bWinch) {
      g_bWinch = 0;
      el_resize(el);
    }
    if (r <= 0) {
      if (!g_pEngine) continue;
      /* Rows of background queries may print now: over the prompt's line,
      ** which is redrawn after them. */
      g_pCtx->bAtPrompt = 1;
      weir_run(g_pEngine, 0);
      g_pCtx->bAtPrompt = 0;
      if (g_pCtx->bPromptCleared) {
        g_pCtx->bPromptCleared = 0;
        fflush(stdout);
        el_set(el, EL_REFRESH);
      }
      continue;
    }
    g_bJmpReady = n == 0;
    ssize_t k = read(0, &aBuf[n], 1);
    g_bJmpReady = 0;
    if (k == 0) return 0;
    if (k < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -1;
    }
    n++;
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    size_t m = mbrtowc(pc, aBuf, (size_t)n, &st);
    if (m == (size_t)-2 && n < (int)sizeof aBuf) continue;   /* partial */
    if (m == (size_t)-1 || m == (size_t)-2) *pc = (unsigned char)aBuf[0];
    return 1;
  }
}

/* ~/.weir_history, or $WEIR_HISTORY; NULL when neither can be named. */
static char *history_path(void) {
  const char *z = getenv("WEIR_HISTORY");
  if (z && *z) return common_strdup(z);
  const char *zHome = getenv("HOME");
  if (!zHome || !*zHome) return NULL;
  common_buf b;
  common_buf_init(&b);
  common_buf_printf(&b, "%s/.weir_history", zHome);
  return common_buf_detach(&b);
}

int repl_interactive(repl_ctx *ctx) {
  EditLine *el = el_init("weir", stdin, stdout, stderr);
  History *hist = history_init();
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, 2000);
  history(hist, &ev, H_SETUNIQUE, 1);
  el_set(el, EL_PROMPT, prompt_fn);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_GETCFN, read_char);
  el_source(el, NULL);
  char *zHist = history_path();
  if (zHist) history(hist, &ev, H_LOAD, zHist);

  repl_input in;
  repl_input_init(&in);
  in.bPerStatement = 1;
  common_buf entry;   /* the statement being typed, for history */
  common_buf_init(&entry);
  volatile int rc = REPL_OK;   /* live across sigsetjmp */
  while (rc != REPL_QUIT) {
    g_zPrompt = repl_input_pending(&in) ? "  ...> " : "weir> ";
    repl_signal_take();
    if (sigsetjmp(g_jmp, 1)) {
      /* Ctrl-C at the prompt: drop what was typed. */
      el_reset(el);
      fputs("^C\n", stdout);
      fflush(stdout);
      repl_input_clear(&in);
      common_buf_reset(&entry);
      continue;
    }
    int count = 0;
    const char *zGot = el_gets(el, &count);
    if (!zGot) {
      if (count < 0 && errno == EINTR) {
        repl_signal_take();
        fputs("\n", stdout);
        repl_input_clear(&in);
        common_buf_reset(&entry);
        continue;
      }
      fputs("\n", stdout);   /* Ctrl-D */
      break;
    }
    char *zLine = common_strdup(zGot);
    size_t n = strlen(zLine);
    while (n > 0 && (zLine[n - 1] == '\n' || zLine[n - 1] == '\r'))
      zLine[--n] = 0;
    if (n > 0 || entry.n) {
      if (entry.n) common_buf_putc(&entry, '\n');
      common_buf_puts(&entry, zLine);
    }
    rc = repl_input_line(ctx, &in, zLine);
    common_free(zLine);
    if (!repl_input_pending(&in) && entry.n) {
      history(hist, &ev, H_ENTER, entry.z);
      if (zHist) history(hist, &ev, H_SAVE, zHist);
      common_buf_reset(&entry);
    }
    repl_signal_take();
  }
  if (zHist) history(hist, &ev, H_SAVE, zHist);
  common_free(zHist);
  common_buf_free(&entry);
  repl_input_free(&in);
  history_end(hist);
  el_end(el);
  return 0;
}
