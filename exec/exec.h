/*
** exec/exec.h — what the executor offers.
**
** Third stage of the pipeline (parser -> planner -> exec -> connectors).
** The planner hands exec an immutable physical plan (exec_plan, defined
** here because it is exec's input). exec instantiates one operator per
** plan node; runtime state lives in the operator, never in the plan.
**
** Data moves in batches: up to EXEC_BATCH_CAP rows as column vectors plus
** an op column (+I/-U/+U/-D), pushed from sources towards the sink.
** Expressions evaluate a whole vector at a time. A batch and the strings
** it points to are valid only during the push that carries it: an
** operator that keeps a value copies it.
**
** Everything runs on one libuv loop thread. Operators never block and
** never own libuv handles; processing-time timers go through the clock's
** single timer service (exec_clock).
*/
#ifndef WEIR_EXEC_H
#define WEIR_EXEC_H

#include <stdint.h>
#include <uv.h>
#include "common/common.h"
#include "weir.h"

/* ======================================================================
** Values, vectors, batches
** ==================================================================== */

/* Column types: the public weir_type values (WEIR_BOOLEAN...). */
#define EXEC_BATCH_CAP 1024

/* Time. Timestamps and intervals are int64 microseconds. */
#define EXEC_TIME_MIN INT64_MIN   /* watermark before any data */
#define EXEC_TIME_MAX INT64_MAX   /* watermark at end of bounded input */

/* Row ops (Flink RowKind). Values match weir_op in weir.h. */
enum {
  OP_INSERT = WEIR_OP_INSERT,           /* +I */
  OP_UPDATE_BEFORE = WEIR_OP_UPDATE_BEFORE, /* -U */
  OP_UPDATE_AFTER = WEIR_OP_UPDATE_AFTER,   /* +U */
  OP_DELETE = WEIR_OP_DELETE            /* -D */
};

typedef struct exec_str {
  const char *p;    /* not NUL-terminated */
  uint32_t n;
} exec_str;

/* One column of a batch. null[i] != 0 means row i is NULL (the value slot
** is then unspecified). Arrays have EXEC_BATCH_CAP slots. */
typedef struct exec_vec {
  uint8_t type;     /* WEIR_* type */
  uint8_t *null;
  union {
    int64_t *i64;   /* BIGINT, TIMESTAMP, INTERVAL */
    double *f64;    /* DOUBLE */
    uint8_t *b;     /* BOOLEAN (0/1) */
    exec_str *s;    /* VARCHAR */
    void *p;
  } v;
} exec_vec;

typedef struct exec_batch {
  int n;            /* rows in use */
  int nCol;
  exec_vec *aCol;
  uint8_t *op;      /* per row OP_*; EXEC_BATCH_CAP slots */
  common_arena *pHeap;  /* where this batch's strings live; may be NULL if
                        ** strings point into a source's buffer */
} exec_batch;

typedef struct exec_schema {
  int nCol;
  char **azName;
  uint8_t *aType;
} exec_schema;

/* Allocate a batch with nCol columns of the given types in arena a
** (vectors of EXEC_BATCH_CAP slots; ops set to OP_INSERT; n = 0;
** pHeap = a). */
exec_batch *exec_batch_new(common_arena *a, int nCol, const uint8_t *aType);
/* Copy row iRow of src into row dst->n of dst (strings copied into
** dst->pHeap, which must be set), and increment dst->n. */
void exec_batch_append_row(exec_batch *dst, const exec_batch *src, int iRow);
/* Size in bytes of one value slot of a type. */
size_t exec_type_size(int type);
const char *exec_type_name(int type);
const char *exec_op_name(int op);   /* "+I", "-U", "+U", "-D" */

/* A single value (constants, aggregate state, row callbacks). */
typedef struct exec_value {
  uint8_t type;
  uint8_t isNull;
  union {
    int64_t i;
    double f;
    exec_str s;
  } u;
} exec_value;

