/*
** connectors/kafka_int.h — what the Kafka files of connectors/ share:
** the source (kafka_source.c), the sink (kafka_sink.c) and the local
** mock broker runner (kafka_dev.c). The dispatch in options.c and
** file_sink.c reaches them through these functions.
*/
#ifndef WEIR_KAFKA_INT_H
#define WEIR_KAFKA_INT_H

#include <librdkafka/rdkafka.h>

#include "connectors/conn_internal.h"

/* Check the options of a kafka source / sink (called by
** conn_source_check / conn_sink_check). Returns 0, or 1 with *pzErr. */
int conn_kafka_source_check(const conn_options *o, const exec_schema *sch,
                            char **pzErr);
int conn_kafka_sink_check(const conn_options *o, char **pzErr);

/* Open a `kafka` source for options o (already checked) and schema sch
** (kept by reference: it must outlive the source). Returns the source
** (freed with vt->xFree after xStop), or NULL with *pzErr. */
exec_source *conn_kafka_source_open(const conn_options *o,
                                    const exec_schema *sch,
                                    const uint8_t *aNeeded, char **pzErr);

/* Open a `kafka` sink writing rows of schema sch; aKeyCol[0..nKeyCol)
** are the columns of the query's unique key (the message key; required
** by format 'upsert'). Returns the sink, or NULL with *pzErr. */
exec_sink *conn_kafka_sink_open(const conn_options *o, const exec_schema *sch,
                                int nKeyCol, const int *aKeyCol, char **pzErr);

/* Pass every 'properties.*' option of o to conf (kafka_source.c).
** Returns 0, or 1 with *pzErr. */
int conn_kafka_conf_properties(rd_kafka_conf_t *conf, const conn_options *o,
                               char **pzErr);

/* The first present of two option spellings, else zDefault. */
const char *conn_opt2(const conn_options *o, const char *zA, const char *zB,
                      const char *zDefault);
/* A librdkafka configuration: bootstrap.servers from o, then the key/value
** pairs of azDefault (NULL-terminated; may be NULL), then every
** 'properties.*' option (which thus override the defaults). NULL with
** *pzErr when librdkafka refuses a setting. */
rd_kafka_conf_t *conn_kafka_conf_new(const conn_options *o,
                                     const char *const *azDefault,
                                     char **pzErr);

#endif
