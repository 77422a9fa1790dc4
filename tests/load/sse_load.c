/*
** tests/load/sse_load.c — a bounded load test of `weir serve` on
** loopback: many concurrent SSE subscribers on one materialized view and
** many continuous queries in one server process.
**
**   sse_load WEIR [SUBSCRIBERS [QUERIES [ROWS [BATCH]]]]
**   (defaults 1000 subscribers, 100 queries, 1000 rows in batches of 10)
**
** It starts `weir serve` on a free port, creates a memory source, a
** materialized view over it and QUERIES-1 further continuous queries,
** opens SUBSCRIBERS SSE streams of the view (libuv, one loop), then a
** second thread POSTs the rows, each carrying its send time. Every
** subscriber must receive every row (asserted); the delay from a row's
** POST to its arrival at each subscriber (p50/p99/max) and the server's
** resident memory are printed, not asserted. Everything is bounded by a
** 60 s deadline. Exit status 0 when all rows reached all subscribers and
** the server stopped cleanly on SIGTERM.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

static int64_t wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int g_port;
static int g_nSub = 1000, g_nQuery = 100, g_nRow = 1000, g_nBatch = 10;
static volatile int g_bPushDone;
static int64_t g_pushStart, g_pushEnd;

/* ---- a blocking HTTP client for the control requests ------------------- */

/* POST body to path; returns the HTTP status (0 on I/O failure). The
** response body is read and dropped (Connection: close). */
static int http_post(const char *zPath, const char *zBody) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)g_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
    close(fd);
    return 0;
  }
  size_t n = strlen(zBody);
  char zHead[256];
  int h = snprintf(zHead, sizeof zHead,
                   "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   "Content-Length: %zu\r\n\r\n",
                   zPath, n);
  if (write(fd, zHead, (size_t)h) != h || write(fd, zBody, n) != (ssize_t)n) {
    close(fd);
    return 0;
  }
  char buf[8192];
  ssize_t got, total = 0;
  int status = 0;
  while ((got = read(fd, buf + (total < 64 ? total : 0), sizeof buf - 64)) >
         0) {
    if (!status && total + got >= 12) sscanf(buf, "HTTP/1.1 %d", &status);
    total += got;
  }
  close(fd);
  return status;
}

static int http_get_metric(const char *zName, double *pv) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)g_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) return 1;
  static const char zReq[] =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  if (write(fd, zReq, sizeof zReq - 1) < 0) return 1;
  size_t cap = 1 << 20, n = 0;
  char *z = malloc(cap);
  ssize_t got;
  while ((got = read(fd, z + n, cap - n - 1)) > 0) {
    n += (size_t)got;
    if (n + 1 >= cap) z = realloc(z, cap *= 2);
  }
  z[n] = 0;
  close(fd);
  char zPat[128];
  snprintf(zPat, sizeof zPat, "\n%s ", zName);
  char *p = strstr(z, zPat);
  int rc = !p || sscanf(p + strlen(zPat), "%lf", pv) != 1;
  free(z);
  return rc;
}

/* The pusher thread: g_nRow rows in POSTs of g_nBatch rows. */
static void *pusher(void *arg) {
  char *z = malloc((size_t)g_nBatch * 64 + 64);
  g_pushStart = wall_us();
  for (int i = 0; i < g_nRow; i += g_nBatch) {
    int n = 0;
    n += sprintf(z + n, "INSERT INTO ev VALUES ");
    for (int j = i; j < i + g_nBatch && j < g_nRow; j++)
      n += sprintf(z + n, "%s(%d, %lld, 'k%d')", j > i ? ", " : "", j,
                   (long long)wall_us(), j % 7);
    strcpy(z + n, ";");
    if (http_post("/v1/statements", z) != 200) {
      fprintf(stderr, "INSERT failed\n");
      exit(1);
    }
    usleep(5000);
  }
  g_pushEnd = wall_us();
  free(z);
  g_bPushDone = 1;
  return NULL;
}

/* ---- subscribers ----------------------------------------------------------
 */

typedef struct sub {
  uv_tcp_t tcp;
  uv_connect_t conn;
  uv_write_t wr;
  char *zBuf;
  size_t n, cap;
  int bSnapshot;
  int nRows;
  int bClosed;
} sub;

static sub *g_aSub;
static int g_nSnapshot, g_nDone, g_nClosed;
static int32_t *g_aLat; /* µs, one per (row, subscriber) */
static size_t g_nLat;

static void on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b) {
  sub *s = h->data;
  if (s->cap - s->n < 65536) {
    s->cap = s->n + 65536 * 2;
    s->zBuf = realloc(s->zBuf, s->cap);
  }
  *b = uv_buf_init(s->zBuf + s->n, (unsigned)(s->cap - s->n - 1));
}