void exec_vec_get(const exec_vec *v, int i, exec_value *out);
/* Render one value as text the way results print (NULL -> "NULL",
** timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]", intervals "INTERVAL '…'"). */
void exec_value_format(common_buf *b, const exec_value *v);
/* Timestamp helpers (UTC). Parse accepts 'YYYY-MM-DD[ T]HH:MM:SS[.f]'
** optionally followed by Z, and a bare date; returns 0 on success. */
int exec_ts_parse(const char *z, size_t n, int64_t *pUs);
int exec_ts_format(char *zOut, int64_t us);   /* returns length, <= 32 */

/* ======================================================================
** Expressions (bound and typed by the planner)
** ==================================================================== */

typedef struct exec_eval_ctx {
  common_arena *pScratch;   /* per-batch scratch (reset after each push) */
  const char *zErr;         /* first runtime error, if any */
  int64_t now;              /* processing time, for PROCTIME()/NOW() */
} exec_eval_ctx;

/* A vectorised scalar function: compute out[0..n) from args. out->type is
** already set; out's arrays are allocated by the caller. */
typedef void (*exec_fn_impl)(exec_eval_ctx *ctx, int n,
                             const exec_vec *const *aArg, int nArg,
                             exec_vec *out);

typedef enum exec_expr_kind {
  EXPR_CONST = 1,   /* value */
  EXPR_COL,         /* iCol of the input batch */
  EXPR_CALL,        /* xImpl(aArg...) */
  EXPR_CAST,        /* aArg[0] cast to type */
  EXPR_ROWOP        /* the batch's op column as VARCHAR "+I" "-U" ... */
} exec_expr_kind;

typedef struct exec_expr exec_expr;
struct exec_expr {
  exec_expr_kind kind;
  uint8_t type;             /* result type */
  int iCol;                 /* EXPR_COL */
  exec_value value;         /* EXPR_CONST (strings in the plan arena) */
  exec_fn_impl xImpl;       /* EXPR_CALL */
  const char *zFn;          /* function name, for EXPLAIN */
  int nArg;
  exec_expr **aArg;
};

/* Scalar function registry. Operators are functions named by their SQL
** spelling: "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">",
** ">=", "AND", "OR", "NOT", "NEG", "IS", "ISNOT", "ISNULL",
** "ISNOTNULL", "LIKE" (2 or 3 args), "BETWEEN" (3), "IN" (needle then
** list), "CASE" (when,then pairs then optional else). Then the named
** functions: COALESCE NULLIF LOWER UPPER SUBSTR SUBSTRING LENGTH
** CHAR_LENGTH TRIM LTRIM RTRIM CONCAT REPLACE ABS ROUND FLOOR CEIL CEILING
** MOD POWER SQRT EXTRACT_<FIELD> (YEAR MONTH DAY HOUR MINUTE SECOND
** MILLISECOND DOW DOY EPOCH) YEAR MONTH DAYOFMONTH HOUR MINUTE SECOND
** DATE_FORMAT TO_TIMESTAMP FROM_UNIXTIME UNIX_TIMESTAMP NOW
** CURRENT_TIMESTAMP. */
typedef struct exec_fn {
  const char *zName;
  int nMinArg, nMaxArg;     /* nMaxArg -1 = variadic */
  /* Choose the result type (and the implementation) for the argument
  ** types. Returns 0, or 1 with *pzErr set to a static message such as
  ** "LOWER expects VARCHAR". WEIR_NULL_TYPE args (NULL literal) must be
  ** accepted anywhere. */
  int (*xBind)(int nArg, const uint8_t *aType, uint8_t *pRet,
               exec_fn_impl *pImpl, const char **pzErr);
} exec_fn;

/* Look up a function by case-insensitive name; NULL if none. */
const exec_fn *exec_fn_find(const char *zName);

/* Evaluate e over batch b; the result is valid until ctx->pScratch is
** reset. EXPR_COL returns the batch's own vector (no copy). b may be NULL
** for an expression without column references (one row, e.g. constant
** folding). */
const exec_vec *exec_expr_eval(const exec_expr *e, const exec_batch *b,
                               exec_eval_ctx *ctx);
