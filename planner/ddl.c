/*
** planner/ddl.c — statements that change or feed the catalog rather than
** run a query: CREATE SOURCE/STREAM/TABLE (schema, WATERMARK FOR,
** options), CREATE [MATERIALIZED] VIEW and CREATE SINK (validated by
** planning their SELECT now), INSERT INTO src VALUES (one batch), and the
** constant expressions of SET and ADVANCE.
**
** Part of the planner stage (parser -> planner -> exec -> connectors).
*/
#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

#include "planner/plan_int.h"

/* A planning context over zSql for errors into err. */
static void ctx_init(plan_ctx *p, plan_catalog *c, const char *zSql,
                     common_arena *a, plan_error *err) {
  memset(p, 0, sizeof(*p));
  p->pCat = c;
  p->zSql = zSql;
  p->a = a;
  p->err = err;
  p->iOuterPos = -1;
  err->zMsg = NULL;
  err->iPos = -1;
}

static const char *kind_name(plan_obj_kind k) {
  switch (k) {
    case PLAN_OBJ_SOURCE:
      return "source";
    case PLAN_OBJ_SINK:
      return "sink";
    case PLAN_OBJ_VIEW:
      return "view";
  }
  return "object";
}

/* Copy the WITH (...) options, keys lower-cased. */
static void copy_options(plan_object *o, const ast_stmt *s) {
  int i, j;
  o->nOpt = s->nOpt;
  o->azKey = common_calloc((size_t)s->nOpt + 1, sizeof(char *));
  o->azVal = common_calloc((size_t)s->nOpt + 1, sizeof(char *));
  for (i = 0; i < s->nOpt; i++) {
    o->azKey[i] = common_strdup(s->aOpt[i].zKey ? s->aOpt[i].zKey : "");
    for (j = 0; o->azKey[i][j]; j++) {
      o->azKey[i][j] = (char)tolower((unsigned char)o->azKey[i][j]);
    }
    o->azVal[i] = common_strdup(s->aOpt[i].zValue ? s->aOpt[i].zValue : "");
  }
}

/* Copy a schema into heap memory the catalog owns. */
static void copy_schema(plan_object *o, int nCol, char *const *azName,
                        const uint8_t *aType) {
  int i;
  o->schema.nCol = nCol;
  o->schema.azName = common_calloc((size_t)nCol + 1, sizeof(char *));
  o->schema.aType = common_calloc((size_t)nCol + 1, 1);
  for (i = 0; i < nCol; i++) {
    o->schema.azName[i] = common_strdup(azName[i]);
    o->schema.aType[i] = aType[i];
  }
}

/* The text of a CREATE VIEW / SINK's SELECT: from the SELECT's first
** token to the end of the statement, or to the WITH (...) options that
** follow it. */
static char *select_text(const char *zSql, const ast_stmt *s) {
  int iStart = s->pSelect->iPos;
  int k, q = 0;
  /* The SELECT starts after the statement's first AS (a leading WITH
  ** clause may precede the position the parser gives the SELECT). */
  for (k = s->iPos; zSql[k] && k < iStart; k++) {
    char ch = zSql[k];
    if (q) {
      if (ch == q) q = 0;
      continue;
    }
    if (ch == '\'' || ch == '"' || ch == '`') {
      q = ch;
      continue;
    }
    if ((ch == 'A' || ch == 'a') &&
        (zSql[k + 1] == 'S' || zSql[k + 1] == 's') && k > 0 &&
        isspace((unsigned char)zSql[k - 1]) &&
        isspace((unsigned char)zSql[k + 2])) {
      k += 2;
      while (isspace((unsigned char)zSql[k])) k++;
      iStart = k;
      break;
    }
  }
  int iEnd = s->iEnd > iStart ? s->iEnd : (int)strlen(zSql);
  if (s->nOpt > 0 && s->aOpt[0].iPos > iStart) {
    /* back up from the first option key over "(" and "WITH" */
    int i = s->aOpt[0].iPos - 1;
    while (i > iStart && zSql[i] != '(') i--;
    i--;
    while (i > iStart && isspace((unsigned char)zSql[i])) i--;
    if (i - 3 > iStart && common_strnicmp(zSql + i - 3, "WITH", 4) == 0) {
      iEnd = i - 3;
    }
  }
  while (iEnd > iStart &&
         (isspace((unsigned char)zSql[iEnd - 1]) || zSql[iEnd - 1] == ';')) {
    iEnd--;
  }
  return common_strndup(zSql + iStart, (size_t)(iEnd - iStart));
}

