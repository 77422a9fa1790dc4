/*
** planner/planner.h — what the planner offers: a catalog of sources,
** sinks and views; binding and type checking of an AST against it; the
** physical Beam-model plan (exec_plan) of a query; EXPLAIN rendering.
**
** Second stage of the pipeline (parser -> planner -> exec -> connectors).
** Errors carry the byte offset of the offending AST node; the engine
** formats them with line, column and caret like parse errors.
*/
#ifndef WEIR_PLANNER_H
#define WEIR_PLANNER_H

#include "parser/parser.h"
#include "exec/exec.h"

typedef enum plan_obj_kind {
  PLAN_OBJ_SOURCE = 1, PLAN_OBJ_SINK, PLAN_OBJ_VIEW
} plan_obj_kind;

/* A catalog entry. Strings and the schema are owned by the catalog. */
typedef struct plan_object {
  plan_obj_kind kind;
  char *zName;
  exec_schema schema;       /* sources and views: output columns */
  int iWmCol;               /* source: WATERMARK FOR column, or -1 */
  int64_t wmDelay;          /* source: ts - delay */
  int nOpt;                 /* WITH (...) options, keys lower-cased */
  char **azKey, **azVal;
  char *zSql;               /* views/sinks: defining SELECT text */
  char *zFrom;              /* sink: the view or query it reads */
  int bMaterialized;
  void *pConn;              /* engine's connector state (memory hub) */
  void (*xFreeConn)(void *); /* frees pConn */
} plan_object;

typedef struct plan_catalog plan_catalog;
plan_catalog *plan_catalog_new(void);
void plan_catalog_free(plan_catalog *c);
plan_object *plan_catalog_find(plan_catalog *c, const char *zName);
int plan_catalog_count(const plan_catalog *c);
plan_object *plan_catalog_at(plan_catalog *c, int i);   /* creation order */
/* Remove (and free) an entry; returns 0 if it existed. */
int plan_catalog_drop(plan_catalog *c, const char *zName);

typedef struct plan_error {
  int iPos;                 /* byte offset into the statement text, -1 */
  char *zMsg;               /* common_malloc'd */
} plan_error;

/* Create a catalog entry from CREATE SOURCE/STREAM/TABLE, CREATE SINK or
** CREATE [MATERIALIZED] VIEW. zSql is the statement's full text (views
** keep their SELECT's text). Returns 0 and the new entry in *ppObj, or 1
** with err filled. With IF NOT EXISTS and an existing entry it returns 0
** and *ppObj = NULL (nothing created); OR REPLACE replaces the entry. */
int plan_create(plan_catalog *c, const ast_stmt *s, const char *zSql,
                plan_object **ppObj, plan_error *err);

/* Session settings that affect planning. */
typedef struct plan_settings {
  int bManualClock;
  const char *zLateSink;    /* SET 'late.sink': default side output of the
                            ** late rows of a query's aggregates, or NULL */
  int bStreamingMode;       /* SET 'execution.runtime-mode' = 'streaming'
                            ** (Flink's knob): bounded inputs are read as
                            ** streams -- WATERMARK FOR moves their
                            ** watermark and rows behind it are late. The
                            ** default ('batch') reads them as batch
                            ** inputs (DESIGN 2.1). */
  const char *zMaintain;    /* the materialized view this query maintains:
                            ** its definition is inlined; every other
                            ** materialized view is read (a PLAN_READ
                            ** whose pSourceDef is the view), or NULL */
} plan_settings;

/* Bind and plan a query: pSel is its AST, zSql the text the positions
** refer to. On success *ppPlan is the root (a PLAN_SINK whose zSink is
** zSinkName, or NULL for the caller's callbacks), allocated in arena a
** (the caller keeps the arena alive while the query runs). Returns 0, or 1
** with err filled; plan_is_unbounded() tells whether any source is
** unbounded. Joins are planned (PLAN_JOIN) but no operator runs them yet.*/
int plan_query(plan_catalog *c, const ast_select *pSel, const char *zSql,
               const plan_settings *set, const char *zSinkName,
               common_arena *a, exec_plan **ppPlan, plan_error *err);

/* Rows of INSERT INTO src VALUES (...) evaluated against src's schema into
** one batch in arena a. Returns 0, or 1 with err filled. */
int plan_insert_values(plan_catalog *c, const ast_stmt *s, const char *zSql,
                       common_arena *a, plan_object **ppSrc,
                       exec_batch **ppBatch, plan_error *err);

/* Evaluate a constant expression (SET, ADVANCE ... TO) into *pOut. */
int plan_const_expr(const ast_expr *e, common_arena *a, exec_value *pOut,
                    plan_error *err);

/* Does the plan read any unbounded source? */
int plan_is_unbounded(const exec_plan *p);

void plan_error_clear(plan_error *err);

#endif
