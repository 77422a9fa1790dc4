/*
** tests/unit/test_exec_runtime.c — running hand-built plans: VALUES and
** fake sources through Flatten to a capturing sink; watermarks per
** partition, ADVANCE WATERMARK, end of input, failures, stop, stats, and a
** source driven by a real libuv loop.
*/
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "tinytest.h"

/* ---- plan building ------------------------------------------------------ */

static common_arena gArena; /* plans live here for the whole test */

static void schema2(exec_schema *s, const char *z0, int t0, const char *z1,
                    int t1) {
  s->nCol = 2;
  s->azName = common_arena_alloc(&gArena, 2 * sizeof(char *));
  s->aType = common_arena_alloc(&gArena, 2);
  s->azName[0] = (char *)z0;
  s->azName[1] = (char *)z1;
  s->aType[0] = (uint8_t)t0;
  s->aType[1] = (uint8_t)t1;
}

static exec_plan *plan_node(exec_plan_kind k, int id, int nChild, ...) {
  exec_plan *p = common_arena_zalloc(&gArena, sizeof(*p));
  p->kind = k;
  p->id = id;
  p->iWmCol = -1;
  p->nChild = nChild;
  p->aChild = common_arena_zalloc(&gArena, sizeof(exec_plan *) * 4);
  va_list ap;
  va_start(ap, nChild);
  for (int i = 0; i < nChild; i++) p->aChild[i] = va_arg(ap, exec_plan *);
  va_end(ap);
  return p;
}

/* READ of (name VARCHAR, ts TIMESTAMP) */
static exec_plan *plan_read(int id, const char *zSrc, int iWmCol,
                            int64_t delay) {
  exec_plan *p = plan_node(PLAN_READ, id, 0);
  p->zSource = zSrc;
  p->iWmCol = iWmCol;
  p->wmDelay = delay;
  schema2(&p->schema, "name", WEIR_VARCHAR, "ts", WEIR_TIMESTAMP);
  return p;
}

static exec_plan *plan_sink(int id, exec_plan *child) {
  exec_plan *p = plan_node(PLAN_SINK, id, 1, child);
  p->schema = child->schema;
  return p;
}

/* ---- a fake source ------------------------------------------------------- */

typedef struct fake_src {
  exec_source base;
  const char *zName;
  int nStart, nStop, nFree;
  int failStart;
  int syncRows; /* deliver this many rows and end in xStart */
  /* loop-driven mode: deliver nAuto batches of 3 rows, one per tick */
  uv_timer_t *pTimer;
  int nAuto, iAuto;
  common_arena mem;
} fake_src;

static void fake_send(fake_src *f, int iPart, int n, const int64_t *aTs);

static void fake_tick(uv_timer_t *t) {
  fake_src *f = t->data;
  if (f->iAuto < f->nAuto) {
    uint8_t aType[2] = {WEIR_VARCHAR, WEIR_TIMESTAMP};
    exec_batch *b = exec_batch_new(&f->mem, 2, aType);
    for (int i = 0; i < 3; i++) {
      b->aCol[0].v.s[i].p = "auto";
      b->aCol[0].v.s[i].n = 4;
      b->aCol[1].v.i64[i] = f->iAuto * 10 + i;
    }
    b->n = 3;
    f->iAuto++;
    f->base.xDeliver(f->base.pArg, b, 0);
    common_arena_reset(&f->mem);
  } else {
    uv_timer_stop(t);
    f->base.xEnd(f->base.pArg);
  }
}

static int fake_start(exec_source *s, uv_loop_t *loop) {
  fake_src *f = (fake_src *)s;
  f->nStart++;
  if (f->failStart) return 1;
  if (f->syncRows) {
    int64_t a[8];
    for (int i = 0; i < f->syncRows && i < 8; i++) a[i] = i;
    fake_send(f, 0, f->syncRows < 8 ? f->syncRows : 8, a);
    f->base.xEnd(f->base.pArg);
  }
  if (f->nAuto) {
    f->pTimer = malloc(sizeof(*f->pTimer));
    uv_timer_init(loop, f->pTimer);
    f->pTimer->data = f;
    uv_timer_start(f->pTimer, fake_tick, 1, 1);
  }
  return 0;
}

static void close_free(uv_handle_t *h) {
  free(h);
}

static void fake_stop(exec_source *s) {
  fake_src *f = (fake_src *)s;
  f->nStop++;
  if (f->pTimer) uv_timer_stop(f->pTimer);
}

static void fake_free(exec_source *s) {
  fake_src *f = (fake_src *)s;
  f->nFree++;
  if (f->pTimer) {
    uv_close((uv_handle_t *)f->pTimer, close_free);
    f->pTimer = NULL;
  }
  common_arena_free(&f->mem);
}

