/*
** examples/embed.c — weir embedded in a host's own libuv program.
**
** The host owns the loop. It opens an engine on that loop, declares a
** memory source and a materialized view, starts a continuous query whose
** changelog arrives through a callback (typed values and an op), and
** pushes rows from its own timer. When the feed is done it reads the
** view's snapshot and checks both results against counts it kept itself.
** A second part lets weir run its own loop (weir_open with NULL).
**
** Build: cc embed.c $(pkg-config --cflags --libs libuv) -lweir ...
** (the tests build it against libweir.a and libweir.so). Exit status 0
** when every check passes.
*/
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "weir.h"

#define NTICK 20
#define NPAGE 4

static const char *azPage[NPAGE] = {"/", "/docs", "/pricing", "/blog"};

typedef struct host {
  weir_engine *e;
  uv_timer_t timer;
  int nTick;
  long nClicks[NPAGE]; /* what the host pushed, per page */
  long nUsers[NPAGE];  /* the query's current count per page */
  int nChanges, nRetractions;
  int nFail;
} host;

static int page_index(const weir_value *v) {
  for (int i = 0; i < NPAGE; i++)
    if (v->type == WEIR_VARCHAR && strlen(azPage[i]) == v->u.s.n &&
        !memcmp(azPage[i], v->u.s.p, v->u.s.n))
      return i;
  return -1;
}

/* ---- the query's changelog ---------------------------------------------- */

static void on_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names, const weir_type *col_types) {
  printf("query %s started:", name);
  for (int i = 0; i < ncol; i++) printf(" %s", col_names[i]);
  printf("\n");
}

static void on_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  host *h = arg;
  static const char *azOp[] = {"+I", "-U", "+U", "-D"};
  int i = page_index(&values[0]);
  if (i < 0 || ncol != 2 || values[1].type != WEIR_BIGINT) {
    h->nFail++;
    return;
  }
  h->nChanges++;
  if (op == WEIR_OP_UPDATE_BEFORE || op == WEIR_OP_DELETE) {
    h->nRetractions++;
    h->nUsers[i] = 0;
  } else {
    h->nUsers[i] = (long)values[1].u.i;
  }
  if (h->nChanges <= 6) {
    char z[64];
    weir_value_format(z, sizeof z, &values[1]);
    printf("  %s %s %s\n", azOp[op], azPage[i], z);
  }
}

static void on_end(void *arg, weir_query *q, const weir_error *err) {
  printf("query %s ended%s%s\n", weir_query_name(q), err ? ": " : "",
         err ? err->message : "");
}

/* ---- the host's timer pushes rows ------------------------------------------
 */

static void on_tick(uv_timer_t *t) {
  host *h = t->data;
  weir_value a[3 * 3];
  for (int r = 0; r < 3; r++) {
    int p = (h->nTick * 3 + r) % NPAGE;
    weir_value *v = &a[r * 3];
    memset(v, 0, sizeof(weir_value) * 3);
    v[0].type = WEIR_VARCHAR;
    v[0].u.s.p = azPage[p];
    v[0].u.s.n = (uint32_t)strlen(azPage[p]);
    v[1].type = WEIR_BIGINT;
    v[1].u.i = 1000 + h->nTick;
    v[2].type = WEIR_TIMESTAMP;
    v[2].u.i = 1700000000000000LL + h->nTick * 1000000LL;
    h->nClicks[p]++;
  }
  weir_error err = {0};
  if (weir_push_rows(h->e, "clicks", 3, 3, a, &err)) {
    fprintf(stderr, "push: %s\n", err.message);
    weir_error_clear(&err);
    h->nFail++;
  }
  if (++h->nTick == NTICK) uv_timer_stop(t);
}

/* ---- reading the view
 * --------------------------------------------------------- */

static void snap_row(void *arg, weir_query *q, weir_op op, int ncol,
                     const weir_value *values) {
  host *h = arg;
  int i = page_index(&values[0]);
  if (i < 0 || op != WEIR_OP_INSERT) {
    h->nFail++;
    return;
  }
  printf("  view: %-9s %lld clicks\n", azPage[i], (long long)values[1].u.i);
  if (values[1].u.i != h->nClicks[i]) {
    fprintf(stderr, "view: %s has %lld, pushed %ld\n", azPage[i],
            (long long)values[1].u.i, h->nClicks[i]);
    h->nFail++;
  }
}

