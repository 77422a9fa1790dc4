/*
** connectors/kafka_sink.c — the `kafka` sink (work in progress).
*/
#include "connectors/kafka_int.h"

/* Check the options of a kafka sink definition. */
int conn_kafka_sink_check(const conn_options *o, char **pzErr) {
  (void)o;
  (void)pzErr;
  return 0;
}

/* Open a kafka sink (not yet). */
exec_sink *conn_kafka_sink_open(const conn_options *o, const exec_schema *sch,
                                int nKeyCol, const int *aKeyCol,
                                char **pzErr) {
  (void)o, (void)sch, (void)nKeyCol, (void)aKeyCol;
  if (pzErr) *pzErr = common_strdup("kafka sink not available yet");
  return NULL;
}