static const exec_source_vtab fake_vt = {fake_start, fake_stop, fake_free};

static fake_src *fake_new(const char *zName, int nPart) {
  fake_src *f = calloc(1, sizeof(*f));
  f->base.vt = &fake_vt;
  f->base.nPart = nPart;
  f->zName = zName;
  common_arena_init(&f->mem, 65536);
  return f;
}

/* Deliver rows (name, ts) to partition iPart. */
static void fake_send(fake_src *f, int iPart, int n, const int64_t *aTs) {
  uint8_t aType[2] = {WEIR_VARCHAR, WEIR_TIMESTAMP};
  exec_batch *b = exec_batch_new(&f->mem, 2, aType);
  for (int i = 0; i < n; i++) {
    b->aCol[0].v.s[i].p = "row";
    b->aCol[0].v.s[i].n = 3;
    if (aTs[i] < 0) {
      b->aCol[1].null[i] = 1;
    } else {
      b->aCol[1].v.i64[i] = aTs[i];
    }
  }
  b->n = n;
  f->base.xDeliver(f->base.pArg, b, iPart);
  common_arena_reset(&f->mem);
}

/* ---- a capturing sink ------------------------------------------------- */

typedef struct cap_sink {
  exec_sink base;
  common_buf rows; /* "+I|a|b\n" per row */
  int nRows, nWrite, nFlush, nFree;
  int failAt;      /* fail the nth write (1-based), 0 never */
  exec_query **pq; /* to sample the watermark during writes */
  int64_t aWmAtWrite[16];
} cap_sink;

static int cap_write(exec_sink *s, const exec_batch *b,
                     const exec_schema *sch) {
  cap_sink *c = (cap_sink *)s;
  c->nWrite++;
  if (c->failAt && c->nWrite == c->failAt) {
    strcpy(c->base.zErr, "disk full");
    return 1;
  }
  if (c->pq && *c->pq && c->nWrite <= 16) {
    exec_query_stats st;
    exec_query_stats_get(*c->pq, &st);
    c->aWmAtWrite[c->nWrite - 1] = st.watermark;
  }
  CHECK(sch != NULL);
  CHECK_EQ_INT(sch->nCol, b->nCol);
  for (int i = 0; i < b->n; i++) {
    common_buf_puts(&c->rows, exec_op_name(b->op[i]));
    for (int j = 0; j < b->nCol; j++) {
      /* every column arrives with the type its schema declares */
      if (i == 0) CHECK_EQ_INT(b->aCol[j].type, sch->aType[j]);
      exec_value v;
      exec_vec_get(&b->aCol[j], i, &v);
      common_buf_putc(&c->rows, '|');
      exec_value_format(&c->rows, &v);
    }
    common_buf_putc(&c->rows, '\n');
    c->nRows++;
  }
  return 0;
}

static int cap_flush(exec_sink *s) {
  ((cap_sink *)s)->nFlush++;
  return 0;
}

static void cap_free(exec_sink *s) {
  ((cap_sink *)s)->nFree++;
}

static const exec_sink_vtab cap_vt = {cap_write, cap_flush, cap_free};

/* ---- binder ------------------------------------------------------------ */

typedef struct harness {
  uv_loop_t loop;
  exec_clock *clock;
  exec_env env;
  exec_binder binder;
  fake_src *aSrc[4];
  int nSrc;
  cap_sink sink;
  int nState;
  exec_query_state lastState;
  exec_query *q;
  int64_t mem0;             /* common_mem_used() before the test */
} harness;

static exec_source *h_open_source(void *pArg, const exec_plan *pRead,
                                  char **pzErr) {
  harness *h = pArg;
  for (int i = 0; i < h->nSrc; i++) {
    if (!strcmp(h->aSrc[i]->zName, pRead->zSource)) return &h->aSrc[i]->base;
  }
  *pzErr = common_strdup("no such source");
  return NULL;
}

static exec_sink *h_open_sink(void *pArg, const exec_plan *pSink,
                              char **pzErr) {
  harness *h = pArg;
  CHECK(pSink->zSink == NULL);
  return &h->sink.base;
}

static void h_state(void *pArg, exec_query *q) {
  harness *h = pArg;
  h->nState++;
  h->lastState = exec_query_state_get(q);
}

static harness *h_new(void) {
  int64_t mem0 = common_mem_used();
  common_arena_init(&gArena, 8192);
  harness *h = calloc(1, sizeof(*h));
  h->mem0 = mem0;
  uv_loop_init(&h->loop);
  h->clock = exec_clock_new(&h->loop);
  exec_clock_set_manual(h->clock, 1);
  exec_clock_set(h->clock, 0);
  h->env.loop = &h->loop;
  h->env.clock = h->clock;
  h->binder.pArg = h;
  h->binder.xOpenSource = h_open_source;
  h->binder.xOpenSink = h_open_sink;
  h->binder.xState = h_state;
  h->sink.base.vt = &cap_vt;
  common_buf_init(&h->sink.rows);
  h->sink.pq = &h->q;
  return h;
}

