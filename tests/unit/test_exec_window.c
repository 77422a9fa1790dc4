/*
** tests/unit/test_exec_window.c — the Beam-model operators (op_agg.c,
** op_window.c) run inside real queries: a fake source of bids
** (item VARCHAR, price BIGINT, bidtime TIMESTAMP, flag BOOLEAN) feeds a
** hand-built PLAN_AGG or PLAN_WINDOW under a manual clock, and a capturing
** sink records the changelog. Every expected changelog below was worked
** out by hand from DESIGN.md §2.3–§2.5 before running.
**
** Row format in expectations: op, then the columns separated by spaces;
** timestamps as HH:MM (HH:MM:SS when seconds are set) of day 0.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "exec/exec.h"
#include "exec/winstate.h"
#include "tinytest.h"

#define MIN_US 60000000LL
/* Time of day h:m (microseconds since the epoch). */
#define T(h, m) (((int64_t)(h) * 60 + (m)) * MIN_US)
#define TS(h, m, s) (T(h, m) + (int64_t)(s) * 1000000)

static common_arena gArena;

/* ---- a fake source of bids ------------------------------------------- */

typedef struct bid {
  int64_t t;
  int64_t price;
  const char *zItem;
  int op;                   /* OP_* (0 = +I) */
  int flag;
} bid;

typedef struct fake_src {
  exec_source base;
  common_arena mem;
  int nFree;
} fake_src;

static int fake_start(exec_source *s, uv_loop_t *loop) { return 0; }
static void fake_stop(exec_source *s) {}
static void fake_free(exec_source *s) {
  fake_src *f = (fake_src *)s;
  f->nFree++;
  common_arena_free(&f->mem);
}
static const exec_source_vtab fake_vt = {fake_start, fake_stop, fake_free};

static const uint8_t aBidType[4] = {WEIR_VARCHAR, WEIR_BIGINT,
                                    WEIR_TIMESTAMP, WEIR_BOOLEAN};

/* ---- a capturing sink --------------------------------------------------- */

typedef struct cap_sink {
  exec_sink base;
  common_buf rows;
  int bCountOnly;
  int64_t nRows;
} cap_sink;

static void fmt_value(common_buf *b, const exec_value *v) {
  if (v->type == WEIR_TIMESTAMP && !v->isNull) {
    int64_t s = (v->u.i / 1000000) % 86400;
    if (s % 60) {
      common_buf_printf(b, "%02d:%02d:%02d", (int)(s / 3600),
                        (int)(s / 60 % 60), (int)(s % 60));
    } else {
      common_buf_printf(b, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
    }
    return;
  }
  exec_value_format(b, v);
}

static int cap_write(exec_sink *s, const exec_batch *b,
                     const exec_schema *sch) {
  cap_sink *c = (cap_sink *)s;
  CHECK_EQ_INT(sch->nCol, b->nCol);
  c->nRows += b->n;
  if (c->bCountOnly) return 0;
  for (int i = 0; i < b->n; i++) {
    common_buf_puts(&c->rows, exec_op_name(b->op[i]));
    for (int j = 0; j < b->nCol; j++) {
      exec_value v;
      exec_vec_get(&b->aCol[j], i, &v);
      common_buf_putc(&c->rows, ' ');
      fmt_value(&c->rows, &v);
    }
    common_buf_putc(&c->rows, '\n');
  }
  return 0;
}
static int cap_flush(exec_sink *s) { return 0; }
static void cap_free(exec_sink *s) {}
static const exec_sink_vtab cap_vt = {cap_write, cap_flush, cap_free};

/* ---- harness ------------------------------------------------------------- */

typedef struct harness {
  uv_loop_t loop;
  exec_clock *clock;
  exec_env env;
  exec_binder binder;
  fake_src src;
  cap_sink sink;
  cap_sink late;            /* the 'late.sink' side output */
  char zLateName[32];       /* the name it was opened under */
  exec_query *q;
  char *zErr;
} harness;

static exec_source *h_open_source(void *pArg, const exec_plan *p,
                                  char **pzErr) {
  return &((harness *)pArg)->src.base;
}
static exec_sink *h_open_sink(void *pArg, const exec_plan *p, char **pzErr) {
  return &((harness *)pArg)->sink.base;
}
static void h_state(void *pArg, exec_query *q) {}
static exec_sink *h_open_late(void *pArg, const char *zSink,
                              const exec_schema *pRows, char **pzErr) {
  harness *h = pArg;
  snprintf(h->zLateName, sizeof h->zLateName, "%s", zSink);
  CHECK(pRows->nCol == 4 || pRows->nCol == 2);  /* bids, or chosen */
  return &h->late.base;
}

static harness *h_new(int64_t now) {
  common_arena_init(&gArena, 8192);
  harness *h = calloc(1, sizeof(*h));
  uv_loop_init(&h->loop);
  h->clock = exec_clock_new(&h->loop);
  exec_clock_set_manual(h->clock, 1);
  exec_clock_set(h->clock, now);
  h->env.loop = &h->loop;
  h->env.clock = h->clock;
  h->binder.pArg = h;
  h->binder.xOpenSource = h_open_source;
  h->binder.xOpenSink = h_open_sink;
  h->binder.xState = h_state;
  h->binder.xOpenLateSink = h_open_late;
  h->late.base.vt = &cap_vt;
  common_buf_init(&h->late.rows);
  h->src.base.vt = &fake_vt;
  h->src.base.nPart = 1;
  common_arena_init(&h->src.mem, 65536);
  h->sink.base.vt = &cap_vt;
  common_buf_init(&h->sink.rows);
  return h;
}

static void h_free(harness *h) {
  exec_query_free(h->q);
  exec_clock_free(h->clock);
  uv_run(&h->loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&h->loop), 0);
  common_buf_free(&h->sink.rows);
  common_buf_free(&h->late.rows);
  common_free(h->zErr);
  common_arena_free(&gArena);
  free(h);
}

/* The changelog so far (and forget it). */
static char gOut[1 << 20];
static const char *h_out(harness *h) {
  snprintf(gOut, sizeof gOut, "%s", h->sink.rows.z ? h->sink.rows.z : "");
  common_buf_reset(&h->sink.rows);
  if (h->sink.rows.z) h->sink.rows.z[0] = 0;
  return gOut;
}

/* Deliver n bids as one batch. */
static void h_send(harness *h, int n, const bid *a) {
  exec_batch *b = exec_batch_new(&h->src.mem, 4, aBidType);
  for (int i = 0; i < n; i++) {
    b->aCol[0].v.s[i].p = a[i].zItem ? a[i].zItem : "";
    b->aCol[0].v.s[i].n = (uint32_t)strlen(b->aCol[0].v.s[i].p);
    b->aCol[0].null[i] = a[i].zItem == NULL;
    b->aCol[1].v.i64[i] = a[i].price;
    b->aCol[1].null[i] = 0;
    b->aCol[2].v.i64[i] = a[i].t;
    b->aCol[2].null[i] = 0;
    b->aCol[3].v.b[i] = (uint8_t)a[i].flag;
    b->aCol[3].null[i] = 0;
    b->op[i] = (uint8_t)a[i].op;
  }
  b->n = n;
  h->src.base.xDeliver(h->src.base.pArg, b, 0);
  common_arena_reset(&h->src.mem);
}
#define SEND(h, ...)                                         \
  do {                                                       \
    const bid a_[] = {__VA_ARGS__};                          \
    h_send(h, COMMON_ARRAY_SIZE(a_), a_);                    \
  } while (0)

static void h_wm(harness *h, int64_t wm) {
  h->src.base.xWatermark(h->src.base.pArg, wm);
}
static void h_end(harness *h) { h->src.base.xEnd(h->src.base.pArg); }
static void h_now(harness *h, int64_t t) { exec_clock_advance(h->clock, t); }

static int64_t h_state_bytes(harness *h) {
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  return st.stateBytes;
}
static int64_t h_late(harness *h) {
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  return st.nLateDropped;
}

/* ---- plans --------------------------------------------------------------- */

static exec_plan *node(exec_plan_kind k, int id) {
  exec_plan *p = common_arena_zalloc(&gArena, sizeof(*p));
  p->kind = k;
  p->id = id;
  p->iWmCol = -1;
  p->aChild = common_arena_zalloc(&gArena, sizeof(exec_plan *));
  return p;
}

static void schema_add(exec_schema *s, const char *zName, int type) {
  char **az = common_arena_alloc(&gArena, sizeof(char *) * (s->nCol + 1));
  uint8_t *at = common_arena_alloc(&gArena, (size_t)s->nCol + 1);
  if (s->nCol) {
    memcpy(az, s->azName, sizeof(char *) * s->nCol);
    memcpy(at, s->aType, (size_t)s->nCol);
  }
  az[s->nCol] = (char *)zName;
  at[s->nCol] = (uint8_t)type;
  s->azName = az;
  s->aType = at;
  s->nCol++;
}

static exec_plan *read_bids(void) {
  exec_plan *r = node(PLAN_READ, 1);
  r->zSource = "bids";
  schema_add(&r->schema, "item", WEIR_VARCHAR);
  schema_add(&r->schema, "price", WEIR_BIGINT);
  schema_add(&r->schema, "bidtime", WEIR_TIMESTAMP);
  schema_add(&r->schema, "flag", WEIR_BOOLEAN);
  return r;
}

/* What an aggregate test varies. */
typedef struct spec {
  exec_win_kind kind;
  int64_t size, slide, gap, offset;
  int bKey;                 /* GROUP BY item */
  int bUnbounded;
  exec_trigger trig;
  int nAgg;                 /* default 1: SUM(price) */
  exec_agg aAgg[6];
} spec;

