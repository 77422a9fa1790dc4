/*
** connectors/file_sink.c — the `file` sink: writes a query's changelog to
** a file as CSV (a header row, then one record per row; CSV has no place
** for the op, so a CSV sink takes insert-only results and fails the query
** with a clear message on the first -U/+U/-D row rather than write a
** silently wrong file) or JSON lines (one object per row with an "op"
** field: "+I", "-U", "+U", "-D", then the columns).
**
** Output is formatted into a large buffer (format.c) and written with
** write(2) whenever it passes 1 MiB, and on xFlush. 'sink.mode' is
** 'overwrite' (default: the file is truncated when the sink opens) or
** 'append' (the CSV header is written only if the file is empty). The
** file is opened when the sink opens, so a bad path fails the query
** before it starts. Running queries (or a query and its late.sink) may
** write one regular file together only if all of them append: a second
** opener in overwrite mode would truncate the first's rows, and writers
** that do not append would overwrite each other; that is refused with a
** message saying what to do. A finished or stopped query's sink does not
** count.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/conn_internal.h"
#include "connectors/kafka_int.h"

#define SINK_FLUSH_AT (1u << 20)

typedef struct file_sink file_sink;
struct file_sink {
  exec_sink base;
  int fd;
  /* Regular files: identity, mode, and the list of live file sinks. */
  int bReg;
  dev_t dev;
  ino_t ino;
  int bAppend;
  file_sink *pNextReg;
  int fmt;
  char cDelim;
  char *zPath;
  common_buf buf;
  int64_t nRows;
};

static file_sink *gReg;     /* live file sinks writing regular files */
static pthread_mutex_t gRegMu = PTHREAD_MUTEX_INITIALIZER;

/* Another running writer of (dev, ino) that rules out this one (bAppend:
** its mode)? Call with gRegMu held. */
static const file_sink *reg_conflict(dev_t dev, ino_t ino, int bAppend) {
  for (const file_sink *o = gReg; o; o = o->pNextReg) {
    if (o->dev != dev || o->ino != ino || (bAppend && o->bAppend)) continue;
    if (!o->base.pQuery ||
        exec_query_state_get(o->base.pQuery) == EXQ_RUNNING) {
      return o;
    }
  }
  return NULL;
}

/* Write the buffer out. Returns 0, or 1 with zErr set. */
static int sink_drain(file_sink *s) {
  size_t off = 0;
  while (off < s->buf.n) {
    ssize_t k = write(s->fd, s->buf.z + off, s->buf.n - off);
    if (k < 0) {
      if (errno == EINTR) continue;
      snprintf(s->base.zErr, sizeof s->base.zErr, "%s: write error: %s",
               s->zPath, strerror(errno));
      return 1;
    }
    off += (size_t)k;
  }
  common_buf_reset(&s->buf);
  return 0;
}

static int sink_write(exec_sink *pSink, const exec_batch *b,
                      const exec_schema *sch) {
  file_sink *s = (file_sink *)pSink;
  if (s->fd < 0) return 1;
  if (s->fmt == CONN_FMT_CSV) {
    for (int i = 0; i < b->n; i++) {
      if (b->op && b->op[i] != OP_INSERT) {
        /* CSV has no place for the op: updates would be silently wrong. */
        static const char *const azOp[] = {"+I", "-U", "+U", "-D"};
        snprintf(s->base.zErr, sizeof s->base.zErr,
                 "%s: a CSV file sink takes insert-only results, got a %s "
                 "row (use format = 'json', whose rows carry \"op\")",
                 s->zPath, azOp[b->op[i] & 3]);
        sink_drain(s);
        return 1;
      }
      conn_format_csv_row_delim(&s->buf, b, i, s->cDelim);
    }
  } else {
    for (int i = 0; i < b->n; i++) {
      conn_format_json_row(&s->buf, b, i, sch, 1);
    }
  }
  s->nRows += b->n;
  if (s->buf.n >= SINK_FLUSH_AT) return sink_drain(s);
  return 0;
}

static int sink_flush(exec_sink *pSink) {
  file_sink *s = (file_sink *)pSink;
  if (s->fd < 0) return 1;
  return sink_drain(s);
}

