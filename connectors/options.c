/*
** connectors/options.c — the WITH (...) options of sources and sinks:
** lookup, validation at CREATE time, and the dispatch from a source
** definition to the connector that reads it.
**
** Known connectors: 'file' (sources and sinks), 'memory' (sources; the
** engine subscribes to the hub itself), 'kafka' (sources and sinks; their
** options are checked and opened by kafka_source.c / kafka_sink.c).
** Unknown keys are errors (with a "did you mean" hint) so a typo is caught
** before any query runs; kafka's librdkafka settings go in 'properties.*'
** and are checked against librdkafka.
*/
#include <string.h>

#include "connectors/conn_internal.h"
#include "connectors/kafka_int.h"

/* Keys a file source / file sink / memory source understands. */
static const char *const azFileSrcKey[] = {
    "connector",       "path",          "format",     "follow",
    "format.on-error", "csv.delimiter", "csv.header", "idle.timeout",
    "idle.advance",    NULL};
static const char *const azFileSinkKey[] = {
    "connector",     "path",       "format", "sink.mode",
    "csv.delimiter", "csv.header", NULL};
static const char *const azMemoryKey[] = {"connector", "format.on-error",
                                          "idle.timeout", "idle.advance",
                                          NULL};

/*
** Return the value of option zKey (compared case-insensitively; keys are
** lower-cased by the parser anyway) in o, or zDefault when it is absent.
** The result points into o (or is zDefault); nothing to free.
*/
const char *conn_opt(const conn_options *o, const char *zKey,
                     const char *zDefault) {
  if (!o) return zDefault;
  for (int i = o->n - 1; i >= 0; i--) {
    if (o->azKey[i] && common_stricmp(o->azKey[i], zKey) == 0) {
      return o->azVal[i] ? o->azVal[i] : zDefault;
    }
  }
  return zDefault;
}

/*
** Map a format name to CONN_FMT_CSV / CONN_FMT_JSON, or 0 if unknown.
*/
int conn_format_code(const char *zFormat) {
  if (!zFormat) return 0;
  if (common_stricmp(zFormat, "csv") == 0) return CONN_FMT_CSV;
  if (common_stricmp(zFormat, "json") == 0) return CONN_FMT_JSON;
  return 0;
}

/* Set *pzErr (when not NULL) to a formatted message; returns 1. */
int conn_err(char **pzErr, const char *zFmt, ...) {
  if (pzErr) {
    va_list ap;
    va_start(ap, zFmt);
    *pzErr = common_vmprintf(zFmt, ap);
    va_end(ap);
  }
  return 1;
}

/* Every key of o must be in azKnown (or, with zPassPrefix, start with it:
** kafka's "properties."); otherwise an error naming the key and the
** closest known one, plus zHint when given. */
int conn_check_keys(const conn_options *o, const char *const *azKnown,
                    const char *zWhat, const char *zPassPrefix,
                    const char *zHint, char **pzErr) {
  for (int i = 0; o && i < o->n; i++) {
    const char *zKey = o->azKey[i];
    const char *zBest = NULL;
    int dBest = 1000;
    int bFound = 0;
    if (zPassPrefix &&
        common_strnicmp(zKey, zPassPrefix, strlen(zPassPrefix)) == 0) {
      continue;
    }
    for (int j = 0; azKnown[j] && !bFound; j++) {
      if (common_stricmp(zKey, azKnown[j]) == 0) bFound = 1;
      int d = common_edit_distance(zKey, azKnown[j]);
      if (d < dBest) {
        dBest = d;
        zBest = azKnown[j];
      }
    }
    if (bFound) continue;
    if (zBest && dBest <= 3) {
      return conn_err(pzErr, "unknown option '%s' for %s (did you mean "
                      "'%s'?%s%s)", zKey, zWhat, zBest, zHint ? " " : "",
                      zHint ? zHint : "");
    }
    return conn_err(pzErr, "unknown option '%s' for %s%s%s%s", zKey, zWhat,
                    zHint ? " (" : "", zHint ? zHint : "", zHint ? ")" : "");
  }
  return 0;
}

/* Check 'true' / 'false' valued option zKey. */
static int check_bool(const conn_options *o, const char *zKey, char **pzErr) {
  const char *z = conn_opt(o, zKey, NULL);
  if (z && common_stricmp(z, "true") && common_stricmp(z, "false")) {
    return conn_err(pzErr, "option '%s' must be 'true' or 'false', not '%s'",
                   zKey, z);
  }
  return 0;
}

/* Check the format-related options shared by file sources and sinks. */
static int check_format(const conn_options *o, char **pzErr) {
  const char *zFmt = conn_opt(o, "format", NULL);
  if (!zFmt) {
    return conn_err(pzErr, "option 'format' is required ('csv' or 'json')");
  }
  if (!conn_format_code(zFmt)) {
    return conn_err(pzErr, "unknown format '%s' (expected 'csv' or 'json')",
                   zFmt);
  }
  const char *zDelim = conn_opt(o, "csv.delimiter", NULL);
  if (zDelim && strlen(zDelim) != 1 && strcmp(zDelim, "\\t") != 0) {
    return conn_err(pzErr,
                   "option 'csv.delimiter' must be one character, "
                   "not '%s'",
                   zDelim);
  }
  if (zDelim && (zDelim[0] == '"' || zDelim[0] == '\n' || zDelim[0] == '\r')) {
    return conn_err(pzErr, "option 'csv.delimiter' cannot be '%s'", zDelim);
  }
  return check_bool(o, "csv.header", pzErr);
}

