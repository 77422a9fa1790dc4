/*
** server/api.c — the routes of `weir serve` (docs/server.md):
**
**   POST   /v1/statements           run SQL (DDL, INSERT, SET, queries)
**   GET    /v1/queries              queries of the engine
**   GET    /v1/queries/{id}         state and counters of one
**   DELETE /v1/queries/{id}         stop it
**   GET    /v1/queries/{id}/changes its changelog as SSE (snapshot first)
**   GET    /v1/views                materialized views
**   GET    /v1/views/{name}         a materialized view's contents
**   GET    /v1/views/{name}/changes its changelog as SSE (snapshot first)
**   GET    /metrics                 Prometheus text
**   GET    /, /app.js, /style.css   the dashboard
**
** Queries started here deliver their rows to callbacks that keep each
** query's result in a weir_table (so a late subscriber's snapshot is the
** table now) and format each change once for the query's feed. With
** --state-dir, statements that change the catalog (CREATE, DROP) are
** appended to DIR/catalog.sql and replayed at the next start.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"

/* What one POST /v1/statements collects from the callbacks. */
typedef struct exec_ctx {
  json_t *aResult; /* one object per message or query */
  int bOwned;      /* ?owned=1: its queries belong to their first stream */
} exec_ctx;

static exec_ctx *g_pExec; /* the POST being served (one at a time) */

/* ---- server queries ---------------------------------------------------- */

static int query_number(const char *zName) {
  if (!zName || (zName[0] != 'q' && zName[0] != 'Q')) return -1;
  char *zEnd;
  long n = strtol(zName + 1, &zEnd, 10);
  if (*zEnd || n <= 0 || n > 100000000) return -1;
  return (int)n;
}

static srv_query *query_get(srv_server *s, const char *zName) {
  int n = query_number(zName);
  return n > 0 && n < s->nQuery ? s->apQuery[n] : NULL;
}

static const char *state_name(int st) {
  switch (st) {
    case 1:
      return "running";
    case 2:
      return "finished";
    case 3:
      return "stopped";
    case 4:
      return "failed";
  }
  return "unknown";
}


static void cb_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names, const weir_type *col_types) {
  srv_server *s = arg;
  int n = query_number(name);
  if (n <= 0) return;
  if (n >= s->nQuery) {
    int nNew = n * 2 + 16;
    s->apQuery = common_realloc(s->apQuery, sizeof(srv_query *) * nNew);
    memset(s->apQuery + s->nQuery, 0,
           sizeof(srv_query *) * (size_t)(nNew - s->nQuery));
    s->nQuery = nNew;
  }
  srv_query *sq = common_calloc(1, sizeof(*sq));
  snprintf(sq->zId, sizeof sq->zId, "%s", name);
  sq->q = q;
  sq->pTable = weir_table_new(ncol, col_names, col_types);
  srv_feed_init(&sq->feed, s, 0, name);
  sq->feed.pQuery = sq;
  s->apQuery[n] = sq;
  if (g_pExec) {
    sq->bOwned = g_pExec->bOwned;
    json_array_append_new(
        g_pExec->aResult,
        json_pack("{s:s, s:s, s:o}", "kind", "query", "id", name, "columns",
                  srv_columns_json(ncol, col_names, col_types)));
  }
}

/* The data of a change event: {"op":"+I","row":[...]}. */
static char *change_json(weir_op op, int ncol, const weir_value *values) {
  json_t *j = json_pack("{s:s, s:o}", "op", weir_op_name(op), "row",
                        srv_row_json(ncol, values));
  char *z = srv_json_text(j);
  json_decref(j);
  return z;
}

static void cb_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  srv_server *s = arg;
  srv_query *sq = query_get(s, weir_query_name(q));
  if (!sq) return;
  weir_table_apply(sq->pTable, op, ncol, values);
  if (sq->feed.nSubs) {
    char *z = change_json(op, ncol, values);
    srv_feed_event(&sq->feed, "change", z);
    free(z);
  } else {
    sq->feed.nSeq++;
  }
}

static char *end_json(int st, const char *zErr, const char *zReason) {
  json_t *j = json_pack("{s:s}", "state", state_name(st));
  if (zErr) json_object_set_new(j, "error", json_string(zErr));
  if (zReason) json_object_set_new(j, "reason", json_string(zReason));
  char *z = srv_json_text(j);
  json_decref(j);
  return z;
}

static void cb_end(void *arg, weir_query *q, const weir_error *err) {
  srv_server *s = arg;
  srv_query *sq = query_get(s, weir_query_name(q));
  if (!sq || sq->bEnded) return;
  sq->bEnded = 1;
  if (err && err->message) sq->zErr = common_strdup(err->message);
  char *z = end_json(weir_query_state(q), sq->zErr, NULL);
  srv_feed_end(&sq->feed, z);
  free(z);
}

static void cb_message(void *arg, const char *text) {
  if (!g_pExec) return;
  json_array_append_new(
      g_pExec->aResult,
      json_pack("{s:s, s:s}", "kind", "message", "message", text));
}

static weir_callbacks server_callbacks(srv_server *s) {
  weir_callbacks cb = {s, cb_start, cb_row, cb_end, cb_message};
  return cb;
}

