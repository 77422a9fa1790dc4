/*
** engine/engine.h — libweir's statement runner: the internal side of
** include/weir.h. It sits on top of the pipeline: it parses a statement
** (parser/), plans it against the catalog (planner/), starts it as a
** running query (exec/) over sources and sinks opened from connectors/,
** and delivers changelog rows to the caller's weir_callbacks.
**
** Other front ends (repl/, a server) use only include/weir.h; this header
** exists for the engine's own files.
*/
#ifndef WEIR_ENGINE_H
#define WEIR_ENGINE_H

#include "weir.h"
#include "common/common.h"
#include "parser/parser.h"
#include "planner/planner.h"
#include "exec/exec.h"
#include "connectors/connectors.h"

struct weir_query {
  weir_engine *pEngine;
  char zName[32];           /* "q1", "q2", ... */
  char *zSql;               /* statement text (common_malloc) */
  parse_result parse;       /* its AST, kept alive with the plan */
  common_arena arena;       /* the plan */
  exec_plan *pPlan;
  exec_query *pExec;
  weir_callbacks cb;        /* where rows go (copied at start) */
  int bBounded;             /* every source is bounded */
  int bEnded;               /* on_end delivered */
  int bExplainAnalyze;      /* counters printed at the end */
  char *zErr;               /* failure message, if any */
  /* The query's own sink when it has no named one (NULL: the callback
  ** sink); see engine_query_opts. */
  exec_sink *(*xOwnSink)(void *pArg, weir_query *q);
  void *pOwnSinkArg;
  weir_query *pNext;
};

struct weir_engine {
  uv_loop_t *loop;
  int bOwnLoop;
  uv_loop_t ownLoop;
  uv_async_t interrupt;     /* weir_interrupt() -> stop the blocking wait */
  volatile int bInterrupted;
  exec_clock *clock;
  plan_catalog *catalog;
  weir_query *pQueries;     /* running and finished queries, newest first */
  int nQuerySeq;
  weir_query *pBlocking;    /* the query weir_exec is waiting for */
  conn_demo *pDemo;
  int nSet;                 /* SET key = value pairs */
  char **azSetKey, **azSetVal;
  struct engine_mview *pMviews;  /* materialized views (mview.c) */
};

/* Deliver text to the statement's on_message callback (printf-style). */
void engine_message(const weir_callbacks *cb, const char *zFmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Fill err from a parse or plan error against statement text zSql. */
void engine_error_at(weir_error *err, int code, const char *zSql, int iPos,
                     const char *zMsg);
void engine_error(weir_error *err, int code, const char *zFmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Row iRow of b as public values in aOut[0..b->nCol) (strings point into
** the batch: valid while it is). */
void engine_row_values(const exec_batch *b, int iRow, weir_value *aOut);

/* The exec_sink that turns batches into weir_callbacks rows. */
exec_sink *engine_callback_sink_new(weir_query *q);

/* Plan pSel and start it as a new query named q<N>; zSink names the sink
** or NULL for the caller's callbacks. The parse result moves into the
** query (pr is zeroed). */
int engine_query_start(weir_engine *e, parse_result *pr,
                       const ast_select *pSel, const char *zSql,
                       const char *zSink, const weir_callbacks *cb,
                       weir_query **ppQ, weir_error *err);
/* Extra choices for engine_query_start_opts (all may be 0/NULL). */
typedef struct engine_query_opts {
  const char *zMaintain;    /* plan_settings.zMaintain: the materialized
                            ** view whose definition this query runs */
  /* Open the query's sink (instead of the callback sink) */
  exec_sink *(*xOwnSink)(void *pArg, weir_query *q);
  void *pOwnSinkArg;
} engine_query_opts;
/* engine_query_start with opts (NULL = engine_query_start). */
int engine_query_start_opts(weir_engine *e, parse_result *pr,
                            const ast_select *pSel, const char *zSql,
                            const char *zSink, const weir_callbacks *cb,
                            const engine_query_opts *pOpt, weir_query **ppQ,
                            weir_error *err);
/* The options of catalog entry o that its connector sees: all but the
** engine's own ('late.sink'). Free *ppFree with common_free after use. */
conn_options engine_conn_options(const plan_object *o, void **ppFree);
/* The planner settings of e's session (clock, SET 'late.sink'). */
plan_settings engine_plan_settings(weir_engine *e);
/* Run the loop until q ends or weir_interrupt(); WEIR_INTERRUPTED then. */
int engine_query_wait(weir_engine *e, weir_query *q);
weir_query *engine_query_find(weir_engine *e, const char *zName);
int engine_plan_fail(weir_error *err, const char *zSql, plan_error *pe);

/* Render a small text table (SHOW, DESCRIBE) into b. */
void engine_table(common_buf *b, int nCol, const char *const *azHead,
                  int nRow, const char *const *azCell);

/* ---- mview.c: materialized views -------------------------------------- */
typedef struct engine_mview engine_mview;
/* Start the query maintaining materialized view zView (just created). */
int engine_mview_start(weir_engine *e, const char *zView, weir_error *err);
/* Stop and free materialized view zView's query and table (DROP VIEW);
** nothing if zView is not materialized. */
void engine_mview_drop(weir_engine *e, const char *zView);
/* Stop and free every materialized view (weir_close). */
void engine_mview_close_all(weir_engine *e);

/* A batch-level follower of a materialized view (mview_source.c). */
typedef struct engine_mview_tap {
  void *pArg;
  /* A changelog batch the view's query wrote (valid during the call). */
  void (*xBatch)(void *pArg, const exec_batch *b);
  /* The view query's sink-side watermark advanced to wm. */
  void (*xWatermark)(void *pArg, int64_t wm);
  /* The view's query ended (zErr NULL) or failed, or the view was
  ** dropped; nothing follows. */
  void (*xEnd)(void *pArg, const char *zErr);
} engine_mview_tap;
/* Follow materialized view zView: xRow gets each row of its current
** contents, then tap gets every change as it happens (and xEnd at once
** if the view's query already ended). *ppSub is released with
** weir_view_unsubscribe. Returns WEIR_OK, or WEIR_ERROR if zView is not
** a running materialized view. */
int engine_mview_follow(weir_engine *e, const char *zView,
                        void (*xRow)(void *pArg, int ncol,
                                     const weir_value *values),
                        const engine_mview_tap *tap, weir_view_sub **ppSub);

/* ---- mview_source.c: a query's Read of a materialized view ------------ */
/* The exec_source of a Read whose pSourceDef is materialized view o: its
** current contents as +I batches on xStart, then its query's changelog
** batches and watermark as they happen; ends when that query ends. */
exec_source *engine_mview_source_open(weir_engine *e, const plan_object *o,
                                      char **pzErr);

#endif
