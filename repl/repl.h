/*
** repl/repl.h — the internal interface of the `weir` command-line program.
**
** The program sits on top of libweir and uses only include/weir.h (plus
** common/ utilities and parse_complete from parser/). Its files:
**   main.c    flags, subcommand dispatch, engine setup
**   repl.c    the interactive loop (libedit, history), dot commands, signals
**   script.c  the statement runner shared by scripts, piped input and the
**             interactive loop; error reporting with script positions
**   output.c  result rendering: changelog, table (changelog applied as
**             upserts), json and csv modes, and the live status line
*/
#ifndef WEIR_REPL_H
#define WEIR_REPL_H

#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "weir.h"
#include "common/common.h"

#define REPL_VERSION "0.1.0"

/* Result codes of the runners. */
#define REPL_OK 0         /* keep going */
#define REPL_ERR 1        /* an error stopped the script */
#define REPL_QUIT 2       /* .quit / .exit */
#define REPL_INTR 3       /* Ctrl-C stopped a script */

/* How query rows are printed. AUTO buffers a query's rows while its
** statement runs: a query that ends there prints as a table, one still
** running afterwards (a continuous query) switches to changelog. */
typedef enum repl_mode {
  REPL_MODE_AUTO = 0,
  REPL_MODE_CHANGELOG,
  REPL_MODE_TABLE,
  REPL_MODE_JSON,
  REPL_MODE_CSV
} repl_mode;

typedef struct repl_query repl_query;   /* output.c: one query's printer */

/* State of one run of the program. */
typedef struct repl_ctx {
  weir_engine *pEngine;
  repl_mode mode;           /* for queries started from now on */
  int bInteractive;         /* prompt, colours, status line allowed */
  int bTtyOut;              /* interactive, stdout a terminal */
  int bColor;               /* ANSI colours on stdout */
  int bStatus;              /* status line on stderr while a query runs */
  int bTimer;               /* .timer on */
  int bStopOnError;         /* scripts without --keep-going */
  int nErr;                 /* errors reported so far */
  int nBgErr;               /* ... of them failures of background queries,
                            ** which never stop a script (exit 1 at end) */
  int bInterrupted;         /* Ctrl-C stopped the last statement */
  int nReadDepth;           /* nesting of .read */
  int bAtPrompt;            /* output now lands on the prompt's line */
  int bPromptCleared;       /* ... and that line was cleared for it */
  weir_callbacks cb;        /* points back at this context */
  repl_query *pQueries;     /* queries that have started and not ended */
  unsigned iExec;           /* sequence number of the current weir_exec */
  int bInExec;              /* inside weir_exec */
  weir_error endErr;        /* a foreground query's on_end error */
  common_buf *pCapture;     /* when set, on_message text goes here */
  /* Status line (output.c). */
  int bStatusShown;
  int64_t iStatusAt;        /* monotonic us of the last refresh */
  char zStatus[160];
  uv_timer_t statusTimer;   /* refreshes the status line every 500 ms */
  int bStatusTimer;         /* statusTimer is initialised */
  /* --connect (remote.c): statements go to this server instead. */
  const char *zRemote;      /* HOST:PORT, or NULL for the local engine */
  int bSnapshot;            /* printing a view's snapshot (.view) */
  const char *zToken;       /* bearer token for it, or NULL */
  /* Live table of a blocking table-mode query (output.c). */
  int nLiveLines;           /* lines of the table drawn last, 0 if none */
  int64_t iLiveAt;          /* monotonic us of that drawing */
  uv_check_t liveCheck;     /* redraws it after each loop iteration's
                            ** callbacks (with statusTimer) */
} repl_ctx;

/* ---- main.c --------------------------------------------------------------*/
/* Monotonic and wall clocks in microseconds. */
int64_t repl_now_us(void);
int64_t repl_wall_us(void);