/* ---- table snapshots as JSON --------------------------------------------- */

typedef struct rows_ctx {
  json_t *aRows;
  json_t *aCols;
} rows_ctx;

static void rows_add(void *arg, int ncol, const weir_value *values) {
  rows_ctx *r = arg;
  json_array_append_new(r->aRows, srv_row_json(ncol, values));
}

/* {"columns":[...],"rows":[[...],...]} of a weir_table. */
static json_t *table_json(const weir_table *t) {
  int n = weir_table_ncol(t);
  const char **az = common_calloc((size_t)n + 1, sizeof(char *));
  weir_type *aT = common_calloc((size_t)n + 1, sizeof(weir_type));
  for (int i = 0; i < n; i++) {
    az[i] = weir_table_col_name(t, i);
    aT[i] = weir_table_col_type(t, i);
  }
  rows_ctx r = {json_array(), srv_columns_json(n, az, aT)};
  common_free(az);
  common_free(aT);
  weir_table_scan(t, rows_add, &r);
  return json_pack("{s:o, s:o}", "columns", r.aCols, "rows", r.aRows);
}

static void snap_start(void *arg, weir_query *q, const char *name, int ncol,
                       const char *const *col_names,
                       const weir_type *col_types) {
  rows_ctx *r = arg;
  r->aCols = srv_columns_json(ncol, col_names, col_types);
}

static void snap_row(void *arg, weir_query *q, weir_op op, int ncol,
                     const weir_value *values) {
  rows_add(arg, ncol, values);
}

/* A materialized view's contents as JSON, or NULL (err filled). */
static json_t *view_json(srv_server *s, const char *zView, weir_error *err) {
  rows_ctx r = {json_array(), NULL};
  weir_callbacks cb = {&r, snap_start, snap_row, NULL, NULL};
  if (weir_view_snapshot(s->pEngine, zView, &cb, err)) {
    json_decref(r.aRows);
    return NULL;
  }
  if (!r.aCols) r.aCols = json_array();
  return json_pack("{s:s, s:o, s:o}", "name", zView, "columns", r.aCols, "rows",
                   r.aRows);
}

/* ---- view feeds ---------------------------------------------------------- */

static void vf_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  srv_feed *f = arg;
  if (!f->pSub) return; /* the subscription's own snapshot */
  if (!f->nSubs) {
    f->nSeq++;
    return;
  }
  char *z = change_json(op, ncol, values);
  srv_feed_event(f, "change", z);
  free(z);
}

static void vf_end(void *arg, weir_query *q, const weir_error *err) {
  srv_feed *f = arg;
  if (!f->pSub) return;
  /* Ended with no view of that name left: DROP VIEW ended it. */
  int bDropped = !weir_view_query(f->pSrv->pEngine, f->zName);
  char *z = end_json(q ? weir_query_state(q) : 3,
                     err && err->message ? err->message : NULL,
                     bDropped ? "view dropped" : NULL);
  srv_feed_end(f, z);
  free(z);
}

static srv_feed *view_feed(srv_server *s, const char *zView, weir_error *err) {
  srv_feed **pp = &s->pViewFeeds;
  while (*pp) {
    srv_feed *f = *pp;
    if (!common_stricmp(f->zName, zView)) {
      if (!f->bEnded) return f;
      /* The view ended (dropped, perhaps re-created): start over. */
      *pp = f->pNext;
      weir_view_unsubscribe(s->pEngine, f->pSub);
      srv_feed_clear(f);
      common_free(f);
      break;
    }
    pp = &f->pNext;
  }
  srv_feed *f = common_calloc(1, sizeof(*f));
  srv_feed_init(f, s, 1, zView);
  weir_callbacks cb = {f, NULL, vf_row, vf_end, NULL};
  weir_view_sub *pSub = NULL;
  if (weir_view_subscribe(s->pEngine, zView, &cb, &pSub, err)) {
    srv_feed_clear(f);
    common_free(f);
    return NULL;
  }
  f->pSub = pSub;
  f->pNext = s->pViewFeeds;
  s->pViewFeeds = f;
  return f;
}

/* ---- state dir ------------------------------------------------------------
 */

static const char *skip_space(const char *z) {
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      z = e ? e + 2 : z + strlen(z);
    } else {
      return z;
    }
  }
}

static int changes_catalog(const char *z, size_t n) {
  return (n >= 6 && !common_strnicmp(z, "CREATE", 6)) ||
         (n >= 4 && !common_strnicmp(z, "DROP", 4));
}

/* The live catalog as the CREATE statements that made it, in order: what
** DIR/catalog.sql holds. A DROP removes the CREATE of its name. */
typedef struct cat_entry {
  char *zName; /* the object's name, lower-cased unless quoted */
  char *zSql;  /* the CREATE statement, ';'-terminated */
} cat_entry;
static cat_entry *g_aCat;
static int g_nCat;