static fake_src *h_src(harness *h, const char *zName, int nPart) {
  fake_src *f = fake_new(zName, nPart);
  h->aSrc[h->nSrc++] = f;
  return f;
}

/* Free the query, the clock and the loop; check nothing leaked. */
static void h_free(harness *h) {
  exec_query_free(h->q);
  for (int i = 0; i < h->nSrc; i++) {
    CHECK_EQ_INT(h->aSrc[i]->nFree, 1);
  }
  exec_clock_free(h->clock);
  uv_run(&h->loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&h->loop), 0);
  for (int i = 0; i < h->nSrc; i++) free(h->aSrc[i]);
  common_buf_free(&h->sink.rows);
  common_arena_free(&gArena);
  /* everything the runtime allocated has been given back */
  CHECK_EQ_INT(common_mem_used(), h->mem0);
  free(h);
}

static int64_t sink_wm(harness *h) {
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  return st.watermark;
}

/* ---- tests -------------------------------------------------------------- */

TEST(values_to_sink_finishes) {
  harness *h = h_new();
  exec_plan *v = plan_node(PLAN_VALUES, 2, 0);
  schema2(&v->schema, "n", WEIR_BIGINT, "s", WEIR_VARCHAR);
  v->nRow = 3;
  v->aaRow = common_arena_alloc(&gArena, 3 * sizeof(exec_value *));
  for (int r = 0; r < 3; r++) {
    exec_value *a = common_arena_zalloc(&gArena, 2 * sizeof(exec_value));
    a[0].type = WEIR_BIGINT;
    a[0].u.i = 10 * (r + 1);
    a[1].type = WEIR_VARCHAR;
    a[1].u.s.p = r == 1 ? "bee" : "ay";
    a[1].u.s.n = r == 1 ? 3 : 2;
    if (r == 2) a[1].isNull = 1;
    v->aaRow[r] = a;
  }
  exec_plan *s = plan_sink(1, v);
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, s, &h->env, &h->binder, &zErr), 0);
  CHECK(zErr == NULL);
  CHECK_EQ_STR(h->sink.rows.z, "+I|10|ay\n+I|20|bee\n+I|30|NULL\n");
  CHECK_EQ_INT(h->sink.nFlush, 1);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->nState, 1);
  CHECK_EQ_INT(h->lastState, EXQ_FINISHED);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nRowsOut, 3);
  CHECK_EQ_INT(st.watermark, EXEC_TIME_MAX);
  const exec_op *op = exec_query_op(h->q, 2);
  CHECK(op != NULL);
  CHECK_EQ_INT(op->nRowsOut, 3);
  CHECK(exec_query_op(h->q, 99) == NULL);
  /* Stopping a finished query changes nothing and does not flush again. */
  exec_query_stop(h->q);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  h_free(h);
}

TEST(values_many_rows_in_batches) {
  harness *h = h_new();
  exec_plan *v = plan_node(PLAN_VALUES, 2, 0);
  schema2(&v->schema, "n", WEIR_BIGINT, "d", WEIR_DOUBLE);
  v->nRow = 2500;
  v->aaRow = common_arena_alloc(&gArena, 2500 * sizeof(exec_value *));
  for (int r = 0; r < 2500; r++) {
    exec_value *a = common_arena_zalloc(&gArena, 2 * sizeof(exec_value));
    a[0].type = WEIR_BIGINT;
    a[0].u.i = r;
    a[1].type = WEIR_BIGINT; /* converted to the DOUBLE column */
    a[1].u.i = r;
    v->aaRow[r] = a;
  }
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, v), &h->env, &h->binder, &zErr), 0);
  CHECK_EQ_INT(h->sink.nRows, 2500);
  CHECK_EQ_INT(h->sink.nWrite, 3);
  CHECK_CONTAINS(h->sink.rows.z, "+I|2499|2499.0\n");
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  h_free(h);
}

