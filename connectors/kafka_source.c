/*
** connectors/kafka_source.c — the `kafka` source: reads one topic with
** librdkafka and delivers exec batches, one partition per batch, so the
** Read operator keeps a watermark per Kafka partition (DESIGN.md §2.5).
**
** Where it sits: exec drives sources through exec_source (xStart, xStop,
** xFree). Message values (and keys) are decoded by the record parsers of
** csv.c / json.c, which fill the batch in place; VARCHAR values point into
** the librdkafka messages, which are destroyed only after the batch that
** points into them has been delivered (zero copy).
**
** Driving: never a blocking poll on the loop thread. The consumer queue's
** IO event (rd_kafka_queue_io_event_enable) writes to a non-blocking pipe
** watched by a uv_poll_t; when it fires, a uv_idle_t drains the queue with
** rd_kafka_consume_batch_queue(timeout 0), at most KSRC_BATCHES_PER_TURN
** batches or about 10 ms per loop turn, so other queries in the process
** keep running. A
** uv_timer_t kicks the drain every 100 ms as well (belt and braces) and
** runs partition discovery. The blocking librdkafka calls (metadata,
** watermark offsets, offsets for times, committed offsets) run on libuv's
** thread pool (uv_queue_work); their results are applied on the loop.
**
** Partitions: assigned by us (rd_kafka_incremental_assign), not by a
** group rebalance: every partition of the topic is read by this query.
** Discovery re-reads the topic's metadata every 'partition.discovery.ms'
** (default 5000; 0 = only at start), so partitions added at run time (or
** a topic that did not exist yet) are picked up; new partitions found
** after the start are read from their beginning (Flink's behaviour).
** group.id names the consumer group whose committed offsets
** 'startup.mode' = 'group-offsets' starts from; with a user-given
** group.id offsets are committed (librdkafka's auto commit) as messages
** are consumed. Without one a private group id is used and nothing is
** committed.
**
** Startup: 'earliest' (default), 'latest', 'group-offsets' (committed
** offsets, earliest when none), 'timestamp' (with 'startup.timestamp', a
** timestamp literal or epoch milliseconds). Flink's 'scan.startup.mode'
** values ('earliest-offset', 'latest-offset', 'group-offsets',
** 'timestamp' with 'scan.startup.timestamp-millis') are aliases. For
** 'timestamp' the broker's offsets-for-times answer is used; when it has
** none for a partition (-1: a broker that cannot answer, such as
** librdkafka's mock cluster, or no message that late) the partition is
** read from its beginning and messages before the first one with a
** timestamp >= the start are skipped, which selects the same messages.
**
** Bounded: 'bounded.mode' = 'latest' (Flink: 'scan.bounded.mode' =
** 'latest-offset') snapshots each partition's end offset when the query
** starts; a partition is finished at that offset (and paused), and when
** every partition is finished the source ends (watermark +infinity), so a
** topic is queried like a batch file. A bounded read cannot start without
** those end offsets: when they cannot be fetched within 'bounded.timeout'
** (a duration, default '30 s') the query fails ("cannot reach ... to find
** the latest offsets of T within 30 s"). An unbounded read keeps retrying.
**
** Columns: the value holds the columns of the schema except these:
** 'key.fields' = 'a;b' (decoded from the message key with 'key.format':
** 'raw' — the whole key is the one key column — , 'json' or 'csv'),
** 'timestamp.column', 'partition.column', 'offset.column' (the message's
** timestamp as TIMESTAMP — usable as event time in WATERMARK FOR — , its
** partition and offset as BIGINT). The value parser sees a view of the
** batch holding only the value columns (same vectors, no copy).
**
** Bad input: a message the format or schema rejects is skipped and counted
** (source nBad, and per partition), with "topic[partition] offset:N:
** reason" in zLastBad and the log; 'format.on-error' = 'fail' stops the
** query instead. An unreachable broker or missing topic is logged clearly
** (once per change of state) and retried; the query resumes when the
** broker comes back.
*/
#include <errno.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connectors/kafka_int.h"

#define KSRC_BATCHES_PER_TURN 64
#define KSRC_TURN_NS 10000000 /* and at most ~10 ms of work per turn */
#define KSRC_TICK_MS 100
#define KSRC_META_TIMEOUT_MS 5000

/* Startup modes. */
enum { KS_EARLIEST = 1, KS_LATEST, KS_GROUP, KS_TIMESTAMP };

/* Per partition state. */
typedef struct ksrc_part {
  int bKnown;       /* assigned to us */
  int bDone;        /* bounded: reached its end offset */
  int64_t hi;       /* bounded: end offset at query start, -1 if none */
  int bSkipTs;      /* timestamp startup resolved client-side */
  int64_t nBad;     /* malformed messages skipped */
  int64_t nRecords; /* rows delivered */
  char *zLabel;     /* "topic[p] offset" for messages */
} ksrc_part;

/* A partition found by a discovery job, with its resolved start. */
typedef struct ksrc_found {
  int iPart;
  int64_t start; /* RD_KAFKA_OFFSET_* or an offset */
  int64_t hi;    /* bounded: end offset, else -1 */
  int bSkipTs;
} ksrc_found;

typedef struct kafka_src kafka_src;

/* One discovery job on the thread pool. */
typedef struct ksrc_job {
  uv_work_t req;
  kafka_src *p;
  int bFirst; /* the first discovery (startup offsets apply) */
  int nKnown; /* partitions known when the job started */
  int timeoutMs; /* per librdkafka call */
  /* Results. */
  int nPartTopic; /* partitions of the topic (0 if unknown) */
  ksrc_found *aFound;
  int nFound;
  int bNoTopic; /* the broker answered: no such topic */
  char zErr[512];
} ksrc_job;

struct kafka_src {
  exec_source base;
  exec_schema sch; /* the full schema (names borrowed) */
  rd_kafka_t *rk;
  rd_kafka_queue_t *q;   /* the consumer queue */
  rd_kafka_topic_t *rkt; /* for metadata requests */
  char *zTopic;
  char *zName; /* for messages: "kafka source 'topic'" */
  char *zBootstrap;
  int mode;          /* KS_* */
  int64_t tsStartMs; /* KS_TIMESTAMP */
  int bBounded;
  int bUserGroup; /* group.id given: commit offsets */
  int64_t discoveryMs;
  int64_t boundedTimeoutMs; /* bounded: give up on the end offsets */
  int64_t startMs;          /* loop ms at xStart */
  char zJobErr[512];        /* error of the latest discovery job */
  /* Columns. */
  int iTsCol, iPartCol, iOffCol; /* -1 if absent */
  int nKeyCol;
  int *aKeyCol; /* schema columns from the key */
  int keyFmt;   /* 0 raw, CONN_FMT_JSON, CONN_FMT_CSV */
  exec_schema valSch, keySch;
  int *aValCol; /* valSch column -> schema column */
  uint8_t *aValNeeded, *aKeyNeeded;
  conn_rd rdVal, rdKey;
  int fmt;
  /* Batches: b is the full batch; vb / kb are views on its value / key
  ** vectors. */
  common_arena batchArena, heap;
  exec_batch *b, vb, kb;
  int iCurPart;               /* partition of the rows in b, -1 */
  rd_kafka_message_t **aHeld; /* messages b's strings may point into */
  int nHeld, nHeldAlloc;
  rd_kafka_message_t *aMsg[EXEC_BATCH_CAP];
  int nMsg, iMsg; /* consumed but not yet processed */
  /* Partitions. */
  ksrc_part *aPart;
  int nPart;
  int nDone;
  /* Loop. */
  uv_loop_t *loop;
  int aPipe[2];
  uv_poll_t poll;
  uv_idle_t idle;
  uv_timer_t timer;
  int bIdleOn;
  int64_t nextDiscovery; /* loop time (ms) of the next discovery */
  int bJob;              /* a discovery job is running */
  int bFirstDone;        /* the first discovery succeeded */
  char zState[256];      /* last connection problem logged */
  int64_t lastErrLog;    /* loop ms of the last error line */
  int bStarted, bStopped, bEnded, bFailed;
  int nOpen; /* open handles + running jobs */
  int nInCb;
  int bFreePending;
};

