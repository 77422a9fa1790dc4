/*
** weir.h — the public interface of libweir, a streaming SQL engine.
**
** An engine holds a catalog (sources, sinks, views), a processing-time
** clock and a set of running continuous queries, all on one libuv loop.
** Statements are executed one at a time with weir_exec(); a query's
** output arrives as changelog rows through the callbacks given to it.
**
** Conventions: every fallible function returns WEIR_OK (0) or an error
** code; on error, a weir_error passed in is filled and must be released
** with weir_error_clear(). Handles are opaque; each is freed by the
** function named in its comment. All calls must come from the thread that
** runs the engine's loop.
*/
#ifndef WEIR_H
#define WEIR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- result codes ------------------------------------------------------- */
#define WEIR_OK 0
#define WEIR_ERROR 1        /* generic failure; see weir_error */
#define WEIR_SYNTAX 2       /* SQL syntax error (line/column set) */
#define WEIR_PLAN 3         /* binding/type error (line/column set) */
#define WEIR_RUNTIME 4      /* a query or connector failed */
#define WEIR_INTERRUPTED 5  /* weir_interrupt() stopped a wait */

/* ---- types and ops ------------------------------------------------------- */
typedef enum weir_type {
  WEIR_NULL_TYPE = 0,     /* type of a bare NULL literal */
  WEIR_BOOLEAN = 1,
  WEIR_BIGINT = 2,
  WEIR_DOUBLE = 3,
  WEIR_VARCHAR = 4,
  WEIR_TIMESTAMP = 5,     /* int64 microseconds since epoch, UTC */
  WEIR_INTERVAL = 6       /* int64 microseconds */
} weir_type;

typedef enum weir_op {
  WEIR_OP_INSERT = 0,         /* +I */
  WEIR_OP_UPDATE_BEFORE = 1,  /* -U */
  WEIR_OP_UPDATE_AFTER = 2,   /* +U */
  WEIR_OP_DELETE = 3          /* -D */
} weir_op;

/* One value of a result row. Strings are not NUL-terminated and are valid
** only during the callback that delivers them. */
typedef struct weir_value {
  weir_type type;
  int is_null;
  union {
    int64_t i;          /* BOOLEAN (0/1), BIGINT, TIMESTAMP, INTERVAL */
    double f;           /* DOUBLE */
    struct { const char *p; uint32_t n; } s;  /* VARCHAR */
  } u;
} weir_value;

typedef struct weir_error {
  int code;           /* WEIR_* */
  char *message;      /* full text, including position and caret */
  int line, column;   /* 1-based; 0 when not about SQL text */
} weir_error;

/* Release the message of an error filled in by weir (safe on a zeroed
** or already cleared error). */
void weir_error_clear(weir_error *err);

/* ---- the engine ---------------------------------------------------------- */
typedef struct weir_engine weir_engine;
typedef struct weir_query weir_query;

/* Open an engine. loop may be NULL (weir creates and runs its own; drive
** it with weir_run() or a blocking weir_exec()) or a host uv_loop_t* the
** engine attaches to: its sources, timers and sinks are then handles on
** that loop, and the host runs it. *out is freed with weir_close().
** Returns WEIR_OK, or WEIR_ERROR (err filled) if no loop can be created. */
int weir_open(weir_engine **out, void *uv_loop, weir_error *err);
/* Stop every query (each gets on_end), flush sinks, end and free view
** subscriptions, free the engine, its queries (weir_query handles become
** invalid) and close its handles. With a host loop, the host must run the
** loop once more (e.g. uv_run(loop, UV_RUN_DEFAULT)) before
** uv_loop_close() so the closed handles finish. NULL is a no-op. */
void weir_close(weir_engine *e);