/*
** Check 'idle.timeout' (a duration, see common_duration_us) and
** 'idle.advance' ('true' or 'false'), which every source may carry (the
** planner reads them). Returns 0, or 1 with *pzErr.
*/
int conn_check_idle(const conn_options *o, char **pzErr) {
  const char *z = conn_opt(o, "idle.timeout", NULL);
  if (z && common_duration_us(z) < 0) {
    return conn_err(pzErr,
                    "option 'idle.timeout' must be a duration like '5 s' or "
                    "'500 ms', not '%s'",
                    z);
  }
  return check_bool(o, "idle.advance", pzErr);
}

/* Check 'format.on-error'. */
static int check_on_error(const conn_options *o, char **pzErr) {
  const char *z = conn_opt(o, "format.on-error", NULL);
  if (z && common_stricmp(z, "skip") && common_stricmp(z, "fail")) {
    return conn_err(pzErr,
                   "option 'format.on-error' must be 'skip' or "
                   "'fail', not '%s'",
                   z);
  }
  return 0;
}

/*
** Check the options of a source definition (CREATE SOURCE ... WITH).
** Returns 0, or 1 with *pzErr set (free with common_free).
*/
int conn_source_check(const conn_options *o, const exec_schema *sch,
                      char **pzErr) {
  /* Without 'connector' a source is a memory one (as the engine has it). */
  const char *zConn = conn_opt(o, "connector", "memory");
  if (common_stricmp(zConn, "file") == 0) {
    if (conn_check_keys(o, azFileSrcKey, "connector 'file'", NULL, NULL,
                        pzErr)) {
      return 1;
    }
    const char *zPath = conn_opt(o, "path", NULL);
    if (!zPath || !zPath[0]) {
      return conn_err(pzErr, "option 'path' is required for connector 'file'");
    }
    if (check_format(o, pzErr) || check_on_error(o, pzErr)) return 1;
    if (conn_check_idle(o, pzErr)) return 1;
    return check_bool(o, "follow", pzErr);
  }
  if (common_stricmp(zConn, "memory") == 0) {
    if (conn_check_keys(o, azMemoryKey, "connector 'memory'", NULL, NULL,
                        pzErr)) {
      return 1;
    }
    if (conn_check_idle(o, pzErr)) return 1;
    return check_on_error(o, pzErr);
  }
  if (common_stricmp(zConn, "kafka") == 0) {
    return conn_kafka_source_check(o, sch, pzErr);
  }
  (void)sch;
  return conn_err(pzErr,
                 "unknown connector '%s' (expected 'file', 'memory' "
                 "or 'kafka')",
                 zConn);
}

/*
** Check the options of a sink definition (CREATE SINK ... WITH).
** Returns 0, or 1 with *pzErr set (free with common_free).
*/
int conn_sink_check(const conn_options *o, char **pzErr) {
  const char *zConn = conn_opt(o, "connector", NULL);
  if (!zConn) {
    return conn_err(pzErr,
                   "option 'connector' is required ('file' or "
                   "'kafka')");
  }
  if (common_stricmp(zConn, "file") == 0) {
    if (conn_check_keys(o, azFileSinkKey, "connector 'file'", NULL, NULL,
                        pzErr)) {
      return 1;
    }
    const char *zPath = conn_opt(o, "path", NULL);
    if (!zPath || !zPath[0]) {
      return conn_err(pzErr, "option 'path' is required for connector 'file'");
    }
    if (check_format(o, pzErr)) return 1;
    const char *zMode = conn_opt(o, "sink.mode", NULL);
    if (zMode && common_stricmp(zMode, "append") &&
        common_stricmp(zMode, "overwrite")) {
      return conn_err(pzErr,
                     "option 'sink.mode' must be 'append' or "
                     "'overwrite', not '%s'",
                     zMode);
    }
    return 0;
  }
  if (common_stricmp(zConn, "kafka") == 0) {
    return conn_kafka_sink_check(o, pzErr);
  }
  return conn_err(pzErr,
                 "unknown sink connector '%s' (expected 'file' or "
                 "'kafka')",
                 zConn);
}

/*
** Open a reader for a source definition: 'file' sources are opened here;
** 'memory' sources go through conn_memory_subscribe (the engine owns the
** hub); 'kafka' sources by kafka_source.c. Returns the source (freed by the
** caller with vt->xFree after xStop), or NULL with *pzErr set.
*/
exec_source *conn_source_open(const conn_options *o, const exec_schema *sch,
                              const uint8_t *aNeeded, char **pzErr) {
  if (conn_source_check(o, sch, pzErr)) return NULL;
  const char *zConn = conn_opt(o, "connector", "");
  if (common_stricmp(zConn, "file") == 0) {
    return conn_file_source_open(o, sch, aNeeded, pzErr);
  }
  if (common_stricmp(zConn, "kafka") == 0) {
    return conn_kafka_source_open(o, sch, aNeeded, pzErr);
  }
  conn_err(pzErr, "memory sources are read through conn_memory_subscribe");
  return NULL;
}