/* Plan a SELECT in a scratch arena to validate it; copy its output schema
** into o. */
static int validate_select(plan_ctx *p, const ast_select *pSel,
                           plan_object *o) {
  common_arena a;
  exec_plan *n;
  common_arena *pSaved = p->a;
  int rc = 0;
  common_arena_init(&a, 4096);
  p->a = &a;
  n = plan_select(p, pSel, NULL);
  if (!n || p->nErr) {
    if (!p->err->zMsg) plan_err(p, pSel->iPos, "cannot plan the query");
    rc = 1;
  } else {
    copy_schema(o, n->schema.nCol, n->schema.azName, n->schema.aType);
  }
  p->a = pSaved;
  common_arena_free(&a);
  return rc;
}

/* Check the WATERMARK FOR clause: `col` or `col - INTERVAL ...`. */
static int source_watermark(plan_ctx *p, const ast_stmt *s, plan_object *o) {
  const ast_expr *e = s->pWmExpr;
  int i, iCol = -1;
  o->iWmCol = -1;
  o->wmDelay = 0;
  if (!s->zWmColumn) return 0;
  for (i = 0; i < s->nCol; i++) {
    if (common_stricmp(s->aCol[i].zName, s->zWmColumn) == 0) iCol = i;
  }
  if (iCol < 0) {
    return plan_err(p, e ? e->iPos : s->iPos,
                    "WATERMARK FOR names unknown "
                    "column \"%s\"",
                    s->zWmColumn);
  }
  if (s->aCol[iCol].iType != AST_TYPE_TIMESTAMP) {
    return plan_err(p, s->aCol[iCol].iPos,
                    "WATERMARK FOR column \"%s\" "
                    "must be TIMESTAMP",
                    s->zWmColumn);
  }
  o->iWmCol = iCol;
  if (!e) return 0;
  if (e->kind == AE_COLUMN && common_stricmp(e->zName, s->zWmColumn) == 0) {
    return 0;
  }
  if (e->kind == AE_BINARY && e->op == plan_tk("-") && e->pLeft &&
      e->pLeft->kind == AE_COLUMN &&
      common_stricmp(e->pLeft->zName, s->zWmColumn) == 0) {
    exec_value v;
    if (plan_fold_const(p, e->pRight, &v)) return 1;
    if (v.type != WEIR_INTERVAL || v.isNull || v.u.i < 0) {
      return plan_err(p, e->pRight->iPos,
                      "watermark delay must be a "
                      "non-negative INTERVAL");
    }
    o->wmDelay = v.u.i;
    return 0;
  }

  return plan_err(p, e->iPos,
                  "WATERMARK expression must be \"%s\" or "
                  "\"%s - INTERVAL ...\"",
                  s->zWmColumn, s->zWmColumn);
}