static exec_agg agg(exec_agg_kind k, int iArg, int argType, int resType) {
  exec_agg a;
  memset(&a, 0, sizeof a);
  a.kind = k;
  a.iArg = iArg;
  a.iFilter = -1;
  a.argType = (uint8_t)argType;
  a.resType = (uint8_t)resType;
  return a;
}
#define SUM_PRICE agg(AGG_SUM, 1, WEIR_BIGINT, WEIR_BIGINT)
#define COUNT_STAR agg(AGG_COUNT_STAR, -1, 0, WEIR_BIGINT)

/* SINK <- AGG(spec) <- READ bids. */
static exec_plan *agg_plan(const spec *sp) {
  exec_plan *r = read_bids();
  exec_plan *a = node(PLAN_AGG, 2);
  a->nChild = 1;
  a->aChild[0] = r;
  a->window.kind = sp->kind;
  a->window.iTimeCol = 2;
  a->window.size = sp->size;
  a->window.slide = sp->slide;
  a->window.gap = sp->gap;
  a->window.offset = sp->offset;
  a->bUnbounded = sp->bUnbounded;
  a->trigger = sp->trig;
  if (sp->bKey) {
    a->nKey = 1;
    a->aKeyCol = common_arena_alloc(&gArena, sizeof(int));
    a->aKeyCol[0] = 0;
    schema_add(&a->schema, "item", WEIR_VARCHAR);
  }
  if (sp->kind != WIN_NONE) {
    schema_add(&a->schema, "window_start", WEIR_TIMESTAMP);
    schema_add(&a->schema, "window_end", WEIR_TIMESTAMP);
  }
  a->nAgg = sp->nAgg ? sp->nAgg : 1;
  a->aAgg = common_arena_alloc(&gArena, sizeof(exec_agg) * a->nAgg);
  if (sp->nAgg) {
    memcpy(a->aAgg, sp->aAgg, sizeof(exec_agg) * sp->nAgg);
  } else {
    a->aAgg[0] = SUM_PRICE;
  }
  for (int i = 0; i < a->nAgg; i++) {
    schema_add(&a->schema, "agg", a->aAgg[i].resType);
  }
  schema_add(&a->schema, "pane_timing", WEIR_VARCHAR);
  schema_add(&a->schema, "pane_index", WEIR_BIGINT);
  schema_add(&a->schema, "emit_time", WEIR_TIMESTAMP);
  schema_add(&a->schema, "ver", WEIR_BIGINT);
  exec_plan *s = node(PLAN_SINK, 3);
  s->nChild = 1;
  s->aChild[0] = a;
  s->schema = a->schema;
  return s;
}

static void h_start(harness *h, exec_plan *plan) {
  int rc = exec_query_start(&h->q, plan, &h->env, &h->binder, &h->zErr);
  CHECK_EQ_INT(rc, 0);
  if (rc) fprintf(stderr, "start: %s\n", h->zErr ? h->zErr : "?");
}

/* The paper's bids, in arrival order. */
#define BID_A {T(8, 7), 2, "A", 0, 0}
#define BID_B {T(8, 11), 3, "B", 0, 0}
#define BID_C {T(8, 5), 4, "C", 0, 0}
#define BID_D {T(8, 9), 5, "D", 0, 0}
#define BID_E {T(8, 13), 1, "E", 0, 0}
#define BID_F {T(8, 17), 6, "F", 0, 0}

/* ---- the paper's worked examples --------------------------------------- */

TEST(paper_tumble_sum) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A, BID_B, BID_C, BID_D, BID_E, BID_F);
  CHECK_EQ_STR(h_out(h), "");
  CHECK(h_state_bytes(h) > 0);
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 11 ON_TIME 0 08:20 0\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 10 ON_TIME 0 08:20 0\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FINISHED);
  h_free(h);
}

TEST(paper_hop_sum) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_HOP, .size = 10 * MIN_US, .slide = 5 * MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A, BID_B, BID_C, BID_D, BID_E, BID_F);
  h_wm(h, T(8, 15));
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 11 ON_TIME 0 08:20 0\n"
               "+I 08:05 08:15 15 ON_TIME 0 08:20 0\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h),
               "+I 08:10 08:20 10 ON_TIME 0 08:20 0\n"
               "+I 08:15 08:25 6 ON_TIME 0 08:20 0\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(paper_cumulate_sum_empty_window_never_fires) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_CUMULATE, .size = 10 * MIN_US,
             .slide = 5 * MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A, BID_B, BID_C, BID_D, BID_E, BID_F);
  h_end(h);
  /* No bid before 8:05: [8:00, 8:05) received nothing and never fires. */
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 11 ON_TIME 0 08:20 0\n"
               "+I 08:10 08:15 4 ON_TIME 0 08:20 0\n"
               "+I 08:10 08:20 10 ON_TIME 0 08:20 0\n");
  h_free(h);
}

TEST(tumble_gaps_and_offset) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .offset = 3 * MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A, BID_B, BID_C, BID_D, BID_E, BID_F,
       {T(7, 55), 7, "G", 0, 0});
  h_end(h);
  /* Windows [7:53, 8:03) ... aligned to 3 past; nothing in [8:23, ...). */
  CHECK_EQ_STR(h_out(h),
               "+I 07:53 08:03 7 ON_TIME 0 09:00 0\n"
               "+I 08:03 08:13 14 ON_TIME 0 09:00 0\n"
               "+I 08:13 08:23 7 ON_TIME 0 09:00 0\n");
  h_free(h);
}

/* ---- early panes and accumulation modes ---------------------------------
** Arrivals: A at 8:08, B at 8:12, C at 8:13, D at 8:14, watermark 8:10 at
** 8:15, E at 8:16, F at 8:18, then end of input. SUM(price), COUNT(*). */
static void run_every_row(harness *h, exec_accum acc) {
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.bOnTime = 1, .early = TRIG_EVERY_ROW, .accum = acc}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  h_now(h, T(8, 8));
  SEND(h, BID_A);
  h_now(h, T(8, 12));
  SEND(h, BID_B);
  h_now(h, T(8, 13));
  SEND(h, BID_C);
  h_now(h, T(8, 14));
  SEND(h, BID_D);
  h_now(h, T(8, 15));
  h_wm(h, T(8, 10));
  h_now(h, T(8, 16));
  SEND(h, BID_E);
  h_now(h, T(8, 18));
  SEND(h, BID_F);
  h_end(h);
}

TEST(early_every_row_accumulating) {
  harness *h = h_new(T(8, 0));
  run_every_row(h, ACC_ACCUMULATING);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 EARLY 0 08:08 0\n"
               "+I 08:10 08:20 3 1 EARLY 0 08:12 0\n"
               "+I 08:00 08:10 6 2 EARLY 1 08:13 1\n"
               "+I 08:00 08:10 11 3 EARLY 2 08:14 2\n"
               "+I 08:00 08:10 11 3 ON_TIME 3 08:15 3\n"
               "+I 08:10 08:20 4 2 EARLY 1 08:16 1\n"
               "+I 08:10 08:20 10 3 EARLY 2 08:18 2\n"
               "+I 08:10 08:20 10 3 ON_TIME 3 08:18 3\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(early_every_row_discarding) {
  harness *h = h_new(T(8, 0));
  run_every_row(h, ACC_DISCARDING);
  /* The on-time pane fires although nothing arrived since the last early
  ** pane, and carries the aggregates of no rows. */
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 EARLY 0 08:08 0\n"
               "+I 08:10 08:20 3 1 EARLY 0 08:12 0\n"
               "+I 08:00 08:10 4 1 EARLY 1 08:13 1\n"
               "+I 08:00 08:10 5 1 EARLY 2 08:14 2\n"
               "+I 08:00 08:10 NULL 0 ON_TIME 3 08:15 3\n"
               "+I 08:10 08:20 1 1 EARLY 1 08:16 1\n"
               "+I 08:10 08:20 6 1 EARLY 2 08:18 2\n"
               "+I 08:10 08:20 NULL 0 ON_TIME 3 08:18 3\n");
  h_free(h);
}