static void ksrc_really_free(kafka_src *p);
static void ksrc_drain(kafka_src *p);

/* ---- options ------------------------------------------------------------ */

/* Keys a kafka source understands (besides properties.*). */
static const char *const azSrcKey[] = {
    "connector",
    "topic",
    "bootstrap.servers",
    "properties.bootstrap.servers",
    "group.id",
    "properties.group.id",
    "format",
    "value.format",
    "format.on-error",
    "csv.delimiter",
    "startup.mode",
    "scan.startup.mode",
    "startup.timestamp",
    "scan.startup.timestamp-millis",
    "bounded.mode",
    "scan.bounded.mode",
    "key.fields",
    "key.format",
    "timestamp.column",
    "partition.column",
    "offset.column",
    "idle.timeout",
    "idle.advance",
    "partition.discovery.ms",
    "scan.topic-partition-discovery.interval",
    "bounded.timeout",
    NULL};

/* Pass every 'properties.*' option of o to librdkafka's conf. Returns 0,
** or 1 with *pzErr naming the option librdkafka refused. */
int conn_kafka_conf_properties(rd_kafka_conf_t *conf, const conn_options *o,
                               char **pzErr) {
  char zErr[512];
  for (int i = 0; o && i < o->n; i++) {
    const char *zKey = o->azKey[i];
    if (common_strnicmp(zKey, "properties.", 11) != 0) continue;
    if (rd_kafka_conf_set(conf, zKey + 11, o->azVal[i] ? o->azVal[i] : "", zErr,
                          sizeof zErr) != RD_KAFKA_CONF_OK) {
      return conn_err(pzErr, "'%s': %s", zKey, zErr);
    }
  }
  return 0;
}

/* The first present of two option spellings (kafka_int.h). */
const char *conn_opt2(const conn_options *o, const char *zA, const char *zB,
                      const char *zDefault) {
  const char *z = conn_opt(o, zA, NULL);
  return z ? z : conn_opt(o, zB, zDefault);
}

/* Startup mode from its option value, or 0. */
static int startup_code(const char *z) {
  if (!z) return KS_EARLIEST;
  if (!common_stricmp(z, "earliest") || !common_stricmp(z, "earliest-offset"))
    return KS_EARLIEST;
  if (!common_stricmp(z, "latest") || !common_stricmp(z, "latest-offset"))
    return KS_LATEST;
  if (!common_stricmp(z, "group-offsets") || !common_stricmp(z, "group"))
    return KS_GROUP;
  if (!common_stricmp(z, "timestamp")) return KS_TIMESTAMP;
  return 0;
}

/* 'startup.timestamp' as epoch ms: digits are ms, else a timestamp
** literal. Returns 0 on success. */
static int startup_ts(const conn_options *o, int64_t *pMs) {
  const char *z =
      conn_opt2(o, "startup.timestamp", "scan.startup.timestamp-millis", NULL);
  if (!z) return 1;
  int64_t v;
  if (conn_parse_i64(z, strlen(z), &v) == 0) {
    *pMs = v;
    return 0;
  }
  if (exec_ts_parse(z, strlen(z), &v) == 0) {
    *pMs = v / 1000;
    return 0;
  }
  return 1;
}

/* Split 'a;b;c' (or commas) into schema columns. Returns the count, or -1
** with *pzErr when a name is not a column. */
static int key_fields(const char *z, const exec_schema *sch, int *aCol,
                      char **pzErr) {
  int n = 0;
  while (z && *z) {
    while (*z == ' ' || *z == ';' || *z == ',') z++;
    const char *e = z;
    while (*e && *e != ';' && *e != ',' && *e != ' ') e++;
    if (e == z) break;
    int c = -1;
    for (int i = 0; i < sch->nCol; i++) {
      if (strlen(sch->azName[i]) == (size_t)(e - z) &&
          common_strnicmp(sch->azName[i], z, (size_t)(e - z)) == 0) {
        c = i;
      }
    }
    if (c < 0) {
      conn_err(pzErr, "'key.fields': no column named '%.*s'", (int)(e - z), z);
      return -1;
    }
    if (aCol) aCol[n] = c;
    n++;
    z = e;
  }
  return n;
}

/* Column named by option zKey, -1 when absent, -2 (with *pzErr) when the
** name is not a column of the type wanted. */
static int meta_col(const conn_options *o, const char *zKey,
                    const exec_schema *sch, int type, char **pzErr) {
  const char *z = conn_opt(o, zKey, NULL);
  if (!z) return -1;
  for (int i = 0; i < sch->nCol; i++) {
    if (common_stricmp(sch->azName[i], z) == 0) {
      if (sch->aType[i] != type &&
          !(type == WEIR_BIGINT && sch->aType[i] == WEIR_TIMESTAMP)) {
        conn_err(pzErr, "'%s': column %s must be %s", zKey, z,
               exec_type_name(type));
        return -2;
      }
      return i;
    }
  }
  conn_err(pzErr, "'%s': no column named '%s'", zKey, z);
  return -2;
}

/* See kafka_int.h. */
rd_kafka_conf_t *conn_kafka_conf_new(const conn_options *o,
                                     const char *const *azDefault,
                                     char **pzErr) {
  char zErr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  const char *zBoot =
      conn_opt2(o, "bootstrap.servers", "properties.bootstrap.servers", NULL);
  if (zBoot &&
      rd_kafka_conf_set(conf, "bootstrap.servers", zBoot, zErr, sizeof zErr)) {
    conn_err(pzErr, "'bootstrap.servers': %s", zErr);
    rd_kafka_conf_destroy(conf);
    return NULL;
  }
  for (int i = 0; azDefault && azDefault[i]; i += 2) {
    if (rd_kafka_conf_set(conf, azDefault[i], azDefault[i + 1], zErr,
                          sizeof zErr)) {
      conn_err(pzErr, "kafka: %s", zErr);
      rd_kafka_conf_destroy(conf);
      return NULL;
    }
  }
  if (conn_kafka_conf_properties(conf, o, pzErr)) {
    rd_kafka_conf_destroy(conf);
    return NULL;
  }
  return conf;
}

/* Build a librdkafka configuration from o (bootstrap, properties.*).
** Returns NULL with *pzErr when librdkafka rejects a setting. */
static rd_kafka_conf_t *ks_conf(const conn_options *o, char **pzErr) {
  return conn_kafka_conf_new(o, NULL, pzErr);
}

