/*
** connectors/connectors.h — what the connectors offer: sources that turn
** the outside world (files, memory, later Kafka) into exec batches, sinks
** that write changelog batches out, and the record formats (CSV, JSON
** lines) shared by both.
**
** Last stage of the pipeline (parser -> planner -> exec -> connectors).
** Sources and sinks implement exec's exec_source / exec_sink interfaces;
** the engine opens them for a query's Read and Sink plan nodes.
**
** Bad input policy ('format.on-error' = 'skip' | 'fail', default skip):
** a malformed record is skipped and counted on the source (nBad) with
** "where: reason" in zLastBad and a log line on stderr; with 'fail' the
** source reports a fatal error naming the same place.
*/
#ifndef WEIR_CONNECTORS_H
#define WEIR_CONNECTORS_H

#include "exec/exec.h"

/* WITH (...) options of a CREATE statement, keys lower-cased. */
typedef struct conn_options {
  int n;
  const char *const *azKey;
  const char *const *azVal;
} conn_options;

/* Value of option zKey, or zDefault when absent. */
const char *conn_opt(const conn_options *o, const char *zKey,
                     const char *zDefault);

/* Check options of a source or sink definition at CREATE time, so a typo
** (unknown connector, missing path, bad format) is reported before any
** query runs. Returns 0, or 1 with *pzErr (common_free). */
int conn_source_check(const conn_options *o, const exec_schema *sch,
                      char **pzErr);
int conn_sink_check(const conn_options *o, char **pzErr);

/* Open a reader for a `file` source (kafka in a later issue): produces
** batches with the columns of sch; aNeeded[i] == 0 lets the reader skip
** parsing column i (it delivers NULLs there). The caller frees it with
** src->vt->xFree after xStop. */
exec_source *conn_source_open(const conn_options *o, const exec_schema *sch,
                              const uint8_t *aNeeded, char **pzErr);

/* ---- memory sources ---------------------------------------------------- */
/* A memory source is one hub per catalog entry; every query reading it
** subscribes, and a push reaches all subscribers as one batch. */
typedef struct conn_memory conn_memory;
conn_memory *conn_memory_new(const exec_schema *sch);
void conn_memory_free(conn_memory *m);
/* A subscriber reader (an exec_source); freed with its vt->xFree. */
exec_source *conn_memory_subscribe(conn_memory *m);
/* Deliver batch b (the hub's schema) to every started subscriber. */
void conn_memory_push(conn_memory *m, exec_batch *b);
/* ADVANCE WATERMARK OF src TO wm: tell every subscriber. */
void conn_memory_watermark(conn_memory *m, int64_t wm);
int64_t conn_memory_rows(const conn_memory *m);

/* ---- sinks -------------------------------------------------------------- */
/* Open a `file` sink (path, format = csv | json; json rows carry an "op"
** field). Freed with vt->xFree after xFlush. */
exec_sink *conn_sink_open(const conn_options *o, const exec_schema *sch,
                          char **pzErr);

/* ---- formats ------------------------------------------------------------ */
/* Append one row of b as CSV (RFC 4180 quoting) or as a JSON object
** (with "op" when bOp) plus '\n'. */
void conn_format_csv_row(common_buf *out, const exec_batch *b, int iRow);
void conn_format_json_row(common_buf *out, const exec_batch *b, int iRow,
                          const exec_schema *sch, int bOp);

/* The demo generator: game events into a memory source hub every ~100ms
** of real time (user_id, team, score, ts with up to 5 s disorder). */
typedef struct conn_demo conn_demo;
conn_demo *conn_demo_start(uv_loop_t *loop, conn_memory *m,
                           exec_clock *clock);
void conn_demo_stop(conn_demo *d);

/* ---- kafka (kafka_source.c, kafka_sink.c, kafka_dev.c) ----------------- */
/* conn_sink_open with the query's unique key: aKeyCol[0..nKeyCol) are
** columns of sch (exec_plan.aSinkKey of the PLAN_SINK). A kafka sink uses
** them as the message key ('upsert' requires them); file sinks ignore
** them. */
exec_sink *conn_sink_open_keyed(const conn_options *o, const exec_schema *sch,
                                int nKeyCol, const int *aKeyCol,
                                char **pzErr);
/* `weir kafka-dev [--port P] [--partitions N] [--topic T]...`: run
** librdkafka's mock cluster as a local broker until SIGINT/SIGTERM,
** printing "bootstrap.servers=HOST:PORT" on stdout. Returns the exit
** status. */
int conn_kafka_dev_main(int argc, char **argv);

#endif