/* Callbacks through which a statement's results reach the caller. Any
** may be NULL. weir_exec copies the struct into each query it starts, so
** arg must stay valid while that query runs (until its on_end). Callbacks
** run on the loop thread; they may call weir functions except
** weir_close(). */
typedef struct weir_callbacks {
  void *arg;
  /* A query (continuous or not) starts producing rows with these
  ** columns. name is the query's name (e.g. "q1"). */
  void (*on_start)(void *arg, weir_query *q, const char *name, int ncol,
                   const char *const *col_names, const weir_type *col_types);
  /* One changelog row: op and ncol typed values (valid only during the
  ** call; copy what you keep). */
  void (*on_row)(void *arg, weir_query *q, weir_op op, int ncol,
                 const weir_value *values);
  /* The query finished (bounded input) or was stopped or failed
  ** (err != NULL then). */
  void (*on_end)(void *arg, weir_query *q, const weir_error *err);
  /* Informational text of a statement (e.g. "Source scores created.",
  ** EXPLAIN output, SHOW results rendered by the engine as a table). */
  void (*on_message)(void *arg, const char *text);
} weir_callbacks;

/* Execute the first statement of sql. *tail (if tail != NULL) is set past
** it, so a caller can loop over a script. DDL, SET, INSERT, ADVANCE and
** SHOW run to completion. A query (SELECT ...) starts; then:
**  - under the manual clock, or when `block` is 0, weir_exec returns at
**    once and rows arrive as later statements cause them;
**  - otherwise weir_exec runs the loop until the query ends (bounded
**    input) or weir_interrupt() is called (returns WEIR_INTERRUPTED).
** Returns WEIR_OK or an error code with err filled. */
int weir_exec(weir_engine *e, const char *sql, const char **tail,
              int block, const weir_callbacks *cb, weir_error *err);

/* Stop the query currently blocking weir_exec (safe from a signal
** handler's uv_async or the loop thread). */
void weir_interrupt(weir_engine *e);

/* Stop a running query by handle; its on_end is called (once; nothing
** happens for a query that already ended). The handle stays valid, owned
** by the engine, until weir_close(). */
void weir_query_stop(weir_engine *e, weir_query *q);
/* The query's name ("q3"), owned by the query. */
const char *weir_query_name(const weir_query *q);

/* Run the engine's loop once without blocking (mode 0: lets sources and
** timers make progress), or until no work remains (mode 1). Returns what
** uv_run returns (non-zero while handles are active). With a host loop,
** prefer running the host's loop. */
int weir_run(weir_engine *e, int mode);

/* Push nrow rows of ncol values (row-major: values[r * ncol + c]) into
** the `memory` source named source, as one batch (split every 1024 rows).
** Values are copied; a BIGINT is accepted for a DOUBLE column. Queries
** reading the source see the rows before weir_push_rows returns or on the
** loop's next turn. Returns WEIR_OK, or WEIR_ERROR (err filled) when
** source is not a memory source, ncol differs from its columns, or a
** value has the wrong type (no row of that batch is pushed). */
int weir_push_rows(weir_engine *e, const char *source, int nrow, int ncol,
                   const weir_value *values, weir_error *err);

/* Create memory source `scores` and start the built-in demo generator
** feeding it on the engine's loop. WEIR_ERROR if `scores` exists. */
int weir_demo_start(weir_engine *e, weir_error *err);

/* Counters of a query, filled by weir_query_get_stats() (any time,
** also after the query ended). */
typedef struct weir_query_stats {
  int64_t rows_in, rows_out, bad_records, late_dropped;
  int64_t watermark;        /* INT64_MIN before any */
  int64_t state_bytes;
} weir_query_stats;
void weir_query_get_stats(const weir_query *q, weir_query_stats *st);

/* Format a value as weir prints it (NULL -> "NULL"). Returns the number of
** bytes that the full text needs (snprintf convention). */
int weir_value_format(char *buf, int n, const weir_value *v);

/* SQL name of a type ("BIGINT"; "NULL" for WEIR_NULL_TYPE) and the
** changelog spelling of an op ("+I", "-U", "+U", "-D"). Static strings. */
const char *weir_type_name(weir_type t);
const char *weir_op_name(weir_op op);


