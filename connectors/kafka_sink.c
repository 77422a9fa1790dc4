/*
** connectors/kafka_sink.c — the `kafka` sink: writes a query's changelog
** to a topic with librdkafka's idempotent producer.
**
** Where it sits: the Sink operator (exec/op_sink.c) calls xWrite for each
** batch of changelog rows and xFlush once at the end (bounded input) or
** on stop. The engine opens the sink with the query's unique key (the
** PLAN_SINK's aSinkKey: group keys plus window bounds), which becomes the
** message key, so every change of one result row lands in one partition,
** in order.
**
** Formats ('format'):
**   'json'           the row as a JSON object with an "op" field first
**                    ("+I", "-U", "+U", "-D"); one message per change.
**   'debezium-json'  {"before":…,"after":…,"op":"c"|"d"} as Flink writes
**                    it: +I and +U are "c" with "after", -U and -D are "d"
**                    with "before".
**   'upsert'         key = the unique key as a JSON object, value = the row
**                    as JSON (no op); -D is a tombstone (null value); -U is
**                    dropped because the +U that follows overwrites it. A
**                    compacted topic then holds the current result. Needs a
**                    keyed query (GROUP BY).
**
** Delivery: the producer is idempotent (enable.idempotence, unless
** 'properties.enable.idempotence' says otherwise), so retries do not
** duplicate or reorder. Messages are copied into librdkafka's queue;
** delivery reports are served (rd_kafka_poll, timeout 0) after each
** batch, and by a uv timer every 100 ms while messages are outstanding
** (when the query gave the sink its loop), so a failure is seen without
** waiting for more rows. A failed delivery is never dropped silently: it
** is counted, the first reason kept, and the query fails with "kafka sink
** (topic T): N messages not delivered: reason" — from the timer, or the
** next xWrite / xFlush. xFlush (end of input, stop, failure) waits for
** every message to be delivered ('sink.flush.timeout.ms', default 10000;
** not at all when a delivery already failed) — the only place the sink
** blocks the loop, by design: the query is ending; what is still not
** delivered then fails the flush, so a stopped query ends as failed.
** xFlush then purges and destroys the producer, so a sink whose query
** ended stops connecting (and logging). When librdkafka's queue is full
** (queue.buffering.max.*), xWrite waits for deliveries in 10 ms steps
** (backpressure) up to the same timeout. Connection errors are logged at
** most once per 10 s per sink (with the count of those left out).
*/
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>

#include "connectors/kafka_int.h"

enum { KSINK_JSON = 1, KSINK_DEBEZIUM, KSINK_UPSERT };

typedef struct kafka_sink {
  exec_sink base;
  rd_kafka_t *rk;
  rd_kafka_topic_t *rkt;
  char *zTopic;
  int fmt; /* KSINK_* */
  int nKeyCol;
  int *aKeyCol;
  exec_schema keySch; /* names and types of the key columns */
  exec_batch kb;      /* view of a batch's key columns */
  int flushTimeoutMs;
  common_buf val, key;
  int64_t nProduced; /* messages handed to librdkafka */
  int64_t nDelivered;
  int64_t nFailed;
  char zFail[200]; /* first delivery failure */
  uv_timer_t *pTimer; /* polls delivery reports (heap: closes async) */
  uint64_t lastLogMs; /* uv_hrtime ms of the last error line, 0 none */
  int nLogSkipped;    /* error lines left out since */
} kafka_sink;

#define KSINK_POLL_MS 100
#define KSINK_LOG_EVERY_MS 10000

static const char *const azSinkKey[] = {"connector",
                                        "topic",
                                        "bootstrap.servers",
                                        "properties.bootstrap.servers",
                                        "format",
                                        "value.format",
                                        "sink.flush.timeout.ms",
                                        NULL};

/* Format code of a sink format name, or 0. */
static int sink_fmt(const char *z) {
  if (!z || !common_stricmp(z, "json")) return KSINK_JSON;
  if (!common_stricmp(z, "debezium-json")) return KSINK_DEBEZIUM;
  if (!common_stricmp(z, "upsert") || !common_stricmp(z, "upsert-json")) {
    return KSINK_UPSERT;
  }
  return 0;
}