/*
** Check the options of a kafka source definition (CREATE SOURCE ... WITH):
** required keys, known keys, format, startup and bounded modes, key and
** metadata columns, and every properties.* setting against librdkafka.
** Returns 0, or 1 with *pzErr (common_free).
*/
int conn_kafka_source_check(const conn_options *o, const exec_schema *sch,
                            char **pzErr) {
  if (conn_check_keys(o, azSrcKey, "connector 'kafka'", "properties.",
                      "librdkafka settings go in 'properties.*'", pzErr)) {
    return 1;
  }
  if (!conn_opt(o, "topic", NULL)) {
    return conn_err(pzErr, "option 'topic' is required for connector 'kafka'");
  }
  if (!conn_opt2(o, "bootstrap.servers", "properties.bootstrap.servers", NULL)) {
    return conn_err(pzErr,
                  "option 'bootstrap.servers' is required for connector "
                  "'kafka' (e.g. the address `weir kafka-dev` prints)");
  }
  const char *zFmt = conn_opt2(o, "format", "value.format", "json");
  if (!conn_format_code(zFmt)) {
    return conn_err(pzErr, "unknown format '%s' (expected 'csv' or 'json')",
                  zFmt);
  }
  const char *z = conn_opt(o, "format.on-error", NULL);
  if (z && common_stricmp(z, "skip") && common_stricmp(z, "fail")) {
    return conn_err(pzErr,
                  "option 'format.on-error' must be 'skip' or 'fail', not "
                  "'%s'",
                  z);
  }
  z = conn_opt2(o, "startup.mode", "scan.startup.mode", NULL);
  int mode = startup_code(z);
  if (!mode) {
    return conn_err(pzErr,
                  "option 'startup.mode' must be 'earliest', 'latest', "
                  "'group-offsets' or 'timestamp', not '%s'",
                  z);
  }
  int64_t ms;
  if (mode == KS_TIMESTAMP && startup_ts(o, &ms)) {
    return conn_err(pzErr,
                  "'startup.mode' = 'timestamp' needs 'startup.timestamp' "
                  "(a timestamp such as '2026-01-01 12:00:00', or epoch "
                  "milliseconds)");
  }
  z = conn_opt2(o, "bounded.mode", "scan.bounded.mode", NULL);
  if (z && common_stricmp(z, "latest") && common_stricmp(z, "latest-offset") &&
      common_stricmp(z, "unbounded")) {
    return conn_err(pzErr,
                  "option 'bounded.mode' must be 'latest' or 'unbounded', "
                  "not '%s'",
                  z);
  }
  z = conn_opt(o, "key.format", NULL);
  if (z && common_stricmp(z, "raw") && !conn_format_code(z)) {
    return conn_err(pzErr,
                  "option 'key.format' must be 'raw', 'json' or 'csv', not "
                  "'%s'",
                  z);
  }
  if (sch) {
    int nKey = key_fields(conn_opt(o, "key.fields", NULL), sch, NULL, pzErr);
    if (nKey < 0) return 1;
    if (z && !common_stricmp(z, "raw") && nKey > 1) {
      return conn_err(pzErr, "'key.format' = 'raw' takes one key field");
    }
    if (meta_col(o, "timestamp.column", sch, WEIR_TIMESTAMP, pzErr) == -2 ||
        meta_col(o, "partition.column", sch, WEIR_BIGINT, pzErr) == -2 ||
        meta_col(o, "offset.column", sch, WEIR_BIGINT, pzErr) == -2) {
      return 1;
    }
  }
  /* 'idle.timeout' / 'idle.advance' are read by the planner. */
  if (conn_check_idle(o, pzErr)) return 1;
  z = conn_opt2(o, "partition.discovery.ms",
           "scan.topic-partition-discovery.interval", NULL);
  if (z && (conn_parse_i64(z, strlen(z), &ms) || ms < 0)) {
    return conn_err(pzErr,
                  "option 'partition.discovery.ms' must be a number of "
                  "milliseconds, not '%s'",
                  z);
  }
  z = conn_opt(o, "bounded.timeout", NULL);
  if (z && common_duration_us(z) <= 0) {
    return conn_err(pzErr,
                    "option 'bounded.timeout' must be a positive duration "
                    "('30 s', '500 ms'), not '%s'",
                    z);
  }
  rd_kafka_conf_t *conf = ks_conf(o, pzErr);
  if (!conf) return 1;
  rd_kafka_conf_destroy(conf);
  return 0;
}

/* ---- logging ------------------------------------------------------------ */

/* Loop time in ms (0 before start). */
static int64_t ks_now(kafka_src *p) {
  return p->loop ? (int64_t)uv_now(p->loop) : 0;
}

/* Log a connection problem once per change of its text (and at most
** every 10 s when it repeats). zMsg "" clears the state. */
static void ks_state(kafka_src *p, const char *zMsg) {
  if (!zMsg[0]) {
    if (p->zState[0]) {
      fprintf(stderr, "weir: %s: connected again\n", p->zName);
      p->zState[0] = 0;
    }
    return;
  }
  int64_t now = ks_now(p);
  if (strcmp(zMsg, p->zState) == 0 && now - p->lastErrLog < 10000) return;
  snprintf(p->zState, sizeof p->zState, "%s", zMsg);
  p->lastErrLog = now;
  fprintf(stderr, "weir: %s: %s (retrying)\n", p->zName, zMsg);
}

/* librdkafka's error callback: connection-level problems. Called on the
** loop thread while the consumer queue is served. */
static void on_rk_error(rd_kafka_t *rk, int err, const char *zReason,
                        void *pOpaque) {
  kafka_src *p = pOpaque;
  (void)rk;
  if (!p) return;
  char zMsg[256];
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
      err == RD_KAFKA_RESP_ERR__TRANSPORT ||
      err == RD_KAFKA_RESP_ERR__RESOLVE) {
    snprintf(zMsg, sizeof zMsg, "cannot reach bootstrap.servers %s: %s",
             p->zBootstrap, zReason);
  } else {
    snprintf(zMsg, sizeof zMsg, "%s", zReason);
  }
  ks_state(p, zMsg);
}

/* librdkafka's logs (its own threads): connection trouble reaches
** on_rk_error, so only critical lines are printed. */
static void on_rk_log(const rd_kafka_t *rk, int level, const char *zFac,
                      const char *zBuf) {
  (void)rk;
  if (level <= 2) fprintf(stderr, "weir: librdkafka %s: %s\n", zFac, zBuf);
}

/* ---- delivering --------------------------------------------------------- */

/* Destroy messages no batch points into any more. */
static void release_held(kafka_src *p) {
  for (int i = 0; i < p->nHeld; i++) rd_kafka_message_destroy(p->aHeld[i]);
  p->nHeld = 0;
}

static void hold(kafka_src *p, rd_kafka_message_t *m) {
  if (p->nHeld == p->nHeldAlloc) {
    p->nHeldAlloc = p->nHeldAlloc ? p->nHeldAlloc * 2 : 256;
    p->aHeld =
        common_realloc(p->aHeld, sizeof(*p->aHeld) * (size_t)p->nHeldAlloc);
  }
  p->aHeld[p->nHeld++] = m;
}