/* DISCARDING over an updating input: each pane holds the changes since
** the last one, so an update whose rows cancel out in count still
** carries the change of the sum (it used to print NULL), and a pane of
** a deletion alone carries a negative sum. */
TEST(discarding_panes_of_an_updating_input) {
  harness *h = h_new(T(8, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.bOnTime = 1, .early = TRIG_EVERY_ROW,
                      .accum = ACC_DISCARDING}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  h_now(h, T(8, 1));
  SEND(h, {T(8, 1), 3, "A", 0, 0});
  h_now(h, T(8, 2));
  SEND(h, {T(8, 1), 3, "A", OP_UPDATE_BEFORE, 0},
       {T(8, 2), 5, "A", OP_UPDATE_AFTER, 0});
  h_now(h, T(8, 3));
  SEND(h, {T(8, 2), 5, "A", OP_DELETE, 0});
  h_now(h, T(8, 4));
  h_end(h);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 3 1 EARLY 0 08:01 0\n"
               "+I 08:00 08:10 2 0 EARLY 1 08:02 1\n"
               "+I 08:00 08:10 -5 -1 EARLY 2 08:03 2\n"
               "+I 08:00 08:10 NULL 0 ON_TIME 3 08:04 3\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(early_every_row_retracting_suppresses_identical) {
  harness *h = h_new(T(8, 0));
  run_every_row(h, ACC_RETRACTING);
  /* The on-time panes equal the last early ones: nothing is emitted. */
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 EARLY 0 08:08 0\n"
               "+I 08:10 08:20 3 1 EARLY 0 08:12 0\n"
               "-U 08:00 08:10 2 1 EARLY 1 08:13 1\n"
               "+U 08:00 08:10 6 2 EARLY 1 08:13 2\n"
               "-U 08:00 08:10 6 2 EARLY 2 08:14 3\n"
               "+U 08:00 08:10 11 3 EARLY 2 08:14 4\n"
               "-U 08:10 08:20 3 1 EARLY 1 08:16 1\n"
               "+U 08:10 08:20 4 2 EARLY 1 08:16 2\n"
               "-U 08:10 08:20 4 2 EARLY 2 08:18 3\n"
               "+U 08:10 08:20 10 3 EARLY 2 08:18 4\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(early_every_interval_aligned) {
  harness *h = h_new(TS(8, 8, 10));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US,
             .trig = {.bOnTime = 1, .early = TRIG_EVERY, .earlyArg = MIN_US,
                      .accum = ACC_ACCUMULATING}};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);                       /* at 8:08:10: pane due 8:09 */
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, TS(8, 8, 59));
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, T(8, 9));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 2 EARLY 0 08:09 0\n");
  h_now(h, TS(8, 9, 20));
  SEND(h, BID_C);
  h_now(h, TS(8, 9, 40));
  SEND(h, BID_D);
  h_now(h, TS(8, 10, 30));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 11 EARLY 1 08:10 1\n");
  SEND(h, BID_B);                       /* [8:10, 8:20) due 8:11 */
  /* 8:12 passes with no new data since 8:11: no pane then. */
  h_now(h, T(8, 12));
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 3 EARLY 0 08:11 0\n");
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 11 ON_TIME 2 08:12 2\n");
  h_now(h, T(8, 30));
  CHECK_EQ_STR(h_out(h), "");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 3 ON_TIME 1 08:30 1\n");
  h_free(h);
}

TEST(early_after_delay_discarding_disarmed_by_on_time) {
  harness *h = h_new(T(8, 8));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.bOnTime = 1, .early = TRIG_AFTER_DELAY,
                      .earlyArg = MIN_US, .accum = ACC_DISCARDING}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);                       /* 8:08 -> pane at 8:09 */
  h_now(h, TS(8, 8, 30));
  SEND(h, BID_C);                       /* same pane, no new delay */
  h_now(h, T(8, 9));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 6 2 EARLY 0 08:09 0\n");
  h_now(h, TS(8, 9, 30));
  SEND(h, BID_D);                       /* -> pane at 8:10:30 */
  h_now(h, TS(8, 9, 45));
  h_wm(h, T(8, 10));                    /* the on-time pane takes D */
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 5 1 ON_TIME 1 08:09:45 1\n");
  h_now(h, T(8, 11));                   /* the delay timer was disarmed */
  CHECK_EQ_STR(h_out(h), "");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(early_after_n_rows) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.bOnTime = 1, .early = TRIG_AFTER_ROWS, .earlyArg = 2,
                      .accum = ACC_ACCUMULATING}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  CHECK_EQ_STR(h_out(h), "");
  SEND(h, BID_C);
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 6 2 EARLY 0 08:20 0\n");
  SEND(h, BID_D, {T(8, 1), 1, "X", 0, 0}, {T(8, 2), 1, "Y", 0, 0});
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 13 5 EARLY 1 08:20 1\n");
  SEND(h, {T(8, 3), 1, "Z", 0, 0});
  CHECK_EQ_STR(h_out(h), "");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 14 6 ON_TIME 2 08:20 2\n");
  h_free(h);
}

/* ---- lateness ----------------------------------------------------------- */

static void run_late(harness *h, exec_accum acc) {
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.bOnTime = 1, .lateness = 5 * MIN_US, .accum = acc}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  h_now(h, T(8, 12));
  SEND(h, BID_A, BID_B);
  h_wm(h, T(8, 10));
  h_now(h, T(8, 13));
  SEND(h, BID_D);                       /* late, within lateness */
  h_now(h, T(8, 14));
  SEND(h, {T(8, 1), 1, "X", 0, 0}, {T(8, 2), 1, "Y", 0, 0});
  int64_t before = h_state_bytes(h);
  h_wm(h, T(8, 16));                    /* [8:00,8:10) is purged */
  CHECK(h_state_bytes(h) < before);
  CHECK(h_state_bytes(h) > 0);
  h_now(h, T(8, 17));
  SEND(h, BID_C);                       /* beyond lateness: dropped */
  CHECK_EQ_INT(h_late(h), 1);
  SEND(h, {T(8, 12), 1, "E", 0, 0});
  h_end(h);
  CHECK_EQ_INT(h_late(h), 1);
  CHECK_EQ_INT(h_state_bytes(h), 0);
}

TEST(late_accumulating) {
  harness *h = h_new(T(8, 0));
  run_late(h, ACC_ACCUMULATING);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 ON_TIME 0 08:12 0\n"
               "+I 08:00 08:10 7 2 LATE 1 08:13 1\n"
               "+I 08:00 08:10 9 4 LATE 2 08:14 2\n"
               "+I 08:10 08:20 4 2 ON_TIME 0 08:17 0\n");
  h_free(h);
}

TEST(late_discarding) {
  harness *h = h_new(T(8, 0));
  run_late(h, ACC_DISCARDING);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 ON_TIME 0 08:12 0\n"
               "+I 08:00 08:10 5 1 LATE 1 08:13 1\n"
               "+I 08:00 08:10 2 2 LATE 2 08:14 2\n"
               "+I 08:10 08:20 4 2 ON_TIME 0 08:17 0\n");
  h_free(h);
}

TEST(late_retracting) {
  harness *h = h_new(T(8, 0));
  run_late(h, ACC_RETRACTING);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 2 1 ON_TIME 0 08:12 0\n"
               "-U 08:00 08:10 2 1 LATE 1 08:13 1\n"
               "+U 08:00 08:10 7 2 LATE 1 08:13 2\n"
               "-U 08:00 08:10 7 2 LATE 2 08:14 3\n"
               "+U 08:00 08:10 9 4 LATE 2 08:14 4\n"
               "+I 08:10 08:20 4 2 ON_TIME 0 08:17 0\n");
  h_free(h);
}

TEST(late_without_lateness_is_dropped_and_counted) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 2 ON_TIME 0 08:20 0\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  SEND(h, BID_C, BID_D, BID_B);         /* C and D are too late */
  CHECK_EQ_INT(h_late(h), 2);
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 3 ON_TIME 0 08:20 0\n");
  h_free(h);
}

TEST(hop_row_late_for_some_windows_only) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_HOP, .size = 10 * MIN_US, .slide = 5 * MIN_US};
  h_start(h, agg_plan(&sp));
  h_wm(h, T(8, 10));
  /* 8:07 belongs to [8:00,8:10) (closed) and [8:05,8:15) (open). */
  SEND(h, BID_A);
  CHECK_EQ_INT(h_late(h), 0);
  SEND(h, {T(8, 3), 9, "Q", 0, 0});     /* only [7:55,8:05),[8:00,8:10) */
  CHECK_EQ_INT(h_late(h), 1);
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:05 08:15 2 ON_TIME 0 08:20 0\n");
  h_free(h);
}

/* A trigger list without AFTER WATERMARK: EARLY before the end, LATE after,
** and rows still pending when the window expires get a last pane. */
TEST(no_on_time_pane) {
  harness *h = h_new(T(8, 8));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US,
             .trig = {.early = TRIG_AFTER_DELAY, .earlyArg = 5 * MIN_US,
                      .accum = ACC_ACCUMULATING}};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);                       /* pane due 8:13 */
  h_now(h, T(8, 9));
  SEND(h, BID_D);
  h_wm(h, T(8, 10));                    /* no on-time pane; expires */
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 7 LATE 0 08:09 0\n");
  h_now(h, T(8, 14));
  CHECK_EQ_STR(h_out(h), "");
  SEND(h, BID_B);                       /* due 8:19 */
  h_now(h, T(8, 19));
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 3 EARLY 0 08:19 0\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  h_free(h);
}


TEST(late_after_n_rows_and_final_pane_at_expiry) {
  harness *h = h_new(T(8, 12));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US,
             .trig = {.bOnTime = 1, .late = TRIG_AFTER_ROWS, .lateArg = 2,
                      .lateness = 10 * MIN_US, .accum = ACC_ACCUMULATING}};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 2 ON_TIME 0 08:12 0\n");
  h_now(h, T(8, 13));
  SEND(h, BID_C);
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, T(8, 14));
  SEND(h, BID_D);
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 11 LATE 1 08:14 1\n");
  h_now(h, T(8, 15));
  SEND(h, {T(8, 1), 1, "X", 0, 0});
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, T(8, 16));
  h_wm(h, T(8, 19));
  CHECK_EQ_STR(h_out(h), "");
  h_wm(h, T(8, 20));                    /* expiry: the pending row's pane */
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 12 LATE 2 08:16 2\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  h_free(h);
}

TEST(late_after_delay_discarding) {
  harness *h = h_new(T(8, 12));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US,
             .trig = {.bOnTime = 1, .late = TRIG_AFTER_DELAY,
                      .lateArg = MIN_US, .lateness = 10 * MIN_US,
                      .accum = ACC_DISCARDING}};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 2 ON_TIME 0 08:12 0\n");
  h_now(h, T(8, 13));
  SEND(h, BID_C);                       /* late pane due 8:14 */
  h_now(h, TS(8, 13, 30));
  SEND(h, BID_D);
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, T(8, 14));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 9 LATE 1 08:14 1\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