/* A producer configuration from o, or NULL with *pzErr: weir's producer
** defaults first, so 'properties.*' can override them. */
static rd_kafka_conf_t *sink_conf(const conn_options *o, char **pzErr) {
  static const char *const azDefault[] = {"enable.idempotence", "true",
                                          "linger.ms", "5", "client.id",
                                          "weir", NULL};
  return conn_kafka_conf_new(o, azDefault, pzErr);
}

/*
** Check the options of a kafka sink definition (CREATE SINK ... WITH):
** topic and bootstrap.servers present, a known format, known keys, and
** every properties.* setting accepted by librdkafka. Returns 0, or 1 with
** *pzErr (common_free).
*/
int conn_kafka_sink_check(const conn_options *o, char **pzErr) {
  for (int i = 0; o && i < o->n; i++) {
    const char *zKey = o->azKey[i];
    int bFound = common_strnicmp(zKey, "properties.", 11) == 0;
    for (int j = 0; azSinkKey[j] && !bFound; j++) {
      bFound = common_stricmp(zKey, azSinkKey[j]) == 0;
    }
    if (!bFound) {
      return conn_err(pzErr,
                    "unknown option '%s' for kafka sinks (librdkafka "
                    "settings go in 'properties.*')",
                    zKey);
    }
  }
  if (!conn_opt(o, "topic", NULL)) {
    return conn_err(pzErr, "option 'topic' is required for connector 'kafka'");
  }
  if (!conn_opt2(o, "bootstrap.servers", "properties.bootstrap.servers", NULL)) {
    return conn_err(pzErr,
                  "option 'bootstrap.servers' is required for connector "
                  "'kafka'");
  }
  const char *zFmt = conn_opt2(o, "format", "value.format", NULL);
  if (!sink_fmt(zFmt)) {
    return conn_err(pzErr,
                  "unknown kafka sink format '%s' (expected 'json', "
                  "'debezium-json' or 'upsert')",
                  zFmt);
  }
  const char *z = conn_opt(o, "sink.flush.timeout.ms", NULL);
  int64_t v;
  if (z && (conn_parse_i64(z, strlen(z), &v) || v < 0 || v > 3600000)) {
    return conn_err(pzErr,
                  "option 'sink.flush.timeout.ms' must be a number of "
                  "milliseconds, not '%s'",
                  z);
  }
  rd_kafka_conf_t *conf = sink_conf(o, pzErr);
  if (!conf) return 1;
  rd_kafka_conf_destroy(conf);
  return 0;
}

/* Delivery report (on the loop thread, inside rd_kafka_poll/flush). */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
                        void *pOpaque) {
  kafka_sink *s = pOpaque;
  (void)rk;
  if (!s) return;
  if (m->err) {
    if (s->nFailed++ == 0) {
      snprintf(s->zFail, sizeof s->zFail, "%s", rd_kafka_err2str(m->err));
    }
  } else {
    s->nDelivered++;
  }
}

/* Connection-level errors: logged (librdkafka keeps retrying); a fatal
** idempotence error is recorded as a failure. */
static void on_error(rd_kafka_t *rk, int err, const char *zReason,
                     void *pOpaque) {
  kafka_sink *s = pOpaque;
  if (!s) return;
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char zFatal[256];
    rd_kafka_fatal_error(rk, zFatal, sizeof zFatal);
    if (s->nFailed++ == 0)
      snprintf(s->zFail, sizeof s->zFail, "%.*s", (int)sizeof s->zFail - 1,
               zFatal);
    return;
  }
  uint64_t now = uv_hrtime() / 1000000;
  if (s->lastLogMs && now - s->lastLogMs < KSINK_LOG_EVERY_MS) {
    s->nLogSkipped++;
    return;
  }
  if (s->nLogSkipped > 0) {
    fprintf(stderr, "weir: kafka sink (topic %s): %s (%d similar line%s "
            "left out)\n", s->zTopic, zReason, s->nLogSkipped,
            s->nLogSkipped == 1 ? "" : "s");
  } else {
    fprintf(stderr, "weir: kafka sink (topic %s): %s\n", s->zTopic, zReason);
  }
  s->lastLogMs = now;
  s->nLogSkipped = 0;
}

