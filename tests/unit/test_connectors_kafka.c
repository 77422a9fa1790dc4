/*
** tests/unit/test_connectors_kafka.c — the kafka source and sink against
** an in-process librdkafka mock cluster (the broker `weir kafka-dev`
** runs): option checks, each sink format's messages (keys, ops,
** tombstones, dropped -U), the upsert key requirement, and the source's
** bounded read across partitions with per-partition batches, key and
** metadata columns, malformed messages skipped and counted with their
** partition and offset, 'format.on-error' = 'fail', and startup modes.
*/
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/kafka_int.h"
#include "tinytest.h"

/* ---- a mock cluster ------------------------------------------------------ */

static rd_kafka_t *g_rkMock;
static rd_kafka_mock_cluster_t *g_mc;
static char g_zBoot[128];

static void mock_start(void) {
  char zErr[256];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "0", zErr, sizeof zErr);
  g_rkMock = rd_kafka_new(RD_KAFKA_PRODUCER, conf, zErr, sizeof zErr);
  CHECK(g_rkMock != NULL);
  g_mc = rd_kafka_mock_cluster_new(g_rkMock, 1);
  CHECK(g_mc != NULL);
  snprintf(g_zBoot, sizeof g_zBoot, "%s",
           rd_kafka_mock_cluster_bootstraps(g_mc));
}

static void mock_stop(void) {
  rd_kafka_mock_cluster_destroy(g_mc);
  rd_kafka_destroy(g_rkMock);
}

/* Produce one message to topic/partition (value NULL = tombstone). */
static void produce(rd_kafka_t *rk, const char *zTopic, int iPart,
                    const char *zKey, const char *zVal) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk, RD_KAFKA_V_TOPIC(zTopic), RD_KAFKA_V_PARTITION(iPart),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(zKey, zKey ? strlen(zKey) : 0),
      RD_KAFKA_V_VALUE((void *)zVal, zVal ? strlen(zVal) : 0), RD_KAFKA_V_END);
  CHECK(err == 0);
}

static rd_kafka_t *producer_new(void) {
  char zErr[256];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", g_zBoot, zErr, sizeof zErr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, zErr, sizeof zErr);
  CHECK(rk != NULL);
  return rk;
}

/* Read every message of topic (nPart partitions) into "p|key|value\n"
** lines, sorted by partition then offset. Caller frees. */
static char *consume_all(const char *zTopic, int nPart) {
  char zErr[256];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", g_zBoot, zErr, sizeof zErr);
  rd_kafka_conf_set(conf, "group.id", "unit", zErr, sizeof zErr);
  rd_kafka_conf_set(conf, "enable.partition.eof", "true", zErr, sizeof zErr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, zErr, sizeof zErr);
  CHECK(rk != NULL);
  rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(4);
  for (int i = 0; i < nPart; i++) {
    rd_kafka_topic_partition_list_add(l, zTopic, i)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk, l);
  rd_kafka_topic_partition_list_destroy(l);
  common_buf aOut[8];
  for (int i = 0; i < nPart; i++) common_buf_init(&aOut[i]);
  int nEof = 0;
  for (int k = 0; k < 200 && nEof < nPart; k++) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      nEof++;
    } else if (!m->err && m->partition < nPart) {
      common_buf_printf(&aOut[m->partition], "%d|%.*s|%.*s\n", m->partition,
                        (int)m->key_len, m->key ? (char *)m->key : "",
                        m->payload ? (int)m->len : 4,
                        m->payload ? (char *)m->payload : "NULL");
    }
    rd_kafka_message_destroy(m);
  }
  CHECK_EQ_INT(nEof, nPart);
  rd_kafka_destroy(rk);
  common_buf all;
  common_buf_init(&all);
  for (int i = 0; i < nPart; i++) {
    if (aOut[i].n) common_buf_append(&all, aOut[i].z, aOut[i].n);
    common_buf_free(&aOut[i]);
  }
  common_buf_putc(&all, 0);
  return common_buf_detach(&all);
}

/* ---- options --------------------------------------------------------------
 */