/* ACCUMULATING: a merge deletes the merged sessions' last rows (DESIGN
** 2.4), so the changelog applied as upserts keeps no stale session. */
TEST(session_merge_accumulating_deletes_merged_rows) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_SESSION, .gap = 10 * MIN_US, .bKey = 1,
             .trig = {.bOnTime = 1, .early = TRIG_EVERY_ROW,
                      .accum = ACC_ACCUMULATING}};
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 0), 1, "k", 0, 0}, {T(8, 15), 2, "k", 0, 0});
  SEND(h, {T(8, 7), 4, "k", 0, 0});
  h_end(h);
  CHECK_EQ_STR(h_out(h),
               "+I k 08:00 08:10 1 EARLY 0 09:00 0\n"
               "+I k 08:15 08:25 2 EARLY 0 09:00 0\n"
               "-D k 08:00 08:10 1 EARLY 1 09:00 1\n"
               "-D k 08:15 08:25 2 EARLY 1 09:00 1\n"
               "+I k 08:00 08:25 7 EARLY 0 09:00 0\n"
               "+I k 08:00 08:25 7 ON_TIME 1 09:00 1\n");
  h_free(h);
}

TEST(min_retraction_of_extreme_fails_clearly) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_NONE, .bKey = 1, .bUnbounded = 1, .nAgg = 1};
  sp.aAgg[0] = agg(AGG_MIN, 1, WEIR_BIGINT, WEIR_BIGINT);
  h_start(h, agg_plan(&sp));
  SEND(h, {0, 5, "A", 0, 0}, {0, 3, "A", 0, 0}, {0, 3, "A", 0, 0});
  SEND(h, {0, 5, "A", OP_DELETE, 0}, {0, 3, "A", OP_DELETE, 0});
  CHECK_EQ_STR(h_out(h), "+I A 3 EARLY 0 09:00 0\n");
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_RUNNING);
  SEND(h, {0, 7, "A", 0, 0}, {0, 3, "A", OP_DELETE, 0});
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_FAILED);
  CHECK_CONTAINS(exec_query_error(h->q), "MIN/MAX");
  h_free(h);
}

TEST(plan_schema_mismatch_is_refused) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = MIN_US};
  exec_plan *s = agg_plan(&sp);
  s->aChild[0]->schema.nCol -= 4;       /* forgot the pane columns */
  s->schema = s->aChild[0]->schema;
  int rc = exec_query_start(&h->q, s, &h->env, &h->binder, &h->zErr);
  CHECK_EQ_INT(rc, 1);
  CHECK_CONTAINS(h->zErr, "pane_timing");
  h_free(h);
}


/* Without an on-time pane and without a LATE clause, late rows follow the
** same (early) trigger: Beam's Repeatedly(AfterProcessingTime...). */
TEST(no_on_time_pane_late_rows_follow_the_trigger) {
  harness *h = h_new(TS(9, 0, 50));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 2,
             .trig = {.early = TRIG_AFTER_DELAY, .earlyArg = MIN_US,
                      .lateness = 10 * MIN_US, .accum = ACC_DISCARDING}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  SEND(h, {T(7, 55), 10, "Z", 0, 0}, {T(8, 1), 1, "A", 0, 0});
  h_now(h, TS(9, 1, 10));
  SEND(h, {T(8, 2), 2, "B", 0, 0});
  h_now(h, T(9, 2));
  CHECK_EQ_STR(h_out(h),
               "+I 07:50 08:00 10 1 EARLY 0 09:01:50 0\n"
               "+I 08:00 08:10 3 2 EARLY 0 09:01:50 0\n");
  h_now(h, TS(9, 3, 30));
  SEND(h, {T(8, 3), 4, "C", 0, 0});
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, TS(9, 5, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 4 1 LATE 1 09:04:30 1\n");
  SEND(h, {T(8, 4), 8, "D", 0, 0});     /* late: waits for its delay */
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, TS(9, 6, 30));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 8 1 LATE 2 09:06:10 2\n");
  h_wm(h, T(8, 20));
  CHECK_EQ_STR(h_out(h), "");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

/* ---- keys, ordering, sessions ------------------------------------------- */

TEST(keyed_firing_order_end_then_first_arrival) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .bKey = 1};
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 12), 1, "z", 0, 0}, {T(8, 1), 2, "m", 0, 0},
       {T(8, 2), 3, "a", 0, 0}, {T(8, 11), 4, "m", 0, 0},
       {T(8, 3), 5, "m", 0, 0});
  h_end(h);
  CHECK_EQ_STR(h_out(h),
               "+I m 08:00 08:10 7 ON_TIME 0 09:00 0\n"
               "+I a 08:00 08:10 3 ON_TIME 0 09:00 0\n"
               "+I z 08:10 08:20 1 ON_TIME 0 09:00 0\n"
               "+I m 08:10 08:20 4 ON_TIME 0 09:00 0\n");
  h_free(h);
}

TEST(session_on_time_per_key) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_SESSION, .gap = 10 * MIN_US, .bKey = 1};
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 0), 1, "k", 0, 0}, {T(8, 5), 2, "k", 0, 0},
       {T(8, 30), 4, "k", 0, 0}, {T(8, 2), 8, "j", 0, 0});
  h_wm(h, T(8, 15));
  CHECK_EQ_STR(h_out(h),
               "+I j 08:02 08:12 8 ON_TIME 0 09:00 0\n"
               "+I k 08:00 08:15 3 ON_TIME 0 09:00 0\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I k 08:30 08:40 4 ON_TIME 0 09:00 0\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(session_merge_retracts_with_delete) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_SESSION, .gap = 10 * MIN_US, .bKey = 1, .nAgg = 2,
             .trig = {.bOnTime = 1, .early = TRIG_EVERY_ROW,
                      .accum = ACC_RETRACTING}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 0), 1, "k", 0, 0});
  h_now(h, T(9, 1));
  SEND(h, {T(8, 15), 2, "k", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "+I k 08:00 08:10 1 1 EARLY 0 09:00 0\n"
               "+I k 08:15 08:25 2 1 EARLY 0 09:01 0\n");
  h_now(h, T(9, 2));
  SEND(h, {T(8, 7), 4, "k", 0, 0});     /* bridges both sessions */
  CHECK_EQ_STR(h_out(h),
               "-D k 08:00 08:10 1 1 EARLY 1 09:02 1\n"
               "-D k 08:15 08:25 2 1 EARLY 1 09:02 1\n"
               "+I k 08:00 08:25 7 3 EARLY 0 09:02 0\n");
  /* Extending the merged session also replaces it. */
  SEND(h, {T(8, 20), 1, "k", 0, 0}, {T(8, 10), 1, "k", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "-D k 08:00 08:25 7 3 EARLY 1 09:02 1\n"
               "+I k 08:00 08:30 9 5 EARLY 0 09:02 0\n");
  h_wm(h, T(8, 26));
  CHECK_EQ_STR(h_out(h), "");
  h_wm(h, T(8, 30));                    /* on-time pane: identical */
  CHECK_EQ_STR(h_out(h), "");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  h_free(h);
}

TEST(session_merge_accumulating_on_time) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_SESSION, .gap = 6 * MIN_US, .bKey = 1};
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 0), 1, "k", 0, 0}, {T(8, 10), 2, "k", 0, 0},
       {T(8, 20), 4, "k", 0, 0});
  /* 8:05 bridges the first two sessions, 8:15 the result and the third. */
  SEND(h, {T(8, 5), 8, "k", 0, 0}, {T(8, 15), 16, "k", 0, 0});
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I k 08:00 08:26 31 ON_TIME 0 09:00 0\n");
  h_free(h);
}


TEST(session_late_rows_extend_or_update_a_fired_session) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_SESSION, .gap = 10 * MIN_US, .bKey = 1,
             .trig = {.bOnTime = 1, .late = TRIG_EVERY_ROW,
                      .lateness = 10 * MIN_US, .accum = ACC_RETRACTING}};
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 0), 1, "k", 0, 0});
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I k 08:00 08:10 1 ON_TIME 0 09:00 0\n");
  /* 8:05 extends the fired session past the watermark: the new session
  ** [8:00, 8:15) is not complete yet, and the old row is retracted only
  ** with its first pane (a table fed the changelog keeps k meanwhile). */
  SEND(h, {T(8, 5), 2, "k", 0, 0});
  CHECK_EQ_STR(h_out(h), "");
  h_wm(h, T(8, 15));
  CHECK_EQ_STR(h_out(h),
               "-D k 08:00 08:10 1 ON_TIME 1 09:00 1\n"
               "+I k 08:00 08:15 3 ON_TIME 0 09:00 0\n");
  /* A late row inside the session only updates it. */
  SEND(h, {T(8, 1), 4, "k", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "-U k 08:00 08:15 3 LATE 1 09:00 1\n"
               "+U k 08:00 08:15 7 LATE 1 09:00 2\n");
  h_wm(h, T(8, 25));
  CHECK_EQ_INT(h_state_bytes(h), 0);
  SEND(h, {T(8, 2), 8, "k", 0, 0});     /* beyond lateness */
  CHECK_EQ_INT(h_late(h), 1);
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  h_free(h);
}


/* ---- sessions against a brute-force reference ------------------------- */

static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of z in place (so two changelogs compare as multisets). */
static char *sorted_lines(const char *z) {
  char *zCopy = strdup(z);
  char *az[4096];
  int n = 0;
  for (char *p = strtok(zCopy, "\n"); p && n < 4096; p = strtok(NULL, "\n")) {
    az[n++] = p;
  }
  qsort(az, (size_t)n, sizeof(char *), cmp_line);
  size_t len = strlen(z) + 2;
  char *zOut = malloc(len);
  zOut[0] = 0;
  for (int i = 0; i < n; i++) {
    strcat(zOut, az[i]);
    strcat(zOut, "\n");
  }
  free(zCopy);
  return zOut;
}