/* librdkafka's own log lines (its threads): connection trouble already
** reaches on_error, so only critical ones are printed. */
static void on_log(const rd_kafka_t *rk, int level, const char *zFac,
                   const char *zBuf) {
  (void)rk;
  if (level <= 2) fprintf(stderr, "weir: librdkafka %s: %s\n", zFac, zBuf);
}

/* If deliveries failed, set zErr and return 1. */
static int check_failed(kafka_sink *s) {
  if (s->nFailed == 0) return 0;
  snprintf(s->base.zErr, sizeof s->base.zErr,
           "kafka sink (topic %s): %lld message%s not delivered: %s", s->zTopic,
           (long long)s->nFailed, s->nFailed == 1 ? "" : "s", s->zFail);
  return 1;
}

/* Append row iRow of b as a JSON object without '\n'. */
static void row_json(common_buf *out, const exec_batch *b, int iRow,
                     const exec_schema *sch, int bOp) {
  size_t n0 = out->n;
  conn_format_json_row(out, b, iRow, sch, bOp);
  if (out->n > n0 && out->z[out->n - 1] == '\n') out->n--;
}

/* Hand one message to librdkafka (copied). Waits for room when its queue
** is full. Returns 0, or 1 with zErr. */
static int produce(kafka_sink *s, const char *zVal, size_t nVal,
                   const char *zKey, size_t nKey) {
  int nWait = 0;
  for (;;) {
    if (rd_kafka_produce(s->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                         (void *)zVal, nVal, zKey, nKey, NULL) == 0) {
      s->nProduced++;
      return 0;
    }
    rd_kafka_resp_err_t err = rd_kafka_last_error();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL ||
        nWait * 10 >= s->flushTimeoutMs) {
      snprintf(s->base.zErr, sizeof s->base.zErr,
               "kafka sink (topic %s): cannot produce: %s", s->zTopic,
               rd_kafka_err2str(err));
      return 1;
    }
    rd_kafka_poll(s->rk, 10);
    nWait++;
  }
}

/* Timer: serve delivery reports; a failure fails the query now. Stops
** itself when nothing is outstanding (xWrite starts it again). */
static void on_poll_timer(uv_timer_t *h) {
  kafka_sink *s = h->data;
  if (!s || !s->rk) return;
  rd_kafka_poll(s->rk, 0);
  if (check_failed(s)) {
    uv_timer_stop(h);
    exec_sink_failed(&s->base); /* may flush us: s->rk is then NULL */
    return;
  }
  if (rd_kafka_outq_len(s->rk) == 0) uv_timer_stop(h);
}

/* Messages are outstanding: make sure the poll timer runs. */
static void arm_timer(kafka_sink *s) {
  if (!s->base.loop || !s->rk) return;
  if (!s->pTimer) {
    s->pTimer = common_calloc(1, sizeof *s->pTimer);
    uv_timer_init(s->base.loop, s->pTimer);
    s->pTimer->data = s;
    uv_unref((uv_handle_t *)s->pTimer); /* the query's sources keep it */
  }
  if (!uv_is_active((uv_handle_t *)s->pTimer)) {
    uv_timer_start(s->pTimer, on_poll_timer, KSINK_POLL_MS, KSINK_POLL_MS);
  }
}

static void timer_closed(uv_handle_t *h) { common_free(h); }