static int run(weir_engine *e, const char *zSql, const weir_callbacks *cb) {
  weir_error err = {0};
  const char *z = zSql;
  while (*z) {
    const char *zTail = NULL;
    if (weir_exec(e, z, &zTail, 0, cb, &err)) {
      fprintf(stderr, "error: %s\n", err.message);
      weir_error_clear(&err);
      return 1;
    }
    if (!zTail || zTail == z) break;
    z = zTail;
  }
  return 0;
}

static int host_loop_part(void) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  host h;
  memset(&h, 0, sizeof(h));
  weir_error err = {0};
  if (weir_open(&h.e, &loop, &err)) {
    fprintf(stderr, "weir_open: %s\n", err.message);
    return 1;
  }
  weir_callbacks cb = {&h, on_start, on_row, on_end, NULL};
  if (run(h.e,
          "CREATE SOURCE clicks (page VARCHAR, user_id BIGINT, ts TIMESTAMP)"
          "  WITH (connector = 'memory');"
          "CREATE MATERIALIZED VIEW per_page AS"
          "  SELECT page, COUNT(*) AS clicks FROM clicks GROUP BY page;"
          "SELECT page, COUNT(*) AS users FROM clicks"
          "  GROUP BY page;",
          &cb))
    return 1;
  uv_timer_init(&loop, &h.timer);
  h.timer.data = &h;
  uv_timer_start(&h.timer, on_tick, 1, 2);
  /* The host runs its loop; weir works inside it. */
  while (h.nTick < NTICK) uv_run(&loop, UV_RUN_ONCE);
  uv_run(&loop, UV_RUN_NOWAIT);
  printf("host loop: %d ticks, %d changes (%d retractions)\n", h.nTick,
         h.nChanges, h.nRetractions);
  /* The query counts rows per page, as the host did. */
  for (int i = 0; i < NPAGE; i++) {
    if (h.nUsers[i] != h.nClicks[i]) {
      fprintf(stderr, "query: %s has %ld users, pushed %ld\n", azPage[i],
              h.nUsers[i], h.nClicks[i]);
      h.nFail++;
    }
  }
  if (h.nRetractions == 0) {
    fprintf(stderr, "expected retractions in the changelog\n");
    h.nFail++;
  }
  weir_callbacks snap = {&h, NULL, snap_row, NULL, NULL};
  if (weir_view_snapshot(h.e, "per_page", &snap, &err)) {
    fprintf(stderr, "snapshot: %s\n", err.message);
    weir_error_clear(&err);
    h.nFail++;
  }
  uv_close((uv_handle_t *)&h.timer, NULL);
  weir_close(h.e);
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop)) {
    fprintf(stderr, "the loop still has handles\n");
    h.nFail++;
  }
  return h.nFail;
}

/* ---- weir's own loop
 * -------------------------------------------------------------- */

typedef struct own {
  int nRows;
  long nSum;
} own;

static void own_row(void *arg, weir_query *q, weir_op op, int ncol,
                    const weir_value *values) {
  own *o = arg;
  o->nRows++;
  o->nSum += (long)values[0].u.i;
}

static int own_loop_part(void) {
  weir_engine *e;
  weir_error err = {0};
  if (weir_open(&e, NULL, &err)) return 1;
  own o = {0, 0};
  weir_callbacks cb = {&o, NULL, own_row, NULL, NULL};
  int rc = run(e,
               "CREATE SOURCE n (x BIGINT) WITH (connector = 'memory');"
               "SELECT x * 2 AS y FROM n WHERE x > 1;",
               &cb);
  weir_value v[5];
  for (int i = 0; i < 5; i++) {
    memset(&v[i], 0, sizeof v[i]);
    v[i].type = WEIR_BIGINT;
    v[i].u.i = i;
  }
  if (!rc && weir_push_rows(e, "n", 5, 1, v, &err)) rc = 1;
  weir_run(e, 0); /* let weir's loop deliver them */
  printf("own loop: %d rows, sum %ld\n", o.nRows, o.nSum);
  if (o.nRows != 3 || o.nSum != 18) rc = 1;
  weir_close(e);
  return rc;
}

int main(void) {
  int nFail = host_loop_part();
  nFail += own_loop_part();
  printf("%s\n", nFail ? "FAILED" : "ok");
  return nFail ? 1 : 0;
}