TEST(start_errors) {
  harness *h = h_new();
  char *zErr = NULL;
  /* Root is not a sink. */
  exec_plan *r = plan_read(1, "a", -1, 0);
  CHECK_EQ_INT(exec_query_start(&h->q, r, &h->env, &h->binder, &zErr), 1);
  CHECK(h->q == NULL);
  CHECK_CONTAINS(zErr, "sink");
  common_free(zErr);
  /* Unknown source: the binder's message comes back. */
  zErr = NULL;
  exec_plan *s = plan_sink(2, plan_read(1, "nope", -1, 0));
  CHECK_EQ_INT(exec_query_start(&h->q, s, &h->env, &h->binder, &zErr), 1);
  CHECK_EQ_STR(zErr, "no such source");
  common_free(zErr);
  /* An operator without an implementation is refused by name. */
  if (exec_op_vtab_for(PLAN_JOIN) == NULL) {
    zErr = NULL;
    exec_plan *j = plan_node(PLAN_JOIN, 3, 2, plan_read(4, "a", -1, 0),
                             plan_read(5, "a", -1, 0));
    CHECK_EQ_INT(
        exec_query_start(&h->q, plan_sink(1, j), &h->env, &h->binder, &zErr),
        1);
    CHECK_EQ_STR(zErr, "operator Join not supported yet");
    common_free(zErr);
  }
  /* A source that cannot start. */
  fake_src *f = h_src(h, "a", 1);
  f->failStart = 1;
  int nSinkFree = h->sink.nFree;
  zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(2, plan_read(1, "a", -1, 0)),
                                &h->env, &h->binder, &zErr),
               1);
  CHECK_CONTAINS(zErr, "cannot start source a");
  common_free(zErr);
  CHECK_EQ_INT(f->nFree, 1); /* released by the failed start */
  CHECK_EQ_INT(h->sink.nFree, nSinkFree + 1);
  f->nFree = 0;
  h->nSrc = 0;
  free(f);
  CHECK_EQ_INT(h->nState, 0);
  h_free(h);
}

TEST(read_watermark_min_over_partitions) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 2);
  exec_plan *s = plan_sink(1, plan_read(2, "src", 1, 5));
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, s, &h->env, &h->binder, &zErr), 0);
  CHECK_EQ_INT(f->nStart, 1);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_RUNNING);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  int64_t a1[] = {100, 80, -1};
  fake_send(f, 0, 3, a1);
  /* Partition 1 has not delivered: it holds the watermark back. */
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  int64_t a2[] = {50};
  fake_send(f, 1, 1, a2);
  CHECK_EQ_INT(sink_wm(h), 45);
  int64_t a3[] = {200};
  fake_send(f, 0, 1, a3);
  CHECK_EQ_INT(sink_wm(h), 45);
  int64_t a4[] = {300, 20};
  fake_send(f, 1, 2, a4);
  CHECK_EQ_INT(sink_wm(h), 195);
  /* The watermark moved after the batch was written, not before. */
  CHECK_EQ_INT(h->sink.aWmAtWrite[0], EXEC_TIME_MIN);
  CHECK_EQ_INT(h->sink.aWmAtWrite[1], EXEC_TIME_MIN);
  CHECK_EQ_INT(h->sink.aWmAtWrite[2], 45);
  CHECK_EQ_INT(h->sink.aWmAtWrite[3], 45);
  /* ADVANCE WATERMARK raises it, never lowers it. */
  f->base.xWatermark(f->base.pArg, 1000);
  CHECK_EQ_INT(sink_wm(h), 1000);
  f->base.xWatermark(f->base.pArg, 500);
  CHECK_EQ_INT(sink_wm(h), 1000);
  int64_t a5[] = {2000};
  fake_send(f, 1, 1, a5);
  CHECK_EQ_INT(sink_wm(h), 1000);
  fake_send(f, 0, 1, a5);
  CHECK_EQ_INT(sink_wm(h), 1995);
  CHECK_EQ_INT(h->sink.nRows, 9);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nRowsIn, 9);
  CHECK_EQ_INT(st.nRowsOut, 9);
  CHECK_EQ_INT(h->nState, 0);
  /* End of input: +inf, flush, finished. */
  f->base.xEnd(f->base.pArg);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MAX);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->nState, 1);
  /* Anything after the end is ignored. */
  fake_send(f, 0, 1, a5);
  CHECK_EQ_INT(h->sink.nRows, 9);
  h_free(h);
}

TEST(read_without_watermark_for) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  exec_plan *s = plan_sink(1, plan_read(2, "src", -1, 0));
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, s, &h->env, &h->binder, &zErr), 0);
  int64_t a[] = {5000, 6000};
  fake_send(f, 0, 2, a);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  f->base.xWatermark(f->base.pArg, 42);
  CHECK_EQ_INT(sink_wm(h), 42);
  fake_send(f, 0, 2, a);
  CHECK_EQ_INT(sink_wm(h), 42);
  CHECK_EQ_STR(h->sink.rows.z,
               "+I|row|1970-01-01 00:00:00.005\n"
               "+I|row|1970-01-01 00:00:00.006\n"
               "+I|row|1970-01-01 00:00:00.005\n"
               "+I|row|1970-01-01 00:00:00.006\n");
  f->base.xEnd(f->base.pArg);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MAX);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  h_free(h);
}