/* Cast vector in[0..n) to type t into out (allocated by caller). Failed
** conversions yield NULL. */
void exec_cast(exec_eval_ctx *ctx, int n, const exec_vec *in, exec_vec *out);
/* Nonzero if exec_cast converts type `from` to type `to` (see exec/expr.c
** for the rules); the planner rejects other CASTs. */
int exec_cast_supported(int from, int to);
/* Allocate a vector of type t with EXEC_BATCH_CAP slots in arena a. */
exec_vec *exec_vec_new(common_arena *a, int type);
/* Render an expression for EXPLAIN (column names from schema). */
void exec_expr_explain(common_buf *b, const exec_expr *e,
                       const exec_schema *pIn);

/* ======================================================================
** Aggregates (GroupByKey + Combine)
** ==================================================================== */

typedef enum exec_agg_kind {
  AGG_COUNT_STAR = 1, AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG
} exec_agg_kind;

typedef struct exec_agg {
  exec_agg_kind kind;
  unsigned bDistinct : 1;
  int iArg;                 /* input column, -1 for COUNT(*) */
  int iFilter;              /* BOOLEAN input column of FILTER, or -1 */
  uint8_t argType, resType;
} exec_agg;

/* ======================================================================
** Windows, triggers, accumulation (the Beam model)
** ==================================================================== */

typedef enum exec_win_kind {
  WIN_NONE = 0, WIN_TUMBLE, WIN_HOP, WIN_SESSION, WIN_CUMULATE
} exec_win_kind;

typedef struct exec_window {
  exec_win_kind kind;
  int iTimeCol;             /* input column holding event time (or -1 for
                            ** processing time: PROCTIME()) */
  int64_t size;             /* TUMBLE/HOP size, CUMULATE max size */
  int64_t slide;            /* HOP slide, CUMULATE step */
  int64_t offset;           /* TUMBLE/HOP offset */
  int64_t gap;              /* SESSION gap */
} exec_window;

typedef enum exec_trig_kind {
  TRIG_NONE = 0,
  TRIG_EVERY,               /* aligned processing-time period */
  TRIG_AFTER_DELAY,         /* delay after first row since last pane */
  TRIG_AFTER_ROWS,          /* after n rows */
  TRIG_EVERY_ROW            /* after each input batch */
} exec_trig_kind;

typedef enum exec_accum {
  ACC_DISCARDING = 1, ACC_ACCUMULATING, ACC_RETRACTING
} exec_accum;

typedef struct exec_trigger {
  unsigned bOnTime : 1;     /* fire when the watermark passes the end */
  exec_trig_kind early;
  int64_t earlyArg;
  exec_trig_kind late;
  int64_t lateArg;
  int64_t lateness;         /* allowed lateness, us (>= 0) */
  int64_t closeDelay;       /* > 0: the on-time pane waits until the
                            ** watermark passes end + closeDelay (the
                            ** lateness), rows until then being on time
                            ** (Proton's AFTER WINDOW CLOSE WITH DELAY) */
  exec_accum accum;
} exec_trigger;

/* ======================================================================
** The physical plan (immutable; built by the planner)
** ==================================================================== */

typedef enum exec_plan_kind {
  PLAN_READ = 1,    /* a source: emits its schema's columns */
  PLAN_VALUES,      /* constant rows (INSERT ... VALUES, SELECT 1) */
  PLAN_PARDO,       /* filter then project (map/filter/project) */
  PLAN_WINDOW,      /* assign windows: appends window_start, window_end */
  PLAN_AGG,         /* GroupByKey + Combine with trigger & accumulation */
  PLAN_FLATTEN,     /* UNION ALL of its children */
  PLAN_JOIN,        /* joins (later issues) */
  PLAN_SINK         /* the end of a pipeline */
} exec_plan_kind;