/* ---- changelog tables ---------------------------------------------------- */
/* A weir_table holds the current contents of a changelog: +I and +U add a
** row, -U and -D remove one copy of an equal row (all columns compared), so
** a table fed every change of a query equals the query's result now. Rows
** keep the order in which they were added. Used by materialized views and
** handy for embedders that want a result table instead of a changelog. */
typedef struct weir_table weir_table;

/* Create an empty table with ncol columns (names and types are copied).
** Free it with weir_table_free(). Never returns NULL. */
weir_table *weir_table_new(int ncol, const char *const *names,
                           const weir_type *types);
void weir_table_free(weir_table *t);
/* Apply one change. Values are copied. Returns WEIR_OK, or WEIR_ERROR when
** a retraction names a row the table does not hold (the table is left as
** it was) or ncol differs. */
int weir_table_apply(weir_table *t, weir_op op, int ncol,
                     const weir_value *values);
/* Number of rows (counting duplicates) and bytes held. */
int64_t weir_table_rows(const weir_table *t);
int64_t weir_table_bytes(const weir_table *t);
int weir_table_ncol(const weir_table *t);
const char *weir_table_col_name(const weir_table *t, int i);
weir_type weir_table_col_type(const weir_table *t, int i);
/* Call x once per row (a row held twice is passed twice), oldest first.
** The values are valid only during the call; x must not change t. */
void weir_table_scan(const weir_table *t,
                     void (*x)(void *arg, int ncol, const weir_value *values),
                     void *arg);

/* ---- materialized views -------------------------------------------------- */
/* CREATE MATERIALIZED VIEW starts a query (named like any other, "q<N>")
** that keeps the view's contents in a weir_table. DROP VIEW stops it. */

/* Read the current contents of materialized view `view`: cb->on_start is
** called once (q is that view's maintaining query, name is the view's),
** then cb->on_row with WEIR_OP_INSERT for each row; on_end is not called.
** Returns WEIR_OK, or WEIR_ERROR (err filled) if there is no such
** materialized view. */
int weir_view_snapshot(weir_engine *e, const char *view,
                       const weir_callbacks *cb, weir_error *err);

typedef struct weir_view_sub weir_view_sub;
/* Subscribe to materialized view `view`: the current contents arrive
** first (as by weir_view_snapshot), then every change as it happens. When
** the view's query ends (bounded input, failure, DROP VIEW, weir_close)
** on_end is called; the subscription stays valid until unsubscribed.
** *out is released with weir_view_unsubscribe() (also after on_end), or
** by weir_close() for those still open (do not unsubscribe after it).
** Returns WEIR_OK or WEIR_ERROR (err filled). */
int weir_view_subscribe(weir_engine *e, const char *view,
                        const weir_callbacks *cb, weir_view_sub **out,
                        weir_error *err);
/* End a subscription; no callback is called after this. Safe inside the
** subscription's own callbacks. */
void weir_view_unsubscribe(weir_engine *e, weir_view_sub *s);
/* Call x for each materialized view's name, in creation order. */
void weir_view_list(weir_engine *e, void (*x)(void *arg, const char *name),
                    void *arg);
/* The query that maintains materialized view `view`, or NULL. */
weir_query *weir_view_query(weir_engine *e, const char *view);

/* Enumerate the engine's queries (running and ended), newest first:
** pass NULL for the first; returns NULL after the last. */
weir_query *weir_query_next(weir_engine *e, weir_query *prev);
/* Find a query by name ("q3"), or NULL. */
weir_query *weir_query_find(weir_engine *e, const char *name);
/* State of a query: 1 running, 2 finished, 3 stopped, 4 failed. */
int weir_query_state(const weir_query *q);
/* The failure message of a failed query, or NULL. Owned by the query. */
const char *weir_query_error(const weir_query *q);
/* The statement text that started the query. Owned by the query. */
const char *weir_query_sql(const weir_query *q);
/* Does the query read only bounded inputs (so it ends by itself)? */
int weir_query_is_bounded(const weir_query *q);
/* Is the engine's clock the manual (virtual) clock? */
int weir_clock_is_manual(weir_engine *e);

#ifdef __cplusplus
}
#endif
#endif