/* The name of the object CREATE/DROP statement z names, or NULL. */
static char *catalog_name(const char *z, size_t n) {
  static const char *const azSkip[] = {
      "CREATE", "DROP", "OR", "REPLACE", "MATERIALIZED", "TEMPORARY",
      "SOURCE", "SINK", "VIEW", "TABLE", "STREAM", "IF", "NOT", "EXISTS",
      NULL};
  const char *e = z + n;
  for (;;) {
    while (z < e && (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r'))
      z++;
    const char *w = z;
    if (z < e && *z == '"') {
      const char *q = memchr(z + 1, '"', (size_t)(e - z - 1));
      return q ? common_strndup(z + 1, (size_t)(q - z - 1)) : NULL;
    }
    while (z < e && (isalnum((unsigned char)*z) || *z == '_')) z++;
    if (z == w) return NULL;
    int bSkip = 0;
    for (int i = 0; azSkip[i]; i++)
      if (strlen(azSkip[i]) == (size_t)(z - w) &&
          !common_strnicmp(w, azSkip[i], (size_t)(z - w)))
        bSkip = 1;
    if (!bSkip) {
      char *zName = common_strndup(w, (size_t)(z - w));
      for (char *p = zName; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
      return zName;
    }
  }
}

/* Rewrite DIR/catalog.sql with the live catalog: a temporary file,
** fsync'd, renamed over the old one (a crash leaves one or the other). */
static void state_write(srv_server *s) {
  char zPath[4096], zTmp[4200];
  snprintf(zPath, sizeof zPath, "%s/catalog.sql", s->cfg.zStateDir);
  snprintf(zTmp, sizeof zTmp, "%s.tmp", zPath);
  FILE *f = fopen(zTmp, "w");
  if (!f) {
    fprintf(stderr, "weir serve: cannot write %s\n", zTmp);
    return;
  }
  for (int i = 0; i < g_nCat; i++) fprintf(f, "%s\n", g_aCat[i].zSql);
  int bOk = fflush(f) == 0 && fsync(fileno(f)) == 0;
  bOk = fclose(f) == 0 && bOk;
  if (!bOk || rename(zTmp, zPath)) {
    fprintf(stderr, "weir serve: cannot write %s\n", zPath);
    unlink(zTmp);
  }
}

/* Note a CREATE or DROP that succeeded; rewrite the file if bWrite. */
static void state_note(srv_server *s, const char *z, size_t n, int bWrite) {
  if (!s->cfg.zStateDir) return;
  char *zName = catalog_name(z, n);
  if (!zName) return;
  int bCreate = !common_strnicmp(z, "CREATE", 6);
  int i;
  for (i = 0; i < g_nCat && strcmp(g_aCat[i].zName, zName); i++) {
  }
  if (i < g_nCat) {
    /* DROP, or CREATE OR REPLACE: the old definition goes. */
    common_free(g_aCat[i].zName);
    common_free(g_aCat[i].zSql);
    memmove(&g_aCat[i], &g_aCat[i + 1], sizeof(cat_entry) * (size_t)(g_nCat - i - 1));
    g_nCat--;
  }
  if (bCreate) {
    g_aCat = common_realloc(g_aCat, sizeof(cat_entry) * (size_t)(g_nCat + 1));
    while (n && (z[n - 1] == ';' || z[n - 1] == ' ' || z[n - 1] == '\n' ||
                 z[n - 1] == '\r' || z[n - 1] == '\t'))
      n--;
    g_aCat[g_nCat].zName = zName;
    g_aCat[g_nCat].zSql = common_mprintf("%.*s;", (int)n, z);
    g_nCat++;
  } else {
    common_free(zName);
  }
  if (bWrite) state_write(s);
}

static void state_append(srv_server *s, const char *z, size_t n) {
  state_note(s, z, n, 1);
}

void srv_state_load(srv_server *s) {
  if (!s->cfg.zStateDir) return;
  mkdir(s->cfg.zStateDir, 0755);
  char zPath[4096];
  snprintf(zPath, sizeof zPath, "%s/catalog.sql", s->cfg.zStateDir);
  FILE *f = fopen(zPath, "r");
  if (!f) return;
  common_buf b;
  common_buf_init(&b);
  char a[4096];
  size_t n;
  while ((n = fread(a, 1, sizeof a, f)) > 0) common_buf_append(&b, a, n);
  fclose(f);
  weir_callbacks cb = server_callbacks(s);
  const char *z = b.z ? b.z : "";
  int nOk = 0, nErr = 0;
  while (*skip_space(z)) {
    const char *zStart = skip_space(z);
    const char *zTail = NULL;
    weir_error err = {0};
    s->bInExec = 1;
    int rc = weir_exec(s->pEngine, zStart, &zTail, 0, &cb, &err);
    s->bInExec = 0;
    if (rc) {
      fprintf(stderr, "weir serve: %s: %s\n", zPath, err.message);
      nErr++;
    } else {
      nOk++;
      if (zTail && zTail > zStart &&
          changes_catalog(zStart, (size_t)(zTail - zStart)))
        state_note(s, zStart, (size_t)(zTail - zStart), 0);
    }
    weir_error_clear(&err);
    if (!zTail || zTail <= zStart) break;
    z = zTail;
  }
  /* Compact a file written by an older server (CREATE ... DROP pairs). */
  state_write(s);
  fprintf(stderr, "weir serve: restored %d statements from %s%s\n", nOk, zPath,
          nErr ? " (some failed)" : "");
  common_buf_free(&b);
}

/* ---- --demo -------------------------------------------------------------- */

void srv_demo_start(srv_server *s) {
  static const char zViews[] =
      "CREATE MATERIALIZED VIEW team_totals AS "
      "SELECT team, SUM(score) AS total, COUNT(*) AS events FROM scores "
      "GROUP BY team;"
      "CREATE MATERIALIZED VIEW scores_10s AS "
      "SELECT window_start, team, SUM(score) AS total "
      "FROM TUMBLE(scores, ts, INTERVAL '10' SECOND) "
      "GROUP BY window_start, window_end, team EMIT CHANGES;";
  weir_error err = {0};
  weir_callbacks cb = server_callbacks(s);
  const char *z = zViews;
  int rc = weir_demo_start(s->pEngine, &err);
  while (!rc && *skip_space(z)) {
    const char *zTail = NULL;
    rc = weir_exec(s->pEngine, z, &zTail, 0, &cb, &err);
    if (!zTail || zTail <= z) break;
    z = zTail;
  }
  if (rc) fprintf(stderr, "weir serve: --demo: %s\n", err.message);
  else fprintf(stderr, "weir serve: demo source scores is live; views "
               "team_totals, scores_10s\n");
  weir_error_clear(&err);
}

/* ---- POST /v1/statements ------------------------------------------------- */

static const char *code_name(int rc) {
  switch (rc) {
    case WEIR_SYNTAX:
      return "syntax";
    case WEIR_PLAN:
      return "plan";
    case WEIR_RUNTIME:
      return "runtime";
    default:
      return "error";
  }
}

/* Is ?zName=1 (or =true) in the query string zQuery? */
static int query_flag(const char *zQuery, const char *zName) {
  size_t n = strlen(zName);
  for (const char *p = zQuery; p && *p;) {
    if (!strncmp(p, zName, n) && p[n] == '=')
      return !strncmp(p + n + 1, "1", 1) || !strncmp(p + n + 1, "true", 4);
    p = strchr(p, '&');
    if (p) p++;
  }
  return 0;
}

/* The highest N of the engine's queries "qN" (0 when none). */
static int query_max_number(srv_server *s) {
  int nMax = 0;
  for (weir_query *q = weir_query_next(s->pEngine, NULL); q;
       q = weir_query_next(s->pEngine, q)) {
    int n = query_number(weir_query_name(q));
    if (n > nMax) nMax = n;
  }
  return nMax;
}

static void post_statements(srv_conn *c) {
  srv_server *s = srv_conn_server(c);
  int bOwned = query_flag(srv_req_query(c), "owned");
  size_t nBody;
  const char *zBody = srv_req_body(c, &nBody);
  char *zSql = NULL;
  if (memchr(zBody, 0, nBody)) {
    srv_respond_error(c, 400, "bad_request", "body contains a NUL byte");
    return;
  }
  const char *p = skip_space(zBody);
  if (*p == '{') {
    json_error_t je;
    json_t *j = json_loadb(zBody, nBody, 0, &je);
    const char *z = j ? json_string_value(json_object_get(j, "sql")) : NULL;
    if (!z) {
      json_decref(j);
      srv_respond_error(c, 400, "bad_request",
                        "expected SQL text or {\"sql\": \"...\"}%s%s",
                        j ? "" : ": ", j ? "" : je.text);
      return;
    }
    zSql = common_strdup(z);
    json_t *o = json_object_get(j, "owned");
    bOwned = json_is_true(o) || (json_is_integer(o) && json_integer_value(o));
    json_decref(j);
  } else {
    zSql = common_strndup(zBody, nBody);
  }
  if (!*skip_space(zSql)) {
    common_free(zSql);
    srv_respond_error(c, 400, "bad_request", "no SQL statement in the body");
    return;
  }
  exec_ctx x = {json_array(), bOwned};
  weir_callbacks cb = server_callbacks(s);
  const char *z = zSql;
  json_t *pErr = NULL;
  int iQueryFrom = 0;
  int nBefore = query_max_number(s);
  while (*skip_space(z)) {
    const char *zStart = skip_space(z);
    const char *zTail = NULL;
    weir_error err = {0};
    g_pExec = &x;
    s->bInExec = 1;
    int rc = weir_exec(s->pEngine, zStart, &zTail, 0, &cb, &err);
    s->bInExec = 0;
    g_pExec = NULL;
    if (rc) {
      /* Positions are relative to zStart: make them the body's. */
      int iLine0 = 1, iCol0 = 1;
      for (const char *q = zSql; q < zStart; q++) {
        if (*q == '\n')
          iLine0++, iCol0 = 1;
        else
          iCol0++;
      }
      pErr = json_pack("{s:s, s:s}", "code", code_name(rc), "message",
                       err.message ? err.message : "error");
      if (err.line > 0) {
        int iLine = err.line + iLine0 - 1;
        int iCol = err.line == 1 ? err.column + iCol0 - 1 : err.column;
        json_object_set_new(pErr, "line", json_integer(iLine));
        json_object_set_new(pErr, "column", json_integer(iCol));
        /* Re-render the message's position against the whole body. */
        if (iLine != err.line || iCol != err.column) {
          char zOld[64];
          snprintf(zOld, sizeof zOld, "line %d, column %d", err.line,
                   err.column);
          const char *m = strstr(err.message, zOld);
          if (m) {
            common_buf b;
            common_buf_init(&b);
            common_buf_printf(&b, "%.*sline %d, column %d%s",
                              (int)(m - err.message), err.message, iLine, iCol,
                              m + strlen(zOld));
            json_object_set_new(pErr, "message", json_string(b.z));
            common_buf_free(&b);
          }
        }
      }
      weir_error_clear(&err);
      break;
    }
    weir_error_clear(&err);
    if (!zTail || zTail <= zStart) zTail = zStart + strlen(zStart);
    if (changes_catalog(zStart, (size_t)(zTail - zStart)))
      state_append(s, zStart, (size_t)(zTail - zStart));
    z = zTail;
  }
  /* Queries: state now, and the rows of those that already ended. */
  json_t *pFirstId = NULL;
  for (size_t i = (size_t)iQueryFrom; i < json_array_size(x.aResult); i++) {
    json_t *o = json_array_get(x.aResult, i);
    const char *zKind = json_string_value(json_object_get(o, "kind"));
    if (!zKind || strcmp(zKind, "query")) continue;
    const char *zId = json_string_value(json_object_get(o, "id"));
    srv_query *sq = query_get(s, zId);
    if (!pFirstId) pFirstId = json_string(zId);
    if (!sq) continue;
    int st = weir_query_state(sq->q);
    json_object_set_new(o, "state", json_string(state_name(st)));
    if (st != 1) {
      json_t *t = table_json(sq->pTable);
      json_object_set(o, "rows", json_object_get(t, "rows"));
      json_decref(t);
      if (sq->zErr) json_object_set_new(o, "error", json_string(sq->zErr));
    }
  }
  /* The first query started, sink pipelines (no callbacks) included. */
  int nFirst = 0;
  for (weir_query *q = weir_query_next(s->pEngine, NULL); q;
       q = weir_query_next(s->pEngine, q)) {
    int n = query_number(weir_query_name(q));
    if (n > nBefore && (!nFirst || n < nFirst)) nFirst = n;
  }
  if (nFirst) {
    json_decref(pFirstId);
    pFirstId = json_sprintf("q%d", nFirst);
  }
  json_t *doc = json_pack("{s:o, s:b}", "statements", x.aResult, "manual_clock",
                          weir_clock_is_manual(s->pEngine));
  if (pFirstId) json_object_set_new(doc, "id", pFirstId);
  common_free(zSql);
  if (pErr) {
    json_object_set_new(doc, "error", pErr);
    srv_respond_json(c, 400, doc);
  } else {
    srv_respond_json(c, 200, doc);
  }
}

/* ---- queries ----------------------------------------------------------------
 */

typedef struct view_names {
  json_t *a;
  srv_server *s;
} view_names;

static void add_view_name(void *arg, const char *name) {
  view_names *v = arg;
  json_t *o = json_pack("{s:s}", "name", name);
  weir_query *q = weir_view_query(v->s->pEngine, name);
  if (q) json_object_set_new(o, "query", json_string(weir_query_name(q)));
  json_array_append_new(v->a, o);
}

/* The materialized view q maintains, or NULL. */
static const char *query_view(srv_server *s, weir_query *q, json_t *aViews) {
  for (size_t i = 0; i < json_array_size(aViews); i++) {
    json_t *o = json_array_get(aViews, i);
    const char *zQ = json_string_value(json_object_get(o, "query"));
    if (zQ && !strcmp(zQ, weir_query_name(q)))
      return json_string_value(json_object_get(o, "name"));
  }
  return NULL;
}

static json_t *views_array(srv_server *s) {
  view_names v = {json_array(), s};
  weir_view_list(s->pEngine, add_view_name, &v);
  return v.a;
}

static json_t *wm_json(int64_t wm) {
  if (wm == INT64_MIN) return json_null();
  if (wm == INT64_MAX) return json_string("+inf");
  weir_value v = {WEIR_TIMESTAMP, 0, {.i = wm}};
  char z[64];
  weir_value_format(z, sizeof z, &v);
  return json_string(z);
}

static json_t *query_json(srv_server *s, weir_query *q, json_t *aViews,
                          int bFull) {
  weir_query_stats st;
  weir_query_get_stats(q, &st);
  json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I}", "id", weir_query_name(q),
                        "state", state_name(weir_query_state(q)), "sql",
                        weir_query_sql(q), "rows_in", (json_int_t)st.rows_in,
                        "rows_out", (json_int_t)st.rows_out);
  const char *zView = query_view(s, q, aViews);
  if (zView) json_object_set_new(o, "view", json_string(zView));
  if (!bFull) return o;
  json_object_set_new(o, "watermark", wm_json(st.watermark));
  json_object_set_new(o, "late_dropped", json_integer(st.late_dropped));
  json_object_set_new(o, "bad_records", json_integer(st.bad_records));
  json_object_set_new(o, "state_bytes", json_integer(st.state_bytes));
  const char *zErr = weir_query_error(q);
  srv_query *sq = query_get(s, weir_query_name(q));
  if (!zErr && sq) zErr = sq->zErr;
  json_object_set_new(o, "error", zErr ? json_string(zErr) : json_null());
  json_object_set_new(o, "errors", json_integer(zErr ? 1 : 0));
  if (sq) {
    json_object_set_new(o, "result_rows",
                        json_integer(weir_table_rows(sq->pTable)));
    json_object_set_new(o, "subscribers", json_integer(sq->feed.nSubs));
  }
  return o;
}

static void get_queries(srv_conn *c) {
  srv_server *s = srv_conn_server(c);
  json_t *aViews = views_array(s);
  json_t *a = json_array();
  for (weir_query *q = weir_query_next(s->pEngine, NULL); q;
       q = weir_query_next(s->pEngine, q))
    json_array_insert_new(a, 0, query_json(s, q, aViews, 0));
  json_decref(aViews);
  srv_respond_json(c, 200, json_pack("{s:o}", "queries", a));
}

static void query_route(srv_conn *c, const char *zId, const char *zRest) {
  srv_server *s = srv_conn_server(c);
  int m = srv_req_method(c);
  weir_query *q = weir_query_find(s->pEngine, zId);
  if (!q) {
    srv_respond_error(c, 404, "not_found", "no query named %s", zId);
    return;
  }
  json_t *aViews = views_array(s);
  const char *zView = query_view(s, q, aViews);
  char *zViewCopy = zView ? common_strdup(zView) : NULL;
  if (!*zRest && (m == HTTP_GET || m == HTTP_HEAD)) {
    srv_respond_json(c, 200, query_json(s, q, aViews, 1));
  } else if (!*zRest && m == HTTP_DELETE) {
    if (zViewCopy) {
      srv_respond_error(c, 409, "conflict",
                        "%s maintains materialized view %s; use DROP VIEW %s",
                        zId, zViewCopy, zViewCopy);
    } else {
      weir_query_stop(s->pEngine, q);
      srv_respond_json(c, 200,
                       json_pack("{s:s, s:s}", "id", zId, "state",
                                 state_name(weir_query_state(q))));
    }
  } else if (!strcmp(zRest, "/changes") && m == HTTP_GET) {
    srv_query *sq = query_get(s, zId);
    if (zViewCopy) {
      weir_error err = {0};
      srv_feed *f = view_feed(s, zViewCopy, &err);
      json_t *j = f ? view_json(s, zViewCopy, &err) : NULL;
      if (!j) {
        srv_respond_error(c, 404, "not_found", "%s", err.message);
      } else {
        char *zSnap = srv_json_text(j);
        srv_subscribe(c, f, zSnap);
        free(zSnap);
        json_decref(j);
      }
      weir_error_clear(&err);
    } else if (!sq) {
      srv_respond_error(c, 404, "not_found",
                        "query %s has no changelog here (it writes to a sink)",
                        zId);
    } else {
      json_t *j = table_json(sq->pTable);
      json_object_set_new(j, "id", json_string(zId));
      char *zSnap = srv_json_text(j);
      json_decref(j);
      srv_subscribe(c, &sq->feed, zSnap);
      free(zSnap);
    }
  } else if (!*zRest || !strcmp(zRest, "/changes")) {
    srv_respond_error(c, 405, "method_not_allowed", "method not allowed");
  } else {
    srv_respond_error(c, 404, "not_found", "no such resource");
  }
  common_free(zViewCopy);
  json_decref(aViews);
}

/* ---- views ------------------------------------------------------------------
 */

static void view_route(srv_conn *c, const char *zName, const char *zRest) {
  srv_server *s = srv_conn_server(c);
  int m = srv_req_method(c);
  if (m != HTTP_GET && !(m == HTTP_HEAD && !*zRest)) {
    srv_respond_error(c, 405, "method_not_allowed", "method not allowed");
    return;
  }
  weir_error err = {0};
  if (!*zRest) {
    json_t *j = view_json(s, zName, &err);
    if (j)
      srv_respond_json(c, 200, j);
    else
      srv_respond_error(c, 404, "not_found", "%s", err.message);
  } else if (!strcmp(zRest, "/changes")) {
    srv_feed *f = view_feed(s, zName, &err);
    json_t *j = f ? view_json(s, zName, &err) : NULL;
    if (!j) {
      srv_respond_error(c, 404, "not_found", "%s", err.message);
    } else {
      char *zSnap = srv_json_text(j);
      srv_subscribe(c, f, zSnap);
      free(zSnap);
      json_decref(j);
    }
  } else {
    srv_respond_error(c, 404, "not_found", "no such resource");
  }
  weir_error_clear(&err);
}

/* ---- metrics --------------------------------------------------------------
 */

static int64_t rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long nSize = 0, nRes = 0;
  if (!f) return 0;
  if (fscanf(f, "%ld %ld", &nSize, &nRes) != 2) nRes = 0;
  fclose(f);
  return (int64_t)nRes * sysconf(_SC_PAGESIZE);
}