typedef struct exec_plan exec_plan;
struct exec_plan {
  exec_plan_kind kind;
  int id;                   /* unique within the plan, for EXPLAIN */
  int nChild;
  exec_plan **aChild;
  exec_schema schema;       /* output columns */

  /* PLAN_READ */
  const char *zSource;      /* catalog name */
  void *pSourceDef;         /* planner's catalog entry (opaque to exec) */
  int iWmCol;               /* event-time column for the watermark, -1 */
  int64_t wmDelay;          /* WATERMARK FOR ts AS ts - delay */
  uint8_t *aNeeded;         /* per source column: 1 if any consumer reads
                            ** it (sources may skip parsing the rest) */
  int64_t idleTimeout;      /* 'idle.timeout' (us): a partition silent
                            ** this long (processing time) stops holding
                            ** the watermark back; 0 = never idle */
  int bBatch;               /* a bounded input read as a batch (DESIGN
                            ** 2.1): its event-time watermark stays put
                            ** until the end, then jumps to +inf, so no
                            ** row of it is ever late */
  int bIdleAdvance;         /* 'idle.advance': with every partition idle
                            ** the watermark follows processing time -
                            ** wmDelay */

  /* PLAN_VALUES */
  int nRow;
  exec_value **aaRow;       /* nRow rows of schema.nCol values */

  /* PLAN_PARDO */
  exec_expr *pFilter;       /* BOOLEAN, or NULL */
  int nProj;
  exec_expr **aProj;        /* output column i = aProj[i] */

  /* PLAN_WINDOW and PLAN_AGG */
  exec_window window;

  /* PLAN_AGG: output = keys, then (if windowed) window_start, window_end,
  ** then aggregates, in that order; a PARDO above reorders them. */
  int nKey;
  int *aKeyCol;             /* input columns forming the group key */
  int nAgg;
  exec_agg *aAgg;
  exec_trigger trigger;
  int bUnbounded;           /* unwindowed aggregate (global window) */
  int bPaneMetaUsed;        /* the query selects pane_timing, pane_index or
                            ** emit_time (ptime): every pane's row differs,
                            ** so RETRACTING suppresses no identical pane
                            ** (ver, a changelog row number, does not
                            ** count: it exists only once a row is sent) */
  const char *zLateSink;    /* 'late.sink': input rows dropped as too late
                            ** (or with a NULL event time) are written to
                            ** this catalog sink; NULL = only counted */
  exec_schema lateSchema;   /* the late rows' columns: input columns
                            ** aLateCol[i] (the planner appends the FROM
                            ** item's columns to the pre-projection);
                            ** nCol 0 = the whole input row */
  int *aLateCol;

  /* PLAN_JOIN (planned; no operator executes it yet): aChild[0] is the
  ** left input, aChild[1] the right; output = left columns then right
  ** columns. Rows match when aLeftKey[i] equals aRightKey[i] for every i
  ** and pJoinFilter (over the joined row, may be NULL) holds. When
  ** window.kind != WIN_NONE both inputs carry window_start/window_end of
  ** that window among the keys: a windowed join whose state ends with the
  ** window. */
  int joinKind;             /* 1 inner, 2 left, 3 right, 4 full outer */
  int nJoinKey;
  int *aLeftKey;
  int *aRightKey;
  exec_expr *pJoinFilter;

  /* PLAN_SINK */
  const char *zSink;        /* sink name or NULL for the query's owner */
  void *pSinkDef;           /* planner's catalog entry (opaque to exec) */
  int nSinkKey;             /* the query's unique key: columns of the
                            ** sink's input schema (group keys and
                            ** window bounds of an aggregating query);
                            ** 0 for append-only queries */
  int *aSinkKey;
};

/* Render the plan as an indented tree (EXPLAIN). With stats != NULL
** (EXPLAIN ANALYZE) each line also gets its operator's counters. */
typedef struct exec_query exec_query;
void exec_plan_explain(common_buf *b, const exec_plan *p,
                       const exec_query *pStats);

/* ======================================================================
** Clock and timer service
** ==================================================================== */