TEST(flatten_min_watermark_and_end) {
  harness *h = h_new();
  fake_src *a = h_src(h, "a", 1);
  fake_src *b = h_src(h, "b", 1);
  exec_plan *fl = plan_node(PLAN_FLATTEN, 2, 2, plan_read(3, "a", 1, 0),
                            plan_read(4, "b", 1, 0));
  fl->schema = fl->aChild[0]->schema;
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, fl), &h->env, &h->binder, &zErr), 0);
  int64_t t1[] = {100}, t2[] = {70}, t3[] = {300};
  fake_send(a, 0, 1, t1);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  fake_send(b, 0, 1, t2);
  CHECK_EQ_INT(sink_wm(h), 70);
  fake_send(b, 0, 1, t3);
  CHECK_EQ_INT(sink_wm(h), 100);
  /* One input ends: its watermark is +inf, the other still holds. */
  a->base.xEnd(a->base.pArg);
  CHECK_EQ_INT(sink_wm(h), 300);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_RUNNING);
  CHECK_EQ_INT(h->sink.nFlush, 0);
  fake_send(b, 0, 1, t3);
  b->base.xEnd(b->base.pArg);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  CHECK_EQ_INT(h->sink.nRows, 4);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nRowsIn, 4);
  const exec_op *op = exec_query_op(h->q, 2);
  CHECK_EQ_INT(op->nRowsIn, 4);
  CHECK_EQ_INT(op->nRowsOut, 4);
  CHECK_EQ_INT(exec_query_op(h->q, 3)->nRowsIn, 1);
  CHECK_EQ_INT(exec_query_op(h->q, 4)->nRowsIn, 3);
  h_free(h);
}

TEST(source_error_fails_query) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  f->base.nBad = 2;
  strcpy(f->base.zLastBad, "x.csv:3: bad timestamp");
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(1, plan_read(2, "src", 1, 0)),
                                &h->env, &h->binder, &zErr),
               0);
  int64_t a[] = {1};
  fake_send(f, 0, 1, a);
  f->base.xError(f->base.pArg, "broker down");
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FAILED);
  CHECK_EQ_STR(exec_query_error(h->q), "broker down");
  CHECK_EQ_INT(h->nState, 1);
  CHECK_EQ_INT(h->lastState, EXQ_FAILED);
  CHECK_EQ_INT(f->nStop, 1);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  /* A second error and later rows are ignored. */
  f->base.xError(f->base.pArg, "again");
  CHECK_EQ_STR(exec_query_error(h->q), "broker down");
  fake_send(f, 0, 1, a);
  CHECK_EQ_INT(h->sink.nRows, 1);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nBad, 2);
  CHECK_EQ_STR(st.zLastBad, "x.csv:3: bad timestamp");
  CHECK_EQ_INT(h->nState, 1);
  h_free(h);
}

TEST(sink_error_fails_query) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  h->sink.failAt = 2;
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(1, plan_read(2, "src", 1, 0)),
                                &h->env, &h->binder, &zErr),
               0);
  int64_t a[] = {1};
  fake_send(f, 0, 1, a);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_RUNNING);
  fake_send(f, 0, 1, a);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FAILED);
  CHECK_EQ_STR(exec_query_error(h->q), "disk full");
  CHECK_EQ_INT(f->nStop, 1);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nRowsOut, 1);
  h_free(h);
}

TEST(stop_query) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(1, plan_read(2, "src", 1, 0)),
                                &h->env, &h->binder, &zErr),
               0);
  int64_t a[] = {1, 2};
  fake_send(f, 0, 2, a);
  exec_query_stop(h->q);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_STOPPED);
  CHECK_EQ_INT(f->nStop, 1);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  CHECK_EQ_INT(h->nState, 0);
  fake_send(f, 0, 2, a);
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  CHECK_EQ_INT(st.nRowsOut, 2);
  exec_query_stop(h->q);
  CHECK_EQ_INT(f->nStop, 1);
  CHECK_EQ_INT(h->sink.nFlush, 1);
  h_free(h);
  /* (h_free checked the source was freed once) */
}

TEST(source_on_real_loop) {
  harness *h = h_new();
  exec_clock_set_manual(h->clock, 0);
  fake_src *f = h_src(h, "src", 1);
  f->nAuto = 5;
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(1, plan_read(2, "src", 1, 2)),
                                &h->env, &h->binder, &zErr),
               0);
  CHECK_EQ_INT(h->sink.nRows, 0);
  /* The fake source's timer drives everything; the loop returns once it
  ** has ended and stopped its timer. */
  uv_run(&h->loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(h->sink.nRows, 15);
  CHECK_EQ_INT(h->sink.nWrite, 5);
  /* the watermark after batch k is its max ts (10k + 2) minus 2 */
  CHECK_EQ_INT(h->sink.aWmAtWrite[1], 0);
  CHECK_EQ_INT(h->sink.aWmAtWrite[4], 30);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->lastState, EXQ_FINISHED);
  CHECK_CONTAINS(h->sink.rows.z, "+I|auto|1970-01-01 00:00:00.000042\n");
  h_free(h);
}