/* Purge what is left and destroy the producer (its threads stop
** connecting); the poll timer is closed. */
static void close_producer(kafka_sink *s) {
  if (s->pTimer) {
    s->pTimer->data = NULL;
    uv_close((uv_handle_t *)s->pTimer, timer_closed);
    s->pTimer = NULL;
  }
  if (!s->rk) return;
  rd_kafka_purge(s->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(s->rk, 0);
  if (s->rkt) rd_kafka_topic_destroy(s->rkt);
  s->rkt = NULL;
  rd_kafka_destroy(s->rk);
  s->rk = NULL;
}

static int ksink_write(exec_sink *pSink, const exec_batch *b,
                       const exec_schema *sch) {
  kafka_sink *s = (kafka_sink *)pSink;
  if (check_failed(s)) return 1;
  if (!s->rk) {
    snprintf(s->base.zErr, sizeof s->base.zErr,
             "kafka sink (topic %s): written after its flush", s->zTopic);
    return 1;
  }
  if (s->nKeyCol > 0) {
    for (int k = 0; k < s->nKeyCol; k++) s->kb.aCol[k] = b->aCol[s->aKeyCol[k]];
    s->kb.op = b->op;
    s->kb.n = b->n;
  }
  for (int i = 0; i < b->n; i++) {
    int op = b->op[i];
    if (s->fmt == KSINK_UPSERT && op == OP_UPDATE_BEFORE) continue;
    common_buf_reset(&s->val);
    common_buf_reset(&s->key);
    if (s->nKeyCol > 0) row_json(&s->key, &s->kb, i, &s->keySch, 0);
    const char *zVal = NULL;
    size_t nVal = 0;
    switch (s->fmt) {
      case KSINK_JSON:
        row_json(&s->val, b, i, sch, 1);
        break;
      case KSINK_DEBEZIUM: {
        int bAfter = op == OP_INSERT || op == OP_UPDATE_AFTER;
        common_buf_puts(
            &s->val, bAfter ? "{\"before\":null,\"after\":" : "{\"before\":");
        row_json(&s->val, b, i, sch, 0);
        common_buf_puts(&s->val, bAfter ? ",\"op\":\"c\"}"
                                        : ",\"after\":null,\"op\":\"d\"}");
        break;
      }
      default:
        if (op != OP_DELETE) row_json(&s->val, b, i, sch, 0);
        break;
    }
    if (s->val.n > 0) {
      zVal = s->val.z;
      nVal = s->val.n;
    }
    if (produce(s, zVal, nVal, s->key.n ? s->key.z : NULL, s->key.n)) {
      return 1;
    }
  }
  rd_kafka_poll(s->rk, 0);
  if (check_failed(s)) return 1;
  if (rd_kafka_outq_len(s->rk) > 0) arm_timer(s);
  return 0;
}

static int ksink_flush(exec_sink *pSink) {
  kafka_sink *s = (kafka_sink *)pSink;
  if (!s->rk) return check_failed(s);
  /* A delivery already failed: the query fails anyway, do not wait. */
  rd_kafka_poll(s->rk, 0);
  rd_kafka_resp_err_t err = s->nFailed ? RD_KAFKA_RESP_ERR_NO_ERROR
                                       : rd_kafka_flush(s->rk,
                                                        s->flushTimeoutMs);
  int nLeft = rd_kafka_outq_len(s->rk);
  int rc = 0;
  if (check_failed(s)) {
    rc = 1;
  } else if (err || nLeft > 0) {
    snprintf(s->base.zErr, sizeof s->base.zErr,
             "kafka sink (topic %s): %d message%s not delivered: not "
             "acknowledged within 'sink.flush.timeout.ms' (%d ms); is "
             "bootstrap.servers reachable?",
             s->zTopic, nLeft, nLeft == 1 ? "" : "s", s->flushTimeoutMs);
    rc = 1;
  }
  close_producer(s);
  return rc;
}

static void ksink_free(exec_sink *pSink) {
  kafka_sink *s = (kafka_sink *)pSink;
  /* Whatever xFlush could not deliver is purged, not waited for. */
  close_producer(s);
  common_buf_free(&s->val);
  common_buf_free(&s->key);
  common_free(s->aKeyCol);
  common_free(s->keySch.azName);
  common_free(s->keySch.aType);
  common_free(s->kb.aCol);
  common_free(s->zTopic);
  common_free(s);
}

static const exec_sink_vtab ksink_vtab = {ksink_write, ksink_flush, ksink_free};

/*
** Open a `kafka` sink for options o, rows of schema sch (names copied
** where kept) and unique key columns aKeyCol[0..nKeyCol) of sch. Creates
** the idempotent producer (which connects in its own threads). Returns
** the sink (free with vt->xFree after xFlush), or NULL with *pzErr (for
** format 'upsert' without a key: "upsert needs a keyed query (GROUP BY)").
*/
exec_sink *conn_kafka_sink_open(const conn_options *o, const exec_schema *sch,
                                int nKeyCol, const int *aKeyCol, char **pzErr) {
  if (conn_kafka_sink_check(o, pzErr)) return NULL;
  int fmt = sink_fmt(conn_opt2(o, "format", "value.format", NULL));
  if (fmt == KSINK_UPSERT && nKeyCol <= 0) {
    conn_err(pzErr,
           "kafka sink (topic %s): upsert needs a keyed query (GROUP BY)",
           conn_opt(o, "topic", ""));
    return NULL;
  }
  for (int k = 0; k < nKeyCol; k++) {
    if (aKeyCol[k] < 0 || aKeyCol[k] >= sch->nCol) {
      conn_err(pzErr, "kafka sink: key column %d out of range", aKeyCol[k]);
      return NULL;
    }
  }
  rd_kafka_conf_t *conf = sink_conf(o, pzErr);
  if (!conf) return NULL;
  kafka_sink *s = common_calloc(1, sizeof *s);
  s->base.vt = &ksink_vtab;
  s->fmt = fmt;
  s->zTopic = common_strdup(conn_opt(o, "topic", ""));
  const char *zT = conn_opt(o, "sink.flush.timeout.ms", "10000");
  int64_t v = 10000;
  conn_parse_i64(zT, strlen(zT), &v);
  s->flushTimeoutMs = (int)v;
  common_buf_init(&s->val);
  common_buf_init(&s->key);
  s->nKeyCol = nKeyCol > 0 ? nKeyCol : 0;
  s->aKeyCol = common_calloc((size_t)s->nKeyCol + 1, sizeof(int));
  s->keySch.nCol = s->nKeyCol;
  s->keySch.azName = common_calloc((size_t)s->nKeyCol + 1, sizeof(char *));
  s->keySch.aType = common_calloc((size_t)s->nKeyCol + 1, 1);
  s->kb.nCol = s->nKeyCol;
  s->kb.aCol = common_calloc((size_t)s->nKeyCol + 1, sizeof(exec_vec));
  for (int k = 0; k < s->nKeyCol; k++) {
    s->aKeyCol[k] = aKeyCol[k];
    /* Names point into sch, which the plan keeps for the query's life. */
    s->keySch.azName[k] = sch->azName[aKeyCol[k]];
    s->keySch.aType[k] = sch->aType[aKeyCol[k]];
  }
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_error_cb(conf, on_error);
  rd_kafka_conf_set_log_cb(conf, on_log);
  rd_kafka_conf_set_opaque(conf, s);
  char zErr[512];
  s->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, zErr, sizeof zErr);
  if (!s->rk) {
    conn_err(pzErr, "kafka sink (topic %s): %s", s->zTopic, zErr);
    ksink_free(&s->base);
    return NULL;
  }
  s->rkt = rd_kafka_topic_new(s->rk, s->zTopic, NULL);
  return &s->base;
}

/*
** Open a sink with the query's unique key (see connectors.h): kafka sinks
** get the key columns; other connectors go through conn_sink_open.
*/
exec_sink *conn_sink_open_keyed(const conn_options *o, const exec_schema *sch,
                                int nKeyCol, const int *aKeyCol, char **pzErr) {
  if (common_stricmp(conn_opt(o, "connector", ""), "kafka") == 0) {
    return conn_kafka_sink_open(o, sch, nKeyCol, aKeyCol, pzErr);
  }
  return conn_sink_open(o, sch, pzErr);
}