/* Consume complete events in s->zBuf. */
static void parse_events(sub *s) {
  char *p = s->zBuf;
  s->zBuf[s->n] = 0;
  for (;;) {
    char *e = strstr(p, "\n\n");
    if (!e) break;
    *e = 0;
    if (strstr(p, "event: snapshot")) {
      if (!s->bSnapshot) g_nSnapshot++;
      s->bSnapshot = 1;
    } else if (strstr(p, "event: change")) {
      char *r = strstr(p, "\"row\":[");
      long long id, sent;
      if (r && sscanf(r + 7, "%lld,%lld", &id, &sent) == 2) {
        int64_t lat = wall_us() - sent;
        if (g_nLat < (size_t)g_nSub * (size_t)g_nRow)
          g_aLat[g_nLat++] = (int32_t)(lat > INT32_MAX ? INT32_MAX : lat);
        if (++s->nRows == g_nRow) g_nDone++;
      }
    } else if (strstr(p, "event: error") || strstr(p, "event: end")) {
      fprintf(stderr, "subscriber got: %s\n", p);
    }
    p = e + 2;
  }
  size_t nLeft = s->n - (size_t)(p - s->zBuf);
  memmove(s->zBuf, p, nLeft);
  s->n = nLeft;
}

static void on_closed(uv_handle_t *h) {
  sub *s = h->data;
  s->bClosed = 1;
  g_nClosed++;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  sub *s = st->data;
  if (n < 0) {
    if (!uv_is_closing((uv_handle_t *)st))
      uv_close((uv_handle_t *)st, on_closed);
    return;
  }
  s->n += (size_t)n;
  parse_events(s);
}

static void on_written(uv_write_t *w, int status) {}

static void on_connect(uv_connect_t *c, int status) {
  sub *s = c->data;
  if (status < 0) {
    fprintf(stderr, "connect: %s\n", uv_strerror(status));
    uv_close((uv_handle_t *)&s->tcp, on_closed);
    return;
  }
  static char zReq[] =
      "GET /v1/views/feed/changes HTTP/1.1\r\nHost: x\r\n"
      "Accept: text/event-stream\r\n\r\n";
  uv_buf_t b = uv_buf_init(zReq, sizeof zReq - 1);
  uv_write(&s->wr, (uv_stream_t *)&s->tcp, &b, 1, on_written);
  uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
}

/* ---- the server process
 * ------------------------------------------------------ */

static pid_t start_server(const char *zWeir, const char *zPortFile) {
  unlink(zPortFile);
  pid_t pid = fork();
  if (pid == 0) {
    execl(zWeir, zWeir, "serve", "--listen", "127.0.0.1:0", "--port-file",
          zPortFile, "--max-subscribers", "20000", (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 400; i++) {
    FILE *f = fopen(zPortFile, "r");
    if (f) {
      int ok = fscanf(f, "%d", &g_port) == 1;
      fclose(f);
      if (ok) return pid;
    }
    usleep(50000);
  }
  fprintf(stderr, "server did not start\n");
  kill(pid, SIGKILL);
  exit(1);
}

static long rss_kb(pid_t pid) {
  char z[64], line[256];
  snprintf(z, sizeof z, "/proc/%d/status", (int)pid);
  FILE *f = fopen(z, "r");
  long kb = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
  fclose(f);
  return kb;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static void on_tick(uv_timer_t *t) {
  int64_t *pDeadline = t->data;
  if (g_nDone == g_nSub || wall_us() > *pDeadline) uv_stop(t->loop);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sse_load WEIR [SUBS [QUERIES [ROWS [BATCH]]]]\n");
    return 2;
  }
  if (argc > 2) g_nSub = atoi(argv[2]);
  if (argc > 3) g_nQuery = atoi(argv[3]);
  if (argc > 4) g_nRow = atoi(argv[4]);
  if (argc > 5) g_nBatch = atoi(argv[5]);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  signal(SIGPIPE, SIG_IGN);
  char zPortFile[64];
  snprintf(zPortFile, sizeof zPortFile, "/tmp/weir-load-%d.port",
           (int)getpid());
  pid_t pid = start_server(argv[1], zPortFile);
  unlink(zPortFile);
  int64_t deadline = wall_us() + 60 * 1000000LL;
  long rss0 = rss_kb(pid);

  /* Catalog and queries. */
  if (http_post("/v1/statements",
                "CREATE SOURCE ev (id BIGINT, sent_us BIGINT, k VARCHAR) "
                "WITH (connector = 'memory');"
                "CREATE MATERIALIZED VIEW feed AS "
                "SELECT id, sent_us FROM ev;") != 200) {
    fprintf(stderr, "DDL failed\n");
    kill(pid, SIGKILL);
    return 1;
  }
  char zQ[256];
  for (int i = 1; i < g_nQuery; i++) {
    snprintf(zQ, sizeof zQ,
             "SELECT k, COUNT(*) AS n, MAX(id) AS last FROM ev "
             "WHERE id %% %d = %d GROUP BY k;",
             g_nQuery, i % g_nQuery);
    if (http_post("/v1/statements", zQ) != 200) {
      fprintf(stderr, "query %d failed\n", i);
      kill(pid, SIGKILL);
      return 1;
    }
  }
  long rssQueries = rss_kb(pid);

  /* Subscribers. */
  uv_loop_t *loop = uv_default_loop();
  g_aSub = calloc((size_t)g_nSub, sizeof(sub));
  g_aLat = malloc(sizeof(int32_t) * (size_t)g_nSub * (size_t)g_nRow);
  struct sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", g_port, &addr);
  for (int i = 0; i < g_nSub; i++) {
    sub *s = &g_aSub[i];
    uv_tcp_init(loop, &s->tcp);
    s->tcp.data = s;
    s->conn.data = s;
    uv_tcp_connect(&s->conn, &s->tcp, (struct sockaddr *)&addr, on_connect);
    /* Do not flood the listen backlog. */
    if (i % 200 == 199)
      while (g_nSnapshot < i - 100 && wall_us() < deadline)
        uv_run(loop, UV_RUN_ONCE);
  }
  while (g_nSnapshot + g_nClosed < g_nSub && wall_us() < deadline)
    uv_run(loop, UV_RUN_ONCE);
  if (g_nSnapshot < g_nSub) {
    fprintf(stderr, "only %d of %d subscribers got the snapshot\n", g_nSnapshot,
            g_nSub);
    kill(pid, SIGKILL);
    return 1;
  }
  long rssSubs = rss_kb(pid);
  int64_t t0 = wall_us();
  pthread_t th;
  pthread_create(&th, NULL, pusher, NULL);
  uv_timer_t tick;
  uv_timer_init(loop, &tick);
  tick.data = &deadline;
  uv_timer_start(&tick, on_tick, 50, 50);
  uv_run(loop, UV_RUN_DEFAULT);
  int64_t t1 = wall_us();
  pthread_join(th, NULL);
  long rssPeak = rss_kb(pid);
  double mem = 0, cut = -1, nSubs = 0;
  http_get_metric("weir_memory_bytes", &mem);
  http_get_metric("weir_server_slow_subscribers_total", &cut);
  http_get_metric("weir_server_subscribers", &nSubs);

  int nComplete = 0;
  for (int i = 0; i < g_nSub; i++) nComplete += g_aSub[i].nRows == g_nRow;
  qsort(g_aLat, g_nLat, sizeof(int32_t), cmp_i32);
  double p50 = g_nLat ? g_aLat[g_nLat / 2] / 1000.0 : -1;
  double p99 = g_nLat ? g_aLat[(size_t)((double)g_nLat * 0.99)] / 1000.0 : -1;
  double pmax = g_nLat ? g_aLat[g_nLat - 1] / 1000.0 : -1;
  printf(
      "sse_load: %d subscribers on one view, %d queries, %d rows "
      "(batches of %d)\n",
      g_nSub, g_nQuery, g_nRow, g_nBatch);
  printf(
      "  delivered: %d/%d subscribers got all rows; %zu row deliveries "
      "in %.2f s (push took %.2f s)\n",
      nComplete, g_nSub, g_nLat, (double)(t1 - t0) / 1e6,
      (double)(g_pushEnd - g_pushStart) / 1e6);
  printf("  latency POST->subscriber: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
         p50, p99, pmax);
  printf(
      "  server RSS: %.1f MB idle, %.1f MB with %d queries, %.1f MB with "
      "%d subscribers, %.1f MB after the rows; weir allocator %.1f MB\n",
      rss0 / 1024.0, rssQueries / 1024.0, g_nQuery, rssSubs / 1024.0, g_nSub,
      rssPeak / 1024.0, mem / 1048576.0);
  printf("  subscribers cut for being slow: %.0f; still connected: %.0f\n", cut,
         nSubs);

  /* Stop: SIGTERM must end the server cleanly. */
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  for (int i = 0; i < g_nSub; i++)
    if (!uv_is_closing((uv_handle_t *)&g_aSub[i].tcp))
      uv_close((uv_handle_t *)&g_aSub[i].tcp, on_closed);
  uv_close((uv_handle_t *)&tick, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  for (int i = 0; i < g_nSub; i++) free(g_aSub[i].zBuf);
  free(g_aSub);
  free(g_aLat);
  int ok = nComplete == g_nSub && WIFEXITED(st) && WEXITSTATUS(st) == 0;
  if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
    fprintf(stderr, "server exit status %d\n", st);
  printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
