/*
** tests/unit/test_exec_runtime_clock.c — the clock and its timer service:
** manual time (ordering, ties, cancellation, timers set from callbacks)
** and the real clock firing on a libuv loop.
*/
#include <stdlib.h>

#include "exec/exec.h"
#include "tinytest.h"

/* A log of fired timers: tag, due time and the clock's now at firing. */
typedef struct fired {
  exec_clock *c;
  int n;
  uint64_t aTag[2048];
  int64_t aAt[2048];
  int64_t aNow[2048];
  /* actions performed by callbacks */
  uint64_t idCancel; /* cancelled by the timer tagged 100 */
  int64_t setAt;     /* the timer tagged 200 sets one here */
} fired;

static void on_fire(void *pArg, uint64_t iTag, int64_t at) {
  fired *f = pArg;
  f->aTag[f->n] = iTag;
  f->aAt[f->n] = at;
  f->aNow[f->n] = exec_clock_now(f->c);
  f->n++;
  if (iTag == 100) exec_timer_cancel(f->c, f->idCancel);
  if (iTag == 200) exec_timer_set(f->c, f->setAt, on_fire, f, 201);
}

static fired *fired_new(exec_clock *c) {
  fired *f = calloc(1, sizeof(*f));
  f->c = c;
  return f;
}

TEST(manual_order_and_ties) {
  exec_clock *c = exec_clock_new(NULL);
  exec_clock_set_manual(c, 1);
  CHECK(exec_clock_is_manual(c));
  exec_clock_set(c, 0);
  CHECK_EQ_INT(exec_clock_now(c), 0);
  fired *f = fired_new(c);
  exec_timer_set(c, 30, on_fire, f, 1);
  exec_timer_set(c, 10, on_fire, f, 2);
  exec_timer_set(c, 20, on_fire, f, 3);
  exec_timer_set(c, 10, on_fire, f, 4);
  exec_timer_set(c, 10, on_fire, f, 5);
  exec_clock_advance(c, 25);
  CHECK_EQ_INT(f->n, 4);
  CHECK_EQ_INT(f->aTag[0], 2);
  CHECK_EQ_INT(f->aTag[1], 4);
  CHECK_EQ_INT(f->aTag[2], 5);
  CHECK_EQ_INT(f->aTag[3], 3);
  CHECK_EQ_INT(f->aNow[0], 10);
  CHECK_EQ_INT(f->aNow[2], 10);
  CHECK_EQ_INT(f->aNow[3], 20);
  CHECK_EQ_INT(f->aAt[3], 20);
  CHECK_EQ_INT(exec_clock_now(c), 25);
  /* Exactly at the due time fires; before it does not. */
  exec_clock_advance(c, 29);
  CHECK_EQ_INT(f->n, 4);
  exec_clock_advance(c, 30);
  CHECK_EQ_INT(f->n, 5);
  CHECK_EQ_INT(f->aTag[4], 1);
  CHECK_EQ_INT(f->aNow[4], 30);
  /* Advancing backwards does not move time back. */
  exec_clock_advance(c, 5);
  CHECK_EQ_INT(exec_clock_now(c), 30);
  free(f);
  exec_clock_free(c);
}

TEST(manual_set_does_not_fire) {
  exec_clock *c = exec_clock_new(NULL);
  exec_clock_set_manual(c, 1);
  exec_clock_set(c, 1000);
  fired *f = fired_new(c);
  exec_timer_set(c, 1500, on_fire, f, 1);
  exec_clock_set(c, 2000);
  CHECK_EQ_INT(f->n, 0);
  CHECK_EQ_INT(exec_clock_now(c), 2000);
  /* A timer already overdue fires on the next advance, at the current
  ** time (time never goes backwards). */
  exec_clock_advance(c, 2000);
  CHECK_EQ_INT(f->n, 1);
  CHECK_EQ_INT(f->aAt[0], 1500);
  CHECK_EQ_INT(f->aNow[0], 2000);
  free(f);
  exec_clock_free(c);
}

TEST(manual_cancel) {
  exec_clock *c = exec_clock_new(NULL);
  exec_clock_set_manual(c, 1);
  exec_clock_set(c, 0);
  fired *f = fired_new(c);
  uint64_t a = exec_timer_set(c, 10, on_fire, f, 1);
  uint64_t b = exec_timer_set(c, 20, on_fire, f, 2);
  uint64_t d = exec_timer_set(c, 30, on_fire, f, 3);
  CHECK(a != 0 && b != 0 && d != 0);
  CHECK(a != b && b != d);
  exec_timer_cancel(c, b);
  exec_timer_cancel(c, b); /* twice: ignored */
  exec_timer_cancel(c, 0); /* unknown: ignored */
  exec_timer_cancel(c, 999999);
  exec_clock_advance(c, 100);
  CHECK_EQ_INT(f->n, 2);
  CHECK_EQ_INT(f->aTag[0], 1);
  CHECK_EQ_INT(f->aTag[1], 3);
  /* Cancelling a timer that already fired is harmless. */
  exec_timer_cancel(c, a);
  /* Cancel the earliest (heap top). */
  uint64_t e = exec_timer_set(c, 150, on_fire, f, 4);
  exec_timer_set(c, 160, on_fire, f, 5);
  exec_timer_cancel(c, e);
  exec_clock_advance(c, 200);
  CHECK_EQ_INT(f->n, 3);
  CHECK_EQ_INT(f->aTag[2], 5);
  free(f);
  exec_clock_free(c);
}

TEST(manual_callbacks_set_and_cancel) {
  exec_clock *c = exec_clock_new(NULL);
  exec_clock_set_manual(c, 1);
  exec_clock_set(c, 0);
  fired *f = fired_new(c);
  /* 100 fires at 10 and cancels the tie-mate set after it at 10. */
  exec_timer_set(c, 10, on_fire, f, 100);
  f->idCancel = exec_timer_set(c, 10, on_fire, f, 7);
  /* 200 fires at 20 and sets 201 at 25 (within this advance) */
  exec_timer_set(c, 20, on_fire, f, 200);
  f->setAt = 25;
  exec_timer_set(c, 27, on_fire, f, 8);
  exec_clock_advance(c, 30);
  CHECK_EQ_INT(f->n, 4);
  CHECK_EQ_INT(f->aTag[0], 100);
  CHECK_EQ_INT(f->aTag[1], 200);
  CHECK_EQ_INT(f->aTag[2], 201);
  CHECK_EQ_INT(f->aNow[2], 25);
  CHECK_EQ_INT(f->aTag[3], 8);
  CHECK_EQ_INT(f->aNow[3], 27);
  /* A timer set by a callback beyond `to` waits for the next advance. */
  exec_timer_set(c, 40, on_fire, f, 200);
  f->setAt = 60;
  exec_clock_advance(c, 50);
  CHECK_EQ_INT(f->n, 5);
  CHECK_EQ_INT(exec_clock_now(c), 50);
  exec_clock_advance(c, 60);
  CHECK_EQ_INT(f->n, 6);
  CHECK_EQ_INT(f->aTag[5], 201);
  free(f);
  exec_clock_free(c);
}

TEST(manual_heap_many_timers) {
  int64_t mem0 = common_mem_used();
  exec_clock *c = exec_clock_new(NULL);
  exec_clock_set_manual(c, 1);
  exec_clock_set(c, 0);
  fired *f = fired_new(c);
  srand(42);
  uint64_t aId[1500];
  for (int i = 0; i < 1500; i++) {
    aId[i] = exec_timer_set(c, rand() % 100, on_fire, f, (uint64_t)i + 3000);
  }
  /* Cancel every third (tags are i + 3000, clear of the action tags). */
  for (int i = 0; i < 1500; i += 3) exec_timer_cancel(c, aId[i]);
  exec_clock_advance(c, 1000);
  CHECK_EQ_INT(f->n, 1000);
  for (int i = 1; i < f->n; i++) {
    CHECK(f->aAt[i - 1] <= f->aAt[i]);
    if (f->aAt[i - 1] == f->aAt[i]) CHECK(f->aTag[i - 1] < f->aTag[i]);
    CHECK(f->aTag[i] % 3 != 0);
    CHECK_EQ_INT(f->aNow[i], f->aAt[i]);
  }
  free(f);
  exec_clock_free(c);
  CHECK_EQ_INT(common_mem_used(), mem0);
}

/* ---- real clock on a uv loop -------------------------------------------- */

TEST(real_clock_fires_on_loop) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_clock *c = exec_clock_new(&loop);
  CHECK(!exec_clock_is_manual(c));
  int64_t t0 = exec_clock_now(c);
  /* Real time is microseconds since the epoch (after 2020). */
  CHECK(t0 > 1577836800LL * 1000000);
  fired *f = fired_new(c);
  exec_timer_set(c, t0 + 60000, on_fire, f, 2);
  exec_timer_set(c, t0 + 30000, on_fire, f, 1);
  exec_timer_set(c, t0 + 60000, on_fire, f, 3);
  uint64_t x = exec_timer_set(c, t0 + 45000, on_fire, f, 9);
  exec_timer_cancel(c, x);
  /* The loop runs until no timer is pending, then returns. */
  uv_run(&loop, UV_RUN_DEFAULT);
  int64_t t1 = exec_clock_now(c);
  CHECK_EQ_INT(f->n, 3);
  CHECK_EQ_INT(f->aTag[0], 1);
  CHECK_EQ_INT(f->aTag[1], 2);
  CHECK_EQ_INT(f->aTag[2], 3);
  CHECK(f->aNow[0] >= t0 + 30000);
  CHECK(f->aNow[1] >= t0 + 60000);
  CHECK(t1 - t0 >= 60000);
  CHECK(t1 - t0 < 5000000);
  exec_clock_free(c);
  uv_run(&loop, UV_RUN_DEFAULT); /* runs the close callback */
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  free(f);
}

TEST(real_clock_callback_rearms) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_clock *c = exec_clock_new(&loop);
  fired *f = fired_new(c);
  int64_t t0 = exec_clock_now(c);
  f->setAt = t0 + 40000;
  exec_timer_set(c, t0 + 10000, on_fire, f, 200);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(f->n, 2);
  CHECK_EQ_INT(f->aTag[1], 201);
  CHECK(f->aNow[1] >= t0 + 40000);
  exec_clock_free(c);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  free(f);
}

TEST(switch_manual_real) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_clock *c = exec_clock_new(&loop);
  fired *f = fired_new(c);
  exec_clock_set_manual(c, 1);
  exec_clock_set(c, 1000);
  /* In manual mode the loop does not fire timers: only advance does. */
  exec_timer_set(c, 2000, on_fire, f, 1);
  uv_run(&loop, UV_RUN_NOWAIT);
  CHECK_EQ_INT(f->n, 0);
  /* Back to real time: 2000us after the epoch is long past. */
  exec_clock_set_manual(c, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(f->n, 1);
  exec_clock_free(c);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  free(f);
}

TEST(free_with_pending_timers) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int64_t mem0 = common_mem_used();
  exec_clock *c = exec_clock_new(&loop);
  fired *f = fired_new(c);
  exec_timer_set(c, exec_clock_now(c) + 10000000, on_fire, f, 1);
  exec_clock_free(c);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(f->n, 0);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  CHECK_EQ_INT(common_mem_used(), mem0);
  free(f);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