TEST(source_ends_inside_start) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  f->syncRows = 3;
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&h->q, plan_sink(1, plan_read(2, "src", 1, 0)),
                                &h->env, &h->binder, &zErr),
               0);
  CHECK(zErr == NULL);
  CHECK_EQ_INT(h->sink.nRows, 3);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  CHECK_EQ_INT(h->nState, 1);
  CHECK_EQ_INT(h->lastState, EXQ_FINISHED);
  h_free(h);
}

TEST(read_idle_partitions) {
  harness *h = h_new(); /* manual clock at 0 */
  fake_src *f = h_src(h, "src", 2);
  exec_plan *r = plan_read(2, "src", 1, 5);
  r->idleTimeout = 10000000; /* 10 s */
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, r), &h->env, &h->binder, &zErr), 0);
  exec_clock_advance(h->clock, 1000000);
  int64_t a[] = {100};
  fake_send(f, 0, 1, a); /* partition 0 at t = 1 s */
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  exec_clock_advance(h->clock, 9999999);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN);
  /* partition 1 silent since the start (t = 0) for 10 s: idle */
  exec_clock_advance(h->clock, 10000000);
  CHECK_EQ_INT(sink_wm(h), 95);
  exec_clock_advance(h->clock, 10500000);
  int64_t b[] = {300};
  fake_send(f, 1, 1, b); /* partition 1 wakes at 10.5 s */
  CHECK_EQ_INT(sink_wm(h), 95);
  /* partition 0 (last at 1 s) turns idle at 11 s: only 1 counts */
  exec_clock_advance(h->clock, 11000000);
  CHECK_EQ_INT(sink_wm(h), 295);
  /* all idle, no idle.advance: the watermark stays */
  exec_clock_advance(h->clock, 60000000);
  CHECK_EQ_INT(sink_wm(h), 295);
  /* a delivery on an idle partition makes it count again */
  int64_t c[] = {1000};
  fake_send(f, 0, 1, c);
  CHECK_EQ_INT(sink_wm(h), 995);
  h_free(h);
}

/* Partitions that all go quiet at the same moment (a backlog read at
** start, other partitions empty) still close windows: with every partition
** idle the watermark is the furthest any of them got. */
TEST(read_idle_all_at_once_takes_the_furthest) {
  harness *h = h_new(); /* manual clock at 0 */
  fake_src *f = h_src(h, "src", 3);
  exec_plan *r = plan_read(2, "src", 1, 5);
  r->idleTimeout = 2000000; /* 2 s */
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, r), &h->env, &h->binder, &zErr), 0);
  int64_t a[] = {100, 280};
  fake_send(f, 0, 2, a); /* the whole backlog, on partition 0, at t = 0 */
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MIN); /* 1 and 2 hold it back */
  exec_clock_advance(h->clock, 2000000);   /* all three idle at once */
  CHECK_EQ_INT(sink_wm(h), 275);
  h_free(h);
}

TEST(read_idle_advance_follows_processing_time) {
  harness *h = h_new();
  int64_t T0 = 1000000000; /* 1000 s */
  exec_clock_set(h->clock, T0);
  fake_src *f = h_src(h, "src", 1);
  exec_plan *r = plan_read(2, "src", 1, 5000000);
  r->idleTimeout = 10000000;
  r->bIdleAdvance = 1;
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, r), &h->env, &h->binder, &zErr), 0);
  int64_t a[] = {T0 - 10000000};
  fake_send(f, 0, 1, a);
  CHECK_EQ_INT(sink_wm(h), T0 - 15000000);
  exec_clock_advance(h->clock, T0 + 10000000);
  CHECK_EQ_INT(sink_wm(h), T0 + 5000000);
  /* re-evaluated every idle timeout while idle */
  exec_clock_advance(h->clock, T0 + 35000000);
  CHECK_EQ_INT(sink_wm(h), T0 + 25000000);
  /* data again: older rows do not move it back */
  int64_t b[] = {T0};
  fake_send(f, 0, 1, b);
  CHECK_EQ_INT(sink_wm(h), T0 + 25000000);
  f->base.xEnd(f->base.pArg);
  CHECK_EQ_INT(sink_wm(h), EXEC_TIME_MAX);
  /* no timer left behind after the end */
  exec_clock_advance(h->clock, T0 + 100000000);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  h_free(h);
}