static conn_options opts(int n, const char **az) {
  static const char *azK[32], *azV[32];
  for (int i = 0; i < n; i++) {
    azK[i] = az[2 * i];
    azV[i] = az[2 * i + 1];
  }
  conn_options o = {n, azK, azV};
  return o;
}

static char *src_check(int n, const char **az, const exec_schema *sch) {
  static char zBuf[512];
  conn_options o = opts(n, az);
  char *zErr = NULL;
  if (conn_source_check(&o, sch, &zErr) == 0) return NULL;
  snprintf(zBuf, sizeof zBuf, "%s", zErr ? zErr : "?");
  common_free(zErr);
  return zBuf;
}

static char *azCol[] = {"user_id", "team", "score", "ts", "kts", "part", "off"};
static uint8_t aColType[] = {WEIR_VARCHAR,   WEIR_VARCHAR,   WEIR_BIGINT,
                             WEIR_TIMESTAMP, WEIR_TIMESTAMP, WEIR_BIGINT,
                             WEIR_BIGINT};
static exec_schema schEv = {7, azCol, aColType};

TEST(kafka_option_checks) {
  const char *a1[] = {"connector",
                      "kafka",
                      "topic",
                      "t",
                      "bootstrap.servers",
                      "h:1",
                      "scan.startup.mode",
                      "earliest-offset",
                      "scan.bounded.mode",
                      "latest-offset",
                      "key.fields",
                      "user_id",
                      "timestamp.column",
                      "kts"};
  CHECK(src_check(7, a1, &schEv) == NULL);
  const char *a2[] = {"connector",         "kafka", "topic",        "t",
                      "bootstrap.servers", "h:1",   "startup.mode", "sometime"};
  CHECK_CONTAINS(src_check(4, a2, &schEv), "'startup.mode' must be");
  const char *a3[] = {
      "connector",         "kafka", "topic",        "t",
      "bootstrap.servers", "h:1",   "startup.mode", "timestamp"};
  CHECK_CONTAINS(src_check(4, a3, &schEv), "needs 'startup.timestamp'");
  const char *a4[] = {"connector",         "kafka", "topic",      "t",
                      "bootstrap.servers", "h:1",   "key.fields", "nope"};
  CHECK_CONTAINS(src_check(4, a4, &schEv), "no column named 'nope'");
  const char *a5[] = {
      "connector",        "kafka", "topic", "t", "bootstrap.servers", "h:1",
      "timestamp.column", "team"};
  CHECK_CONTAINS(src_check(4, a5, &schEv), "must be TIMESTAMP");
  const char *a6[] = {"connector",
                      "kafka",
                      "topic",
                      "t",
                      "bootstrap.servers",
                      "h:1",
                      "properties.no.such.thing",
                      "1"};
  CHECK_CONTAINS(src_check(4, a6, &schEv), "properties.no.such.thing");
  const char *a7[] = {"connector",         "kafka", "topic",       "t",
                      "bootstrap.servers", "h:1",   "bounded.mod", "latest"};
  CHECK_CONTAINS(src_check(4, a7, &schEv), "did you mean 'bounded.mode'");
  const char *a10[] = {
      "connector",         "kafka", "topic",        "t",
      "bootstrap.servers", "h:1",   "idle.timeout", "5 parsecs"};
  CHECK_CONTAINS(src_check(4, a10, &schEv), "'idle.timeout' must be");
  const char *a11[] = {"connector",         "kafka", "topic",        "t",
                       "bootstrap.servers", "h:1",   "idle.timeout", "500 ms",
                       "idle.advance",      "true"};
  CHECK(src_check(5, a11, &schEv) == NULL);
  const char *a8[] = {"connector",         "kafka", "topic",  "t",
                      "bootstrap.servers", "h:1",   "format", "debezium-json"};
  conn_options o = opts(4, a8);
  char *zErr = NULL;
  CHECK(conn_sink_check(&o, &zErr) == 0);
  const char *a9[] = {"connector",         "kafka", "topic",  "t",
                      "bootstrap.servers", "h:1",   "format", "avro"};
  o = opts(4, a9);
  CHECK(conn_sink_check(&o, &zErr) == 1);
  CHECK_CONTAINS(zErr, "unknown kafka sink format 'avro'");
  common_free(zErr);
}