/* ---- repl.c --------------------------------------------------------------*/
/* Run the interactive loop on the terminal until .quit or Ctrl-D. Returns
** the process exit code. */
int repl_interactive(repl_ctx *ctx);
/* Carry out the dot command zLine (starting with '.'). Returns a REPL_*
** code; REPL_ERR only when an error must stop a script. */
int repl_dot_command(repl_ctx *ctx, const char *zLine);
/* Install the SIGINT handler: during a statement it calls weir_interrupt();
** at the interactive prompt it clears the line; otherwise it ends the
** process the default way. */
void repl_signals_install(repl_ctx *ctx);
/* Bracket every weir_exec so the SIGINT handler knows a query may block. */
void repl_signal_exec_begin(void);
void repl_signal_exec_end(void);
/* Has Ctrl-C been pressed during the current statement? */
int repl_signal_interrupted(void);
/* Was SIGINT received since the last call (clears the flag)? */
int repl_signal_take(void);
/* Parse "changelog", "table", "json", "csv" (or "auto"); -1 if unknown. */
int repl_mode_parse(const char *z);
const char *repl_mode_name(repl_mode m);

/* ---- script.c ------------------------------------------------------------*/
/* Run every statement and dot command in zText. iLine0 is the line number
** of zText's first line in its file, so errors name the file's own line
** and column. Returns REPL_OK, or REPL_ERR / REPL_QUIT / REPL_INTR when
** the text must stop. */
int repl_run_text(repl_ctx *ctx, const char *zText, int iLine0);
/* Read the file zPath and run it as a script. */
int repl_run_file(repl_ctx *ctx, const char *zPath);
/* Run input read line by line from in (piped stdin): each statement runs
** as soon as it is complete. */
int repl_run_stream(repl_ctx *ctx, FILE *in);

/* Accumulates input lines into statements (shared by repl_run_stream and
** the interactive loop). */
typedef struct repl_input {
  common_buf buf;     /* the pending, incomplete statement text */
  int nLine;          /* lines fed so far */
  int iLine0;         /* line number of buf's first line */
  int bPerStatement;  /* count lines from 1 at each statement (REPL) */
} repl_input;
void repl_input_init(repl_input *in);
void repl_input_free(repl_input *in);
/* Feed one line (without its newline). Runs what became complete; returns
** a REPL_* code. */
int repl_input_line(repl_ctx *ctx, repl_input *in, const char *zLine);
/* End of input: run whatever is pending. */
int repl_input_finish(repl_ctx *ctx, repl_input *in);
/* Does the input hold an unfinished statement? */
int repl_input_pending(const repl_input *in);
/* Drop the unfinished statement (Ctrl-C at the prompt). */
void repl_input_clear(repl_input *in);

/* Skip spaces and SQL comments. *pbOpen is set when an unterminated block
** comment runs to the end of the text. */
const char *repl_skip_space(const char *z, int *pbOpen);
/* Just past the ';' ending the statement that starts at z (quotes and
** comments respected), or the end of the text. */
const char *repl_stmt_end(const char *z);

/* Print an error: "Error: " + message on stderr (stdout flushed first). */
void repl_error(repl_ctx *ctx, const char *zFmt, ...)
  __attribute__((format(printf, 2, 3)));

/* ---- remote.c ------------------------------------------------------------*/
/* Run the statement zSql (one statement) on the server ctx->zRemote, as
** weir_exec would locally: results through ctx->cb, errors in err.
** *pzTail is set past it. Returns a WEIR_* code. */
int repl_remote_exec(repl_ctx *ctx, const char *zSql, const char **pzTail,
                     weir_error *err);
/* Print materialized view zView's contents from the server through
** ctx->cb (on_start, +I rows, on_end). Returns a WEIR_* code. */
int repl_remote_view(repl_ctx *ctx, const char *zView, weir_error *err);
/* Close streams of queries still followed in the background. */
void repl_remote_close(repl_ctx *ctx);

/* ---- output.c ------------------------------------------------------------*/
/* Point ctx->cb at the printers below. With a loop (the one the engine
** runs on), the status line is also refreshed by a timer on it. */
void repl_output_init(repl_ctx *ctx, uv_loop_t *loop);
/* Close the status timer (before the loop is run down). */
void repl_output_close(repl_ctx *ctx);
/* Called around each weir_exec: begin advances ctx->iExec; end turns the
** statement's still-running queries into background queries and prints
** background tables that changed. */
void repl_output_exec_begin(repl_ctx *ctx);
void repl_output_exec_end(repl_ctx *ctx);
/* After weir_close(): print and free what is left. */
void repl_output_finish(repl_ctx *ctx);
/* Erase the status line if it is shown (before other terminal output). */
void repl_status_clear(repl_ctx *ctx);
/* Before printing anything: erase the status line, and when the prompt is
** waiting for input, clear its line (repl.c redraws it afterwards). */
void repl_output_prepare(repl_ctx *ctx);

#endif