/* ---- ParDo: filter and project ----------------------------------------- */

static exec_expr *x_col(int i, int type) {
  exec_expr *e = common_arena_zalloc(&gArena, sizeof(*e));
  e->kind = EXPR_COL;
  e->iCol = i;
  e->type = (uint8_t)type;
  return e;
}

static exec_expr *x_int(int64_t v) {
  exec_expr *e = common_arena_zalloc(&gArena, sizeof(*e));
  e->kind = EXPR_CONST;
  e->type = WEIR_BIGINT;
  e->value.type = WEIR_BIGINT;
  e->value.u.i = v;
  return e;
}

static exec_expr *x_call(const char *zFn, int n, exec_expr *a, exec_expr *b) {
  exec_expr *e = common_arena_zalloc(&gArena, sizeof(*e));
  const exec_fn *fn = exec_fn_find(zFn);
  CHECK(fn != NULL);
  e->kind = EXPR_CALL;
  e->zFn = fn->zName;
  e->nArg = n;
  e->aArg = common_arena_zalloc(&gArena, sizeof(exec_expr *) * 2);
  e->aArg[0] = a;
  if (n > 1) e->aArg[1] = b;
  uint8_t aType[2] = {a->type, n > 1 ? b->type : 0};
  const char *zErr = NULL;
  CHECK_EQ_INT(fn->xBind(n, aType, &e->type, &e->xImpl, &zErr), 0);
  return e;
}

/* VALUES (n BIGINT, s VARCHAR) rows n = 1..nRow, s = "s<n>", n NULL at
** row iNull. */
static exec_plan *plan_values_ns(int id, int nRow, int iNull) {
  exec_plan *v = plan_node(PLAN_VALUES, id, 0);
  schema2(&v->schema, "n", WEIR_BIGINT, "s", WEIR_VARCHAR);
  v->nRow = nRow;
  v->aaRow = common_arena_alloc(&gArena, (size_t)nRow * sizeof(void *));
  for (int r = 0; r < nRow; r++) {
    exec_value *a = common_arena_zalloc(&gArena, 2 * sizeof(exec_value));
    a[0].type = WEIR_BIGINT;
    a[0].u.i = r + 1;
    a[0].isNull = r == iNull;
    a[1].type = WEIR_VARCHAR;
    char *z = common_arena_printf(&gArena, "s%d", r + 1);
    a[1].u.s.p = z;
    a[1].u.s.n = (uint32_t)strlen(z);
    v->aaRow[r] = a;
  }
  return v;
}

TEST(pardo_filter_project) {
  harness *h = h_new();
  exec_plan *v = plan_values_ns(3, 10, 2);
  exec_plan *pd = plan_node(PLAN_PARDO, 2, 1, v);
  /* WHERE n > 5 OR n IS NULL... the NULL row stays dropped: n > 5 is NULL */
  pd->pFilter = x_call(">", 2, x_col(0, WEIR_BIGINT), x_int(5));
  pd->nProj = 3;
  pd->aProj = common_arena_alloc(&gArena, 3 * sizeof(exec_expr *));
  pd->aProj[0] = x_col(1, WEIR_VARCHAR);
  pd->aProj[1] = x_call("*", 2, x_col(0, WEIR_BIGINT), x_int(2));
  pd->aProj[2] = x_col(0, WEIR_BIGINT);
  pd->schema.nCol = 3;
  pd->schema.azName = common_arena_alloc(&gArena, 3 * sizeof(char *));
  pd->schema.aType = common_arena_alloc(&gArena, 3);
  pd->schema.azName[0] = "s";
  pd->schema.azName[1] = "dbl";
  pd->schema.azName[2] = "n";
  pd->schema.aType[0] = WEIR_VARCHAR;
  pd->schema.aType[1] = WEIR_BIGINT;
  pd->schema.aType[2] = WEIR_BIGINT;
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, pd), &h->env, &h->binder, &zErr), 0);
  CHECK_EQ_STR(h->sink.rows.z,
               "+I|s6|12|6\n+I|s7|14|7\n+I|s8|16|8\n+I|s9|18|9\n"
               "+I|s10|20|10\n");
  CHECK_EQ_INT(exec_query_op(h->q, 2)->nRowsIn, 10);
  CHECK_EQ_INT(exec_query_op(h->q, 2)->nRowsOut, 5);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  h_free(h);
}

