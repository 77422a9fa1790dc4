/*
** connectors/memory.c — `memory` sources: a hub per catalog entry, fed by
** INSERT INTO ... VALUES, by the C API (weir_push) and by the demo, and
** read by every query that subscribes to it.
**
** A push is delivered synchronously, as the same batch, to every started
** subscriber (nothing is retained: rows pushed while no query reads the
** source are counted but not replayed to later subscribers). A watermark
** (ADVANCE WATERMARK) is told to every started subscriber likewise. A
** memory source never ends by itself. Subscribers may stop, free or add
** subscribers from inside a delivery: the hub iterates over a snapshot
** and unlinks dead subscribers only when no delivery is running.
*/
#include <string.h>

#include "connectors/conn_internal.h"

typedef struct mem_sub mem_sub;
struct mem_sub {
  exec_source base;
  conn_memory *pHub; /* NULL once the hub is gone */
  int bStarted;
  int bDead; /* freed while the hub was delivering */
};

struct conn_memory {
  exec_schema sch; /* borrowed from the catalog entry */
  mem_sub **aSub;
  int nSub, nSubAlloc;
  int nIter;     /* deliveries in progress */
  int64_t nRows; /* rows pushed */
};

/*
** Create a hub for rows of schema sch (borrowed: the catalog entry owns
** it and outlives the hub). Free with conn_memory_free.
*/
conn_memory *conn_memory_new(const exec_schema *sch) {
  conn_memory *m = common_calloc(1, sizeof *m);
  m->sch = *sch;
  return m;
}

/* Drop dead subscribers from the list (only when not delivering). */
static void hub_compact(conn_memory *m) {
  if (m->nIter) return;
  int j = 0;
  for (int i = 0; i < m->nSub; i++) {
    if (m->aSub[i]->bDead) {
      common_free(m->aSub[i]);
    } else {
      m->aSub[j++] = m->aSub[i];
    }
  }
  m->nSub = j;
}

/*
** Free the hub. Subscribers still alive are detached (they deliver
** nothing more and are freed by their owner as usual).
*/
void conn_memory_free(conn_memory *m) {
  if (!m) return;
  for (int i = 0; i < m->nSub; i++) {
    if (m->aSub[i]->bDead) {
      common_free(m->aSub[i]);
    } else {
      m->aSub[i]->pHub = NULL;
    }
  }
  common_free(m->aSub);
  common_free(m);
}

static int msub_start(exec_source *src, uv_loop_t *loop) {
  mem_sub *s = (mem_sub *)src;
  (void)loop;
  s->bStarted = 1;
  return 0;
}

/* Stopping unsubscribes: no delivery after this returns. */
static void msub_stop(exec_source *src) {
  mem_sub *s = (mem_sub *)src;
  s->bStarted = 0;
}

static void msub_free(exec_source *src) {
  mem_sub *s = (mem_sub *)src;
  s->bStarted = 0;
  conn_memory *m = s->pHub;
  if (!m) {
    common_free(s);
    return;
  }
  s->bDead = 1;
  hub_compact(m);
}

static const exec_source_vtab msub_vtab = {msub_start, msub_stop, msub_free};

/*
** A new subscriber reading hub m: an exec_source with one partition that
** receives every batch pushed after its xStart. Freed with vt->xFree
** (which unsubscribes).
*/
exec_source *conn_memory_subscribe(conn_memory *m) {
  mem_sub *s = common_calloc(1, sizeof *s);
  s->base.vt = &msub_vtab;
  s->base.nPart = 1;
  s->pHub = m;
  if (m->nSub == m->nSubAlloc) {
    m->nSubAlloc = m->nSubAlloc ? m->nSubAlloc * 2 : 4;
    m->aSub = common_realloc(m->aSub, sizeof(mem_sub *) * (size_t)m->nSubAlloc);
  }
  m->aSub[m->nSub++] = s;
  return &s->base;
}

/*
** Deliver batch b (rows of the hub's schema; owned by the caller and only
** read here) to every started subscriber, synchronously.
*/
void conn_memory_push(conn_memory *m, exec_batch *b) {
  m->nRows += b->n;
  if (b->n == 0) return;
  m->nIter++;
  int n = m->nSub; /* subscribers added during delivery wait */
  for (int i = 0; i < n; i++) {
    mem_sub *s = m->aSub[i];
    if (!s->bStarted || s->bDead || !s->base.xDeliver) continue;
    s->base.nRecords += b->n;
    s->base.xDeliver(s->base.pArg, b, 0);
  }
  m->nIter--;
  hub_compact(m);
}

/* Tell every started subscriber that the watermark is now wm. */
void conn_memory_watermark(conn_memory *m, int64_t wm) {
  m->nIter++;
  int n = m->nSub;
  for (int i = 0; i < n; i++) {
    mem_sub *s = m->aSub[i];
    if (!s->bStarted || s->bDead || !s->base.xWatermark) continue;
    s->base.xWatermark(s->base.pArg, wm);
  }
  m->nIter--;
  hub_compact(m);
}

/* Rows pushed into hub m so far. */
int64_t conn_memory_rows(const conn_memory *m) {
  return m->nRows;
}