/* Processing time: the real clock, or a manual one under test. One
** min-heap of timers multiplexed onto one uv_timer. Ties fire in the order
** they were set. */
typedef struct exec_clock exec_clock;
typedef void (*exec_timer_cb)(void *pArg, uint64_t iTag, int64_t at);

exec_clock *exec_clock_new(uv_loop_t *loop);
void exec_clock_free(exec_clock *c);
void exec_clock_set_manual(exec_clock *c, int bManual);
int exec_clock_is_manual(const exec_clock *c);
int64_t exec_clock_now(exec_clock *c);      /* us since epoch */
/* Manual clock: set the time without firing (SET time = ...). */
void exec_clock_set(exec_clock *c, int64_t now);
/* Manual clock: move to `to`, firing due timers in time order. */
void exec_clock_advance(exec_clock *c, int64_t to);
/* Arm a timer; returns an id (never 0) for cancelling. */
uint64_t exec_timer_set(exec_clock *c, int64_t at, exec_timer_cb x,
                        void *pArg, uint64_t iTag);
void exec_timer_cancel(exec_clock *c, uint64_t id);

/* ======================================================================
** Sources and sinks (implemented in connectors/, driven by exec)
** ==================================================================== */

typedef struct exec_source exec_source;
typedef struct exec_source_vtab {
  /* Begin producing on loop; batches go to src->xDeliver. */
  int (*xStart)(exec_source *src, uv_loop_t *loop);
  /* Stop producing; no callback after this returns. */
  void (*xStop)(exec_source *src);
  void (*xFree)(exec_source *src);
} exec_source_vtab;

struct exec_source {
  const exec_source_vtab *vt;
  /* Filled in by exec before xStart. */
  void *pArg;
  /* A batch from partition iPart (0 for single-partition sources). */
  void (*xDeliver)(void *pArg, exec_batch *b, int iPart);
  /* The bounded input is exhausted (watermark -> +inf). */
  void (*xEnd)(void *pArg);
  /* A watermark told by the source itself (ADVANCE WATERMARK). */
  void (*xWatermark)(void *pArg, int64_t wm);
  /* A fatal error (query stops). */
  void (*xError)(void *pArg, const char *zMsg);
  int nPart;                /* partitions, for per-partition watermarks */
  /* Counters maintained by the connector. */
  int64_t nRecords;         /* good records delivered */
  int64_t nBad;             /* malformed records skipped */
  char zLastBad[256];       /* "file:line: reason" of the latest bad one */
};

typedef struct exec_sink exec_sink;
typedef struct exec_sink_vtab {
  /* Write a batch of changelog rows (b->op tells each row's op). */
  int (*xWrite)(exec_sink *s, const exec_batch *b, const exec_schema *sch);
  /* The query ended (bounded input) or was stopped: flush. */
  int (*xFlush)(exec_sink *s);
  void (*xFree)(exec_sink *s);
} exec_sink_vtab;

struct exec_sink {
  const exec_sink_vtab *vt;
  char zErr[256];
  /* Optional (NULL unless the sink's opener sets it): the watermark at
  ** the sink advanced to wm, after every row it let through was written
  ** (a materialized view passes it on to the queries reading it). */
  void (*xWatermark)(exec_sink *s, int64_t wm);
  /* Set by the query right after the sink is opened (exec/query.c), for
  ** sinks with work of their own between writes (a producer's delivery
  ** reports): the loop the query runs on, and the query, which such work
  ** fails with exec_sink_failed. */
  uv_loop_t *loop;
  struct exec_query *pQuery;
};

/* Sink s found an error on its own, outside xWrite/xFlush (message in
** s->zErr): fail its query (no-op when it no longer runs). */
void exec_sink_failed(exec_sink *s);

/* ======================================================================
** Operators and queries
** ==================================================================== */