/* Apply a changelog (rows "op values... timing index emit ver"): +I/+U
** add the values, -U/-D remove them. Returns the sorted remaining rows as
** "+I values... ON_TIME 0 09:00 0" lines, comparable with a final result. */
static char *apply_changelog(const char *z) {
  char *zCopy = strdup(z);
  char *az[4096];
  int n = 0;
  for (char *p = strtok(zCopy, "\n"); p; p = strtok(NULL, "\n")) {
    char *zVals = p + 3;
    /* Drop the four metadata fields. */
    for (int k = 0; k < 4; k++) *strrchr(zVals, ' ') = 0;
    if (p[0] == '+') {
      CHECK(n < 4096);
      az[n++] = zVals;
    } else {
      int j = 0;
      while (j < n && strcmp(az[j], zVals)) j++;
      CHECK(j < n);                     /* a retraction matches a row */
      if (j < n) az[j] = az[--n];
    }
  }
  common_buf b;
  common_buf_init(&b);
  for (int i = 0; i < n; i++) {
    common_buf_printf(&b, "+I %s ON_TIME 0 09:00 0\n", az[i]);
  }
  char *zOut = sorted_lines(b.z ? b.z : "");
  common_buf_free(&b);
  free(zCopy);
  return zOut;
}

TEST(sessions_match_brute_force) {
  static const char *azItem[] = {"a", "b", "c"};
  for (int seed = 1; seed <= 10; seed++) {
    harness *h = h_new(T(9, 0));
    int64_t gap = MIN_US;
    spec sp = {.kind = WIN_SESSION, .gap = gap, .bKey = 1, .nAgg = 2};
    sp.aAgg[0] = SUM_PRICE;
    sp.aAgg[1] = COUNT_STAR;
    /* Odd seeds: the final panes; even ones: a retracting changelog of
    ** early panes, which applied in order must give the same result. */
    if (seed % 2 == 0) {
      sp.trig.bOnTime = 1;
      sp.trig.early = TRIG_EVERY_ROW;
      sp.trig.accum = ACC_RETRACTING;
    }
    h_start(h, agg_plan(&sp));
    bid a[200];
    unsigned x = (unsigned)seed * 7919;
    for (int i = 0; i < 200; i++) {
      x = x * 1103515245 + 12345;
      a[i].t = T(8, 0) + (int64_t)((x >> 8) % 3600) * 1000000;
      a[i].price = (x >> 3) % 10;
      a[i].zItem = azItem[(x >> 16) % 3];
      a[i].op = 0;
      a[i].flag = 0;
    }
    for (int i = 0; i < 200; i += 20) h_send(h, 20, &a[i]);
    h_end(h);
    const char *zRaw = h_out(h);
    if (seed % 2 == 0) CHECK(strstr(zRaw, "\n-D ") != NULL);  /* merges */
    char *zGot = seed % 2 ? sorted_lines(zRaw) : apply_changelog(zRaw);
    /* Reference: per key, sort the times and merge [t, t + gap). */
    common_buf ref;
    common_buf_init(&ref);
    for (int k = 0; k < 3; k++) {
      int64_t at[200], ap[200];
      int n = 0;
      for (int i = 0; i < 200; i++) {
        if (a[i].zItem != azItem[k]) continue;
        int j = n++;
        while (j > 0 && at[j - 1] > a[i].t) {
          at[j] = at[j - 1];
          ap[j] = ap[j - 1];
          j--;
        }
        at[j] = a[i].t;
        ap[j] = a[i].price;
      }
      for (int i = 0; i < n;) {
        int64_t s0 = at[i], e0 = at[i] + gap, sum = 0, cnt = 0;
        while (i < n && at[i] < e0) {
          if (at[i] + gap > e0) e0 = at[i] + gap;
          sum += ap[i];
          cnt++;
          i++;
        }
        exec_value v0 = {.type = WEIR_TIMESTAMP, .u.i = s0};
        exec_value v1 = {.type = WEIR_TIMESTAMP, .u.i = e0};
        common_buf_printf(&ref, "+I %s ", azItem[k]);
        fmt_value(&ref, &v0);
        common_buf_putc(&ref, ' ');
        fmt_value(&ref, &v1);
        common_buf_printf(&ref, " %lld %lld ON_TIME 0 09:00 0\n",
                          (long long)sum, (long long)cnt);
      }
    }
    char *zWant = sorted_lines(ref.z);
    CHECK(strlen(zWant) > 100);
    CHECK_EQ_STR(zGot, zWant);
    free(zGot);
    free(zWant);
    common_buf_free(&ref);
    CHECK_EQ_INT(h_state_bytes(h), 0);
    h_free(h);
  }
}


/* TUMBLE, HOP and CUMULATE against a brute-force reference: final panes
** (sliced for HOP/CUMULATE) and an applied retracting changelog of early
** panes (one record per window). */
TEST(aligned_windows_match_brute_force) {
  static const char *azItem[] = {"a", "b", "c", "d"};
  exec_win_kind aKind[3] = {WIN_TUMBLE, WIN_HOP, WIN_CUMULATE};
  for (int k = 0; k < 3; k++) {
    for (int m = 0; m < 2; m++) {
      harness *h = h_new(T(9, 0));
      spec sp = {.kind = aKind[k], .size = 6 * MIN_US, .slide = 2 * MIN_US,
                 .offset = k == 2 ? 0 : MIN_US, .bKey = 1};
      if (m) {
        sp.trig.bOnTime = 1;
        sp.trig.early = TRIG_EVERY_ROW;
        sp.trig.accum = ACC_RETRACTING;
      }
      h_start(h, agg_plan(&sp));
      bid a[300];
      unsigned x = 4242u + (unsigned)k;
      for (int i = 0; i < 300; i++) {
        x = x * 1103515245 + 12345;
        a[i].t = T(8, 0) + (int64_t)((x >> 8) % 1800) * 1000000;
        a[i].price = (x >> 3) % 10;
        a[i].zItem = azItem[(x >> 16) % 4];
        a[i].op = 0;
        a[i].flag = 0;
      }
      for (int i = 0; i < 300; i += 25) h_send(h, 25, &a[i]);
      h_end(h);
      const char *zRaw = h_out(h);
      char *zGot = m ? apply_changelog(zRaw) : sorted_lines(zRaw);
      /* Reference: every (key, window) of every row, summed. */
      int64_t aStart[64], aEnd[64];
      int nWin = 0;
      int64_t aSum[4][64];
      int aSeen[4][64];
      memset(aSeen, 0, sizeof aSeen);
      memset(aSum, 0, sizeof aSum);
      for (int i = 0; i < 300; i++) {
        int ik = (int)(a[i].zItem[0] - 'a');
        for (int64_t s0 = T(7, 0); s0 < T(9, 0); s0 += MIN_US) {
          for (int64_t e0 = s0 + MIN_US; e0 <= s0 + 6 * MIN_US; e0 += MIN_US) {
            int bIs = 0;
            int64_t mi = (s0 - T(0, 0)) / MIN_US, len = (e0 - s0) / MIN_US;
            if (k == 0) bIs = len == 6 && (mi - 1) % 6 == 0;
            if (k == 1) bIs = len == 6 && (mi - 1) % 2 == 0;
            if (k == 2) bIs = mi % 6 == 0 && len % 2 == 0;
            if (!bIs || a[i].t < s0 || a[i].t >= e0) continue;
            int w = 0;
            while (w < nWin && (aStart[w] != s0 || aEnd[w] != e0)) w++;
            if (w == nWin) {
              aStart[nWin] = s0;
              aEnd[nWin++] = e0;
            }
            aSeen[ik][w] = 1;
            aSum[ik][w] += a[i].price;
          }
        }
      }
      common_buf ref;
      common_buf_init(&ref);
      for (int ik = 0; ik < 4; ik++) {
        for (int w = 0; w < nWin; w++) {
          if (!aSeen[ik][w]) continue;
          exec_value v0 = {.type = WEIR_TIMESTAMP, .u.i = aStart[w]};
          exec_value v1 = {.type = WEIR_TIMESTAMP, .u.i = aEnd[w]};
          common_buf_printf(&ref, "+I %s ", azItem[ik]);
          fmt_value(&ref, &v0);
          common_buf_putc(&ref, ' ');
          fmt_value(&ref, &v1);
          common_buf_printf(&ref, " %lld ON_TIME 0 09:00 0\n",
                            (long long)aSum[ik][w]);
        }
      }
      char *zWant = sorted_lines(ref.z);
      CHECK(nWin > 4);
      CHECK_EQ_STR(zGot, zWant);
      free(zGot);
      free(zWant);
      common_buf_free(&ref);
      CHECK_EQ_INT(h_state_bytes(h), 0);
      h_free(h);
    }
  }
}

/* ---- unbounded aggregates, retracting input, aggregate functions ----- */