static void sink_free(exec_sink *pSink) {
  file_sink *s = (file_sink *)pSink;
  if (s->fd >= 0) {
    if (s->buf.n) sink_drain(s);
    close(s->fd);
  }
  if (s->bReg) {
    pthread_mutex_lock(&gRegMu);
    file_sink **pp = &gReg;
    while (*pp != s) pp = &(*pp)->pNextReg;
    *pp = s->pNextReg;
    pthread_mutex_unlock(&gRegMu);
  }
  common_buf_free(&s->buf);
  common_free(s->zPath);
  common_free(s);
}

static const exec_sink_vtab sink_vtab = {sink_write, sink_flush, sink_free};

/*
** Open a `file` sink for options o and the rows' schema sch (used for the
** CSV header; the names are copied into the header at once). Returns the
** sink (free with vt->xFree after xFlush), or NULL with *pzErr.
*/
exec_sink *conn_sink_open(const conn_options *o, const exec_schema *sch,
                          char **pzErr) {
  if (conn_sink_check(o, pzErr)) return NULL;
  const char *zConn = conn_opt(o, "connector", "");
  if (common_stricmp(zConn, "kafka") == 0) {
    return conn_kafka_sink_open(o, sch, 0, NULL, pzErr);
  }
  if (common_stricmp(zConn, "file") != 0) {
    if (pzErr) {
      common_buf m;
      common_buf_init(&m);
      common_buf_printf(&m, "%s connector not available yet", zConn);
      *pzErr = common_buf_detach(&m);
    }
    return NULL;
  }
  const char *zPath = conn_opt(o, "path", "");
  int bAppend =
      common_stricmp(conn_opt(o, "sink.mode", "overwrite"), "append") == 0;
  /* Before truncating anything: does a running query write this file? */
  struct stat st;
  pthread_mutex_lock(&gRegMu);
  if (stat(zPath, &st) == 0 && S_ISREG(st.st_mode) &&
      reg_conflict(st.st_dev, st.st_ino, bAppend)) {
    pthread_mutex_unlock(&gRegMu);
    if (pzErr) {
      common_buf m;
      common_buf_init(&m);
      common_buf_printf(&m, "%s is being written by another running query; "
                        "sinks share a file only with 'sink.mode' = "
                        "'append' on every one", zPath);
      *pzErr = common_buf_detach(&m);
    }
    return NULL;
  }
  int fd = open(zPath,
                O_WRONLY | O_CREAT | O_CLOEXEC | (bAppend ? O_APPEND : O_TRUNC),
                0644);
  if (fd < 0) {
    pthread_mutex_unlock(&gRegMu);
    if (pzErr) {
      common_buf m;
      common_buf_init(&m);
      common_buf_printf(&m, "cannot open %s for writing: %s", zPath,
                        strerror(errno));
      *pzErr = common_buf_detach(&m);
    }
    return NULL;
  }
  file_sink *s = common_calloc(1, sizeof *s);
  s->base.vt = &sink_vtab;
  s->fd = fd;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    s->bReg = 1;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->bAppend = bAppend;
    s->pNextReg = gReg;
    gReg = s;
  }
  pthread_mutex_unlock(&gRegMu);
  s->fmt = conn_format_code(conn_opt(o, "format", "csv"));
  const char *zDelim = conn_opt(o, "csv.delimiter", ",");
  s->cDelim = strcmp(zDelim, "\\t") == 0 ? '\t' : zDelim[0];
  s->zPath = common_strdup(zPath);
  common_buf_init(&s->buf);
  int bHeader = common_stricmp(conn_opt(o, "csv.header", "true"), "false");
  if (s->fmt == CONN_FMT_CSV && bHeader) {
    if (!bAppend || (fstat(fd, &st) == 0 && st.st_size == 0)) {
      for (int c = 0; c < sch->nCol; c++) {
        if (c) common_buf_putc(&s->buf, s->cDelim);
        common_buf_puts(&s->buf, sch->azName[c]);
      }
      common_buf_putc(&s->buf, '\n');
    }
  }
  return &s->base;
}