typedef struct exec_op exec_op;
typedef struct exec_op_vtab {
  const char *zName;
  size_t szOp;              /* size of the operator's state struct, whose
                            ** first member is exec_op */
  int (*xInit)(exec_op *op);
  int (*xPush)(exec_op *op, int iInput, exec_batch *b);
  int (*xWatermark)(exec_op *op, int iInput, int64_t wm);
  int (*xFlush)(exec_op *op, int iInput);   /* input iInput ended */
  void (*xClose)(exec_op *op);
} exec_op_vtab;

struct exec_op {
  const exec_op_vtab *vt;
  const exec_plan *plan;
  exec_query *q;
  exec_op *pParent;         /* downstream operator, NULL at the sink */
  int iParentInput;
  int nInput;
  int64_t *aInWm;           /* per-input watermark */
  int64_t wmOut;            /* last watermark sent downstream */
  int nEnded;               /* inputs that ended */
  int bEndSent;             /* exec_op_emit_end already ran */
  common_arena scratch;     /* reset after each push */
  /* counters for EXPLAIN ANALYZE and metrics */
  int64_t nRowsIn, nRowsOut, nLateDropped;
  int64_t stateBytes;        /* window/aggregate state held (kept by the
                            ** operator; summed into query stats) */
};

/* Operator vtables, all registered in exec/operators.c. */
const exec_op_vtab *exec_op_vtab_for(exec_plan_kind kind);

/* Push a batch to op's parent (no-op at the root). */
int exec_op_emit(exec_op *op, exec_batch *b);
/* Forward a watermark downstream if it advanced (asserts monotonic). */
int exec_op_emit_watermark(exec_op *op, int64_t wm);
/* Signal end of input downstream. */
int exec_op_emit_end(exec_op *op);

/* A running query: operators instantiated from a plan, its sources and
** sink, counters. Owned by the engine. */
typedef struct exec_env {
  uv_loop_t *loop;
  exec_clock *clock;
} exec_env;

typedef enum exec_query_state {
  EXQ_RUNNING = 1, EXQ_FINISHED, EXQ_STOPPED, EXQ_FAILED
} exec_query_state;

/* Callback the engine gives to open a plan's sources and sinks through
** connectors (exec does not depend on connectors). */
typedef struct exec_binder {
  void *pArg;
  exec_source *(*xOpenSource)(void *pArg, const exec_plan *pRead,
                              char **pzErr);
  exec_sink *(*xOpenSink)(void *pArg, const exec_plan *pSink,
                          char **pzErr);
  /* Called when the query changes state (finished, failed). */
  void (*xState)(void *pArg, exec_query *q);
  /* Open catalog sink zSink as the side output of late rows of an Agg
  ** (plan zLateSink) whose rows have schema pRows. May be NULL: a plan
  ** with a late sink then fails to start. */
  exec_sink *(*xOpenLateSink)(void *pArg, const char *zSink,
                              const exec_schema *pRows, char **pzErr);
} exec_binder;

/* Instantiate and start plan (the root is a PLAN_SINK). Returns 0, or 1
** with *pzErr (free with common_free). */
int exec_query_start(exec_query **pq, const exec_plan *plan,
                     const exec_env *env, const exec_binder *binder,
                     char **pzErr);
/* Stop sources, flush the sink, keep counters readable. */
void exec_query_stop(exec_query *q);
void exec_query_free(exec_query *q);
exec_query_state exec_query_state_get(const exec_query *q);
const char *exec_query_error(const exec_query *q);

typedef struct exec_query_stats {
  int64_t nRowsIn;          /* rows read from sources */
  int64_t nRowsOut;         /* changelog rows written to the sink */
  int64_t nBad;             /* malformed records skipped */
  int64_t nLateDropped;     /* rows too late for any window */
  int64_t watermark;        /* the sink's input watermark */
  int64_t stateBytes;       /* window/aggregate state held */
  char zLastBad[256];
} exec_query_stats;
void exec_query_stats_get(const exec_query *q, exec_query_stats *st);
/* Counters of the operator for plan node id (EXPLAIN ANALYZE). */
const exec_op *exec_query_op(const exec_query *q, int planId);

#endif