/* ---- sink ------------------------------------------------------------------
 */

static char *azOut[] = {"team", "n"};
static uint8_t aOutType[] = {WEIR_VARCHAR, WEIR_BIGINT};
static exec_schema schOut = {2, azOut, aOutType};

/* A changelog batch: +I(a,1) -U(a,1) +U(a,2) +I(b,5) -D(b,5). */
static exec_batch *changelog(common_arena *a) {
  exec_batch *b = exec_batch_new(a, 2, aOutType);
  static const char *az[] = {"a", "a", "a", "b", "b"};
  static const int64_t an[] = {1, 1, 2, 5, 5};
  static const uint8_t aop[] = {OP_INSERT, OP_UPDATE_BEFORE, OP_UPDATE_AFTER,
                                OP_INSERT, OP_DELETE};
  for (int i = 0; i < 5; i++) {
    b->aCol[0].null[i] = b->aCol[1].null[i] = 0;
    b->aCol[0].v.s[i].p = az[i];
    b->aCol[0].v.s[i].n = 1;
    b->aCol[1].v.i64[i] = an[i];
    b->op[i] = aop[i];
  }
  b->n = 5;
  return b;
}

/* Write the changelog to topic with format zFmt; return what the topic
** holds (one partition). */
static char *sink_roundtrip(const char *zTopic, const char *zFmt, int nKey) {
  const char *a[] = {"connector",         "kafka", "topic",  zTopic,
                     "bootstrap.servers", g_zBoot, "format", zFmt};
  conn_options o = opts(4, a);
  rd_kafka_mock_topic_create(g_mc, zTopic, 1, 1);
  int aKey[] = {0};
  char *zErr = NULL;
  exec_sink *s = conn_sink_open_keyed(&o, &schOut, nKey, aKey, &zErr);
  CHECK(s != NULL);
  if (!s) {
    fprintf(stderr, "%s\n", zErr);
    return NULL;
  }
  common_arena a1;
  common_arena_init(&a1, 4096);
  CHECK_EQ_INT(s->vt->xWrite(s, changelog(&a1), &schOut), 0);
  CHECK_EQ_INT(s->vt->xFlush(s), 0);
  s->vt->xFree(s);
  common_arena_free(&a1);
  return consume_all(zTopic, 1);
}

TEST(kafka_sink_formats) {
  mock_start();
  char *z = sink_roundtrip("o_json", "json", 1);
  CHECK_EQ_STR(z,
               "0|{\"team\":\"a\"}|{\"op\":\"+I\",\"team\":\"a\",\"n\":1}\n"
               "0|{\"team\":\"a\"}|{\"op\":\"-U\",\"team\":\"a\",\"n\":1}\n"
               "0|{\"team\":\"a\"}|{\"op\":\"+U\",\"team\":\"a\",\"n\":2}\n"
               "0|{\"team\":\"b\"}|{\"op\":\"+I\",\"team\":\"b\",\"n\":5}\n"
               "0|{\"team\":\"b\"}|{\"op\":\"-D\",\"team\":\"b\",\"n\":5}\n");
  common_free(z);
  z = sink_roundtrip("o_dbz", "debezium-json", 0);
  CHECK_EQ_STR(
      z,
      "0||{\"before\":null,\"after\":{\"team\":\"a\",\"n\":1},\"op\":\"c\"}\n"
      "0||{\"before\":{\"team\":\"a\",\"n\":1},\"after\":null,\"op\":\"d\"}\n"
      "0||{\"before\":null,\"after\":{\"team\":\"a\",\"n\":2},\"op\":\"c\"}\n"
      "0||{\"before\":null,\"after\":{\"team\":\"b\",\"n\":5},\"op\":\"c\"}\n"
      "0||{\"before\":{\"team\":\"b\",\"n\":5},\"after\":null,\"op\":\"d\"}\n");
  common_free(z);
  /* upsert: -U dropped, -D a tombstone (NULL value) under the key. */
  z = sink_roundtrip("o_ups", "upsert", 1);
  CHECK_EQ_STR(z,
               "0|{\"team\":\"a\"}|{\"team\":\"a\",\"n\":1}\n"
               "0|{\"team\":\"a\"}|{\"team\":\"a\",\"n\":2}\n"
               "0|{\"team\":\"b\"}|{\"team\":\"b\",\"n\":5}\n"
               "0|{\"team\":\"b\"}|NULL\n");
  common_free(z);
  /* upsert without a key is refused when the sink opens. */
  const char *a[] = {"connector",         "kafka", "topic",  "o_x",
                     "bootstrap.servers", g_zBoot, "format", "upsert"};
  conn_options o = opts(4, a);
  char *zErr = NULL;
  CHECK(conn_sink_open_keyed(&o, &schOut, 0, NULL, &zErr) == NULL);
  CHECK_CONTAINS(zErr, "upsert needs a keyed query (GROUP BY)");
  common_free(zErr);
  mock_stop();
}