TEST(unbounded_emit_changes) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_NONE, .bKey = 1, .bUnbounded = 1};
  h_start(h, agg_plan(&sp));
  SEND(h, {0, 2, "A", 0, 0}, {0, 3, "B", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "+I A 2 EARLY 0 09:00 0\n"
               "+I B 3 EARLY 0 09:00 0\n");
  SEND(h, {0, 0, "A", 0, 0});           /* unchanged: nothing */
  CHECK_EQ_STR(h_out(h), "");
  SEND(h, {0, 1, "B", 0, 0}, {0, 1, "A", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "-U A 2 EARLY 1 09:00 1\n"
               "+U A 3 EARLY 1 09:00 2\n"
               "-U B 3 EARLY 1 09:00 1\n"
               "+U B 4 EARLY 1 09:00 2\n");
  /* A retracting input: B's rows go away entirely. */
  SEND(h, {0, 1, "A", OP_DELETE, 0}, {0, 3, "B", OP_UPDATE_BEFORE, 0},
       {0, 1, "B", OP_DELETE, 0});
  CHECK_EQ_STR(h_out(h),
               "-U A 3 EARLY 2 09:00 3\n"
               "+U A 2 EARLY 2 09:00 4\n"
               "-D B 4 EARLY 2 09:00 3\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

TEST(aggregate_functions_filter_distinct) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .nAgg = 6};
  sp.aAgg[0] = agg(AGG_COUNT, 0, WEIR_VARCHAR, WEIR_BIGINT);
  sp.aAgg[0].bDistinct = 1;
  sp.aAgg[1] = agg(AGG_MIN, 0, WEIR_VARCHAR, WEIR_VARCHAR);
  sp.aAgg[2] = agg(AGG_MAX, 1, WEIR_BIGINT, WEIR_BIGINT);
  sp.aAgg[3] = agg(AGG_AVG, 1, WEIR_BIGINT, WEIR_DOUBLE);
  sp.aAgg[4] = SUM_PRICE;
  sp.aAgg[4].iFilter = 3;               /* SUM(price) FILTER (WHERE flag) */
  sp.aAgg[5] = agg(AGG_SUM, 1, WEIR_BIGINT, WEIR_BIGINT);
  sp.aAgg[5].bDistinct = 1;
  h_start(h, agg_plan(&sp));
  SEND(h, {T(8, 1), 4, "pear", 0, 1}, {T(8, 2), 4, "fig", 0, 0},
       {T(8, 3), 1, "pear", 0, 1}, {T(8, 4), 7, "kiwi", 0, 0});
  SEND(h, {T(8, 15), 1, "x", 0, 0});
  h_end(h);
  CHECK_EQ_STR(h_out(h),
               "+I 08:00 08:10 3 fig 7 4.0 5 12 ON_TIME 0 09:00 0\n"
               "+I 08:10 08:20 1 x 1 1.0 NULL 1 ON_TIME 0 09:00 0\n");
  h_free(h);
}

TEST(proctime_windows) {
  harness *h = h_new(T(8, 1));
  exec_plan *s = NULL;
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US};
  s = agg_plan(&sp);
  s->aChild[0]->window.iTimeCol = -1;   /* PROCTIME() */
  h_start(h, s);
  SEND(h, {T(1, 0), 1, "a", 0, 0});
  h_now(h, T(8, 12));
  SEND(h, {T(1, 0), 2, "a", 0, 0});
  /* [8:00,8:10) closed when processing time passed 8:10. */
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 1 ON_TIME 0 08:10 0\n");
  h_now(h, T(8, 19));
  CHECK_EQ_STR(h_out(h), "");
  h_now(h, T(8, 21));
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 2 ON_TIME 0 08:20 0\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "");
  h_free(h);
}


/* ---- sliced HOP/CUMULATE agree with per-window state ------------------
** With only an on-time pane, HOP and CUMULATE keep per-slice state; an
** early trigger that never fires (AFTER 10^9 ROWS) forces one record per
** window instead. Both must give the same changelog on a disordered,
** keyed stream with late rows. */
static void run_random(harness *h, exec_win_kind k, int bForceWindows,
                       int bMin, int64_t *pLate) {
  spec sp = {.kind = k, .size = 10 * MIN_US, .slide = 2 * MIN_US,
             .offset = MIN_US, .bKey = 1, .nAgg = bMin ? 3 : 2};
  if (k == WIN_CUMULATE) sp.offset = 0;
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  sp.aAgg[2] = agg(AGG_MIN, 1, WEIR_BIGINT, WEIR_BIGINT);
  sp.trig.bOnTime = 1;
  if (bForceWindows) {
    sp.trig.early = TRIG_AFTER_ROWS;
    sp.trig.earlyArg = 1000000000;
  }
  h_start(h, agg_plan(&sp));
  static const char *azItem[] = {"a", "b", "c", "d", "e"};
  unsigned x = 12345;
  int64_t base = T(8, 0);
  bid a[50];
  for (int n = 0; n < 120; n++) {
    for (int i = 0; i < 50; i++) {
      x = x * 1103515245 + 12345;
      a[i].t = base + (int64_t)((x >> 8) % 1200) * 1000000 - 1080000000LL;
      a[i].price = (x >> 4) % 100;
      a[i].zItem = azItem[(x >> 20) % 5];
      a[i].op = 0;
      a[i].flag = 0;
    }
    h_send(h, 50, a);
    base += 2 * MIN_US + 17 * 1000000LL;
    h_wm(h, base - 4 * MIN_US);
  }
  h_end(h);
  *pLate = h_late(h);
  CHECK_EQ_INT(h_state_bytes(h), 0);
}

TEST(sliced_windows_match_per_window_state) {
  exec_win_kind aKind[2] = {WIN_HOP, WIN_CUMULATE};
  /* With MIN, slices are merged per window; without, the running windows
  ** are updated incrementally (slices enter and leave). */
  for (int k = 0; k < 4; k++) {
    char *zOut[2];
    int64_t aLate[2];
    for (int m = 0; m < 2; m++) {
      harness *h = h_new(T(9, 0));
      run_random(h, aKind[k % 2], m, k < 2, &aLate[m]);
      zOut[m] = strdup(h_out(h));
      h_free(h);
    }
    CHECK(strlen(zOut[0]) > 1000);
    CHECK(aLate[0] > 0);
    CHECK_EQ_INT(aLate[0], aLate[1]);
    CHECK_EQ_STR(zOut[0], zOut[1]);
    free(zOut[0]);
    free(zOut[1]);
  }
}


TEST(global_aggregate_of_bounded_input) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_NONE, .nAgg = 2, .trig = {.bOnTime = 1}};
  sp.aAgg[0] = SUM_PRICE;
  sp.aAgg[1] = COUNT_STAR;
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A, BID_B);
  CHECK_EQ_STR(h_out(h), "");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 5 2 ON_TIME 0 09:00 0\n");
  h_free(h);
  /* No rows at all: still one row, as in SQL. */
  h = h_new(T(9, 0));
  h_start(h, agg_plan(&sp));
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I NULL 0 ON_TIME 0 09:00 0\n");
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

/* Stopping queries mid-stream releases every byte of window state. */
TEST(stop_mid_stream_frees_everything) {
  int64_t before = common_mem_used();
  exec_win_kind aKind[4] = {WIN_TUMBLE, WIN_HOP, WIN_SESSION, WIN_NONE};
  for (int k = 0; k < 4; k++) {
    harness *h = h_new(T(9, 0));
    spec sp = {.kind = aKind[k], .size = 10 * MIN_US, .slide = 5 * MIN_US,
               .gap = 5 * MIN_US, .bKey = 1, .bUnbounded = k == 3,
               .nAgg = 3};
    sp.aAgg[0] = agg(AGG_COUNT, 0, WEIR_VARCHAR, WEIR_BIGINT);
    sp.aAgg[0].bDistinct = 1;
    sp.aAgg[1] = agg(AGG_MAX, 0, WEIR_VARCHAR, WEIR_VARCHAR);
    sp.aAgg[2] = SUM_PRICE;
    if (k == 0) {
      sp.trig.bOnTime = 1;
      sp.trig.early = TRIG_AFTER_DELAY;
      sp.trig.earlyArg = MIN_US;
      sp.trig.accum = ACC_RETRACTING;
    }
    h_start(h, agg_plan(&sp));
    SEND(h, BID_A, BID_B, BID_C, BID_D, BID_E, BID_F,
         {T(8, 12), 1, "a key longer than the inline key buffer", 0, 0});
    h_wm(h, T(8, 10));
    CHECK(h_state_bytes(h) > 0);
    exec_query_free(h->q);
    h->q = NULL;
    h_free(h);
  }
  CHECK_EQ_INT(common_mem_used(), before);
}


/* MAX over the changelog of another aggregate: retractions of the current
** maximum are exact (the inner SUM per item goes down). */
TEST(max_over_a_retracting_changelog) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_NONE, .bKey = 1, .bUnbounded = 1};
  exec_plan *inner = agg_plan(&sp)->aChild[0];   /* item, sum, 4 meta */
  exec_plan *a = node(PLAN_AGG, 4);
  a->nChild = 1;
  a->aChild[0] = inner;
  a->bUnbounded = 1;
  a->nAgg = 1;
  a->aAgg = common_arena_alloc(&gArena, sizeof(exec_agg));
  a->aAgg[0] = agg(AGG_MAX, 1, WEIR_BIGINT, WEIR_BIGINT);
  schema_add(&a->schema, "max", WEIR_BIGINT);
  schema_add(&a->schema, "pane_timing", WEIR_VARCHAR);
  schema_add(&a->schema, "pane_index", WEIR_BIGINT);
  schema_add(&a->schema, "emit_time", WEIR_TIMESTAMP);
  schema_add(&a->schema, "ver", WEIR_BIGINT);
  exec_plan *s = node(PLAN_SINK, 3);
  s->nChild = 1;
  s->aChild[0] = a;
  s->schema = a->schema;
  h_start(h, s);
  SEND(h, {0, 5, "A", 0, 0}, {0, 3, "B", 0, 0});
  CHECK_EQ_STR(h_out(h), "+I 5 EARLY 0 09:00 0\n");
  SEND(h, {0, -4, "A", 0, 0});          /* A: 5 -> 1; the max is B's 3 */
  CHECK_EQ_STR(h_out(h),
               "-U 5 EARLY 1 09:00 1\n"
               "+U 3 EARLY 1 09:00 2\n");
  SEND(h, {0, 3, "A", 0, 0});           /* A: 1 -> 4 */
  CHECK_EQ_STR(h_out(h),
               "-U 3 EARLY 2 09:00 3\n"
               "+U 4 EARLY 2 09:00 4\n");
  CHECK_EQ_INT(exec_query_state_get(h->q), EXQ_RUNNING);
  h_end(h);
  h_free(h);
}