/* Hand the batch to exec (if it has rows), then release what it pointed
** into. Returns 1 if the source was stopped or failed meanwhile. */
static int deliver(kafka_src *p) {
  exec_batch *b = p->b;
  if (b->n > 0) {
    int iPart = p->iCurPart < 0 ? 0 : p->iCurPart;
    p->base.nRecords += b->n;
    if (iPart < p->nPart) p->aPart[iPart].nRecords += b->n;
    p->base.xDeliver(p->base.pArg, b, iPart);
    b->n = 0;
    common_arena_reset(&p->heap);
  }
  release_held(p);
  return p->bStopped || p->bFailed;
}

/* Report a fatal error and stop producing. */
static void fail(kafka_src *p, const char *zMsg) {
  if (p->bFailed) return;
  p->bFailed = 1;
  if (p->bIdleOn) uv_idle_stop(&p->idle);
  p->bIdleOn = 0;
  if (p->base.xError) p->base.xError(p->base.pArg, zMsg);
}

/* A bounded read still without its end offsets 'bounded.timeout' after
** the start fails the query (an unbounded one retries forever). */
static void check_bounded_timeout(kafka_src *p) {
  if (!p->bBounded || p->bFirstDone || p->bFailed || p->bStopped) return;
  if (ks_now(p) - p->startMs < p->boundedTimeoutMs) return;
  char zWithin[64], zMsg[1024];
  if (p->boundedTimeoutMs % 1000 == 0) {
    snprintf(zWithin, sizeof zWithin, "%lld s",
             (long long)(p->boundedTimeoutMs / 1000));
  } else {
    snprintf(zWithin, sizeof zWithin, "%lld ms",
             (long long)p->boundedTimeoutMs);
  }
  snprintf(zMsg, sizeof zMsg,
           "%s: cannot reach %s to find the latest offsets of %s within %s "
           "('bounded.timeout')%s%s",
           p->zName, p->zBootstrap, p->zTopic, zWithin,
           p->zJobErr[0] ? ": " : "", p->zJobErr);
  fail(p, zMsg);
}

/* Every partition reached its bounded end: end of input. */
static void maybe_end(kafka_src *p) {
  if (!p->bBounded || !p->bFirstDone || p->bEnded || p->bStopped) return;
  if (p->nDone < p->nPart) return;
  if (deliver(p)) return;
  p->bEnded = 1;
  if (p->bIdleOn) uv_idle_stop(&p->idle);
  p->bIdleOn = 0;
  if (p->base.xEnd) p->base.xEnd(p->base.pArg);
}

/* Partition i is finished (bounded): stop fetching it. */
static void part_done(kafka_src *p, int i) {
  if (p->aPart[i].bDone) return;
  p->aPart[i].bDone = 1;
  p->nDone++;
  rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(l, p->zTopic, i);
  rd_kafka_pause_partitions(p->rk, l);
  rd_kafka_topic_partition_list_destroy(l);
}

/* Fill the key and metadata columns of rows [iFrom, b->n) from m; the
** value columns are already parsed. Returns 0, or 1 when the key is bad
** (the rows are then dropped by the caller). */
static int fill_extra(kafka_src *p, rd_kafka_message_t *m, int iFrom) {
  exec_batch *b = p->b;
  int64_t tsUs = 0;
  if (p->iTsCol >= 0) {
    rd_kafka_timestamp_type_t tt;
    int64_t ms = rd_kafka_message_timestamp(m, &tt);
    tsUs = ms >= 0 ? ms * 1000 : -1;
  }
  for (int r = iFrom; r < b->n; r++) {
    if (p->iTsCol >= 0) {
      exec_vec *v = &b->aCol[p->iTsCol];
      v->null[r] = tsUs < 0;
      v->v.i64[r] = tsUs < 0 ? 0 : tsUs;
    }
    if (p->iPartCol >= 0) {
      b->aCol[p->iPartCol].null[r] = 0;
      b->aCol[p->iPartCol].v.i64[r] = m->partition;
    }
    if (p->iOffCol >= 0) {
      b->aCol[p->iOffCol].null[r] = 0;
      b->aCol[p->iOffCol].v.i64[r] = m->offset;
    }
  }
  if (p->nKeyCol == 0) return 0;
  const char *zKey = m->key;
  size_t nKey = m->key_len;
  for (int r = iFrom; r < b->n; r++) {
    if (!zKey) {
      for (int k = 0; k < p->nKeyCol; k++) b->aCol[p->aKeyCol[k]].null[r] = 1;
      continue;
    }
    if (p->keyFmt == 0) {
      int c = p->aKeyCol[0];
      b->aCol[c].null[r] = 1;
      if (p->aKeyNeeded[0] && conn_field_set(b, c, r, zKey, nKey)) {
        conn_rd_bad(&p->rdVal, m->offset, "key '%.*s' is not a %s",
                    (int)(nKey > 40 ? 40 : nKey), zKey,
                    exec_type_name(b->aCol[c].type));
        return 1;
      }
      continue;
    }
    p->kb.n = r;
    p->rdKey.zFile = p->rdVal.zFile;
    p->rdKey.iLine = m->offset;
    int64_t nBad0 = p->base.nBad;
    if (p->keyFmt == CONN_FMT_JSON) {
      conn_json_parse(&p->rdKey, zKey, nKey, 1, &p->kb);
    } else {
      conn_csv_parse(&p->rdKey, zKey, nKey, 1, &p->kb);
    }
    if (p->kb.n != r + 1) {
      if (p->base.nBad == nBad0) {
        conn_rd_bad(&p->rdVal, m->offset, "key is not one %s record",
                    p->keyFmt == CONN_FMT_JSON ? "JSON" : "CSV");
      }
      return 1;
    }
  }
  return 0;
}

/* Decode message m into the batch (delivering when it fills). Returns 1
** if the source stopped or failed. */
static int take_message(kafka_src *p, rd_kafka_message_t *m) {
  int iPart = m->partition;
  if (iPart < 0 || iPart >= p->nPart || !p->aPart[iPart].bKnown) {
    rd_kafka_message_destroy(m);
    return 0;
  }
  ksrc_part *pt = &p->aPart[iPart];
  if (pt->bDone || (pt->hi >= 0 && m->offset >= pt->hi)) {
    rd_kafka_message_destroy(m);
    if (!pt->bDone) part_done(p, iPart);
    return 0;
  }
  if (pt->bSkipTs) {
    rd_kafka_timestamp_type_t tt;
    if (rd_kafka_message_timestamp(m, &tt) < p->tsStartMs) {
      rd_kafka_message_destroy(m);
      goto after;
    }
    pt->bSkipTs = 0;
  }
  if (iPart != p->iCurPart && p->b->n > 0) {
    if (deliver(p)) {
      rd_kafka_message_destroy(m);
      return 1;
    }
  }
  p->iCurPart = iPart;
  if (!m->payload || m->len == 0) {
    /* A tombstone or empty message carries no row. */
    rd_kafka_message_destroy(m);
    goto after;
  }
  p->rdVal.zFile = pt->zLabel;
  p->rdVal.iLine = m->offset;
  const char *z = m->payload;
  size_t n = m->len, off = 0;
  while (off < n) {
    int64_t nBad0 = p->base.nBad;
    int iFrom = p->b->n;
    p->vb.n = iFrom;
    size_t used = p->fmt == CONN_FMT_CSV
                      ? conn_csv_parse(&p->rdVal, z + off, n - off, 1, &p->vb)
                      : conn_json_parse(&p->rdVal, z + off, n - off, 1, &p->vb);
    p->rdVal.iLine = m->offset; /* one offset, however many lines */
    off += used;
    p->b->n = p->vb.n;
    if (p->b->n > iFrom && fill_extra(p, m, iFrom)) p->b->n = iFrom;
    pt->nBad += p->base.nBad - nBad0;
    if (p->rdVal.zFatal || p->rdKey.zFatal) {
      char *zMsg =
          common_strdup(p->rdVal.zFatal ? p->rdVal.zFatal : p->rdKey.zFatal);
      hold(p, m);
      if (!deliver(p)) fail(p, zMsg);
      common_free(zMsg);
      return 1;
    }
    if (p->b->n == EXEC_BATCH_CAP) {
      if (deliver(p)) {
        rd_kafka_message_destroy(m);
        return 1;
      }
    } else if (used == 0) {
      break;
    }
  }
  hold(p, m);
after:
  return 0;
}

/* Process one consumed message or event. Returns 1 if stopped. */
static int take(kafka_src *p, rd_kafka_message_t *m) {
  if (m->err) {
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      /* Bounded: the end may lie past the last message we can see
      ** (compaction, transaction markers). */
      int i = m->partition;
      if (p->bBounded && i >= 0 && i < p->nPart && !p->aPart[i].bDone &&
          p->aPart[i].hi >= 0 && m->offset >= p->aPart[i].hi) {
        part_done(p, i);
      }
    } else {
      char zMsg[256];
      snprintf(zMsg, sizeof zMsg, "%s", rd_kafka_message_errstr(m));
      ks_state(p, zMsg);
    }
    rd_kafka_message_destroy(m);
    return 0;
  }
  int iPart = m->partition;
  int64_t off = m->offset;
  if (p->zState[0]) ks_state(p, "");
  if (take_message(p, m)) return 1;
  if (p->bBounded && iPart >= 0 && iPart < p->nPart) {
    ksrc_part *pt = &p->aPart[iPart];
    if (!pt->bDone && pt->hi >= 0 && off + 1 >= pt->hi) {
      part_done(p, iPart);
    }
  }
  return 0;
}

/* Drain the consumer queue for one loop turn. */
static void ksrc_drain(kafka_src *p) {
  int nTurn = 0;
  uint64_t t0 = uv_hrtime();
  while (!p->bStopped && !p->bFailed && !p->bEnded) {
    if (p->iMsg == p->nMsg) {
      if (nTurn >= KSRC_BATCHES_PER_TURN) break;
      if (uv_hrtime() - t0 > KSRC_TURN_NS) break;
      ssize_t k =
          rd_kafka_consume_batch_queue(p->q, 0, p->aMsg, EXEC_BATCH_CAP);
      nTurn++;
      p->iMsg = 0;
      p->nMsg = k > 0 ? (int)k : 0;
      if (p->nMsg == 0) {
        /* Queue empty: deliver what we have and wait for the IO event. */
        if (deliver(p)) return;
        if (p->bIdleOn) uv_idle_stop(&p->idle);
        p->bIdleOn = 0;
        maybe_end(p);
        return;
      }
    }
    while (p->iMsg < p->nMsg) {
      rd_kafka_message_t *m = p->aMsg[p->iMsg++];
      if (take(p, m)) return;
      if (p->bEnded) return;
    }
    if (p->bBounded && p->nDone == p->nPart && p->bFirstDone) {
      maybe_end(p);
      return;
    }
  }
  if (!p->bStopped && !p->bFailed && !p->bEnded) {
    /* Budget used up: yield, but come back on the next turn. */
    if (p->b->n > 0 && deliver(p)) return;
  }
}

static void on_idle(uv_idle_t *h) {
  kafka_src *p = h->data;
  p->nInCb++;
  ksrc_drain(p);
  p->nInCb--;
  if (p->bFreePending && p->nInCb == 0 && p->nOpen == 0) ksrc_really_free(p);
}

/* Start draining on the next loop turns. */
static void kick(kafka_src *p) {
  if (p->bIdleOn || p->bStopped || p->bFailed || p->bEnded) return;
  p->bIdleOn = 1;
  uv_idle_start(&p->idle, on_idle);
}

static void on_poll(uv_poll_t *h, int status, int events) {
  kafka_src *p = h->data;
  char buf[256];
  (void)status;
  (void)events;
  while (read(p->aPipe[0], buf, sizeof buf) > 0) {
  }
  kick(p);
}

/* ---- discovery ---------------------------------------------------------- */

/* Thread pool: read the topic's metadata; for partitions not yet known
** resolve where to start (and, bounded, where to stop). Blocking calls
** are fine here: this is not the loop thread. */
static void job_work(uv_work_t *req) {
  ksrc_job *j = req->data;
  kafka_src *p = j->p;
  const struct rd_kafka_metadata *md = NULL;
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(p->rk, 0, p->rkt, &md, j->timeoutMs);
  if (err) {
    if (err == RD_KAFKA_RESP_ERR__TRANSPORT ||
        err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
      snprintf(j->zErr, sizeof j->zErr, "cannot reach bootstrap.servers %s: %s",
               p->zBootstrap, rd_kafka_err2str(err));
    } else {
      snprintf(j->zErr, sizeof j->zErr, "metadata of topic %s: %s", p->zTopic,
               rd_kafka_err2str(err));
    }
    return;
  }
  if (md->topic_cnt < 1 || md->topics[0].err) {
    rd_kafka_resp_err_t e = md->topic_cnt < 1
                                ? RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
                                : md->topics[0].err;
    snprintf(j->zErr, sizeof j->zErr, "topic %s: %s", p->zTopic,
             rd_kafka_err2str(e));
    j->bNoTopic = e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    rd_kafka_metadata_destroy(md);
    return;
  }
  const struct rd_kafka_metadata_topic *t = &md->topics[0];
  int nPart = 0;
  for (int i = 0; i < t->partition_cnt; i++) {
    if (t->partitions[i].id + 1 > nPart) nPart = t->partitions[i].id + 1;
  }
  rd_kafka_metadata_destroy(md);
  j->nPartTopic = nPart;
  if (nPart <= j->nKnown) return;
  j->aFound = common_calloc((size_t)(nPart - j->nKnown), sizeof(ksrc_found));
  rd_kafka_topic_partition_list_t *lTs = NULL, *lGrp = NULL;
  /* Low and high watermark offsets of every new partition, in two
  ** batched ListOffsets requests (not one round trip per partition). */
  int64_t *aLo = NULL, *aHi = NULL;
  if (j->bFirst && (p->bBounded || p->mode == KS_LATEST ||
                    p->mode == KS_GROUP || p->mode == KS_TIMESTAMP)) {
    aLo = common_calloc((size_t)nPart, sizeof(int64_t));
    aHi = common_calloc((size_t)nPart, sizeof(int64_t));
    for (int w = 0; w < 2; w++) {
      rd_kafka_topic_partition_list_t *l =
          rd_kafka_topic_partition_list_new(nPart - j->nKnown);
      for (int i = j->nKnown; i < nPart; i++) {
        rd_kafka_topic_partition_list_add(l, p->zTopic, i)->offset =
            w ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
      }
      err = rd_kafka_offsets_for_times(p->rk, l, j->timeoutMs);
      for (int k = 0; !err && k < l->cnt; k++) {
        if (l->elems[k].err) {
          err = l->elems[k].err;
        } else {
          (w ? aHi : aLo)[l->elems[k].partition] = l->elems[k].offset;
        }
      }
      rd_kafka_topic_partition_list_destroy(l);
      if (err) {
        snprintf(j->zErr, sizeof j->zErr, "offsets of topic %s: %s", p->zTopic,
                 rd_kafka_err2str(err));
        j->nFound = 0;
        goto out;
      }
    }
  }
  for (int i = j->nKnown; i < nPart; i++) {
    ksrc_found *f = &j->aFound[j->nFound++];
    f->iPart = i;
    f->hi = -1;
    f->start = RD_KAFKA_OFFSET_BEGINNING;
    int64_t lo = aLo ? aLo[i] : 0, hi = aHi ? aHi[i] : -1;
    if (j->bFirst) {
      if (p->bBounded) f->hi = hi;
      switch (p->mode) {
        case KS_LATEST:
          f->start = hi;
          break;
        case KS_TIMESTAMP:
          if (!lTs) lTs = rd_kafka_topic_partition_list_new(nPart);
          rd_kafka_topic_partition_list_add(lTs, p->zTopic, i)->offset =
              p->tsStartMs;
          f->start = lo;
          break;
        case KS_GROUP:
          if (!lGrp) lGrp = rd_kafka_topic_partition_list_new(nPart);
          rd_kafka_topic_partition_list_add(lGrp, p->zTopic, i);
          f->start = lo;
          break;
        default:
          f->start = p->bBounded ? lo : RD_KAFKA_OFFSET_BEGINNING;
      }
    }
  }
  if (lTs) {
    err = rd_kafka_offsets_for_times(p->rk, lTs, j->timeoutMs);
    for (int k = 0; k < lTs->cnt; k++) {
      ksrc_found *f = &j->aFound[lTs->elems[k].partition - j->nKnown];
      if (!err && !lTs->elems[k].err && lTs->elems[k].offset >= 0) {
        f->start = lTs->elems[k].offset;
      } else {
        f->bSkipTs = 1; /* resolve on the client: start at lo and skip */
      }
    }
  }
  if (lGrp) {
    err = rd_kafka_committed(p->rk, lGrp, j->timeoutMs);
    if (err) {
      snprintf(j->zErr, sizeof j->zErr, "committed offsets of group: %s",
               rd_kafka_err2str(err));
      j->nFound = 0;
      goto out;
    }
    for (int k = 0; k < lGrp->cnt; k++) {
      ksrc_found *f = &j->aFound[lGrp->elems[k].partition - j->nKnown];
      if (!lGrp->elems[k].err && lGrp->elems[k].offset >= 0) {
        f->start = lGrp->elems[k].offset;
      }
    }
  }
out:
  common_free(aLo);
  common_free(aHi);
  if (lTs) rd_kafka_topic_partition_list_destroy(lTs);
  if (lGrp) rd_kafka_topic_partition_list_destroy(lGrp);
}

/* Loop thread: apply a discovery job's result. */
static void job_after(uv_work_t *req, int status) {
  ksrc_job *j = req->data;
  kafka_src *p = j->p;
  p->bJob = 0;
  p->nOpen--;
  p->nextDiscovery = ks_now(p) + (p->bFirstDone ? p->discoveryMs : 1000);
  if (status == 0 && !p->bStopped && !p->bFailed && !p->bEnded) {
    if (j->zErr[0] && j->bNoTopic && p->bBounded && !p->bFirstDone) {
      /* A bounded read of a topic that does not exist: nothing to wait
      ** for (an unbounded one waits for the topic to appear). */
      char zMsg[600];
      snprintf(zMsg, sizeof zMsg, "%s: %s", p->zName, j->zErr);
      fail(p, zMsg);
    } else if (j->zErr[0]) {
      snprintf(p->zJobErr, sizeof p->zJobErr, "%s", j->zErr);
      check_bounded_timeout(p);
      if (!p->bFailed) ks_state(p, j->zErr);
    } else {
      if (j->nFound > 0) {
        int nNew = j->aFound[j->nFound - 1].iPart + 1;
        if (nNew > p->nPart) {
          p->aPart = common_realloc(p->aPart, sizeof(ksrc_part) * (size_t)nNew);
          memset(p->aPart + p->nPart, 0,
                 sizeof(ksrc_part) * (size_t)(nNew - p->nPart));
          for (int i = p->nPart; i < nNew; i++) {
            char z[300];
            snprintf(z, sizeof z, "%s[%d] offset", p->zTopic, i);
            p->aPart[i].zLabel = common_strdup(z);
            p->aPart[i].hi = -1;
          }
          p->nPart = nNew;
        }
        rd_kafka_topic_partition_list_t *l =
            rd_kafka_topic_partition_list_new(j->nFound);
        for (int k = 0; k < j->nFound; k++) {
          ksrc_found *f = &j->aFound[k];
          ksrc_part *pt = &p->aPart[f->iPart];
          pt->bKnown = 1;
          pt->hi = f->hi;
          pt->bSkipTs = f->bSkipTs;
          if (p->bBounded && (!j->bFirst || (f->hi >= 0 && f->start >= 0 &&
                                             f->start >= f->hi))) {
            /* Nothing to read (or found after the bounded start). */
            pt->bDone = 1;
            p->nDone++;
            continue;
          }
          rd_kafka_topic_partition_list_add(l, p->zTopic, f->iPart)->offset =
              f->start;
        }
        if (l->cnt > 0) {
          rd_kafka_error_t *e = rd_kafka_incremental_assign(p->rk, l);
          if (e) {
            char zMsg[300];
            snprintf(zMsg, sizeof zMsg, "%s: cannot assign partitions: %s",
                     p->zName, rd_kafka_error_string(e));
            rd_kafka_error_destroy(e);
            fail(p, zMsg);
          }
        }
        rd_kafka_topic_partition_list_destroy(l);
        p->base.nPart = p->nPart;
      }
      if (j->bFirst && !p->bFailed) {
        p->bFirstDone = 1;
        ks_state(p, "");
      }
      maybe_end(p);
      kick(p);
    }
  }
  common_free(j->aFound);
  common_free(j);
  if (p->bFreePending && p->nInCb == 0 && p->nOpen == 0) ksrc_really_free(p);
}

/* Start a discovery job unless one runs. */
static void discover(kafka_src *p) {
  if (p->bJob || p->bStopped || p->bFailed || p->bEnded) return;
  if (p->bFirstDone && (p->discoveryMs == 0 || p->bBounded)) return;
  ksrc_job *j = common_calloc(1, sizeof *j);
  j->p = p;
  j->bFirst = !p->bFirstDone;
  j->nKnown = p->nPart;
  j->timeoutMs = KSRC_META_TIMEOUT_MS;
  if (p->bBounded && !p->bFirstDone) {
    /* Do not outlive 'bounded.timeout' by much (the job holds the
    ** source until it returns). */
    int64_t left = p->startMs + p->boundedTimeoutMs - ks_now(p);
    if (left < j->timeoutMs) j->timeoutMs = left < 100 ? 100 : (int)left;
  }
  j->req.data = j;
  p->bJob = 1;
  p->nOpen++;
  if (uv_queue_work(p->loop, &j->req, job_work, job_after)) {
    p->bJob = 0;
    p->nOpen--;
    common_free(j);
  }
}

static void on_tick(uv_timer_t *h) {
  kafka_src *p = h->data;
  if (p->bStopped || p->bFailed || p->bEnded) return;
  check_bounded_timeout(p);
  if (p->bFailed) return;
  if (ks_now(p) >= p->nextDiscovery) discover(p);
  if (p->bFirstDone) kick(p);
}

/* ---- lifecycle ---------------------------------------------------------- */

static void on_close(uv_handle_t *h) {
  kafka_src *p = h->data;
  p->nOpen--;
  if (p->nOpen == 0 && p->bFreePending && p->nInCb == 0) ksrc_really_free(p);
}

static int ksrc_start(exec_source *src, uv_loop_t *loop) {
  kafka_src *p = (kafka_src *)src;
  p->loop = loop;
  uv_update_time(loop);
  p->startMs = ks_now(p);
  if (pipe2(p->aPipe, O_NONBLOCK | O_CLOEXEC)) {
    char zMsg[200];
    snprintf(zMsg, sizeof zMsg, "%s: pipe: %s", p->zName, strerror(errno));
    p->aPipe[0] = p->aPipe[1] = -1;
    fail(p, zMsg);
    return 1;
  }
  rd_kafka_queue_io_event_enable(p->q, p->aPipe[1], "1", 1);
  uv_poll_init(loop, &p->poll, p->aPipe[0]);
  uv_idle_init(loop, &p->idle);
  uv_timer_init(loop, &p->timer);
  p->poll.data = p->idle.data = p->timer.data = p;
  p->nOpen += 3;
  p->bStarted = 1;
  uv_poll_start(&p->poll, UV_READABLE, on_poll);
  uv_timer_start(&p->timer, on_tick, KSRC_TICK_MS, KSRC_TICK_MS);
  discover(p);
  return 0;
}

/* Log the bad messages skipped per partition (once, when the source
** stops), e.g. "12 bad messages skipped (partition 0: 4, 2: 8)". */
static void log_bad_summary(kafka_src *p) {
  if (p->base.nBad == 0) return;
  common_buf b;
  common_buf_init(&b);
  common_buf_printf(&b, "weir: %s: %lld bad message%s skipped (partition ",
                    p->zName, (long long)p->base.nBad,
                    p->base.nBad == 1 ? "" : "s");
  int n = 0;
  for (int i = 0; i < p->nPart; i++) {
    if (p->aPart[i].nBad == 0) continue;
    common_buf_printf(&b, "%s%d: %lld", n++ ? ", " : "", i,
                      (long long)p->aPart[i].nBad);
  }
  common_buf_printf(&b, "); last: %s\n", p->base.zLastBad);
  fputs(b.z, stderr);
  common_buf_free(&b);
}

static void ksrc_stop(exec_source *src) {
  kafka_src *p = (kafka_src *)src;
  if (p->bStopped) return;
  p->bStopped = 1;
  log_bad_summary(p);
  if (!p->bStarted) return;
  uv_close((uv_handle_t *)&p->poll, on_close);
  uv_close((uv_handle_t *)&p->idle, on_close);
  uv_close((uv_handle_t *)&p->timer, on_close);
}