TEST(pardo_filter_nulls_drop_and_all_pass) {
  harness *h = h_new();
  exec_plan *v = plan_values_ns(3, 4, 1);
  exec_plan *pd = plan_node(PLAN_PARDO, 2, 1, v);
  /* n > 0 keeps every non-NULL row; the NULL row is dropped */
  pd->pFilter = x_call(">", 2, x_col(0, WEIR_BIGINT), x_int(0));
  pd->schema = v->schema; /* nProj 0: pass the input through */
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, pd), &h->env, &h->binder, &zErr), 0);
  CHECK_EQ_STR(h->sink.rows.z, "+I|1|s1\n+I|3|s3\n+I|4|s4\n");
  h_free(h);
  /* no row passes: nothing is written, the query still finishes */
  harness *h2 = h_new();
  v = plan_values_ns(3, 4, -1);
  pd = plan_node(PLAN_PARDO, 2, 1, v);
  pd->pFilter = x_call(">", 2, x_col(0, WEIR_BIGINT), x_int(100));
  pd->schema = v->schema;
  CHECK_EQ_INT(
      exec_query_start(&h2->q, plan_sink(1, pd), &h2->env, &h2->binder, &zErr),
      0);
  CHECK_EQ_INT(h2->sink.nWrite, 0);
  CHECK_EQ_INT(h2->sink.nFlush, 1);
  CHECK_EQ_INT(exec_query_state_get(h2->q), EXQ_FINISHED);
  h_free(h2);
}

TEST(pardo_ops_pass_through_and_scratch) {
  harness *h = h_new();
  fake_src *f = h_src(h, "src", 1);
  exec_plan *r = plan_read(3, "src", 1, 0);
  exec_plan *pd = plan_node(PLAN_PARDO, 2, 1, r);
  /* WHERE ts > 10, SELECT UPPER(name), ts */
  exec_expr *ten = x_int(10);
  ten->type = ten->value.type = WEIR_TIMESTAMP;
  pd->pFilter = x_call(">", 2, x_col(1, WEIR_TIMESTAMP), ten);
  exec_expr *up = x_call("UPPER", 1, x_col(0, WEIR_VARCHAR), NULL);
  pd->nProj = 2;
  pd->aProj = common_arena_alloc(&gArena, 2 * sizeof(exec_expr *));
  pd->aProj[0] = up;
  pd->aProj[1] = x_col(1, WEIR_TIMESTAMP);
  schema2(&pd->schema, "u", WEIR_VARCHAR, "ts", WEIR_TIMESTAMP);
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, pd), &h->env, &h->binder, &zErr), 0);
  uint8_t aType[2] = {WEIR_VARCHAR, WEIR_TIMESTAMP};
  for (int k = 0; k < 2; k++) {
    exec_batch *b = exec_batch_new(&f->mem, 2, aType);
    const char *az[4] = {"ab", "cd", "ef", "gh"};
    int64_t aTs[4] = {5, 20, -1, 30};
    uint8_t aOp[4] = {OP_INSERT, OP_UPDATE_BEFORE, OP_UPDATE_AFTER, OP_DELETE};
    for (int i = 0; i < 4; i++) {
      b->aCol[0].v.s[i].p = az[i];
      b->aCol[0].v.s[i].n = 2;
      b->aCol[1].v.i64[i] = aTs[i] + k;
      b->aCol[1].null[i] = aTs[i] < 0;
      b->op[i] = aOp[i];
    }
    b->n = 4;
    f->base.xDeliver(f->base.pArg, b, 0);
    common_arena_reset(&f->mem);
  }
  /* The pair -U cd / +U ef: only the old row passes (ef's ts is NULL),
  ** so the group left the result: -D cd. */
  CHECK_EQ_STR(h->sink.rows.z,
               "-D|CD|1970-01-01 00:00:00.000020\n"
               "-D|GH|1970-01-01 00:00:00.000030\n"
               "-D|CD|1970-01-01 00:00:00.000021\n"
               "-D|GH|1970-01-01 00:00:00.000031\n");
  h_free(h);
}

TEST(pardo_null_literal_takes_column_type) {
  harness *h = h_new();
  exec_plan *v = plan_values_ns(3, 2, -1);
  exec_plan *pd = plan_node(PLAN_PARDO, 2, 1, v);
  exec_expr *nul = common_arena_zalloc(&gArena, sizeof(exec_expr));
  nul->kind = EXPR_CONST;
  nul->type = WEIR_NULL_TYPE;
  nul->value.isNull = 1;
  pd->nProj = 2;
  pd->aProj = common_arena_alloc(&gArena, 2 * sizeof(exec_expr *));
  pd->aProj[0] = x_col(0, WEIR_BIGINT);
  pd->aProj[1] = nul;
  schema2(&pd->schema, "n", WEIR_BIGINT, "x", WEIR_VARCHAR);
  char *zErr = NULL;
  CHECK_EQ_INT(
      exec_query_start(&h->q, plan_sink(1, pd), &h->env, &h->binder, &zErr), 0);
  CHECK_EQ_STR(h->sink.rows.z, "+I|1|NULL\n+I|2|NULL\n");
  h_free(h);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