TEST(long_string_keys) {
  exec_win_kind aKind[3] = {WIN_TUMBLE, WIN_HOP, WIN_SESSION};
  for (int k = 0; k < 3; k++) {
    harness *h = h_new(T(9, 0));
    spec sp = {.kind = aKind[k], .size = 10 * MIN_US, .slide = 10 * MIN_US,
               .gap = 10 * MIN_US, .bKey = 1};
    h_start(h, agg_plan(&sp));
    SEND(h, {T(8, 1), 1, "supercalifragilisticexpialidocious", 0, 0},
         {T(8, 2), 2, "supercalifragilisticexpialidocious!", 0, 0},
         {T(8, 3), 4, "supercalifragilisticexpialidocious", 0, 0});
    int64_t sb = h_state_bytes(h);
    CHECK(sb > 0);
    h_end(h);
    if (k < 2) {
      CHECK_EQ_STR(h_out(h),
                   "+I supercalifragilisticexpialidocious 08:00 08:10 5 "
                   "ON_TIME 0 09:00 0\n"
                   "+I supercalifragilisticexpialidocious! 08:00 08:10 2 "
                   "ON_TIME 0 09:00 0\n");
    } else {
      /* Sessions fire by end: [8:02, 8:12) before [8:01, 8:13). */
      CHECK_EQ_STR(h_out(h),
                   "+I supercalifragilisticexpialidocious! 08:02 08:12 2 "
                   "ON_TIME 0 09:00 0\n"
                   "+I supercalifragilisticexpialidocious 08:01 08:13 5 "
                   "ON_TIME 0 09:00 0\n");
    }
    CHECK_EQ_INT(h_state_bytes(h), 0);
    h_free(h);
  }
}


/* GROUP BY (item, flag) with NULL items and no aggregate at all. */
TEST(composite_null_keys_without_aggregates) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_NONE, .bUnbounded = 1, .nAgg = 0};
  exec_plan *s = agg_plan(&sp);
  exec_plan *a = s->aChild[0];
  a->nAgg = 0;
  a->nKey = 2;
  a->aKeyCol = common_arena_alloc(&gArena, 2 * sizeof(int));
  a->aKeyCol[0] = 0;
  a->aKeyCol[1] = 3;
  a->schema.nCol = 0;
  schema_add(&a->schema, "item", WEIR_VARCHAR);
  schema_add(&a->schema, "flag", WEIR_BOOLEAN);
  schema_add(&a->schema, "pane_timing", WEIR_VARCHAR);
  schema_add(&a->schema, "pane_index", WEIR_BIGINT);
  schema_add(&a->schema, "emit_time", WEIR_TIMESTAMP);
  schema_add(&a->schema, "ver", WEIR_BIGINT);
  s->schema = a->schema;
  h_start(h, s);
  SEND(h, {0, 1, NULL, 0, 1}, {0, 1, "x", 0, 1}, {0, 1, NULL, 0, 0},
       {0, 1, NULL, 0, 1}, {0, 1, "x", 0, 0});
  CHECK_EQ_STR(h_out(h),
               "+I NULL TRUE EARLY 0 09:00 0\n"
               "+I x TRUE EARLY 0 09:00 0\n"
               "+I NULL FALSE EARLY 0 09:00 0\n"
               "+I x FALSE EARLY 0 09:00 0\n");
  SEND(h, {0, 1, "x", 0, 1}, {0, 1, NULL, 0, 1});   /* unchanged rows */
  CHECK_EQ_STR(h_out(h), "");
  SEND(h, {0, 1, "x", OP_DELETE, 0});
  CHECK_EQ_STR(h_out(h), "-D x FALSE EARLY 1 09:00 1\n");
  h_end(h);
  CHECK_EQ_INT(h_state_bytes(h), 0);
  h_free(h);
}

/* ---- state stays bounded ----------------------------------------------- */

TEST(endless_stream_state_is_flat) {
  harness *h = h_new(0);
  spec sp = {.kind = WIN_TUMBLE, .size = 1000000, .bKey = 1};
  h->sink.bCountOnly = 1;
  h_start(h, agg_plan(&sp));
  static const char *azKey[] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6",
                                "k7", "k8", "k9", "k10", "k11", "k12"};
  bid a[1000];
  int64_t t = 0, atHundred = 0, maxAfter = 0;
  int nBatch = 1200;
  for (int n = 0; n < nBatch; n++) {
    for (int i = 0; i < 1000; i++) {
      a[i].t = t;
      a[i].price = i;
      a[i].zItem = azKey[(i * 7 + n) % 13];
      a[i].op = 0;
      a[i].flag = 0;
      t += 1000;                          /* 1 ms per row */
    }
    h_send(h, 1000, a);
    h_wm(h, t - 50000);
    int64_t sb = h_state_bytes(h);
    if (n == 100) atHundred = sb;
    if (n > 100 && sb > maxAfter) maxAfter = sb;
  }
  CHECK(atHundred > 0);
  CHECK(maxAfter <= 2 * atHundred);
  CHECK_EQ_INT(h_late(h), 0);
  h_end(h);
  CHECK_EQ_INT(h_state_bytes(h), 0);
  /* 1.2M rows of 1 ms over 1 s windows: 1200 windows x 13 keys. */
  CHECK_EQ_INT(h->sink.nRows, 1200 * 13);
  h_free(h);
}


/* The same for sliced HOP and for sessions (fewer rows). */
TEST(endless_stream_state_is_flat_hop_session) {
  exec_win_kind aKind[2] = {WIN_HOP, WIN_SESSION};
  for (int k = 0; k < 2; k++) {
    harness *h = h_new(0);
    spec sp = {.kind = aKind[k], .size = 4000000, .slide = 1000000,
               .gap = 300000, .bKey = 1};
    h->sink.bCountOnly = 1;
    h_start(h, agg_plan(&sp));
    static const char *azKey[] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6"};
    bid a[1000];
    int64_t t = 0, atFifty = 0, maxAfter = 0;
    for (int n = 0; n < 300; n++) {
      for (int i = 0; i < 1000; i++) {
        a[i].t = t;
        a[i].price = i;
        /* Sessions: each key pauses for 0.5 s every 2 s. */
        a[i].zItem = azKey[i % 7];
        a[i].op = 0;
        a[i].flag = 0;
        t += (k == 1 && i == 999 && n % 2) ? 500000 : 1000;
      }
      h_send(h, 1000, a);
      h_wm(h, t - 50000);
      int64_t sb = h_state_bytes(h);
      if (n == 50) atFifty = sb;
      if (n > 50 && sb > maxAfter) maxAfter = sb;
    }
    CHECK(atFifty > 0);
    CHECK(maxAfter <= 2 * atFifty);
    h_end(h);
    CHECK_EQ_INT(h_state_bytes(h), 0);
    CHECK(h->sink.nRows > 300);
    h_free(h);
  }
}

/* ---- PLAN_WINDOW (window TVF without aggregation) -------------------- */

static exec_plan *window_plan(exec_win_kind k, int64_t size, int64_t slide) {
  exec_plan *r = read_bids();
  exec_plan *w = node(PLAN_WINDOW, 2);
  w->nChild = 1;
  w->aChild[0] = r;
  w->window.kind = k;
  w->window.iTimeCol = 2;
  w->window.size = size;
  w->window.slide = slide;
  w->window.gap = size;
  for (int i = 0; i < 4; i++) {
    schema_add(&w->schema, r->schema.azName[i], r->schema.aType[i]);
  }
  schema_add(&w->schema, "window_start", WEIR_TIMESTAMP);
  schema_add(&w->schema, "window_end", WEIR_TIMESTAMP);
  exec_plan *s = node(PLAN_SINK, 3);
  s->nChild = 1;
  s->aChild[0] = w;
  s->schema = w->schema;
  return s;
}

TEST(window_tvf_tumble_and_hop) {
  harness *h = h_new(T(9, 0));
  h_start(h, window_plan(WIN_TUMBLE, 10 * MIN_US, 0));
  SEND(h, BID_A, BID_B);
  CHECK_EQ_STR(h_out(h),
               "+I A 2 08:07 FALSE 08:00 08:10\n"
               "+I B 3 08:11 FALSE 08:10 08:20\n");
  h_free(h);
  h = h_new(T(9, 0));
  h_start(h, window_plan(WIN_HOP, 10 * MIN_US, 5 * MIN_US));
  SEND(h, BID_A, {T(8, 11), 3, "B", OP_DELETE, 0});
  CHECK_EQ_STR(h_out(h),
               "+I A 2 08:07 FALSE 08:00 08:10\n"
               "+I A 2 08:07 FALSE 08:05 08:15\n"
               "-D B 3 08:11 FALSE 08:05 08:15\n"
               "-D B 3 08:11 FALSE 08:10 08:20\n");
  h_free(h);
}

TEST(window_tvf_session_refused) {
  harness *h = h_new(T(9, 0));
  int rc = exec_query_start(&h->q, window_plan(WIN_SESSION, MIN_US, 0),
                            &h->env, &h->binder, &h->zErr);
  CHECK_EQ_INT(rc, 1);
  CHECK_CONTAINS(h->zErr, "SESSION");
  h_free(h);
}

/* ---- 'late.sink' --------------------------------------------------------- */

/* The late sink's rows so far (and forget them). */
static const char *h_late_out(harness *h) {
  snprintf(gOut, sizeof gOut, "%s", h->late.rows.z ? h->late.rows.z : "");
  common_buf_reset(&h->late.rows);
  if (h->late.rows.z) h->late.rows.z[0] = 0;
  return gOut;
}