static void ksrc_really_free(kafka_src *p) {
  for (int i = p->iMsg; i < p->nMsg; i++) rd_kafka_message_destroy(p->aMsg[i]);
  p->iMsg = p->nMsg = 0;
  release_held(p);
  if (p->q) {
    rd_kafka_queue_io_event_enable(p->q, -1, NULL, 0);
    rd_kafka_queue_destroy(p->q);
  }
  if (p->rkt) rd_kafka_topic_destroy(p->rkt);
  if (p->rk) {
    if (p->bUserGroup) {
      rd_kafka_consumer_close(p->rk);
      rd_kafka_destroy(p->rk);
    } else {
      rd_kafka_destroy_flags(p->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    }
  }
  if (p->aPipe[0] >= 0) close(p->aPipe[0]);
  if (p->aPipe[1] >= 0) close(p->aPipe[1]);
  for (int i = 0; i < p->nPart; i++) common_free(p->aPart[i].zLabel);
  common_free(p->aPart);
  common_free(p->aHeld);
  conn_rd_clear(&p->rdVal);
  if (p->keyFmt) conn_rd_clear(&p->rdKey);
  common_free(p->aKeyCol);
  common_free(p->aValCol);
  common_free(p->aValNeeded);
  common_free(p->aKeyNeeded);
  common_free(p->valSch.azName);
  common_free(p->valSch.aType);
  common_free(p->keySch.azName);
  common_free(p->keySch.aType);
  common_free(p->vb.aCol);
  common_free(p->kb.aCol);
  common_free(p->zTopic);
  common_free(p->zName);
  common_free(p->zBootstrap);
  common_arena_free(&p->batchArena);
  common_arena_free(&p->heap);
  common_free(p);
}

/* Free the source; if handles are still closing, a job is running or we
** are inside our own callback, the memory goes when they are done. */
static void ksrc_free(exec_source *src) {
  kafka_src *p = (kafka_src *)src;
  if (!p->bStopped) ksrc_stop(src);
  if (p->nOpen > 0 || p->nInCb > 0) {
    p->bFreePending = 1;
    return;
  }
  ksrc_really_free(p);
}

static const exec_source_vtab ksrc_vtab = {ksrc_start, ksrc_stop, ksrc_free};

/* A view of batch b holding columns aCol[0..n) of it (same vectors). */
static void batch_view(exec_batch *v, const exec_batch *b, const int *aCol,
                       int n) {
  v->n = 0;
  v->nCol = n;
  v->aCol = common_calloc((size_t)n + 1, sizeof(exec_vec));
  for (int i = 0; i < n; i++) v->aCol[i] = b->aCol[aCol[i]];
  v->op = b->op;
  v->pHeap = b->pHeap;
}

/* A schema of the columns aCol[0..n) of sch (names borrowed). */
static void sub_schema(exec_schema *s, const exec_schema *sch, const int *aCol,
                       int n) {
  s->nCol = n;
  s->azName = common_calloc((size_t)n + 1, sizeof(char *));
  s->aType = common_calloc((size_t)n + 1, 1);
  for (int i = 0; i < n; i++) {
    s->azName[i] = sch->azName[aCol[i]];
    s->aType[i] = sch->aType[aCol[i]];
  }
}

/*
** Open a `kafka` source for options o (checked here too), schema sch (kept
** by reference) and needed columns aNeeded (copied; NULL = all). Creates
** the librdkafka consumer (which starts connecting in its own threads);
** nothing is assigned until xStart. Returns the source, or NULL with
** *pzErr.
*/
exec_source *conn_kafka_source_open(const conn_options *o,
                                    const exec_schema *sch,
                                    const uint8_t *aNeeded, char **pzErr) {
  if (conn_kafka_source_check(o, sch, pzErr)) return NULL;
  kafka_src *p = common_calloc(1, sizeof *p);
  p->base.vt = &ksrc_vtab;
  p->base.nPart = 1;
  p->sch = *sch;
  p->aPipe[0] = p->aPipe[1] = -1;
  p->iCurPart = -1;
  p->zTopic = common_strdup(conn_opt(o, "topic", ""));
  p->zBootstrap = common_strdup(
      conn_opt2(o, "bootstrap.servers", "properties.bootstrap.servers", ""));
  {
    char z[300];
    snprintf(z, sizeof z, "kafka source (topic %s)", p->zTopic);
    p->zName = common_strdup(z);
  }
  p->mode = startup_code(conn_opt2(o, "startup.mode", "scan.startup.mode", NULL));
  if (p->mode == KS_TIMESTAMP) startup_ts(o, &p->tsStartMs);
  const char *zB = conn_opt2(o, "bounded.mode", "scan.bounded.mode", "unbounded");
  p->bBounded = common_stricmp(zB, "unbounded") != 0;
  const char *zDisc = conn_opt2(o, "partition.discovery.ms",
                           "scan.topic-partition-discovery.interval", "5000");
  conn_parse_i64(zDisc, strlen(zDisc), &p->discoveryMs);
  p->boundedTimeoutMs =
      common_duration_us(conn_opt(o, "bounded.timeout", "30 s")) / 1000;
  if (p->boundedTimeoutMs <= 0) p->boundedTimeoutMs = 30000;
  p->fmt = conn_format_code(conn_opt2(o, "format", "value.format", "json"));

  /* Columns: key, metadata, value. */
  p->iTsCol = meta_col(o, "timestamp.column", sch, WEIR_TIMESTAMP, NULL);
  p->iPartCol = meta_col(o, "partition.column", sch, WEIR_BIGINT, NULL);
  p->iOffCol = meta_col(o, "offset.column", sch, WEIR_BIGINT, NULL);
  p->aKeyCol = common_calloc((size_t)sch->nCol + 1, sizeof(int));
  p->nKeyCol =
      key_fields(conn_opt(o, "key.fields", NULL), sch, p->aKeyCol, NULL);
  if (p->nKeyCol < 0) p->nKeyCol = 0;
  const char *zKf = conn_opt(o, "key.format", p->nKeyCol > 1 ? "json" : "raw");
  p->keyFmt = common_stricmp(zKf, "raw") == 0 ? 0 : conn_format_code(zKf);
  uint8_t *aSpecial = common_calloc((size_t)sch->nCol + 1, 1);
  for (int k = 0; k < p->nKeyCol; k++) aSpecial[p->aKeyCol[k]] = 1;
  if (p->iTsCol >= 0) aSpecial[p->iTsCol] = 1;
  if (p->iPartCol >= 0) aSpecial[p->iPartCol] = 1;
  if (p->iOffCol >= 0) aSpecial[p->iOffCol] = 1;
  p->aValCol = common_calloc((size_t)sch->nCol + 1, sizeof(int));
  int nVal = 0;
  for (int c = 0; c < sch->nCol; c++) {
    if (!aSpecial[c]) p->aValCol[nVal++] = c;
  }
  common_free(aSpecial);
  sub_schema(&p->valSch, sch, p->aValCol, nVal);
  sub_schema(&p->keySch, sch, p->aKeyCol, p->nKeyCol);
  p->aValNeeded = common_calloc((size_t)nVal + 1, 1);
  for (int i = 0; i < nVal; i++) {
    p->aValNeeded[i] = aNeeded ? aNeeded[p->aValCol[i]] : 1;
  }
  p->aKeyNeeded = common_calloc((size_t)p->nKeyCol + 1, 1);
  for (int i = 0; i < p->nKeyCol; i++) {
    p->aKeyNeeded[i] = aNeeded ? aNeeded[p->aKeyCol[i]] : 1;
  }
  int bFail =
      common_stricmp(conn_opt(o, "format.on-error", "skip"), "fail") == 0;
  const char *zDelim = conn_opt(o, "csv.delimiter", ",");
  conn_rd_init(&p->rdVal, &p->valSch, p->aValNeeded, p->fmt, &p->base);
  p->rdVal.bHeader = 0;
  p->rdVal.bFail = bFail;
  p->rdVal.cDelim = strcmp(zDelim, "\\t") == 0 ? '\t' : zDelim[0];
  if (p->keyFmt) {
    conn_rd_init(&p->rdKey, &p->keySch, p->aKeyNeeded, p->keyFmt, &p->base);
    p->rdKey.bHeader = 0;
    p->rdKey.bFail = bFail;
    p->rdKey.cDelim = p->rdVal.cDelim;
  }
  common_arena_init(&p->batchArena, 64 * 1024);
  common_arena_init(&p->heap, 64 * 1024);
  p->b = conn_batch_new(&p->batchArena, &p->sch);
  p->b->pHeap = &p->heap;
  batch_view(&p->vb, p->b, p->aValCol, nVal);
  batch_view(&p->kb, p->b, p->aKeyCol, p->nKeyCol);

  /* The consumer. */
  char zErr[512];
  rd_kafka_conf_t *conf = ks_conf(o, pzErr);
  if (!conf) goto fail;
  const char *zGroup = conn_opt2(o, "group.id", "properties.group.id", NULL);
  char zGen[64];
  p->bUserGroup = zGroup != NULL;
  if (!zGroup) {
    static int nGen = 0;
    snprintf(zGen, sizeof zGen, "weir-%d-%d", (int)getpid(), ++nGen);
    zGroup = zGen;
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", zErr, sizeof zErr);
  }
  rd_kafka_conf_set(conf, "group.id", zGroup, zErr, sizeof zErr);
  if (!conn_opt(o, "properties.auto.offset.reset", NULL)) {
    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", zErr, sizeof zErr);
  }
  if (p->bBounded) {
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", zErr, sizeof zErr);
  }
  if (!conn_opt(o, "properties.queued.min.messages", NULL)) {
    /* All partitions share one consumer queue, and librdkafka stops
    ** fetching while it holds queued.min.messages (default 100000): with
    ** many partitions the fetcher then idles between refills. 300000
    ** keeps it busy (about 130 MB of prefetched small messages). */
    rd_kafka_conf_set(conf, "queued.min.messages", "300000", zErr, sizeof zErr);
  }
  if (!conn_opt(o, "properties.fetch.wait.max.ms", NULL)) {
    rd_kafka_conf_set(conf, "fetch.wait.max.ms", "100", zErr, sizeof zErr);
  }
  if (!conn_opt(o, "properties.client.id", NULL)) {
    rd_kafka_conf_set(conf, "client.id", "weir", zErr, sizeof zErr);
  }
  rd_kafka_conf_set_error_cb(conf, on_rk_error);
  rd_kafka_conf_set_log_cb(conf, on_rk_log);
  rd_kafka_conf_set_opaque(conf, p);
  p->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, zErr, sizeof zErr);
  if (!p->rk) {
    conn_err(pzErr, "%s: %s", p->zName, zErr);
    goto fail;
  }
  rd_kafka_poll_set_consumer(p->rk);
  p->q = rd_kafka_queue_get_consumer(p->rk);
  p->rkt = rd_kafka_topic_new(p->rk, p->zTopic, NULL);
  if (!p->q || !p->rkt) {
    conn_err(pzErr, "%s: cannot create the consumer queue", p->zName);
    goto fail;
  }
  return &p->base;

fail:
  ksrc_really_free(p);
  return NULL;
}