static void metric_head(common_buf *b, const char *zName, const char *zType,
                        const char *zHelp) {
  common_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", zName, zHelp, zName,
                    zType);
}

static void get_metrics(srv_conn *c) {
  srv_server *s = srv_conn_server(c);
  json_t *aViews = views_array(s);
  int n = 0;
  for (weir_query *q = weir_query_next(s->pEngine, NULL); q;
       q = weir_query_next(s->pEngine, q))
    n++;
  weir_query **aQ = common_calloc((size_t)n + 1, sizeof(*aQ));
  weir_query_stats *aSt = common_calloc((size_t)n + 1, sizeof(*aSt));
  char **azLabel = common_calloc((size_t)n + 1, sizeof(char *));
  int i = n;
  for (weir_query *q = weir_query_next(s->pEngine, NULL); q;
       q = weir_query_next(s->pEngine, q)) {
    aQ[--i] = q;
    weir_query_get_stats(q, &aSt[i]);
    const char *zView = query_view(s, q, aViews);
    common_buf l;
    common_buf_init(&l);
    common_buf_printf(&l, "query=\"%s\"", weir_query_name(q));
    if (zView) common_buf_printf(&l, ",view=\"%s\"", zView);
    azLabel[i] = common_buf_detach(&l);
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
  common_buf b;
  common_buf_init(&b);
  static const struct {
    const char *zName, *zType, *zHelp;
  } aM[] = {
      {"weir_query_running", "gauge", "1 while the query runs."},
      {"weir_query_rows_in_total", "counter", "Rows read from sources."},
      {"weir_query_rows_out_total", "counter", "Changelog rows produced."},
      {"weir_query_late_rows_dropped_total", "counter",
       "Rows dropped for arriving after their window closed."},
      {"weir_query_bad_records_total", "counter",
       "Malformed input records skipped."},
      {"weir_query_state_bytes", "gauge",
       "Bytes of operator state (plus the result table a server keeps)."},
      {"weir_query_watermark_seconds", "gauge",
       "Event-time watermark (seconds since the epoch)."},
      {"weir_query_watermark_lag_seconds", "gauge",
       "Wall-clock time minus the watermark."},
      {"weir_query_subscribers", "gauge", "SSE subscribers of the query."},
  };
  for (int m = 0; m < (int)(sizeof aM / sizeof aM[0]); m++) {
    metric_head(&b, aM[m].zName, aM[m].zType, aM[m].zHelp);
    for (i = 0; i < n; i++) {
      weir_query_stats *st = &aSt[i];
      srv_query *sq = query_get(s, weir_query_name(aQ[i]));
      switch (m) {
        case 0:
          common_buf_printf(&b, "%s{%s} %d\n", aM[m].zName, azLabel[i],
                            weir_query_state(aQ[i]) == 1);
          break;
        case 1:
        case 2:
        case 3:
        case 4: {
          int64_t v = m == 1   ? st->rows_in
                      : m == 2 ? st->rows_out
                      : m == 3 ? st->late_dropped
                               : st->bad_records;
          common_buf_printf(&b, "%s{%s} %lld\n", aM[m].zName, azLabel[i],
                            (long long)v);
          break;
        }
        case 5: {
          int64_t v = st->state_bytes;
          if (sq) v += weir_table_bytes(sq->pTable);
          common_buf_printf(&b, "%s{%s} %lld\n", aM[m].zName, azLabel[i],
                            (long long)v);
          break;
        }
        case 6:
        case 7:
          if (st->watermark == INT64_MIN || st->watermark == INT64_MAX) break;
          common_buf_printf(&b, "%s{%s} %.6f\n", aM[m].zName, azLabel[i],
                            m == 6 ? (double)st->watermark / 1e6
                                   : (double)(now - st->watermark) / 1e6);
          break;
        case 8: {
          int nSub = sq ? sq->feed.nSubs : 0;
          const char *zView = query_view(s, aQ[i], aViews);
          for (srv_feed *f = s->pViewFeeds; zView && f; f = f->pNext)
            if (!f->bEnded && !common_stricmp(f->zName, zView))
              nSub += f->nSubs;
          common_buf_printf(&b, "%s{%s} %d\n", aM[m].zName, azLabel[i], nSub);
          break;
        }
      }
    }
  }
  metric_head(&b, "weir_server_connections", "gauge", "Open connections.");
  common_buf_printf(&b, "weir_server_connections %d\n", s->nConns);
  metric_head(&b, "weir_server_subscribers", "gauge", "SSE subscribers.");
  common_buf_printf(&b, "weir_server_subscribers %d\n", s->nSubscribers);
  metric_head(&b, "weir_server_requests_total", "counter",
              "HTTP requests served.");
  common_buf_printf(&b, "weir_server_requests_total %lld\n",
                    (long long)s->nRequests);
  metric_head(&b, "weir_server_slow_subscribers_total", "counter",
              "Subscribers disconnected for falling behind.");
  common_buf_printf(&b, "weir_server_slow_subscribers_total %lld\n",
                    (long long)s->nSlowCut);
  metric_head(&b, "weir_memory_bytes", "gauge",
              "Bytes allocated through weir's allocator.");
  common_buf_printf(&b, "weir_memory_bytes %lld\n",
                    (long long)common_mem_used());
  metric_head(&b, "weir_process_resident_bytes", "gauge",
              "Resident set size of the process.");
  common_buf_printf(&b, "weir_process_resident_bytes %lld\n",
                    (long long)rss_bytes());
  srv_respond(c, 200, "text/plain; version=0.0.4", b.z, b.n, 0);
  common_buf_free(&b);
  for (i = 0; i < n; i++) common_free(azLabel[i]);
  common_free(azLabel);
  common_free(aQ);
  common_free(aSt);
  json_decref(aViews);
}

/* ---- routing ---------------------------------------------------------------
 */

static int serve_file(srv_conn *c, const char *zPath) {
  if (!strcmp(zPath, "/")) zPath = "/index.html";
  for (int i = 0; srv_web_files[i].zPath; i++) {
    if (!strcmp(srv_web_files[i].zPath, zPath)) {
      srv_respond(c, 200, srv_web_files[i].zType,
                  (const char *)srv_web_files[i].a, srv_web_files[i].n, 0);
      return 1;
    }
  }
  return 0;
}

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* Split "/v1/queries/q1/changes" after prefix into "q1" and "/changes". */
static char *path_name(const char *z, const char **pzRest) {
  const char *e = strchr(z, '/');
  if (!e) e = z + strlen(z);
  *pzRest = e;
  /* Percent-decode the segment ("%20" is a space). */
  char *zOut = common_malloc((size_t)(e - z) + 1);
  size_t n = 0;
  for (const char *p = z; p < e; p++) {
    int h1, h2;
    if (*p == '%' && p + 2 < e && (h1 = hex_digit(p[1])) >= 0 &&
        (h2 = hex_digit(p[2])) >= 0 && (h1 || h2)) {
      zOut[n++] = (char)(h1 * 16 + h2);
      p += 2;
    } else {
      zOut[n++] = *p;
    }
  }
  zOut[n] = 0;
  return zOut;
}

void srv_route(srv_conn *c) {
  srv_server *s = srv_conn_server(c);
  const char *zPath = srv_req_path(c);
  int m = srv_req_method(c);
  if (!strcmp(zPath, "/v1/statements")) {
    if (m == HTTP_POST)
      post_statements(c);
    else
      srv_respond_error(c, 405, "method_not_allowed", "use POST");
  } else if (!strcmp(zPath, "/v1/queries") || !strcmp(zPath, "/v1/queries/")) {
    if (m == HTTP_GET || m == HTTP_HEAD)
      get_queries(c);
    else
      srv_respond_error(c, 405, "method_not_allowed", "use GET");
  } else if (!strncmp(zPath, "/v1/queries/", 12)) {
    const char *zRest;
    char *zId = path_name(zPath + 12, &zRest);
    query_route(c, zId, zRest);
    common_free(zId);
  } else if (!strcmp(zPath, "/v1/views") || !strcmp(zPath, "/v1/views/")) {
    if (m == HTTP_GET || m == HTTP_HEAD)
      srv_respond_json(c, 200, json_pack("{s:o}", "views", views_array(s)));
    else
      srv_respond_error(c, 405, "method_not_allowed", "use GET");
  } else if (!strncmp(zPath, "/v1/views/", 10)) {
    const char *zRest;
    char *zName = path_name(zPath + 10, &zRest);
    view_route(c, zName, zRest);
    common_free(zName);
  } else if (!strcmp(zPath, "/metrics") && (m == HTTP_GET || m == HTTP_HEAD)) {
    get_metrics(c);
  } else if ((m == HTTP_GET || m == HTTP_HEAD) && serve_file(c, zPath)) {
    /* served */
  } else {
    srv_respond_error(c, 404, "not_found", "no such resource: %s", zPath);
  }
}

void srv_stop_orphans(srv_server *s) {
  for (int i = 0; i < s->nQuery; i++) {
    srv_query *sq = s->apQuery[i];
    if (!sq || !sq->bOrphaned) continue;
    sq->bOrphaned = 0;
    if (!sq->bEnded) weir_query_stop(s->pEngine, sq->q);
  }
}

void srv_api_close(srv_server *s) {
  for (int i = 0; i < g_nCat; i++) {
    common_free(g_aCat[i].zName);
    common_free(g_aCat[i].zSql);
  }
  common_free(g_aCat);
  g_aCat = NULL;
  g_nCat = 0;
  while (s->pViewFeeds) {
    srv_feed *f = s->pViewFeeds;
    s->pViewFeeds = f->pNext;
    weir_view_unsubscribe(s->pEngine, f->pSub);
    srv_feed_clear(f);
    common_free(f);
  }
  /* Stop queries while their records still exist (on_end finds them). */
  for (int i = 0; i < s->nQuery; i++) {
    srv_query *sq = s->apQuery[i];
    if (sq && !sq->bEnded) weir_query_stop(s->pEngine, sq->q);
  }
  for (int i = 0; i < s->nQuery; i++) {
    srv_query *sq = s->apQuery[i];
    if (!sq) continue;
    srv_feed_clear(&sq->feed);
    weir_table_free(sq->pTable);
    common_free(sq->zErr);
    common_free(sq);
    s->apQuery[i] = NULL;
  }
}