/*
** Create a catalog entry from CREATE SOURCE/STREAM/TABLE, CREATE SINK or
** CREATE [MATERIALIZED] VIEW; see planner.h. With IF NOT EXISTS and an
** existing entry of that name, returns 0 with *ppObj = NULL (nothing
** created). OR REPLACE drops the existing entry first.
*/
int plan_create(plan_catalog *c, const ast_stmt *s, const char *zSql,
                plan_object **ppObj, plan_error *err) {
  plan_ctx ctx;
  common_arena a;
  plan_object *o, *pOld;
  int i, j, rc = 0;
  common_arena_init(&a, 1024);
  ctx_init(&ctx, c, zSql, &a, err);
  *ppObj = NULL;
  if (plan_check_tokens(&ctx)) {
    common_arena_free(&a);
    return 1;
  }
  if (s->kind != AS_CREATE_SOURCE && s->kind != AS_CREATE_SINK &&
      s->kind != AS_CREATE_VIEW) {
    plan_err(&ctx, s->iPos, "not a CREATE statement");
    common_arena_free(&a);
    return 1;
  }
  pOld = plan_catalog_find(c, s->zName);
  if (pOld && s->bIfNotExists) {
    common_arena_free(&a);
    return 0;
  }
  if (pOld && !s->bOrReplace) {
    plan_err(&ctx, s->iPos, "%s \"%s\" already exists", kind_name(pOld->kind),
             pOld->zName);
    common_arena_free(&a);
    return 1;
  }
  o = common_calloc(1, sizeof(*o));
  o->zName = common_strdup(s->zName);
  o->iWmCol = -1;
  copy_options(o, s);
  switch (s->kind) {
    case AS_CREATE_SOURCE: {
      char **az = common_arena_alloc(&a, sizeof(char *) * (s->nCol + 1));
      uint8_t *at = common_arena_alloc(&a, (size_t)s->nCol + 1);
      o->kind = PLAN_OBJ_SOURCE;
      if (s->nCol == 0) {
        rc = plan_err(&ctx, s->iPos, "a source needs at least one column");
        break;
      }
      for (i = 0; i < s->nCol && !rc; i++) {
        const ast_coldef *d = &s->aCol[i];
        for (j = 0; j < i; j++) {
          if (common_stricmp(s->aCol[j].zName, d->zName) == 0) {
            rc = plan_err(&ctx, d->iPos, "duplicate column \"%s\"", d->zName);
          }
        }
        if (d->pComputed) {
          rc = plan_err(&ctx, d->iPos,
                        "computed column \"%s\" is not "
                        "supported yet",
                        d->zName);
        } else if (d->iType < AST_TYPE_BOOLEAN ||
                   d->iType > AST_TYPE_INTERVAL) {
          rc = plan_err(&ctx, d->iPos,
                        "unsupported type %s for column "
                        "\"%s\"",
                        d->zTypeName ? d->zTypeName : "?", d->zName);
        }
        az[i] = d->zName;
        at[i] = (uint8_t)d->iType;
      }
      if (rc) break;
      copy_schema(o, s->nCol, az, at);
      rc = source_watermark(&ctx, s, o);
      break;
    }
    case AS_CREATE_VIEW:
      o->kind = PLAN_OBJ_VIEW;
      o->bMaterialized = s->bMaterialized;
      if (!s->pSelect) {
        rc = plan_err(&ctx, s->iPos, "CREATE VIEW needs AS SELECT");
        break;
      }
      rc = validate_select(&ctx, s->pSelect, o);
      if (!rc) o->zSql = select_text(zSql, s);
      break;
    case AS_CREATE_SINK:
      o->kind = PLAN_OBJ_SINK;
      if (s->zFrom) {
        plan_object *pFrom = plan_catalog_find(c, s->zFrom);
        if (!pFrom || pFrom->kind == PLAN_OBJ_SINK) {
          rc = plan_err(&ctx, s->iPos, "unknown source or view \"%s\"",
                        s->zFrom);
          break;
        }
        o->zFrom = common_strdup(pFrom->zName);
        copy_schema(o, pFrom->schema.nCol, pFrom->schema.azName,
                    pFrom->schema.aType);
      } else if (s->pSelect) {
        rc = validate_select(&ctx, s->pSelect, o);
        if (!rc) o->zSql = select_text(zSql, s);
      }
      break;
    default:
      break;
  }
  common_arena_free(&a);
  if (rc) {
    plan_object_free(o);
    return 1;
  }
  if (pOld) plan_catalog_drop(c, pOld->zName);
  plan_catalog_add(c, o);
  *ppObj = o;
  return 0;
}

/* Store constant v into row r of vector vec (of the column's type),
** converting where SQL allows; 1 with an error otherwise. */
static int store_value(plan_ctx *p, const ast_expr *e, const exec_value *v,
                       exec_vec *vec, int r, const char *zCol) {
  int t = vec->type;
  if (v->isNull || v->type == WEIR_NULL_TYPE) {
    vec->null[r] = 1;
    return 0;
  }
  vec->null[r] = 0;
  if (v->type == t) {
    switch (t) {
      case WEIR_DOUBLE:
        vec->v.f64[r] = v->u.f;
        break;
      case WEIR_BOOLEAN:
        vec->v.b[r] = (uint8_t)(v->u.i != 0);
        break;
      case WEIR_VARCHAR: {
        char *z = common_arena_alloc(p->a, v->u.s.n + 1);
        memcpy(z, v->u.s.p, v->u.s.n);
        z[v->u.s.n] = 0;
        vec->v.s[r].p = z;
        vec->v.s[r].n = v->u.s.n;
        break;
      }
      default:
        vec->v.i64[r] = v->u.i;
        break;
    }
    return 0;
  }
  if (t == WEIR_DOUBLE && v->type == WEIR_BIGINT) {
    vec->v.f64[r] = (double)v->u.i;
    return 0;
  }
  if (t == WEIR_TIMESTAMP && v->type == WEIR_VARCHAR) {
    if (common_ts_parse(v->u.s.p, v->u.s.n, &vec->v.i64[r])) {
      return plan_err(p, e->iPos,
                      "cannot convert '%.*s' to TIMESTAMP for "
                      "column \"%s\"",
                      (int)v->u.s.n, v->u.s.p, zCol);
    }
    return 0;
  }
  /* A whole DOUBLE within BIGINT's range (2^63 itself is not: casting
  ** it would overflow). */
  if (t == WEIR_BIGINT && v->type == WEIR_DOUBLE &&
      v->u.f >= -9223372036854775808.0 && v->u.f < 9223372036854775808.0 &&
      v->u.f == (double)(int64_t)v->u.f) {
    vec->v.i64[r] = (int64_t)v->u.f;
    return 0;
  }
  if (t == WEIR_BIGINT && v->type == WEIR_DOUBLE && v->u.f == floor(v->u.f)) {
    return plan_err(p, e->iPos, "%.0f is out of range for BIGINT column "
                    "\"%s\"", v->u.f, zCol);
  }
  return plan_err(p, e->iPos, "cannot insert %s into %s column \"%s\"",
                  exec_type_name(v->type), exec_type_name(t), zCol);
}

/*
** Evaluate INSERT INTO src [(cols)] VALUES (...), ... into one batch of
** src's schema, allocated in arena a (strings too); see planner.h.
*/
int plan_insert_values(plan_catalog *c, const ast_stmt *s, const char *zSql,
                       common_arena *a, plan_object **ppSrc,
                       exec_batch **ppBatch, plan_error *err) {
  plan_ctx ctx;
  plan_object *o;
  const ast_list *pRows;
  exec_batch *b;
  int *aMap, nTarget, i, r;
  ctx_init(&ctx, c, zSql, a, err);
  *ppSrc = NULL;
  *ppBatch = NULL;
  if (plan_check_tokens(&ctx)) return 1;
  o = plan_catalog_find(c, s->zName);
  if (!o || o->kind != PLAN_OBJ_SOURCE) {
    if (o) {
      return plan_err(&ctx, s->iPos,
                      "cannot INSERT VALUES into %s \"%s\"; "
                      "only into a source",
                      kind_name(o->kind), o->zName);
    }
    return plan_err(&ctx, s->iPos, "unknown source \"%s\"", s->zName);
  }
  if (!s->pSelect || !s->pSelect->pValues) {
    return plan_err(&ctx, s->iPos,
                    "INSERT ... SELECT is a continuous "
                    "query, not a VALUES list");
  }
  pRows = s->pSelect->pValues;
  if (pRows->n > EXEC_BATCH_CAP) {
    return plan_err(&ctx, s->iPos,
                    "too many rows in one INSERT (at most "
                    "%d)",
                    EXEC_BATCH_CAP);
  }
  nTarget = s->nInsCol > 0 ? s->nInsCol : o->schema.nCol;
  aMap = common_arena_alloc(a, sizeof(int) * (nTarget + 1));
  for (i = 0; i < nTarget; i++) {
    if (s->nInsCol > 0) {
      int j;
      aMap[i] = -1;
      for (j = 0; j < o->schema.nCol; j++) {
        if (common_stricmp(o->schema.azName[j], s->azInsCol[i]) == 0) {
          aMap[i] = j;
        }
      }
      if (aMap[i] < 0) {
        const char *zHint = plan_did_you_mean(
            s->azInsCol[i], (const char *const *)o->schema.azName,
            o->schema.nCol);
        if (zHint) {
          return plan_err(&ctx, s->iPos,
                          "unknown column \"%s\" (did you "
                          "mean \"%s\"?)",
                          s->azInsCol[i], zHint);
        }
        return plan_err(&ctx, s->iPos, "unknown column \"%s\"", s->azInsCol[i]);
      }
    } else {
      aMap[i] = i;
    }
  }
  b = exec_batch_new(a, o->schema.nCol, o->schema.aType);
  b->pHeap = a;
  for (r = 0; r < pRows->n; r++) {
    const ast_expr *row = pRows->a[r];
    const ast_list *pArgs = row->kind == AE_FUNC ? row->pArgs : NULL;
    int n = pArgs ? pArgs->n : 1;
    for (i = 0; i < o->schema.nCol; i++) b->aCol[i].null[r] = 1;
    if (n != nTarget) {
      return plan_err(&ctx, row->iPos, "expected %d values, got %d", nTarget,
                      n);
    }
    for (i = 0; i < n; i++) {
      const ast_expr *e = pArgs ? pArgs->a[i] : row;
      exec_value v;
      if (plan_fold_const(&ctx, e, &v)) return 1;
      if (store_value(&ctx, e, &v, &b->aCol[aMap[i]], r,
                      o->schema.azName[aMap[i]])) {
        return 1;
      }
    }
    b->op[r] = OP_INSERT;
  }
  b->n = pRows->n;
  *ppSrc = o;
  *ppBatch = b;
  return 0;
}

/*
** Evaluate a constant expression (SET x = ..., ADVANCE ... TO ...) into
** *pOut; strings are allocated in arena a. A bare name (SET clock =
** manual) is read as a string. Returns 0, or 1 with err filled.
*/
int plan_const_expr(const ast_expr *e, common_arena *a, exec_value *pOut,
                    plan_error *err) {
  plan_ctx ctx;
  ctx_init(&ctx, NULL, NULL, a, err);
  memset(pOut, 0, sizeof(*pOut));
  if (plan_check_tokens(&ctx)) return 1;
  if (e && e->kind == AE_COLUMN && !e->zTable && e->zName) {
    pOut->type = WEIR_VARCHAR;
    pOut->u.s.p = common_arena_strdup(a, e->zName);
    pOut->u.s.n = (uint32_t)strlen(e->zName);
    return 0;
  }
  return plan_fold_const(&ctx, e, pOut);
}