TEST(late_sink_gets_the_dropped_input_rows) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US, .bKey = 0};
  exec_plan *p = agg_plan(&sp);
  p->aChild[0]->zLateSink = "late_rows";
  h_start(h, p);
  CHECK_EQ_STR(h->zLateName, "late_rows");
  SEND(h, BID_A);
  h_wm(h, T(8, 10));
  CHECK_EQ_STR(h_out(h), "+I 08:00 08:10 2 ON_TIME 0 08:20 0\n");
  /* C and D are too late for [8:00,8:10); B opens [8:10,8:20); a
  ** retraction that is too late keeps its op. */
  SEND(h, BID_C, BID_B, BID_D, {T(8, 1), 7, "R", OP_DELETE, 1});
  CHECK_EQ_INT(h_late(h), 3);
  CHECK_EQ_STR(h_late_out(h),
               "+I C 4 08:05 FALSE\n+I D 5 08:09 FALSE\n-D R 7 08:01 TRUE\n");
  SEND(h, BID_E);                       /* on time: nothing to the side */
  CHECK_EQ_STR(h_late_out(h), "");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I 08:10 08:20 4 ON_TIME 0 08:20 0\n");
  h_free(h);
}

TEST(late_sink_sessions_and_partly_late_hop_rows) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_SESSION, .gap = 5 * MIN_US, .bKey = 1};
  exec_plan *p = agg_plan(&sp);
  p->aChild[0]->zLateSink = "s";
  h_start(h, p);
  h_wm(h, T(8, 10));
  /* [8:04,8:09) ends before the watermark: late; [8:06,8:11) is open. */
  SEND(h, {T(8, 4), 1, "x", 0, 0}, {T(8, 6), 2, "y", 0, 0});
  CHECK_EQ_STR(h_late_out(h), "+I x 1 08:04 FALSE\n");
  h_end(h);
  CHECK_EQ_STR(h_out(h), "+I y 08:06 08:11 2 ON_TIME 0 08:20 0\n");
  h_free(h);

  h = h_new(T(8, 20));
  spec sh = {.kind = WIN_HOP, .size = 10 * MIN_US, .slide = 5 * MIN_US};
  p = agg_plan(&sh);
  p->aChild[0]->zLateSink = "s";
  h_start(h, p);
  h_wm(h, T(8, 10));
  /* A still counts in [8:05,8:15): not routed; Q is late for both. */
  SEND(h, BID_A, {T(8, 3), 9, "Q", 0, 0});
  CHECK_EQ_STR(h_late_out(h), "+I Q 9 08:03 FALSE\n");
  h_free(h);
}

TEST(late_sink_with_chosen_columns) {
  harness *h = h_new(T(8, 20));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US};
  exec_plan *p = agg_plan(&sp);
  exec_plan *a = p->aChild[0];
  a->zLateSink = "late_rows";
  static int aCol[2] = {2, 0};          /* bidtime, item */
  a->aLateCol = aCol;
  schema_add(&a->lateSchema, "bidtime", WEIR_TIMESTAMP);
  schema_add(&a->lateSchema, "item", WEIR_VARCHAR);
  h_start(h, p);
  h_wm(h, T(8, 10));
  SEND(h, BID_C, BID_B);
  CHECK_EQ_STR(h_late_out(h), "+I 08:05 C\n");
  h_free(h);
}

TEST(late_sink_needs_a_binder_that_opens_it) {
  harness *h = h_new(T(8, 20));
  h->binder.xOpenLateSink = NULL;
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US};
  exec_plan *p = agg_plan(&sp);
  p->aChild[0]->zLateSink = "nowhere";
  CHECK_EQ_INT(exec_query_start(&h->q, p, &h->env, &h->binder, &h->zErr), 1);
  CHECK_CONTAINS(h->zErr, "late.sink 'nowhere'");
  h_free(h);
}

/* ---- the output watermark hold ----------------------------------------- */

static int64_t h_out_wm(harness *h) {
  exec_query_stats st;
  exec_query_stats_get(h->q, &st);
  return st.watermark;
}

TEST(output_watermark_held_to_earliest_pending_window_start) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_TUMBLE, .size = 10 * MIN_US,
             .trig = {.bOnTime = 1, .lateness = 5 * MIN_US,
                      .late = TRIG_EVERY_ROW, .accum = ACC_DISCARDING}};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  h_wm(h, T(8, 4));
  /* [7:50,8:00) would still take rows (its end + lateness is 8:05). */
  CHECK_EQ_INT(h_out_wm(h), T(7, 50));
  h_wm(h, T(8, 12));
  /* [8:00,8:10) fired but takes late rows until 8:15. */
  CHECK_EQ_INT(h_out_wm(h), T(8, 0));
  h_wm(h, T(8, 15));
  CHECK_EQ_INT(h_out_wm(h), T(8, 10));
  h_wm(h, T(8, 31));
  CHECK_EQ_INT(h_out_wm(h), T(8, 20));
  h_end(h);
  CHECK_EQ_INT(h_out_wm(h), EXEC_TIME_MAX);
  h_free(h);

  h = h_new(T(9, 0));
  spec ss = {.kind = WIN_SESSION, .gap = 5 * MIN_US, .bKey = 1};
  h_start(h, agg_plan(&ss));
  SEND(h, {T(8, 0), 1, "a", 0, 0}, {T(8, 4), 1, "a", 0, 0},
       {T(8, 8), 1, "a", 0, 0}, {T(8, 9), 1, "b", 0, 0});
  h_wm(h, T(8, 10));
  /* a [8:00,8:13) holds it; without a, sessions that may still emit
  ** start after 8:10 - 5 min. */
  CHECK_EQ_INT(h_out_wm(h), T(8, 0));
  h_wm(h, T(8, 13));
  CHECK_EQ_INT(h_out_wm(h), T(8, 8) + 1);
  h_wm(h, T(8, 14));
  CHECK_EQ_INT(h_out_wm(h), T(8, 9) + 1);   /* b [8:09,8:14) fired */
  h_free(h);
}

TEST(output_watermark_hold_hop_and_cumulate) {
  harness *h = h_new(T(9, 0));
  spec sp = {.kind = WIN_HOP, .size = 10 * MIN_US, .slide = 5 * MIN_US,
             .offset = MIN_US};
  h_start(h, agg_plan(&sp));
  SEND(h, BID_A);
  h_wm(h, T(8, 12));
  /* [8:01,8:11) fired; [8:06,8:16) may still emit. */
  CHECK_EQ_INT(h_out_wm(h), T(8, 6));
  h_free(h);

  h = h_new(T(9, 0));
  spec sc = {.kind = WIN_CUMULATE, .size = 10 * MIN_US, .slide = 2 * MIN_US};
  h_start(h, agg_plan(&sc));
  SEND(h, BID_A);
  h_wm(h, T(8, 6));
  /* [8:00,8:08) and [8:00,8:10) are still to come. */
  CHECK_EQ_INT(h_out_wm(h), T(8, 0));
  h_wm(h, T(8, 12));
  CHECK_EQ_INT(h_out_wm(h), T(8, 10));
  h_free(h);
}

/* The time queue of session deadlines pops exactly what a heap pops, in
** the same order, for keys near the bound, far beyond the ring (lateness),
** negative, re-queued below the bound, and after jumps of the bound. */
TEST(time_queue_matches_a_heap) {
  exec_tq q;
  exec_heap h;
  memset(&q, 0, sizeof q);
  memset(&h, 0, sizeof h);
  uint64_t seed = 7, seq = 0;
  int64_t bound = -5000000000LL, nPop = 0;
  for (int round = 0; round < 3000; round++) {
    int nPush = (int)((seed = seed * 6364136223846793005ULL + 1) >> 60);
    for (int i = 0; i < nPush; i++) {
      seed = seed * 6364136223846793005ULL + 1;
      int64_t d = (int64_t)(seed >> 33) % 40000000;      /* < 40 s */
      if ((seed >> 20) % 50 == 0) d += 3600000000LL;     /* an hour on */
      exec_hent e = {bound + 1 + d, (int64_t)(seed >> 40) % 3, ++seq,
                     NULL, 0};
      exec_tq_push(&q, &e);
      exec_heap_push(&h, &e);
    }
    seed = seed * 6364136223846793005ULL + 1;
    bound += (seed >> 62) == 0 ? 7200000000LL : (int64_t)(seed >> 40) % 3000000;
    const exec_hent *a;
    while ((a = exec_tq_top(&q, bound)) != NULL) {
      const exec_hent *b = exec_heap_top(&h);
      CHECK(b != NULL);
      if (!b) break;
      CHECK_EQ_INT(a->k1, b->k1);
      CHECK_EQ_INT((int64_t)a->k3, (int64_t)b->k3);
      if (a->k3 % 5 == 0 && a->k2 == 0) {
        /* re-queue with a later key, sometimes still below the bound */
        exec_hent x = *a;
        x.k2 = 1 + (int64_t)(a->k3 % 2);
        x.k1 += x.k2 == 1 ? 1 : 20000000;
        exec_tq_replace_top(&q, &x);
        exec_heap_replace_top(&h, &x);
        continue;
      }
      exec_tq_pop(&q);
      exec_heap_pop(&h);
      nPop++;
    }
    const exec_hent *b = exec_heap_top(&h);
    CHECK(!b || b->k1 > bound);
  }
  CHECK(nPop > 10000);
  exec_tq_clear(&q);
  CHECK(exec_tq_top(&q, EXEC_TIME_MAX) == NULL);
  exec_tq_free(&q);
  exec_heap_free(&h);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }
