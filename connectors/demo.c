/*
** connectors/demo.c — the demo generator: game events pushed into a
** memory source hub (the `scores` source of weir_demo_start) so the REPL
** and the dashboard have something live to show.
**
** Every 100 ms of real time (a uv_timer_t owned by the generator) it
** pushes one batch of 10-50 rows: user_id from 50 names, team from 8
** colours, score 1..20, ts = the clock's now minus a random 0-5 s of
** disorder. The PRNG has a fixed seed, so the sequence of rows is the
** same every run (only the timestamps follow the clock).
*/
#include <string.h>

#include "connectors/conn_internal.h"

static const char *const azUser[50] = {
    "alice", "bob",    "carol", "dave",  "erin",    "frank",  "grace",  "heidi",
    "ivan",  "judy",   "kate",  "leo",   "mallory", "nina",   "oscar",  "peggy",
    "quinn", "rupert", "sybil", "trent", "ursula",  "victor", "walter", "xena",
    "yara",  "zack",   "amir",  "bea",   "chen",    "dora",   "emil",   "fay",
    "gus",   "hana",   "igor",  "jin",   "kofi",    "lena",   "mio",    "noor",
    "otto",  "pia",    "raj",   "sara",  "tom",     "uma",    "vera",   "wu",
    "yuki",  "zoe"};
static const char *const azTeam[8] = {"red",    "blue",   "green", "yellow",
                                      "purple", "orange", "black", "white"};

struct conn_demo {
  uv_timer_t timer;
  conn_memory *pHub;
  exec_clock *pClock;
  uint64_t rng;
  common_arena arena;
  exec_schema sch;
};

/* xorshift64*: deterministic pseudo-random numbers. */
static uint32_t demo_rand(conn_demo *d, uint32_t n) {
  d->rng ^= d->rng >> 12;
  d->rng ^= d->rng << 25;
  d->rng ^= d->rng >> 27;
  return (uint32_t)((d->rng * 2685821657736338717ull) >> 33) % n;
}

static void demo_tick(uv_timer_t *h) {
  conn_demo *d = h->data;
  int64_t now =
      d->pClock ? exec_clock_now(d->pClock) : (int64_t)uv_now(h->loop) * 1000;
  exec_batch *b = conn_batch_new(&d->arena, &d->sch);
  int n = 10 + (int)demo_rand(d, 41);
  for (int i = 0; i < n; i++) {
    const char *zUser = azUser[demo_rand(d, 50)];
    const char *zTeam = azTeam[demo_rand(d, 8)];
    b->aCol[0].v.s[i].p = zUser;
    b->aCol[0].v.s[i].n = (uint32_t)strlen(zUser);
    b->aCol[1].v.s[i].p = zTeam;
    b->aCol[1].v.s[i].n = (uint32_t)strlen(zTeam);
    b->aCol[2].v.i64[i] = 1 + demo_rand(d, 20);
    b->aCol[3].v.i64[i] = now - (int64_t)demo_rand(d, 5001) * 1000;
    for (int c = 0; c < 4; c++) b->aCol[c].null[i] = 0;
    b->op[i] = OP_INSERT;
  }
  b->n = n;
  conn_memory_push(d->pHub, b);
  common_arena_reset(&d->arena);
}

/*
** Start generating into hub m (whose schema must be user_id VARCHAR, team
** VARCHAR, score BIGINT, ts TIMESTAMP) on loop, with timestamps from clock
** (or the loop's clock when NULL). Stop with conn_demo_stop, which also
** frees the generator (once the loop has run its close callback).
*/
conn_demo *conn_demo_start(uv_loop_t *loop, conn_memory *m, exec_clock *clock) {
  static char *azName[4] = {"user_id", "team", "score", "ts"};
  static uint8_t aType[4] = {WEIR_VARCHAR, WEIR_VARCHAR, WEIR_BIGINT,
                             WEIR_TIMESTAMP};
  conn_demo *d = common_calloc(1, sizeof *d);
  d->pHub = m;
  d->pClock = clock;
  d->rng = 0x2545F4914F6CDD1Dull;
  d->sch.nCol = 4;
  d->sch.azName = azName;
  d->sch.aType = aType;
  common_arena_init(&d->arena, 64 * 1024);
  uv_timer_init(loop, &d->timer);
  d->timer.data = d;
  uv_timer_start(&d->timer, demo_tick, 100, 100);
  return d;
}

static void demo_closed(uv_handle_t *h) {
  conn_demo *d = h->data;
  common_arena_free(&d->arena);
  common_free(d);
}

/* Stop the generator; its memory is freed in the timer's close callback. */
void conn_demo_stop(conn_demo *d) {
  if (!d) return;
  uv_timer_stop(&d->timer);
  uv_close((uv_handle_t *)&d->timer, demo_closed);
}