TEST(kafka_sink_reports_undelivered) {
  /* Nothing listens on the address: flush fails within its timeout. */
  const char *a[] = {"connector",
                     "kafka",
                     "topic",
                     "t",
                     "bootstrap.servers",
                     "127.0.0.1:1",
                     "format",
                     "json",
                     "sink.flush.timeout.ms",
                     "1500"};
  conn_options o = opts(5, a);
  char *zErr = NULL;
  exec_sink *s = conn_sink_open_keyed(&o, &schOut, 0, NULL, &zErr);
  CHECK(s != NULL);
  common_arena a1;
  common_arena_init(&a1, 4096);
  CHECK_EQ_INT(s->vt->xWrite(s, changelog(&a1), &schOut), 0);
  CHECK_EQ_INT(s->vt->xFlush(s), 1);
  CHECK_CONTAINS(s->zErr, "not delivered");
  s->vt->xFree(s);
  common_arena_free(&a1);
}

/* ---- source ----------------------------------------------------------------
 */

typedef struct collect {
  common_buf rows; /* "p:user,team,score,kts?,part,off\n" */
  int nBatch;
  int bMixed; /* a batch whose partition column disagreed */
  int bEnd;
  char zErr[300];
  uv_loop_t *loop;
} collect;

static void on_deliver(void *pArg, exec_batch *b, int iPart) {
  collect *c = pArg;
  c->nBatch++;
  for (int i = 0; i < b->n; i++) {
    exec_value v;
    common_buf_printf(&c->rows, "%d:", iPart);
    for (int k = 0; k < b->nCol; k++) {
      if (k == 4) { /* kts: only whether it is set */
        common_buf_puts(&c->rows, b->aCol[k].null[i] ? "-" : "T");
      } else {
        exec_vec_get(&b->aCol[k], i, &v);
        exec_value_format(&c->rows, &v);
      }
      common_buf_putc(&c->rows, k + 1 < b->nCol ? ',' : '\n');
    }
    if (b->aCol[5].v.i64[i] != iPart) c->bMixed = 1;
  }
}

static void on_end(void *pArg) {
  collect *c = pArg;
  c->bEnd = 1;
  uv_stop(c->loop);
}

static void on_error(void *pArg, const char *zMsg) {
  collect *c = pArg;
  snprintf(c->zErr, sizeof c->zErr, "%s", zMsg);
  uv_stop(c->loop);
}

static void on_timeout(uv_timer_t *h) {
  uv_stop(h->loop);
}

/* Run a kafka source with options az (n pairs) on a loop until it ends or
** fails (at most 10 s); fill c. Returns the source's bad count. */
static int64_t run_source(int n, const char **az, collect *c, char *zLastBad,
                          size_t nLastBad) {
  conn_options o = opts(n, az);
  char *zErr = NULL;
  memset(c, 0, sizeof *c);
  common_buf_init(&c->rows);
  exec_source *s = conn_source_open(&o, &schEv, NULL, &zErr);
  CHECK(s != NULL);
  if (!s) {
    fprintf(stderr, "%s\n", zErr);
    common_free(zErr);
    return -1;
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  c->loop = &loop;
  s->pArg = c;
  s->xDeliver = on_deliver;
  s->xEnd = on_end;
  s->xError = on_error;
  uv_timer_t t;
  uv_timer_init(&loop, &t);
  uv_timer_start(&t, on_timeout, 10000, 0);
  CHECK_EQ_INT(s->vt->xStart(s, &loop), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  int64_t nBad = s->nBad;
  if (zLastBad) snprintf(zLastBad, nLastBad, "%s", s->zLastBad);
  CHECK_EQ_INT(s->nPart, 3);
  s->vt->xStop(s);
  s->vt->xFree(s);
  uv_close((uv_handle_t *)&t, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  return nBad;
}

/* Sort the lines of z in place (for comparing sets of rows). */
static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
static char *sorted(const char *z) {
  char *zCopy = common_strdup(z), *azLine[512];
  int n = 0;
  for (char *p = strtok(zCopy, "\n"); p && n < 512; p = strtok(NULL, "\n")) {
    azLine[n++] = p;
  }
  qsort(azLine, (size_t)n, sizeof(char *), cmp_line);
  common_buf b;
  common_buf_init(&b);
  for (int i = 0; i < n; i++) common_buf_printf(&b, "%s\n", azLine[i]);
  common_buf_putc(&b, 0);
  common_free(zCopy);
  return common_buf_detach(&b);
}

TEST(kafka_source_bounded_partitions_bad_records) {
  mock_start();
  rd_kafka_mock_topic_create(g_mc, "ev", 3, 1);
  rd_kafka_t *rk = producer_new();
  produce(rk, "ev", 0, "u1", "{\"team\":\"red\",\"score\":5}");
  produce(rk, "ev", 1, "u2", "{\"team\":\"blue\",\"score\":3}");
  produce(rk, "ev", 1, "u3", "not json");
  produce(rk, "ev", 2, "u4", "{\"team\":\"red\",\"score\":\"x\"}");
  produce(rk, "ev", 2, "u5", "{\"team\":\"green\",\"score\":7}");
  produce(rk, "ev", 0, NULL, NULL); /* tombstone: no row */
  produce(rk, "ev", 0, "u6", "{\"team\":\"red\",\"score\":1}");
  CHECK_EQ_INT(rd_kafka_flush(rk, 5000), 0);
  const char *a[] = {"connector",
                     "kafka",
                     "topic",
                     "ev",
                     "bootstrap.servers",
                     g_zBoot,
                     "bounded.mode",
                     "latest",
                     "key.fields",
                     "user_id",
                     "timestamp.column",
                     "kts",
                     "partition.column",
                     "part",
                     "offset.column",
                     "off"};
  collect c;
  char zBad[256];
  int64_t nBad = run_source(8, a, &c, zBad, sizeof zBad);
  CHECK(c.bEnd);
  CHECK_EQ_STR(c.zErr, "");
  CHECK_EQ_INT(nBad, 2);
  CHECK_CONTAINS(zBad, "ev[");
  CHECK_CONTAINS(zBad, "] offset:");
  CHECK(!c.bMixed); /* one partition per batch */
  common_buf_putc(&c.rows, 0);
  char *z = sorted(c.rows.z);
  CHECK_EQ_STR(z,
               "0:u1,red,5,NULL,T,0,0\n"
               "0:u6,red,1,NULL,T,0,2\n"
               "1:u2,blue,3,NULL,T,1,0\n"
               "2:u5,green,7,NULL,T,2,1\n");
  common_free(z);
  common_buf_free(&c.rows);

  /* format.on-error = fail: the query fails naming partition and offset. */
  const char *b[] = {"connector",
                     "kafka",
                     "topic",
                     "ev",
                     "bootstrap.servers",
                     g_zBoot,
                     "bounded.mode",
                     "latest",
                     "format.on-error",
                     "fail",
                     "partition.column",
                     "part"};
  run_source(6, b, &c, NULL, 0);
  CHECK(!c.bEnd);
  CHECK_CONTAINS(c.zErr, "offset:");
  common_buf_free(&c.rows);

  /* startup.mode = latest with bounded: nothing to read, ends at once. */
  const char *d[] = {"connector",
                     "kafka",
                     "topic",
                     "ev",
                     "bootstrap.servers",
                     g_zBoot,
                     "bounded.mode",
                     "latest",
                     "startup.mode",
                     "latest",
                     "partition.column",
                     "part"};
  run_source(6, d, &c, NULL, 0);
  CHECK(c.bEnd);
  CHECK_EQ_INT(c.rows.n, 0);
  common_buf_free(&c.rows);
  rd_kafka_destroy(rk);
  mock_stop();
}

/* Produce with an explicit message timestamp (ms). */
static void produce_ts(rd_kafka_t *rk, const char *zTopic, int iPart,
                       const char *zVal, int64_t ms) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk, RD_KAFKA_V_TOPIC(zTopic), RD_KAFKA_V_PARTITION(iPart),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_VALUE((void *)zVal, strlen(zVal)), RD_KAFKA_V_TIMESTAMP(ms),
      RD_KAFKA_V_END);
  CHECK(err == 0);
}

TEST(kafka_source_startup_timestamp_and_group_offsets) {
  mock_start();
  rd_kafka_mock_topic_create(g_mc, "tt", 3, 1);
  rd_kafka_t *rk = producer_new();
  /* 2026-01-01 00:00:00 UTC = 1767225600000 ms; one message per minute
  ** per partition, minutes 0..4. */
  for (int m = 0; m < 5; m++) {
    for (int p = 0; p < 3; p++) {
      char z[100];
      snprintf(z, sizeof z, "{\"team\":\"t%d\",\"score\":%d}", p, m);
      produce_ts(rk, "tt", p, z, 1767225600000LL + m * 60000LL);
    }
  }
  CHECK_EQ_INT(rd_kafka_flush(rk, 5000), 0);
  /* From minute 3: two messages per partition (the mock cannot answer
  ** offsets-for-times; the source skips earlier ones itself). */
  const char *a[] = {"connector",
                     "kafka",
                     "topic",
                     "tt",
                     "bootstrap.servers",
                     g_zBoot,
                     "bounded.mode",
                     "latest",
                     "scan.startup.mode",
                     "timestamp",
                     "startup.timestamp",
                     "2026-01-01 00:03:00",
                     "partition.column",
                     "part",
                     "timestamp.column",
                     "kts"};
  collect c;
  run_source(8, a, &c, NULL, 0);
  CHECK(c.bEnd);
  common_buf_putc(&c.rows, 0);
  char *z = sorted(c.rows.z);
  CHECK_EQ_STR(z,
               "0:NULL,t0,3,NULL,T,0,NULL\n0:NULL,t0,4,NULL,T,0,NULL\n"
               "1:NULL,t1,3,NULL,T,1,NULL\n1:NULL,t1,4,NULL,T,1,NULL\n"
               "2:NULL,t2,3,NULL,T,2,NULL\n2:NULL,t2,4,NULL,T,2,NULL\n");
  common_free(z);
  common_buf_free(&c.rows);

  /* group-offsets: a first run with group.id commits what it read; a
  ** second run starting from the group's offsets sees only newer ones. */
  const char *g[] = {
      "connector",         "kafka", "topic",        "tt",
      "bootstrap.servers", g_zBoot, "bounded.mode", "latest",
      "group.id",          "g1",    "startup.mode", "group-offsets",
      "partition.column",  "part"};
  run_source(7, g, &c, NULL, 0);
  CHECK(c.bEnd);
  CHECK_EQ_INT(c.nBatch > 0, 1);
  common_buf_free(&c.rows);
  produce_ts(rk, "tt", 1, "{\"team\":\"new\",\"score\":9}",
             1767225600000LL + 10 * 60000LL);
  CHECK_EQ_INT(rd_kafka_flush(rk, 5000), 0);
  run_source(7, g, &c, NULL, 0);
  CHECK(c.bEnd);
  common_buf_putc(&c.rows, 0);
  CHECK_EQ_STR(c.rows.z, "1:NULL,new,9,NULL,-,1,NULL\n");
  common_buf_free(&c.rows);
  rd_kafka_destroy(rk);
  mock_stop();
}

/* A 1 ms ticker standing for the other queries of the process. */
typedef struct ticker {
  uv_timer_t t;
  uint64_t last, maxGap;
  int n;
} ticker;

static void on_tick(uv_timer_t *h) {
  ticker *k = (ticker *)h;
  uint64_t now = uv_hrtime();
  if (k->last && now - k->last > k->maxGap) k->maxGap = now - k->last;
  k->last = now;
  k->n++;
}

TEST(kafka_source_does_not_stall_the_loop) {
  mock_start();
  rd_kafka_mock_topic_create(g_mc, "big", 3, 1);
  rd_kafka_t *rk = producer_new();
  for (int i = 0; i < 60000; i++) {
    char z[100];
    snprintf(z, sizeof z, "{\"team\":\"t%d\",\"score\":%d}", i % 7, i);
    produce(rk, "big", i % 3, NULL, z);
    if (i % 10000 == 9999) rd_kafka_flush(rk, 5000);
  }
  CHECK_EQ_INT(rd_kafka_flush(rk, 5000), 0);
  const char *a[] = {"connector",         "kafka", "topic",        "big",
                     "bootstrap.servers", g_zBoot, "bounded.mode", "latest"};
  conn_options o = opts(4, a);
  char *zErr = NULL;
  collect c;
  memset(&c, 0, sizeof c);
  common_buf_init(&c.rows);
  exec_source *s = conn_source_open(&o, &schEv, NULL, &zErr);
  CHECK(s != NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  c.loop = &loop;
  s->pArg = &c;
  s->xDeliver = on_deliver;
  s->xEnd = on_end;
  s->xError = on_error;
  ticker k;
  memset(&k, 0, sizeof k);
  uv_timer_init(&loop, &k.t);
  uv_timer_start(&k.t, on_tick, 1, 1);
  uv_timer_t guard;
  uv_timer_init(&loop, &guard);
  uv_timer_start(&guard, on_timeout, 20000, 0);
  CHECK_EQ_INT(s->vt->xStart(s, &loop), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(c.bEnd);
  CHECK_EQ_INT(s->nRecords, 60000);
  /* The ticker kept running while 60000 messages were decoded. */
  CHECK(k.n > 10);
  if (k.maxGap > 300000000) {
    fprintf(stderr, "max gap %.1f ms\n", k.maxGap / 1e6);
  }
  CHECK(k.maxGap < 300000000);
  s->vt->xStop(s);
  s->vt->xFree(s);
  uv_close((uv_handle_t *)&k.t, NULL);
  uv_close((uv_handle_t *)&guard, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  common_buf_free(&c.rows);
  rd_kafka_destroy(rk);
  mock_stop();
}

TEST(kafka_source_csv_values_raw_keys) {
  mock_start();
  rd_kafka_mock_topic_create(g_mc, "cv", 3, 1);
  rd_kafka_t *rk = producer_new();
  produce(rk, "cv", 0, "ann", "red;5");
  produce(rk, "cv", 1, "bob", "blue;7");
  produce(rk, "cv", 2, "cy", "red;seven");
  produce(rk, "cv", 2, "dee", "\"gr;een\";1");
  CHECK_EQ_INT(rd_kafka_flush(rk, 5000), 0);
  const char *a[] = {"connector",
                     "kafka",
                     "topic",
                     "cv",
                     "bootstrap.servers",
                     g_zBoot,
                     "bounded.mode",
                     "latest",
                     "format",
                     "csv",
                     "csv.delimiter",
                     ";",
                     "key.fields",
                     "user_id",
                     "partition.column",
                     "part"};
  collect c;
  char zBad[256];
  int64_t nBad = run_source(8, a, &c, zBad, sizeof zBad);
  CHECK(c.bEnd);
  CHECK_EQ_INT(nBad, 1);
  CHECK_CONTAINS(zBad, "cv[2] offset:0");
  common_buf_putc(&c.rows, 0);
  char *z = sorted(c.rows.z);
  /* value fields fill the value columns in order: team, score, ts, kts,
  ** off (user_id and part come from the key and the message). */
  CHECK_EQ_STR(z,
               "0:ann,red,5,NULL,-,0,NULL\n"
               "1:bob,blue,7,NULL,-,1,NULL\n"
               "2:dee,gr;een,1,NULL,-,2,NULL\n");
  common_free(z);
  common_buf_free(&c.rows);
  rd_kafka_destroy(rk);
  mock_stop();
}

TEST(kafka_source_bounded_gives_up_on_unreachable_broker) {
  /* Nothing listens on 127.0.0.1:1: a bounded read cannot learn its end
  ** offsets and must fail after 'bounded.timeout', without stalling the
  ** loop meanwhile. */
  const char *a[] = {"connector",       "kafka",       "topic",
                     "zz",              "bootstrap.servers",
                     "127.0.0.1:1",     "bounded.mode", "latest",
                     "bounded.timeout", "1 s"};
  conn_options o = opts(5, a);
  char *zErr = NULL;
  collect c;
  memset(&c, 0, sizeof c);
  common_buf_init(&c.rows);
  exec_source *s = conn_source_open(&o, &schEv, NULL, &zErr);
  CHECK(s != NULL);
  if (!s) return;
  uv_loop_t loop;
  uv_loop_init(&loop);
  c.loop = &loop;
  s->pArg = &c;
  s->xDeliver = on_deliver;
  s->xEnd = on_end;
  s->xError = on_error;
  ticker k;
  memset(&k, 0, sizeof k);
  uv_timer_init(&loop, &k.t);
  uv_timer_start(&k.t, on_tick, 1, 1);
  uv_timer_t guard;
  uv_timer_init(&loop, &guard);
  uv_timer_start(&guard, on_timeout, 10000, 0);
  uint64_t t0 = uv_hrtime();
  CHECK_EQ_INT(s->vt->xStart(s, &loop), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  uint64_t ms = (uv_hrtime() - t0) / 1000000;
  CHECK(!c.bEnd);
  CHECK_CONTAINS(c.zErr,
                 "cannot reach 127.0.0.1:1 to find the latest offsets of zz "
                 "within 1 s");
  CHECK(ms >= 900 && ms < 4000);
  CHECK(k.maxGap < 300000000);
  s->vt->xStop(s);
  s->vt->xFree(s);
  uv_close((uv_handle_t *)&k.t, NULL);
  uv_close((uv_handle_t *)&guard, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  common_buf_free(&c.rows);
  /* Option check. */
  const char *aBad[] = {"connector", "kafka", "topic", "zz",
                        "bootstrap.servers", "127.0.0.1:1",
                        "bounded.timeout", "soon"};
  CHECK_CONTAINS(src_check(4, aBad, &schEv), "'bounded.timeout'");
}

TEST(kafka_sink_timer_reports_failure_while_running) {
  /* Given a loop, the sink polls delivery reports by itself: a message
  ** that times out is seen without another xWrite, and the flush then
  ** does not wait for 'sink.flush.timeout.ms'. */
  const char *a[] = {"connector",
                     "kafka",
                     "topic",
                     "t",
                     "bootstrap.servers",
                     "127.0.0.1:1",
                     "sink.flush.timeout.ms",
                     "10000",
                     "properties.message.timeout.ms",
                     "300"};
  conn_options o = opts(5, a);
  char *zErr = NULL;
  exec_sink *s = conn_sink_open_keyed(&o, &schOut, 0, NULL, &zErr);
  CHECK(s != NULL);
  if (!s) return;
  uv_loop_t loop;
  uv_loop_init(&loop);
  s->loop = &loop; /* no query: exec_sink_failed only leaves zErr */
  common_arena a1;
  common_arena_init(&a1, 4096);
  CHECK_EQ_INT(s->vt->xWrite(s, changelog(&a1), &schOut), 0);
  CHECK_EQ_INT((int)strlen(s->zErr), 0);
  uv_timer_t guard;
  uv_timer_init(&loop, &guard);
  uv_timer_start(&guard, on_timeout, 2000, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_CONTAINS(s->zErr, "kafka sink (topic t): ");
  CHECK_CONTAINS(s->zErr, "not delivered: Local: Message timed out");
  uint64_t t0 = uv_hrtime();
  CHECK_EQ_INT(s->vt->xFlush(s), 1);
  CHECK((uv_hrtime() - t0) / 1000000 < 2000);
  CHECK_CONTAINS(s->zErr, "not delivered");
  s->vt->xFree(s);
  uv_close((uv_handle_t *)&guard, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  common_arena_free(&a1);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
