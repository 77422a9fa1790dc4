/*
** planner/plan.c — from a bound SELECT to the physical Beam-model plan
** that exec runs: Read (sources), Values (constants), ParDo
** (filter/project), Window (window TVFs outside aggregates), Agg
** (GroupByKey + Combine with window, trigger and accumulation), Flatten
** (UNION ALL) and Sink. Views, CTEs and subqueries in FROM are inlined as
** sub-plans. A final pass numbers the nodes and tells each Read which of
** its columns anyone reads (aNeeded).
**
** Part of the planner stage (parser -> planner -> exec -> connectors).
**
** Shapes:
**   SELECT a, b*2 FROM s WHERE c    Sink <- ParDo <- Read
**   ... GROUP BY k, window          Sink <- ParDo(HAVING; select list)
**                                        <- Agg(keys, window, aggs, trigger)
**                                        <- ParDo(WHERE; keys, args, time)
**                                        <- Read
**   SELECT * FROM TUMBLE(...)       Sink <- ParDo <- Window <- Read
**   ... a JOIN b ON a.k = b.k       Sink <- ParDo <- Join(keys) <- Read, Read
**                                   (planned and EXPLAINed; no operator
**                                   executes PLAN_JOIN yet)
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "planner/plan_int.h"

/* The result of planning one FROM item. */
typedef struct from_res {
  exec_plan *pPlan;   /* produces the REAL columns of scope */
  plan_scope scope;   /* what names bind to */
  int bTvf;           /* window TVF not yet materialised */
  exec_window win;    /* its window (iTimeCol: column of pPlan) */
  const char *zWinFn; /* "TUMBLE", ... */
  const ast_list *pPartition; /* SESSION(TABLE t PARTITION BY ...) keys */
  int iPos;
} from_res;

static exec_plan *plan_core(plan_ctx *p, const ast_select *pSel,
                            const ast_emit *pEmit);
static int read_unbounded(const exec_plan *n);

/* A new plan node of the given kind. */
static exec_plan *new_node(plan_ctx *p, exec_plan_kind kind,
                           exec_plan *pChild) {
  exec_plan *n = common_arena_zalloc(p->a, sizeof(*n));
  n->kind = kind;
  n->iWmCol = -1;
  n->window.iTimeCol = -1;
  if (pChild) {
    n->nChild = 1;
    n->aChild = common_arena_alloc(p->a, sizeof(exec_plan *));
    n->aChild[0] = pChild;
  }
  return n;
}

/* Give node n a schema of nCol columns (names copied into the arena). */
static void set_schema(plan_ctx *p, exec_plan *n, int nCol,
                       const char *const *azName, const uint8_t *aType) {
  int i;
  n->schema.nCol = nCol;
  n->schema.azName = common_arena_alloc(p->a, sizeof(char *) * (nCol + 1));
  n->schema.aType = common_arena_alloc(p->a, (size_t)nCol + 1);
  for (i = 0; i < nCol; i++) {
    n->schema.azName[i] = common_arena_strdup(p->a, azName[i]);
    n->schema.aType[i] = aType[i];
  }
}

/* Allocate a scope of n columns. */
static void scope_init(plan_ctx *p, plan_scope *s, int n) {
  s->nCol = n;
  s->azTable = common_arena_zalloc(p->a, sizeof(char *) * (n + 1));
  s->azName = common_arena_zalloc(p->a, sizeof(char *) * (n + 1));
  s->aType = common_arena_zalloc(p->a, (size_t)n + 1);
  s->aKind = common_arena_zalloc(p->a, (size_t)n + 1);
  s->aHidden = common_arena_zalloc(p->a, (size_t)n + 1);
}

/* The scope of a plan's output, every column qualified by zTable. */
static void scope_from_plan(plan_ctx *p, plan_scope *s, const exec_plan *n,
                            const char *zTable) {
  int i;
  scope_init(p, s, n->schema.nCol);
  for (i = 0; i < n->schema.nCol; i++) {
    s->azTable[i] = zTable ? common_arena_strdup(p->a, zTable) : NULL;
    s->azName[i] = n->schema.azName[i];
    s->aType[i] = n->schema.aType[i];
  }
}

/* A PARDO over pChild projecting aProj (names azName), filtered by
** pFilter (may be NULL). */
static exec_plan *new_pardo(plan_ctx *p, exec_plan *pChild, exec_expr *pFilter,
                            int nProj, exec_expr **aProj,
                            const char *const *azName) {
  exec_plan *n = new_node(p, PLAN_PARDO, pChild);
  uint8_t *aType = common_arena_alloc(p->a, (size_t)nProj + 1);
  int i;
  n->pFilter = pFilter;
  n->nProj = nProj;
  n->aProj = common_arena_alloc(p->a, sizeof(exec_expr *) * (nProj + 1));
  for (i = 0; i < nProj; i++) {
    n->aProj[i] = aProj[i];
    aType[i] = aProj[i]->type;
  }
  set_schema(p, n, nProj, azName, aType);
  return n;
}

/* Upper-case copy of a name into a fixed buffer. */
static void upper_name(char *zOut, size_t n, const char *z) {
  size_t i;
  for (i = 0; z && z[i] && i + 1 < n; i++) {
    zOut[i] = (char)toupper((unsigned char)z[i]);
  }
  zOut[i] = 0;
}

/* ---- FROM: names, views, CTEs -------------------------------------------- */

/* The value of WITH option zKey of catalog entry o, or NULL. */
static const char *obj_option(const plan_object *o, const char *zKey) {
  int i;
  for (i = o ? o->nOpt - 1 : -1; i >= 0; i--) {
    if (common_stricmp(o->azKey[i], zKey) == 0) return o->azVal[i];
  }
  return NULL;
}

/*
** The late rows of aggregate n are the rows of its FROM item (a source or
** a view): append that item's columns to n's pre-projection and point
** aLateCol at them (need_cols keeps them read).
*/
static void late_cols(plan_ctx *p, exec_plan *n) {
  exec_plan *pre = n->aChild[0];
  int i, nOld, nSrc, nNew;
  const exec_schema *src;
  exec_expr **aProj;
  const char **az;
  uint8_t *at;
  if (pre->kind != PLAN_PARDO || pre->nChild != 1) return;
  src = &pre->aChild[0]->schema;
  nOld = pre->nProj;
  nSrc = src->nCol;
  nNew = nOld + nSrc;
  aProj = common_arena_alloc(p->a, sizeof(exec_expr *) * (nNew + 1));
  az = common_arena_alloc(p->a, sizeof(char *) * (nNew + 1));
  at = common_arena_alloc(p->a, (size_t)nNew + 1);
  n->aLateCol = common_arena_alloc(p->a, sizeof(int) * (nSrc + 1));
  for (i = 0; i < nOld; i++) {
    aProj[i] = pre->aProj[i];
    az[i] = pre->schema.azName[i];
    at[i] = pre->schema.aType[i];
  }
  for (i = 0; i < nSrc; i++) {
    aProj[nOld + i] = plan_expr_col(p, i, src->aType[i]);
    az[nOld + i] = src->azName[i];
    at[nOld + i] = src->aType[i];
    n->aLateCol[i] = nOld + i;
  }
  pre->nProj = nNew;
  pre->aProj = aProj;
  set_schema(p, pre, nNew, az, at);
  n->lateSchema.nCol = nSrc;
  n->lateSchema.azName = common_arena_alloc(p->a, sizeof(char *) * (nSrc + 1));
  n->lateSchema.aType = common_arena_alloc(p->a, (size_t)nSrc + 1);
  for (i = 0; i < nSrc; i++) {
    n->lateSchema.azName[i] = common_arena_strdup(p->a, src->azName[i]);
    n->lateSchema.aType[i] = src->aType[i];
  }
}

/*
** 'late.sink' (DESIGN.md 2.3): route the rows dropped as late by every
** aggregate of plan n that has no late sink yet (the aggregates of a view
** with its own 'late.sink' were given theirs when the view was planned)
** to sink zSink, which must be a catalog sink. Returns 1 on error.
*/
static int set_late_sink(plan_ctx *p, exec_plan *n, const char *zSink,
                         int iPos) {
  int i;
  if (!n || !zSink || !zSink[0]) return 0;
  if (n->kind == PLAN_AGG && !n->zLateSink) {
    plan_object *o = plan_catalog_find(p->pCat, zSink);
    if (!o || o->kind != PLAN_OBJ_SINK) {
      return plan_err(p, iPos, "late.sink \"%s\" is not a sink", zSink);
    }
    n->zLateSink = common_arena_strdup(p->a, o->zName);
    late_cols(p, n);
  }
  for (i = 0; i < n->nChild; i++) {
    if (set_late_sink(p, n->aChild[i], zSink, iPos)) return 1;
  }
  return 0;
}

/* Plan a view's stored SELECT (re-parsed from its text). */
static exec_plan *plan_view(plan_ctx *p, plan_object *o, int iPos,
                            const ast_emit *pEmit) {
  parse_result r;
  const char *zTail = NULL;
  exec_plan *pPlan = NULL;
  plan_ctx saved = *p;
  memset(&r, 0, sizeof(r));
  if (!o->zSql) {
    plan_err(p, iPos, "view \"%s\" has no definition", o->zName);
    return NULL;
  }
  if (parse_statement(&r, o->zSql, &zTail) || !r.pStmt ||
      r.pStmt->kind != AS_SELECT) {
    plan_err(p, iPos, "cannot re-read the definition of view \"%s\": %s",
             o->zName, r.nErr && r.err.zMsg ? r.err.zMsg : "not a SELECT");
    parse_result_free(&r);
    return NULL;
  }
  p->zSql = o->zSql;
  p->pCte = NULL;
  if (p->iOuterPos < 0) {
    p->iOuterPos = iPos;
    p->zInView = o->zName;
  }
  p->depth++;
  pPlan = plan_select(p, r.pStmt->pSelect, pEmit);
  if (pPlan && !p->nErr) {
    *p = saved;
    if (set_late_sink(p, pPlan, obj_option(o, "late.sink"), iPos)) {
      pPlan = NULL;
    }
  }
  saved.nErr = p->nErr;
  *p = saved;
  parse_result_free(&r);
  return pPlan;
}

/* 'idle.timeout' and 'idle.advance' of source o onto Read node n. */
static void read_idle_options(exec_plan *n, const plan_object *o) {
  int i;
  for (i = 0; i < o->nOpt; i++) {
    if (common_stricmp(o->azKey[i], "idle.timeout") == 0) {
      int64_t us = common_duration_us(o->azVal[i]);
      if (us > 0) n->idleTimeout = us;
    } else if (common_stricmp(o->azKey[i], "idle.advance") == 0) {
      n->bIdleAdvance = o->azVal[i] && common_stricmp(o->azVal[i], "true") == 0;
    }
  }
}

/* Plan a named relation (CTE, source or view) into *f. */
static int plan_named(plan_ctx *p, const char *zName, int iPos,
                      const char *zAlias, const ast_emit *pEmit, from_res *f) {
  plan_cte *c;
  plan_object *o;
  exec_plan *n = NULL;
  const char *zQual = zAlias ? zAlias : zName;
  memset(f, 0, sizeof(*f));
  f->iPos = iPos;
  if (p->depth > PLAN_MAX_DEPTH) {
    return plan_err(p, iPos, "views or CTEs nested too deeply (a cycle?)");
  }
  for (c = p->pCte; c; c = c->pPrev) {
    if (common_stricmp(c->zName, zName) == 0) {
      plan_ctx saved = *p;
      p->pCte = c->pPrev;
      p->zSql = c->zSql;
      p->depth++;
      n = plan_select(p, c->pSelect, pEmit);
      saved.nErr = p->nErr;
      *p = saved;
      if (!n) return 1;
      f->pPlan = n;
      scope_from_plan(p, &f->scope, n, zQual);
      return 0;
    }
  }
  o = plan_catalog_find(p->pCat, zName);
  if (!o) {
    int nObj = plan_catalog_count(p->pCat), i, nCand = 0;
    const char **az = common_arena_alloc(p->a, sizeof(char *) * (nObj + 64));
    const char *zHint;
    for (i = 0; i < nObj; i++) {
      plan_object *x = plan_catalog_at(p->pCat, i);
      if (x->kind != PLAN_OBJ_SINK) az[nCand++] = x->zName;
    }
    for (c = p->pCte; c && nCand < nObj + 64; c = c->pPrev) {
      az[nCand++] = c->zName;
    }
    zHint = plan_did_you_mean(zName, az, nCand);
    if (zHint) {
      return plan_err(p, iPos,
                      "unknown source or view \"%s\" (did you mean "
                      "\"%s\"?)",
                      zName, zHint);
    }
    return plan_err(p, iPos, "unknown source or view \"%s\"", zName);
  }
  if (o->kind == PLAN_OBJ_SINK) {
    return plan_err(p, iPos,
                    "\"%s\" is a sink; queries read sources and "
                    "views",
                    zName);
  }
  if (o->kind == PLAN_OBJ_VIEW && o->bMaterialized &&
      !(p->zMaintain && common_stricmp(p->zMaintain, o->zName) == 0)) {
    /* A materialized view is read, not re-computed: its changelog (the
    ** current contents as +I, then every change) is the engine's source
    ** (engine/mview_source.c) for a Read whose pSourceDef is the view. */
    n = new_node(p, PLAN_READ, NULL);
    set_schema(p, n, o->schema.nCol, (const char *const *)o->schema.azName,
               o->schema.aType);
    n->zSource = common_arena_printf(p->a, "%s (materialized view)",
                                      o->zName);
    n->pSourceDef = o;
    n->iWmCol = -1;
    n->aNeeded = common_arena_zalloc(p->a, (size_t)o->schema.nCol + 1);
  } else if (o->kind == PLAN_OBJ_VIEW) {
    n = plan_view(p, o, iPos, pEmit);
    if (!n) return 1;
  } else {
    n = new_node(p, PLAN_READ, NULL);
    set_schema(p, n, o->schema.nCol, (const char *const *)o->schema.azName,
               o->schema.aType);
    n->zSource = common_arena_strdup(p->a, o->zName);
    n->pSourceDef = o;
    n->iWmCol = o->iWmCol;
    n->wmDelay = o->wmDelay;
    read_idle_options(n, o);
    n->bBatch = !p->bStreamingMode && !read_unbounded(n);
    n->aNeeded = common_arena_zalloc(p->a, (size_t)o->schema.nCol + 1);
  }
  f->pPlan = n;
  scope_from_plan(p, &f->scope, n, zQual);
  return 0;
}

/* ---- windows ------------------------------------------------------------- */

/* Fold an interval argument; it must be an INTERVAL (> 0 unless
** bOffset). */
static int interval_arg(plan_ctx *p, const ast_expr *e, const char *zWhat,
                        const char *zFn, int bOffset, int64_t *pUs) {
  exec_value v;
  if (plan_fold_const(p, e, &v)) return 1;
  if (v.type != WEIR_INTERVAL || v.isNull) {
    return plan_err(p, e->iPos,
                    "%s %s must be an INTERVAL (e.g. INTERVAL "
                    "'1' MINUTE)",
                    zFn, zWhat);
  }
  if (!bOffset && v.u.i <= 0) {
    return plan_err(p, e->iPos, "%s %s must be a positive INTERVAL", zFn,
                    zWhat);
  }
  *pUs = v.u.i;
  return 0;
}

/* The argument slots of each window function: 0 = table (TVF only),
** 1 = time column, then the intervals. */
typedef struct win_sig {
  const char *zFn;
  exec_win_kind kind;
  int nReq, nMax;      /* interval arguments: required, at most */
  const char *azIv[3]; /* their meaning */
  const char *zUsage;
} win_sig;

static const win_sig aWinSig[] = {
    {"TUMBLE",
     WIN_TUMBLE,
     1,
     2,
     {"size", "offset", 0},
     "TUMBLE(table, time column, size [, offset])"},
    {"HOP",
     WIN_HOP,
     2,
     3,
     {"slide", "size", "offset"},
     "HOP(table, time column, slide, size [, offset])"},
    {"SESSION",
     WIN_SESSION,
     1,
     1,
     {"gap", 0, 0},
     "SESSION(table, time column, gap)"},
    {"CUMULATE",
     WIN_CUMULATE,
     2,
     3,
     {"step", "size", "offset"},
     "CUMULATE(table, time column, step, max size [, offset])"},
};

static const win_sig *find_win_sig(const char *zFn) {
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(aWinSig); i++) {
    if (common_stricmp(aWinSig[i].zFn, zFn) == 0) return &aWinSig[i];
  }
  return NULL;
}

static int window_slots(plan_ctx *p, const ast_expr *pFn, const win_sig *w,
                        int bTvf, const ast_expr *aSlot[5]);
static int window_intervals(plan_ctx *p, const win_sig *w,
                            const ast_expr *aSlot[5], exec_window *pWin);

/* See plan_int.h. */
int plan_check_win_bound(plan_ctx *p, const plan_scope *pScope,
                         const plan_agg *g, const ast_expr *e) {
  char zBase[32];
  int n = 0;
  while (e->zName[n] && e->zName[n] != '_' && n < 31) {
    zBase[n] = e->zName[n];
    n++;
  }
  zBase[n] = 0;
  const win_sig *wG = find_win_sig(g->pWinCall->zName);
  const win_sig *wE = find_win_sig(zBase);
  const ast_expr *aG[5], *aE[5];
  exec_window winG, winE;
  if (!wG || !wE || wG->kind != wE->kind) {
    return plan_err(p, e->iPos, "%s does not match the GROUP BY window %s",
                    e->zName, g->pWinCall->zName);
  }
  if (window_slots(p, g->pWinCall, wG, 0, aG) ||
      window_intervals(p, wG, aG, &winG) || window_slots(p, e, wE, 0, aE) ||
      window_intervals(p, wE, aE, &winE)) {
    return 1;
  }
  if (!plan_ast_equal(pScope, aG[1], aE[1]) || winG.size != winE.size ||
      winG.slide != winE.slide || winG.gap != winE.gap ||
      winG.offset != winE.offset) {
    return plan_err(p, e->iPos,
                    "%s(...) names another window than the GROUP BY's "
                    "%s(...): give it the same time column and intervals",
                    e->zName, g->pWinCall->zName);
  }
  return 0;
}

/* Slot of a named argument (the paper's data =>, timecol =>, dur =>...). */
static int named_slot(const win_sig *w, const char *zName) {
  char z[32];
  upper_name(z, sizeof(z), zName);
  if (strcmp(z, "DATA") == 0 || strcmp(z, "TABLE") == 0) return 0;
  if (strcmp(z, "TIMECOL") == 0 || strcmp(z, "TIME_COL") == 0 ||
      strcmp(z, "DESCRIPTOR") == 0) {
    return 1;
  }
  if (strcmp(z, "OFFSET") == 0) return w->kind == WIN_TUMBLE ? 3 : 4;
  switch (w->kind) {
    case WIN_TUMBLE:
      if (strcmp(z, "DUR") == 0 || strcmp(z, "SIZE") == 0) return 2;
      break;
    case WIN_HOP:
      if (strcmp(z, "HOPSIZE") == 0 || strcmp(z, "SLIDE") == 0 ||
          strcmp(z, "HOP") == 0) {
        return 2;
      }
      if (strcmp(z, "DUR") == 0 || strcmp(z, "SIZE") == 0) return 3;
      break;
    case WIN_SESSION:
      if (strcmp(z, "GAP") == 0 || strcmp(z, "DUR") == 0) return 2;
      break;
    case WIN_CUMULATE:
      if (strcmp(z, "STEP") == 0) return 2;
      if (strcmp(z, "DUR") == 0 || strcmp(z, "SIZE") == 0 ||
          strcmp(z, "MAXSIZE") == 0 || strcmp(z, "MAX_SIZE") == 0) {
        return 3;
      }
      break;
    default:
      break;
  }
  return -1;
}

/*
** Sort the arguments of a window function call into slots (table, time
** column, intervals), positional or named. With bTvf the first slot is the
** table; without it (group windows) slot 0 is unused. Returns 0 or 1.
*/
static int window_slots(plan_ctx *p, const ast_expr *pFn, const win_sig *w,
                        int bTvf, const ast_expr *aSlot[5]) {
  int i, iNext = bTvf ? 0 : 1;
  int nArg = pFn->pArgs ? pFn->pArgs->n : 0;
  for (i = 0; i < 5; i++) aSlot[i] = NULL;
  for (i = 0; i < nArg; i++) {
    const ast_expr *a = pFn->pArgs->a[i];
    int iSlot;
    if (a->kind == AE_NAMED) {
      iSlot = named_slot(w, a->zName);
      if (iSlot < 0 || (!bTvf && iSlot == 0)) {
        return plan_err(p, a->iPos, "%s has no argument named \"%s\"", w->zFn,
                        a->zName);
      }
      a = a->pLeft;
    } else {
      iSlot = iNext++;
    }
    if (iSlot >= 2 + w->nMax) {
      return plan_err(p, a->iPos, "too many arguments: %s", w->zUsage);
    }
    if (aSlot[iSlot]) {
      return plan_err(p, a->iPos, "%s argument given twice", w->zFn);
    }
    aSlot[iSlot] = a;
  }
  for (i = bTvf ? 0 : 1; i < 2 + w->nReq; i++) {
    if (!aSlot[i]) {
      const char *zArgs = strchr(w->zUsage, '(') + 1;
      if (bTvf) {
        return plan_err(p, pFn->iPos, "missing arguments: %s", w->zUsage);
      }
      /* the group window form has no table argument */
      return plan_err(p, pFn->iPos, "missing arguments: %s(%s", w->zFn,
                      strchr(zArgs, ',') + 2);
    }
  }
  return 0;
}

/* Read the interval slots of a window into *pWin (kind set). */
static int window_intervals(plan_ctx *p, const win_sig *w,
                            const ast_expr *aSlot[5], exec_window *pWin) {
  int64_t aIv[3] = {0, 0, 0};
  int i;
  memset(pWin, 0, sizeof(*pWin));
  pWin->kind = w->kind;
  pWin->iTimeCol = -1;
  for (i = 0; i < w->nMax; i++) {
    if (!aSlot[2 + i]) continue;
    if (interval_arg(p, aSlot[2 + i], w->azIv[i], w->zFn,
                     strcmp(w->azIv[i], "offset") == 0, &aIv[i])) {
      return 1;
    }
  }
  switch (w->kind) {
    case WIN_TUMBLE:
      pWin->size = aIv[0];
      pWin->offset = aIv[1];
      break;
    case WIN_HOP:
      pWin->slide = aIv[0];
      pWin->size = aIv[1];
      pWin->offset = aIv[2];
      break;
    case WIN_SESSION:
      pWin->gap = aIv[0];
      break;
    case WIN_CUMULATE:
      pWin->slide = aIv[0];
      pWin->size = aIv[1];
      pWin->offset = aIv[2];
      if (pWin->size % pWin->slide != 0) {
        return plan_err(p, aSlot[3]->iPos,
                        "CUMULATE max size must be a "
                        "multiple of the step");
      }
      break;
    default:
      break;
  }
  if (pWin->offset &&
      (pWin->offset >= pWin->size || -pWin->offset >= pWin->size)) {
    const ast_expr *e = aSlot[w->kind == WIN_TUMBLE ? 3 : 4];
    return plan_err(p, e ? e->iPos : -1,
                    "%s offset must be smaller than "
                    "the window size",
                    w->zFn);
  }
  return 0;
}

/* Is e the processing-time marker PROCTIME()? */
static int is_proctime(const ast_expr *e) {
  return e->kind == AE_PROCTIME ||
         (e->kind == AE_FUNC && common_stricmp(e->zName, "PROCTIME") == 0 &&
          (!e->pArgs || e->pArgs->n == 0));
}

/* Plan a window TVF in FROM: its table, then the window kept aside until
** we know whether an aggregate absorbs it. */
static int plan_tvf(plan_ctx *p, const ast_expr *pFn, const char *zAlias,
                    const ast_emit *pEmit, from_res *f) {
  const win_sig *w = find_win_sig(pFn->zName ? pFn->zName : "");
  const ast_expr *aSlot[5];
  const ast_expr *t, *tc;
  const char *zTab = NULL;
  exec_window win;
  int i, n;
  if (!w || pFn->kind != AE_FUNC) {
    return plan_err(p, pFn->iPos,
                    "unknown table function \"%s\" (expected "
                    "TUMBLE, HOP, SESSION or CUMULATE)",
                    pFn->zName ? pFn->zName : "?");
  }
  if (window_slots(p, pFn, w, 1, aSlot)) return 1;
  if (window_intervals(p, w, aSlot, &win)) return 1;
  t = aSlot[0];
  if (t->kind == AE_TABLEARG && t->pArgs && w->kind != WIN_SESSION) {
    return plan_err(p, t->iPos, "PARTITION BY applies to SESSION windows");
  }
  if (t->kind == AE_TABLEARG || (t->kind == AE_COLUMN && !t->zTable)) {
    zTab = t->zName;
    if (plan_named(p, t->zName, t->iPos, zAlias, pEmit, f)) return 1;
  } else if (t->kind == AE_SUBQUERY && t->pSelect) {
    exec_plan *s = plan_select(p, t->pSelect, pEmit);
    memset(f, 0, sizeof(*f));
    if (!s) return 1;
    f->pPlan = s;
    scope_from_plan(p, &f->scope, s, zAlias);
  } else {
    return plan_err(p, t->iPos,
                    "the first argument of %s must be a table "
                    "(TABLE name or name)",
                    w->zFn);
  }
  tc = aSlot[1];
  if (tc->kind == AE_DESCRIPTOR ||
      (tc->kind == AE_FUNC && common_stricmp(tc->zName, "DESCRIPTOR") == 0)) {
    if (!tc->pArgs || tc->pArgs->n != 1) {
      return plan_err(p, tc->iPos, "DESCRIPTOR must name one time column");
    }
    tc = tc->pArgs->a[0];
  }
  if (is_proctime(tc)) {
    win.iTimeCol = -1;
  } else if (tc->kind == AE_COLUMN) {
    i = plan_scope_find(&f->scope, tc->zTable, tc->zName);
    if (i == -2)
      return plan_err(p, tc->iPos, "ambiguous column \"%s\"", tc->zName);
    if (i < 0) {
      const char *zHint =
          plan_did_you_mean(tc->zName, f->scope.azName, f->scope.nCol);
      if (zHint) {
        return plan_err(p, tc->iPos,
                        "unknown column \"%s\" (did you mean "
                        "\"%s\"?)",
                        tc->zName, zHint);
      }
      return plan_err(p, tc->iPos, "unknown column \"%s\"", tc->zName);
    }
    if (f->scope.aType[i] != WEIR_TIMESTAMP) {
      return plan_err(p, tc->iPos,
                      "window time column \"%s\" must be "
                      "TIMESTAMP, not %s",
                      tc->zName, exec_type_name(f->scope.aType[i]));
    }
    win.iTimeCol = i;
  } else {
    return plan_err(p, tc->iPos,
                    "the time argument of %s must be a column "
                    "(or DESCRIPTOR(col), PROCTIME())",
                    w->zFn);
  }
  /* append the virtual window bounds */
  n = f->scope.nCol;
  {
    plan_scope s;
    scope_init(p, &s, n + 2);
    for (i = 0; i < n; i++) {
      s.azTable[i] = f->scope.azTable[i];
      s.azName[i] = f->scope.azName[i];
      s.aType[i] = f->scope.aType[i];
    }
    for (i = 0; i < 2; i++) {
      s.azTable[n + i] = zAlias ? zAlias : (zTab ? zTab : NULL);
      s.azName[n + i] = i ? "window_end" : "window_start";
      s.aType[n + i] = WEIR_TIMESTAMP;
      s.aKind[n + i] = (uint8_t)(i ? SCOPE_WIN_END : SCOPE_WIN_START);
    }
    f->scope = s;
  }
  f->bTvf = 1;
  f->win = win;
  f->zWinFn = w->zFn;
  f->iPos = pFn->iPos;
  f->pPartition = t->kind == AE_TABLEARG ? t->pArgs : NULL;
  return 0;
}

/* May the rows of plan n carry retractions (-U/-D)? Aggregates that
** retract, or merge sessions, and joins do; a windowed aggregate that
** only appends (DISCARDING/ACCUMULATING, no sessions) does not. */
static int plan_may_retract(const exec_plan *n) {
  if (!n) return 0;
  if (n->kind == PLAN_JOIN) return 1;
  if (n->kind == PLAN_AGG &&
      (n->bUnbounded || n->trigger.accum == ACC_RETRACTING ||
       n->window.kind == WIN_SESSION)) {
    return 1;
  }
  for (int i = 0; i < n->nChild; i++) {
    if (plan_may_retract(n->aChild[i])) return 1;
  }
  return 0;
}

/* Turn a pending window TVF into a PLAN_WINDOW node whose output has
** real window_start and window_end columns. */
static int materialize_window(plan_ctx *p, from_res *f) {
  exec_plan *n;
  int i, nIn;
  const char **az;
  uint8_t *at;
  if (!f->bTvf) return 0;
  if (f->win.kind == WIN_SESSION) {
    return plan_err(p, f->iPos,
                    "SESSION windows need an aggregate: GROUP "
                    "BY window_start, window_end, ...");
  }
  nIn = f->pPlan->schema.nCol;
  n = new_node(p, PLAN_WINDOW, f->pPlan);
  n->window = f->win;
  az = common_arena_alloc(p->a, sizeof(char *) * (nIn + 2));
  at = common_arena_alloc(p->a, (size_t)nIn + 2);
  for (i = 0; i < nIn; i++) {
    az[i] = f->pPlan->schema.azName[i];
    at[i] = f->pPlan->schema.aType[i];
  }
  az[nIn] = "window_start";
  az[nIn + 1] = "window_end";
  at[nIn] = at[nIn + 1] = WEIR_TIMESTAMP;
  set_schema(p, n, nIn + 2, az, at);
  for (i = 0; i < f->scope.nCol; i++) f->scope.aKind[i] = SCOPE_REAL;
  f->pPlan = n;
  f->bTvf = 0;
  return 0;
}

static int plan_from(plan_ctx *p, const ast_from *pFrom, const ast_emit *pEmit,
                     from_res *f);

/* Append conjuncts of e (split on AND) to a[*pn]. */
static void split_and(const ast_expr *e, const ast_expr **a, int *pn,
                      int nMax) {
  if (e->kind == AE_BINARY && e->op == plan_tk("AND")) {
    split_and(e->pLeft, a, pn, nMax);
    split_and(e->pRight, a, pn, nMax);
    return;
  }
  if (*pn < nMax) a[(*pn)++] = e;
}

/* Count the conjuncts of e. */
static int count_and(const ast_expr *e) {
  if (e->kind == AE_BINARY && e->op == plan_tk("AND")) {
    return count_and(e->pLeft) + count_and(e->pRight);
  }
  return 1;
}

/* Is e an equality between two plain column references? */
static int is_col_eq(const ast_expr *e) {
  return e->kind == AE_BINARY && e->op == plan_tk("=") &&
         e->pLeft->kind == AE_COLUMN && e->pRight->kind == AE_COLUMN;
}

/* Record key pair (left column iL, right column iR) of a join. */
static int join_key(plan_ctx *p, exec_plan *j, int iL, int iR, int iPos) {
  int tl = j->aChild[0]->schema.aType[iL];
  int tr = j->aChild[1]->schema.aType[iR];
  if (tl != tr && !((tl == WEIR_BIGINT || tl == WEIR_DOUBLE) &&
                    (tr == WEIR_BIGINT || tr == WEIR_DOUBLE))) {
    return plan_err(p, iPos, "cannot join %s with %s", exec_type_name(tl),
                    exec_type_name(tr));
  }
  j->aLeftKey[j->nJoinKey] = iL;
  j->aRightKey[j->nJoinKey] = iR;
  j->nJoinKey++;
  return 0;
}

/*
** Plan a JOIN: both inputs (window TVFs materialised, so each side has
** window_start/window_end columns), equality conjuncts of ON (or USING)
** between the two sides become key pairs, the rest a filter over the
** joined row. Both sides windowed alike and joined on their window bounds
** make a windowed join. No operator executes PLAN_JOIN yet; EXPLAIN shows
** it.
*/
static int plan_join(plan_ctx *p, const ast_from *pFrom, const ast_emit *pEmit,
                     from_res *f) {
  from_res l, r;
  exec_plan *j;
  int nL, nR, i, nConj = 0, nMaxKey;
  const ast_expr **aConj = NULL;
  exec_expr *pFilter = NULL;
  const char **az;
  uint8_t *at;
  int bWinL, bWinR;
  exec_window wl, wr;
  if (plan_from(p, pFrom->pLeft, pEmit, &l)) return 1;
  if (plan_from(p, pFrom->pRight, pEmit, &r)) return 1;
  bWinL = l.bTvf;
  bWinR = r.bTvf;
  wl = l.win;
  wr = r.win;
  if (materialize_window(p, &l) || materialize_window(p, &r)) return 1;
  nL = l.scope.nCol;
  nR = r.scope.nCol;
  j = new_node(p, PLAN_JOIN, NULL);
  j->nChild = 2;
  j->aChild = common_arena_alloc(p->a, sizeof(exec_plan *) * 2);
  j->aChild[0] = l.pPlan;
  j->aChild[1] = r.pPlan;
  switch (pFrom->joinKind) {
    case AJ_LEFT:
      j->joinKind = 2;
      break;
    case AJ_RIGHT:
      j->joinKind = 3;
      break;
    case AJ_FULL:
      j->joinKind = 4;
      break;
    default:
      j->joinKind = 1;
      break;
  }
  /* the joined scope: left columns then right columns */
  memset(f, 0, sizeof(*f));
  f->iPos = pFrom->iPos;
  scope_init(p, &f->scope, nL + nR);
  for (i = 0; i < nL + nR; i++) {
    const plan_scope *s = i < nL ? &l.scope : &r.scope;
    int k = i < nL ? i : i - nL;
    f->scope.azTable[i] = s->azTable[k];
    f->scope.azName[i] = s->azName[k];
    f->scope.aType[i] = s->aType[k];
    f->scope.aHidden[i] = s->aHidden[k];
  }
  az = common_arena_alloc(p->a, sizeof(char *) * (nL + nR + 1));
  at = common_arena_alloc(p->a, (size_t)(nL + nR + 1));
  for (i = 0; i < nL + nR; i++) {
    az[i] = f->scope.azName[i];
    at[i] = f->scope.aType[i];
  }
  set_schema(p, j, nL + nR, az, at);
  nMaxKey = pFrom->nUsing + (pFrom->pOn ? count_and(pFrom->pOn) : 0) + 1;
  j->aLeftKey = common_arena_alloc(p->a, sizeof(int) * nMaxKey);
  j->aRightKey = common_arena_alloc(p->a, sizeof(int) * nMaxKey);
  for (i = 0; i < pFrom->nUsing; i++) {
    const char *z = pFrom->azUsing[i];
    int iL = plan_scope_find(&l.scope, NULL, z);
    int iR = plan_scope_find(&r.scope, NULL, z);
    if (iL < 0 || iR < 0) {
      return plan_err(
          p, pFrom->iPos, "USING column \"%s\" %s", z,
          iL == -2 || iR == -2 ? "is ambiguous" : "is not on both sides");
    }
    if (join_key(p, j, iL, iR, pFrom->iPos)) return 1;
    f->scope.aHidden[nL + iR] = 1;
  }
  if (pFrom->pOn) {
    plan_bind b;
    memset(&b, 0, sizeof(b));
    b.p = p;
    b.pScope = &f->scope;
    b.zClause = "ON";
    nConj = count_and(pFrom->pOn);
    aConj = common_arena_alloc(p->a, sizeof(ast_expr *) * nConj);
    nConj = 0;
    split_and(pFrom->pOn, aConj, &nConj, nMaxKey);
    for (i = 0; i < nConj; i++) {
      const ast_expr *e = aConj[i];
      exec_expr *x;
      if (is_col_eq(e)) {
        int ia = plan_scope_find(&f->scope, e->pLeft->zTable, e->pLeft->zName);
        int ib =
            plan_scope_find(&f->scope, e->pRight->zTable, e->pRight->zName);
        if (ia >= 0 && ib >= 0 && (ia < nL) != (ib < nL)) {
          int iL = ia < nL ? ia : ib, iR = (ia < nL ? ib : ia) - nL;
          if (join_key(p, j, iL, iR, e->iPos)) return 1;
          continue;
        }
      }
      x = plan_bind_expr(&b, e);
      if (!x) return 1;
      if (x->type != WEIR_BOOLEAN && x->type != WEIR_NULL_TYPE) {
        return plan_err(p, e->iPos, "ON must be BOOLEAN, not %s",
                        exec_type_name(x->type));
      }
      if (pFilter) {
        pFilter =
            plan_expr_call(p, e->iPos, "AND", 2, (exec_expr *[]){pFilter, x});
        if (!pFilter) return 1;
      } else {
        pFilter = x;
      }
    }
  }
  if (j->nJoinKey == 0 && j->joinKind == 1 && p->pJoinWhere &&
      pFrom->joinKind == AJ_CROSS) {
    /* FROM a, b WHERE a.k = b.k: the WHERE (applied above the join
    ** anyway) gives the keys */
    int nW = count_and(p->pJoinWhere);
    const ast_expr **aW = common_arena_alloc(p->a, sizeof(ast_expr *) * nW);
    int nGot = 0;
    split_and(p->pJoinWhere, aW, &nGot, nW);
    j->aLeftKey = common_arena_alloc(p->a, sizeof(int) * (nW + 1));
    j->aRightKey = common_arena_alloc(p->a, sizeof(int) * (nW + 1));
    for (i = 0; i < nGot; i++) {
      const ast_expr *e = aW[i];
      int ia, ib;
      if (!is_col_eq(e)) continue;
      ia = plan_scope_find(&f->scope, e->pLeft->zTable, e->pLeft->zName);
      ib = plan_scope_find(&f->scope, e->pRight->zTable, e->pRight->zName);
      if (ia >= 0 && ib >= 0 && (ia < nL) != (ib < nL)) {
        int iL = ia < nL ? ia : ib, iR = (ia < nL ? ib : ia) - nL;
        if (join_key(p, j, iL, iR, e->iPos)) return 1;
      }
    }
  }
  if (j->nJoinKey == 0) {
    return plan_err(p, pFrom->pOn ? pFrom->pOn->iPos : pFrom->iPos,
                    "a streaming join needs an equality between the two "
                    "sides (ON a.k = b.k)");
  }
  j->pJoinFilter = pFilter;
  /* a windowed join: same window on both sides, joined on its bounds */
  if (bWinL && bWinR && wl.kind == wr.kind && wl.size == wr.size &&
      wl.slide == wr.slide && wl.offset == wr.offset && wl.gap == wr.gap) {
    int bStart = 0, bEnd = 0;
    for (i = 0; i < j->nJoinKey; i++) {
      if (j->aLeftKey[i] == nL - 2 && j->aRightKey[i] == nR - 2) bStart = 1;
      if (j->aLeftKey[i] == nL - 1 && j->aRightKey[i] == nR - 1) bEnd = 1;
    }
    if (bStart && bEnd) {
      j->window = wl;
      j->window.iTimeCol = nL - 2; /* window_start of the left input */
    }
  }
  f->pPlan = j;
  return 0;
}

/* Plan one FROM item. */
static int plan_from(plan_ctx *p, const ast_from *pFrom, const ast_emit *pEmit,
                     from_res *f) {
  memset(f, 0, sizeof(*f));
  switch (pFrom->kind) {
    case AF_TABLE:
      return plan_named(p, pFrom->zName, pFrom->iPos, pFrom->zAlias, pEmit, f);
    case AF_SUBQUERY: {
      exec_plan *n = plan_select(p, pFrom->pSelect, pEmit);
      if (!n) return 1;
      f->pPlan = n;
      f->iPos = pFrom->iPos;
      scope_from_plan(p, &f->scope, n, pFrom->zAlias);
      return 0;
    }
    case AF_TVF:
      return plan_tvf(p, pFrom->pFunc, pFrom->zAlias, pEmit, f);
    case AF_JOIN:
      return plan_join(p, pFrom, pEmit, f);
  }
  return plan_err(p, pFrom->iPos, "unsupported FROM item");
}

/* ---- EMIT -> trigger ----------------------------------------------------*/

static exec_trig_kind trig_kind(ast_trig_kind k) {
  switch (k) {
    case ATR_EVERY:
      return TRIG_EVERY;
    case ATR_AFTER_DELAY:
      return TRIG_AFTER_DELAY;
    case ATR_AFTER_ROWS:
      return TRIG_AFTER_ROWS;
    case ATR_EVERY_ROW:
      return TRIG_EVERY_ROW;
    default:
      return TRIG_NONE;
  }
}

/*
** The trigger of an aggregate from its EMIT clause (or none), following
** DESIGN.md §2.3: a windowed aggregate defaults to AFTER WATERMARK
** DISCARDING, an unwindowed one to EMIT CHANGES (early EVERY ROW,
** RETRACTING); an explicit accumulation mode wins, otherwise CHANGES /
** STREAM and unwindowed aggregates retract and windowed ones discard.
** Allowed lateness without a late trigger fires a late pane per batch.
*/
static int make_trigger(plan_ctx *p, const ast_emit *em, int bWindow,
                        int64_t defLateness, exec_trigger *t) {
  memset(t, 0, sizeof(*t));
  if (em) p->nEmitUsed++;
  t->lateness = defLateness > 0 ? defLateness : 0;
  if (!em) {
    if (bWindow) {
      t->bOnTime = 1;
      t->accum = ACC_DISCARDING;
    } else {
      t->early = TRIG_EVERY_ROW;
      t->accum = ACC_RETRACTING;
    }
  } else {
    t->bOnTime = em->bOnTime;
    t->early = trig_kind(em->early);
    t->earlyArg = em->earlyArg;
    t->late = trig_kind(em->late);
    t->lateArg = em->lateArg;
    if (em->lateness >= 0) t->lateness = em->lateness;
    if (em->closeDelay > 0 && bWindow) {
      t->closeDelay = em->closeDelay;
      t->lateness = em->closeDelay;
    }
    if ((t->early != TRIG_NONE && t->early != TRIG_EVERY_ROW &&
         t->earlyArg <= 0) ||
        (t->late != TRIG_NONE && t->late != TRIG_EVERY_ROW &&
         t->lateArg <= 0)) {
      return plan_err(p, em->iPos,
                      "EMIT trigger interval or row count "
                      "must be positive");
    }
    if (!t->bOnTime && t->early == TRIG_NONE && t->late == TRIG_NONE) {
      if (bWindow) {
        t->bOnTime = 1;
      } else {
        t->early = TRIG_EVERY_ROW;
      }
    }
    switch (em->accum) {
      case AACC_DISCARDING:
        t->accum = ACC_DISCARDING;
        break;
      case AACC_ACCUMULATING:
        t->accum = ACC_ACCUMULATING;
        break;
      case AACC_RETRACTING:
        t->accum = ACC_RETRACTING;
        break;
      default:
        t->accum =
            (em->style == AEM_CHANGES || em->style == AEM_STREAM || !bWindow)
                ? ACC_RETRACTING
                : ACC_DISCARDING;
    }
  }
  /* Beam's default late firing (a pane per late batch) belongs to the
  ** on-time trigger; a trigger list without AFTER WATERMARK keeps firing
  ** by its early trigger after the watermark, as LATE panes (exec does
  ** that when late is left unset). */
  if (t->lateness > 0 && t->late == TRIG_NONE && bWindow && t->bOnTime &&
      !t->closeDelay) {
    t->late = TRIG_EVERY_ROW;
  }
  return 0;
}

/* ---- SELECT list helpers ------------------------------------------------*/

/* Growable list of output expressions and names. */
typedef struct out_list {
  int n, nAlloc;
  exec_expr **a;
  const char **az;
} out_list;

static void out_add(plan_ctx *p, out_list *o, exec_expr *x, const char *z) {
  if (o->n == o->nAlloc) {
    int nNew = o->nAlloc ? o->nAlloc * 2 : 16;
    exec_expr **a = common_arena_alloc(p->a, sizeof(*a) * nNew);
    const char **az = common_arena_alloc(p->a, sizeof(*az) * nNew);
    if (o->n) {
      memcpy(a, o->a, sizeof(*a) * o->n);
      memcpy(az, o->az, sizeof(*az) * o->n);
    }
    o->a = a;
    o->az = az;
    o->nAlloc = nNew;
  }
  o->a[o->n] = x;
  o->az[o->n] = z;
  o->n++;
}

/* Bind the select list into o (expanding * and t.*). */
static int bind_select_list(plan_bind *b, const ast_list *pCols, out_list *o) {
  plan_ctx *p = b->p;
  int i, j;
  for (i = 0; pCols && i < pCols->n; i++) {
    const ast_expr *e = pCols->a[i];
    const char *zAlias = pCols->azAlias ? pCols->azAlias[i] : NULL;
    if (e->kind == AE_COLUMN && strcmp(e->zName, "*") == 0) {
      const plan_scope *s = b->pScope;
      int nAdded = 0;
      if (b->pAgg) {
        return plan_err(p, e->iPos,
                        "SELECT * is not allowed with GROUP BY "
                        "or aggregates; name the columns");
      }
      for (j = 0; j < s->nCol; j++) {
        if (e->zTable &&
            (!s->azTable[j] || common_stricmp(e->zTable, s->azTable[j]) != 0)) {
          continue;
        }
        if (!e->zTable && s->aHidden[j]) continue;
        out_add(p, o, plan_expr_col(p, j, s->aType[j]), s->azName[j]);
        nAdded++;
      }
      if (e->zTable && nAdded == 0) {
        return plan_err(p, e->iPos, "unknown table or alias \"%s\"", e->zTable);
      }
      if (nAdded == 0) {
        return plan_err(p, e->iPos, "SELECT * needs a FROM clause");
      }
      continue;
    }
    {
      exec_expr *x = plan_bind_expr(b, e);
      if (!x) return 1;
      out_add(
          p, o, x,
          zAlias ? common_arena_strdup(p->a, zAlias) : plan_expr_name(p, e));
    }
  }
  return 0;
}

/* Append projection x named zName to ParDo n; returns its column. */
static int pardo_append(plan_ctx *p, exec_plan *n, exec_expr *x,
                        const char *zName) {
  int nOld = n->nProj;
  exec_expr **a = common_arena_alloc(p->a, sizeof(exec_expr *) * (nOld + 1));
  char **az = common_arena_alloc(p->a, sizeof(char *) * (nOld + 2));
  uint8_t *at = common_arena_alloc(p->a, (size_t)nOld + 2);
  if (nOld) {
    memcpy(a, n->aProj, sizeof(exec_expr *) * nOld);
    memcpy(az, n->schema.azName, sizeof(char *) * nOld);
    memcpy(at, n->schema.aType, (size_t)nOld);
  }
  a[nOld] = x;
  az[nOld] = common_arena_strdup(p->a, zName);
  at[nOld] = x->type;
  n->aProj = a;
  n->schema.azName = az;
  n->schema.aType = at;
  n->nProj = n->schema.nCol = nOld + 1;
  return nOld;
}

/*
** Expose pane metadata column m of the aggregate under the ParDo chain n
** (a view or subquery that aggregates) as a new output column of n, so a
** query over it may select pane_timing, ver, ... Returns the column, or
** -1 when there is no such aggregate right below.
*/
int plan_expose_meta(plan_ctx *p, exec_plan *n, int m) {
  static const char *const azMeta[] = {"pane_timing", "pane_index", "emit_time",
                                       "ver"};
  exec_plan *c;
  int i;
  if (n->kind != PLAN_PARDO || n->nChild != 1) return -1;
  c = n->aChild[0];
  if (c->kind == PLAN_AGG) {
    int iMeta = c->schema.nCol - 4 + m;
    if (m < 3) c->bPaneMetaUsed = 1;
    for (i = 0; i < n->nProj; i++) {
      if (n->aProj[i]->kind == EXPR_COL && n->aProj[i]->iCol == iMeta) {
        return i;
      }
    }
    return pardo_append(p, n, plan_expr_col(p, iMeta, c->schema.aType[iMeta]),
                        azMeta[m]);
  }
  i = plan_expose_meta(p, c, m);
  if (i < 0) return -1;
  return pardo_append(p, n, plan_expr_col(p, i, c->schema.aType[i]), azMeta[m]);
}

/* Replace pane-metadata placeholders (see bind.c) by their columns.
** Returns how many of them describe the pane itself. */
static int fix_meta(exec_expr *x, int iMeta) {
  int i, n = 0;
  if (!x) return 0;
  if (x->kind == EXPR_COL && x->iCol <= -100) {
    /* pane_timing, pane_index and emit_time describe the pane (m < 3);
    ** ver numbers changelog rows, decided only once a row is emitted. */
    if (-100 - x->iCol < 3) n++;
    x->iCol = iMeta + (-100 - x->iCol);
  }
  for (i = 0; i < x->nArg; i++) n += fix_meta(x->aArg[i], iMeta);
  return n;
}

/* Is the expression type BOOLEAN (or the NULL literal)? */
static int check_bool(plan_ctx *p, const exec_expr *x, const char *zWhat,
                      int iPos) {
  if (x->type == WEIR_BOOLEAN || x->type == WEIR_NULL_TYPE) return 0;
  return plan_err(p, iPos, "%s must be BOOLEAN, not %s", zWhat,
                  exec_type_name(x->type));
}

/* Does the SELECT aggregate? */
static int select_aggregates(const ast_select *s) {
  int i;
  if (s->pGroupBy || s->pHaving || s->pKWindow) return 1;
  for (i = 0; s->pCols && i < s->pCols->n; i++) {
    if (plan_has_agg(s->pCols->a[i])) return 1;
  }
  return 0;
}

/* Is group-by item e a reference to a TVF's window bound? */
static int is_window_ref(const from_res *f, const ast_expr *e) {
  int i;
  if (!f->bTvf || e->kind != AE_COLUMN) return 0;
  i = plan_scope_find(&f->scope, e->zTable, e->zName);
  return i >= 0 && f->scope.aKind[i] != SCOPE_REAL;
}

/* ---- aggregation ------------------------------------------------------- */

/* Count e's column references to a TVF's virtual window bounds (*pnWin)
** and to anything else (*pnOther). */
static void count_col_refs(const plan_scope *s, const ast_expr *e, int *pnWin,
                           int *pnOther) {
  int i;
  if (!e) return;
  if (e->kind == AE_COLUMN) {
    int k = plan_scope_find(s, e->zTable, e->zName);
    if (k >= 0 && s->aKind[k] != SCOPE_REAL) {
      (*pnWin)++;
    } else {
      (*pnOther)++;
    }
    return;
  }
  if (e->pSelect) (*pnOther)++;
  count_col_refs(s, e->pLeft, pnWin, pnOther);
  count_col_refs(s, e->pRight, pnWin, pnOther);
  count_col_refs(s, e->pFilter, pnWin, pnOther);
  for (i = 0; e->pArgs && i < e->pArgs->n; i++) {
    count_col_refs(s, e->pArgs->a[i], pnWin, pnOther);
  }
}

/* The ksqlDB WINDOW clause's time column: the source's watermark column,
** or the only TIMESTAMP column. */
static int kwindow_time_col(plan_ctx *p, const from_res *f, int iPos) {
  int i, iFound = -1, n = 0;
  if (f->pPlan->kind == PLAN_READ && f->pPlan->iWmCol >= 0) {
    return f->pPlan->iWmCol;
  }
  for (i = 0; i < f->scope.nCol; i++) {
    if (f->scope.aType[i] == WEIR_TIMESTAMP && f->scope.aKind[i] == 0) {
      iFound = i;
      n++;
    }
  }
  if (n == 1) return iFound;
  plan_err(p, iPos,
           "WINDOW clause needs an event-time column: declare "
           "WATERMARK FOR on the source%s",
           n > 1 ? " (several TIMESTAMP columns)" : "");
  return -2;
}

/* Plan an aggregating SELECT over the FROM result f. */
static exec_plan *plan_aggregate(plan_ctx *p, const ast_select *sel,
                                 from_res *f, const ast_list *pGroupBy,
                                 const ast_emit *pEmit) {
  plan_agg g;
  plan_bind b;
  exec_window win;
  exec_expr *pWhere = NULL, *pHaving = NULL;
  exec_plan *pre, *agg, *post;
  out_list o;
  int64_t defLateness = 0;
  int i, nOut, iMeta, nMetaUsed = 0;
  const char **az;
  uint8_t *at;
  ast_list *pCols = sel->pCols;
  const ast_expr **aWinWhere = NULL;
  int nWinWhere = 0;

  memset(&g, 0, sizeof(g));
  memset(&o, 0, sizeof(o));
  memset(&win, 0, sizeof(win));
  win.iTimeCol = -1;
  g.pIn = &f->scope;
  g.aKeyAst = common_arena_alloc(
      p->a, sizeof(ast_expr *) * ((pGroupBy ? pGroupBy->n : 0) + 1));
  g.aKeyPre = common_arena_alloc(
      p->a, sizeof(int) * ((pGroupBy ? pGroupBy->n : 0) + 1));

  memset(&b, 0, sizeof(b));
  b.p = p;
  b.pScope = &f->scope;
  if (sel->pWhere) {
    /* Conjuncts that only read a window TVF's bounds filter windows, not
    ** rows: they run after the aggregate (the same result, since every
    ** row of a window shares its bounds). The rest filter input rows. */
    int nConj = count_and(sel->pWhere), k;
    const ast_expr **aConj =
        common_arena_alloc(p->a, sizeof(ast_expr *) * nConj);
    int nGot = 0;
    split_and(sel->pWhere, aConj, &nGot, nConj);
    aWinWhere = common_arena_alloc(p->a, sizeof(ast_expr *) * nConj);
    b.zClause = "WHERE";
    for (k = 0; k < nGot; k++) {
      int nWin = 0, nOther = 0;
      exec_expr *x;
      if (f->bTvf) count_col_refs(&f->scope, aConj[k], &nWin, &nOther);
      if (nWin > 0 && nOther == 0) {
        aWinWhere[nWinWhere++] = aConj[k];
        continue;
      }
      x = plan_bind_expr(&b, aConj[k]);
      if (!x) return NULL;
      if (check_bool(p, x, "WHERE", aConj[k]->iPos)) return NULL;
      pWhere = pWhere ? plan_expr_call(p, aConj[k]->iPos, "AND", 2,
                                       (exec_expr *[]){pWhere, x})
                      : x;
      if (!pWhere) return NULL;
    }
  }

  /* the window: a TVF in FROM, the ksqlDB clause, or GROUP BY TUMBLE() */
  if (f->bTvf) {
    win = f->win;
    g.bWindow = 1;
    g.zWinFn = f->zWinFn;
    if (win.iTimeCol >= 0) {
      win.iTimeCol =
          plan_agg_pre(p, &g, plan_expr_col(p, win.iTimeCol, WEIR_TIMESTAMP),
                       f->scope.azName[win.iTimeCol]);
    }
  }
  if (sel->pKWindow) {
    const ast_kwindow *k = sel->pKWindow;
    int iTime;
    if (g.bWindow) {
      plan_err(p, k->iPos,
               "only one window per query (WINDOW clause and a "
               "window table function)");
      return NULL;
    }
    iTime = kwindow_time_col(p, f, k->iPos);
    if (iTime == -2) return NULL;
    if (k->size <= 0 || (k->kind == AKW_HOPPING && k->advance <= 0)) {
      plan_err(p, k->iPos, "window SIZE and ADVANCE BY must be positive");
      return NULL;
    }
    win.kind = k->kind == AKW_TUMBLING  ? WIN_TUMBLE
               : k->kind == AKW_HOPPING ? WIN_HOP
                                        : WIN_SESSION;
    if (win.kind == WIN_SESSION) {
      win.gap = k->size;
    } else {
      win.size = k->size;
      win.slide = k->kind == AKW_HOPPING ? k->advance : 0;
    }
    win.iTimeCol =
        plan_agg_pre(p, &g, plan_expr_col(p, iTime, f->scope.aType[iTime]),
                     f->scope.azName[iTime]);
    if (k->grace >= 0) defLateness = k->grace;
    g.bWindow = 1;
    g.zWinFn = k->kind == AKW_TUMBLING  ? "TUMBLE"
               : k->kind == AKW_HOPPING ? "HOP"
                                        : "SESSION";
  }

  /* GROUP BY: keys and at most one group window */
  b.zClause = "GROUP BY";
  for (i = 0; pGroupBy && i < pGroupBy->n; i++) {
    const ast_expr *e = pGroupBy->a[i];
    exec_expr *x;
    int j;
    if (is_window_ref(f, e)) continue;
    if (e->kind == AE_FUNC && find_win_sig(e->zName)) {
      const win_sig *w = find_win_sig(e->zName);
      const ast_expr *aSlot[5];
      if (g.bWindow) {
        plan_err(p, e->iPos, "only one window per GROUP BY");
        return NULL;
      }
      if (window_slots(p, e, w, 0, aSlot)) return NULL;
      if (window_intervals(p, w, aSlot, &win)) return NULL;
      if (is_proctime(aSlot[1])) {
        win.iTimeCol = -1;
      } else {
        x = plan_bind_expr(&b, aSlot[1]);
        if (!x) return NULL;
        if (x->type != WEIR_TIMESTAMP) {
          plan_err(p, aSlot[1]->iPos,
                   "window time column must be "
                   "TIMESTAMP, not %s",
                   exec_type_name(x->type));
          return NULL;
        }
        win.iTimeCol = plan_agg_pre(p, &g, x, plan_expr_name(p, aSlot[1]));
      }
      g.bWindow = 1;
      g.zWinFn = w->zFn;
      g.pWinCall = e;
      continue;
    }
    for (j = 0; j < g.nKey; j++) {
      if (plan_ast_equal(&f->scope, g.aKeyAst[j], e)) break;
    }
    if (j < g.nKey) continue;
    x = plan_bind_expr(&b, e);
    if (!x) return NULL;
    g.aKeyAst[g.nKey] = e;
    g.aKeyPre[g.nKey] = plan_agg_pre(p, &g, x, plan_expr_name(p, e));
    g.nKey++;
  }
  /* Flink's SESSION(TABLE t PARTITION BY k, ...): sessions are per
  ** partition key; weir's are per group key, so the two must agree. */
  if (f->pPartition) {
    int j, bSame = f->pPartition->n == g.nKey;
    for (i = 0; bSame && i < f->pPartition->n; i++) {
      for (j = 0; j < g.nKey; j++) {
        if (plan_ast_equal(&f->scope, g.aKeyAst[j], f->pPartition->a[i]))
          break;
      }
      bSame = j < g.nKey;
    }
    if (!bSame) {
      plan_err(p, f->pPartition->a[0]->iPos,
               "SESSION ... PARTITION BY must list the GROUP BY keys (other "
               "than window_start, window_end): sessions are per group key");
      return NULL;
    }
  }
  /* window columns of a TVF must be grouped by to window the aggregate */

  /* the select list and HAVING, over the aggregate's output */
  b.pAgg = &g;
  b.bAggOk = 1;
  b.zClause = "SELECT";
  if (bind_select_list(&b, pCols, &o)) return NULL;
  if (sel->pHaving) {
    b.zClause = "HAVING";
    b.pAliasCols = pCols;
    pHaving = plan_bind_expr(&b, sel->pHaving);
    if (!pHaving) return NULL;
    if (check_bool(p, pHaving, "HAVING", sel->pHaving->iPos)) return NULL;
  }
  for (i = 0; i < nWinWhere; i++) {
    exec_expr *x;
    b.zClause = "WHERE";
    b.bAggOk = 0;
    b.pAliasCols = NULL;
    x = plan_bind_expr(&b, aWinWhere[i]);
    if (!x) return NULL;
    if (check_bool(p, x, "WHERE", aWinWhere[i]->iPos)) return NULL;
    pHaving = pHaving ? plan_expr_call(p, aWinWhere[i]->iPos, "AND", 2,
                                       (exec_expr *[]){pHaving, x})
                      : x;
    if (!pHaving) return NULL;
  }
  iMeta = g.nKey + (g.bWindow ? 2 : 0) + g.nAgg;
  for (i = 0; i < o.n; i++) nMetaUsed += fix_meta(o.a[i], iMeta);
  fix_meta(pHaving, iMeta);

  /* pre-projection */
  if (g.nPre == 0) {
    /* COUNT(*) alone: keep one column so batches have a width */
    exec_value v;
    memset(&v, 0, sizeof(v));
    v.type = WEIR_BOOLEAN;
    v.u.i = 1;
    plan_agg_pre(p, &g, plan_expr_const(p, &v), "one");
  }
  pre = new_pardo(p, f->pPlan, pWhere, g.nPre, g.aPre, g.azPre);

  /* Session windows over a changelog: a retraction of the row that
  ** bridged two sessions would have to split the merged one again, which
  ** the operator does not do; refuse rather than answer wrongly (Flink
  ** refuses too). */
  if (g.bWindow && win.kind == WIN_SESSION && plan_may_retract(f->pPlan)) {
    plan_err(p, sel->iPos,
             "SESSION windows over an updating input (an aggregate or join "
             "that retracts) are not supported");
    return NULL;
  }

  /* the aggregate */
  agg = new_node(p, PLAN_AGG, pre);
  agg->window = g.bWindow ? win : agg->window;
  agg->bUnbounded = !g.bWindow;
  agg->bPaneMetaUsed = nMetaUsed > 0;
  agg->nKey = g.nKey;
  agg->aKeyCol = common_arena_alloc(p->a, sizeof(int) * (g.nKey + 1));
  for (i = 0; i < g.nKey; i++) agg->aKeyCol[i] = g.aKeyPre[i];
  agg->nAgg = g.nAgg;
  agg->aAgg = g.aAgg;
  if (make_trigger(p, sel->pEmit ? sel->pEmit : pEmit, g.bWindow, defLateness,
                   &agg->trigger)) {
    return NULL;
  }
  nOut = iMeta + 4;
  az = common_arena_alloc(p->a, sizeof(char *) * nOut);
  at = common_arena_alloc(p->a, (size_t)nOut);
  for (i = 0; i < g.nKey; i++) {
    az[i] = g.azPre[g.aKeyPre[i]];
    at[i] = g.aPre[g.aKeyPre[i]]->type;
  }
  if (g.bWindow) {
    az[g.nKey] = "window_start";
    az[g.nKey + 1] = "window_end";
    at[g.nKey] = at[g.nKey + 1] = WEIR_TIMESTAMP;
  }
  for (i = 0; i < g.nAgg; i++) {
    az[iMeta - g.nAgg + i] = g.azAgg[i];
    at[iMeta - g.nAgg + i] = g.aAgg[i].resType;
  }
  az[iMeta] = "pane_timing";
  at[iMeta] = WEIR_VARCHAR;
  az[iMeta + 1] = "pane_index";
  at[iMeta + 1] = WEIR_BIGINT;
  az[iMeta + 2] = "emit_time";
  at[iMeta + 2] = WEIR_TIMESTAMP;
  az[iMeta + 3] = "ver";
  at[iMeta + 3] = WEIR_BIGINT;
  set_schema(p, agg, nOut, az, at);

  post = new_pardo(p, agg, pHaving, o.n, o.a, o.az);
  return post;
}

/* ---- VALUES and SELECT without FROM ------------------------------------- */

/* VALUES (..), (..): constant rows. */
static exec_plan *plan_values(plan_ctx *p, const ast_select *sel) {
  const ast_list *v = sel->pValues;
  exec_plan *n;
  int nCol = -1, r, c;
  uint8_t *at;
  const char **az;
  exec_value **aa;
  if (!v || v->n == 0) {
    plan_err(p, sel->iPos, "VALUES needs at least one row");
    return NULL;
  }
  aa = common_arena_alloc(p->a, sizeof(exec_value *) * v->n);
  for (r = 0; r < v->n; r++) {
    const ast_expr *row = v->a[r];
    const ast_list *pArgs = row->kind == AE_FUNC ? row->pArgs : NULL;
    int nThis = pArgs ? pArgs->n : 1;
    if (nCol < 0) nCol = nThis;
    if (nThis != nCol) {
      plan_err(p, row->iPos,
               "VALUES rows must all have %d values, this "
               "one has %d",
               nCol, nThis);
      return NULL;
    }
    aa[r] = common_arena_zalloc(p->a, sizeof(exec_value) * (nCol + 1));
    for (c = 0; c < nCol; c++) {
      const ast_expr *e = pArgs ? pArgs->a[c] : row;
      if (plan_fold_const(p, e, &aa[r][c])) return NULL;
    }
  }
  at = common_arena_zalloc(p->a, (size_t)nCol + 1);
  az = common_arena_alloc(p->a, sizeof(char *) * (nCol + 1));
  for (c = 0; c < nCol; c++) {
    az[c] = common_arena_printf(p->a, "column%d", c + 1);
    for (r = 0; r < v->n; r++) {
      int t = aa[r][c].type;
      if (t == WEIR_NULL_TYPE) continue;
      if (at[c] == 0 || at[c] == t) {
        at[c] = (uint8_t)t;
      } else if ((at[c] == WEIR_BIGINT && t == WEIR_DOUBLE) ||
                 (at[c] == WEIR_DOUBLE && t == WEIR_BIGINT)) {
        at[c] = WEIR_DOUBLE;
      } else {
        plan_err(p, v->a[r]->iPos, "VALUES column %d mixes %s and %s", c + 1,
                 exec_type_name(at[c]), exec_type_name(t));
        return NULL;
      }
    }
    if (at[c] == 0) at[c] = WEIR_VARCHAR;
    for (r = 0; r < v->n; r++) {
      exec_value *x = &aa[r][c];
      if (x->type == WEIR_NULL_TYPE || x->isNull) {
        x->isNull = 1;
      } else if (at[c] == WEIR_DOUBLE && x->type == WEIR_BIGINT) {
        x->u.f = (double)x->u.i;
      }
      x->type = at[c];
    }
  }
  n = new_node(p, PLAN_VALUES, NULL);
  set_schema(p, n, nCol, az, at);
  n->nRow = v->n;
  n->aaRow = aa;
  return n;
}

/* GROUP BY 2 (an ordinal) and GROUP BY alias (a select-list alias that
** is not a column name) stand for that select item: return the list with
** them substituted. NULL after an error. */
static const ast_list *resolve_group_by(plan_ctx *p, const ast_list *pGroupBy,
                                        const ast_list *pCols,
                                        const plan_scope *pScope) {
  ast_list *r = common_arena_zalloc(p->a, sizeof(*r));
  int i, j;
  r->n = r->nAlloc = pGroupBy->n;
  r->a = common_arena_zalloc(p->a, sizeof(ast_expr *) * (pGroupBy->n + 1));
  r->azAlias = common_arena_zalloc(p->a, sizeof(char *) * (pGroupBy->n + 1));
  for (i = 0; i < pGroupBy->n; i++) {
    const ast_expr *e = pGroupBy->a[i];
    if (e->kind == AE_INT) {
      if (!pCols || e->iVal < 1 || e->iVal > pCols->n) {
        plan_err(p, e->iPos,
                 "GROUP BY position %lld is not in the select "
                 "list",
                 (long long)e->iVal);
        return NULL;
      }
      e = pCols->a[e->iVal - 1];
      if (plan_has_agg(e)) {
        plan_err(p, pGroupBy->a[i]->iPos,
                 "GROUP BY position %lld refers "
                 "to an aggregate",
                 (long long)pGroupBy->a[i]->iVal);
        return NULL;
      }
    } else if (e->kind == AE_COLUMN && !e->zTable && pCols &&
               plan_scope_find(pScope, NULL, e->zName) == -1) {
      for (j = 0; j < pCols->n; j++) {
        if (pCols->azAlias && pCols->azAlias[j] &&
            common_stricmp(pCols->azAlias[j], e->zName) == 0 &&
            !plan_has_agg(pCols->a[j])) {
          e = pCols->a[j];
          break;
        }
      }
    }
    r->a[i] = (ast_expr *)e;
  }
  return r;
}

/* Plan one SELECT (no UNION ALL chain). */
static exec_plan *plan_core(plan_ctx *p, const ast_select *sel,
                            const ast_emit *pEmit) {
  from_res f;
  const ast_list *pGroupBy = sel->pGroupBy;
  const ast_emit *pMyEmit = sel->pEmit ? sel->pEmit : pEmit;
  int bAgg;
  if (sel->pOrderBy && sel->pOrderBy->n > 0) {
    plan_err(p, sel->pOrderBy->a[0]->iPos,
             "ORDER BY is not supported on "
             "streams yet");
    return NULL;
  }
  if (sel->pLimit) {
    plan_err(p, sel->pLimit->iPos, "LIMIT is not supported on streams yet");
    return NULL;
  }
  if (sel->pValues) return plan_values(p, sel);
  bAgg = select_aggregates(sel);
  if (sel->bDistinct && !bAgg) {
    int i;
    for (i = 0; sel->pCols && i < sel->pCols->n; i++) {
      const ast_expr *e = sel->pCols->a[i];
      if (e->kind == AE_COLUMN && strcmp(e->zName, "*") == 0) {
        plan_err(p, e->iPos,
                 "SELECT DISTINCT * is not supported; name the "
                 "columns");
        return NULL;
      }
    }
    pGroupBy = sel->pCols;
    bAgg = 1;
  } else if (sel->bDistinct) {
    plan_err(p, sel->iPos,
             "SELECT DISTINCT with GROUP BY or aggregates is "
             "not supported yet");
    return NULL;
  }
  memset(&f, 0, sizeof(f));
  if (sel->pFrom) {
    const ast_expr *pSavedWhere = p->pJoinWhere;
    int rc;
    p->pJoinWhere = sel->pWhere;
    rc = plan_from(p, sel->pFrom, bAgg ? NULL : pMyEmit, &f);
    p->pJoinWhere = pSavedWhere;
    if (rc) return NULL;
  } else {
    exec_plan *v = new_node(p, PLAN_VALUES, NULL);
    v->nRow = 1;
    v->aaRow = common_arena_zalloc(p->a, sizeof(exec_value *));
    v->aaRow[0] = common_arena_zalloc(p->a, sizeof(exec_value));
    set_schema(p, v, 0, NULL, NULL);
    f.pPlan = v;
    scope_init(p, &f.scope, 0);
  }
  if (bAgg && pGroupBy && pGroupBy != sel->pCols) {
    pGroupBy = resolve_group_by(p, pGroupBy, sel->pCols, &f.scope);
    if (!pGroupBy) return NULL;
  }
  if (f.bTvf) {
    int i, bGrouped = 0;
    for (i = 0; bAgg && pGroupBy && i < pGroupBy->n; i++) {
      if (is_window_ref(&f, pGroupBy->a[i])) bGrouped = 1;
    }
    if (!bGrouped && materialize_window(p, &f)) return NULL;
  }
  if (bAgg) return plan_aggregate(p, sel, &f, pGroupBy, pMyEmit);
  {
    plan_bind b;
    exec_expr *pWhere = NULL;
    out_list o;
    memset(&b, 0, sizeof(b));
    memset(&o, 0, sizeof(o));
    b.p = p;
    b.pScope = &f.scope;
    b.pMetaSrc = f.pPlan;
    if (sel->pWhere) {
      b.zClause = "WHERE";
      pWhere = plan_bind_expr(&b, sel->pWhere);
      if (!pWhere) return NULL;
      if (check_bool(p, pWhere, "WHERE", sel->pWhere->iPos)) return NULL;
    }
    b.zClause = "SELECT";
    if (bind_select_list(&b, sel->pCols, &o)) return NULL;
    return new_pardo(p, f.pPlan, pWhere, o.n, o.a, o.az);
  }
}

/* Unify the column types of two UNION ALL arms; 0 when incompatible. */
static int union_type(int a, int b) {
  if (a == b) return a;
  if (a == WEIR_NULL_TYPE) return b;
  if (b == WEIR_NULL_TYPE) return a;
  if ((a == WEIR_BIGINT && b == WEIR_DOUBLE) ||
      (a == WEIR_DOUBLE && b == WEIR_BIGINT)) {
    return WEIR_DOUBLE;
  }
  return 0;
}

/* Cast a plan's output to the given types with a PARDO (if needed). */
static exec_plan *cast_to(plan_ctx *p, exec_plan *n, const uint8_t *aType) {
  int i, nCol = n->schema.nCol, bSame = 1;
  exec_expr **a;
  for (i = 0; i < nCol; i++) {
    if (n->schema.aType[i] != aType[i]) bSame = 0;
  }
  if (bSame) return n;
  a = common_arena_alloc(p->a, sizeof(exec_expr *) * nCol);
  for (i = 0; i < nCol; i++) {
    a[i] = plan_expr_col(p, i, n->schema.aType[i]);
    if (n->schema.aType[i] != aType[i]) {
      exec_expr *x = common_arena_zalloc(p->a, sizeof(*x));
      x->kind = EXPR_CAST;
      x->type = aType[i];
      x->nArg = 1;
      x->aArg = common_arena_alloc(p->a, sizeof(exec_expr *));
      x->aArg[0] = a[i];
      x->zFn = "CAST";
      a[i] = x;
    }
  }
  return new_pardo(p, n, NULL, nCol, a, (const char *const *)n->schema.azName);
}

/*
** Plan a SELECT with its WITH clause and UNION ALL chain into a sub-plan
** (no sink). pEmit is the EMIT an enclosing non-aggregating query passes
** down to the aggregate it reads. Returns NULL after an error.
*/
exec_plan *plan_select(plan_ctx *p, const ast_select *pSel,
                       const ast_emit *pEmit) {
  plan_cte *pSaved = p->pCte;
  exec_plan *pRet = NULL;
  const ast_select *s;
  const ast_emit *pChainEmit = pEmit;
  int i, nArm = 0;
  for (i = 0; i < pSel->nCte; i++) {
    plan_cte *c = common_arena_zalloc(p->a, sizeof(*c));
    c->zName = pSel->aCte[i].zName;
    c->pSelect = pSel->aCte[i].pSelect;
    c->zSql = p->zSql;
    c->pPrev = p->pCte;
    p->pCte = c;
  }
  for (s = pSel; s; s = s->pUnionAll) {
    nArm++;
    if (s->pEmit) pChainEmit = s->pEmit;
  }
  if (nArm == 1) {
    pRet = plan_core(p, pSel, pEmit);
  } else {
    exec_plan **aArm = common_arena_alloc(p->a, sizeof(exec_plan *) * nArm);
    uint8_t *aType = NULL;
    int nCol = 0, j;
    for (s = pSel, i = 0; s; s = s->pUnionAll, i++) {
      aArm[i] = plan_core(p, s, pChainEmit);
      if (!aArm[i]) goto done;
      if (i == 0) {
        nCol = aArm[0]->schema.nCol;
        aType = common_arena_alloc(p->a, (size_t)nCol + 1);
        memcpy(aType, aArm[0]->schema.aType, (size_t)nCol);
      } else if (aArm[i]->schema.nCol != nCol) {
        plan_err(p, s->iPos,
                 "UNION ALL arms have different numbers of "
                 "columns (%d and %d)",
                 nCol, aArm[i]->schema.nCol);
        goto done;
      } else {
        for (j = 0; j < nCol; j++) {
          int t = union_type(aType[j], aArm[i]->schema.aType[j]);
          if (!t) {
            plan_err(p, s->iPos, "UNION ALL column %d has types %s and %s",
                     j + 1, exec_type_name(aType[j]),
                     exec_type_name(aArm[i]->schema.aType[j]));
            goto done;
          }
          aType[j] = (uint8_t)t;
        }
      }
    }
    pRet = new_node(p, PLAN_FLATTEN, NULL);
    pRet->nChild = nArm;
    pRet->aChild = aArm;
    for (i = 0; i < nArm; i++) aArm[i] = cast_to(p, aArm[i], aType);
    set_schema(p, pRet, nCol, (const char *const *)aArm[0]->schema.azName,
               aType);
  }
done:
  p->pCte = pSaved;
  return p->nErr ? NULL : pRet;
}

/* ---- finishing: ids and needed columns ----------------------------------- */

static void mark_cols(const exec_expr *x, uint8_t *m, int n) {
  int i;
  if (!x) return;
  if (x->kind == EXPR_COL && x->iCol >= 0 && x->iCol < n) m[x->iCol] = 1;
  for (i = 0; i < x->nArg; i++) mark_cols(x->aArg[i], m, n);
}

/* Tell Reads which columns are read, given which of n's output columns
** its consumer needs (aNeed NULL: all). */
static void need_cols(plan_ctx *p, exec_plan *n, const uint8_t *aNeed) {
  int i, nIn = n->nChild ? n->aChild[0]->schema.nCol : 0;
  uint8_t *m = common_arena_zalloc(p->a, (size_t)nIn + 1);
  switch (n->kind) {
    case PLAN_READ:
      for (i = 0; i < n->schema.nCol; i++) {
        if (!aNeed || aNeed[i]) n->aNeeded[i] = 1;
      }
      if (n->iWmCol >= 0 && n->iWmCol < n->schema.nCol) {
        n->aNeeded[n->iWmCol] = 1;
      }
      return;
    case PLAN_VALUES:
      return;
    case PLAN_PARDO:
      mark_cols(n->pFilter, m, nIn);
      for (i = 0; i < n->nProj; i++) {
        if (!aNeed || aNeed[i]) mark_cols(n->aProj[i], m, nIn);
      }
      break;
    case PLAN_WINDOW:
      for (i = 0; i < nIn; i++) m[i] = !aNeed || aNeed[i];
      if (n->window.iTimeCol >= 0 && n->window.iTimeCol < nIn) {
        m[n->window.iTimeCol] = 1;
      }
      break;
    case PLAN_AGG:
      for (i = 0; i < n->nKey; i++) {
        if (n->aKeyCol[i] < nIn) m[n->aKeyCol[i]] = 1;
      }
      for (i = 0; i < n->nAgg; i++) {
        if (n->aAgg[i].iArg >= 0 && n->aAgg[i].iArg < nIn) {
          m[n->aAgg[i].iArg] = 1;
        }
        if (n->aAgg[i].iFilter >= 0 && n->aAgg[i].iFilter < nIn) {
          m[n->aAgg[i].iFilter] = 1;
        }
      }
      if (n->window.kind != WIN_NONE && n->window.iTimeCol >= 0 &&
          n->window.iTimeCol < nIn) {
        m[n->window.iTimeCol] = 1;
      }
      for (i = 0; i < n->lateSchema.nCol; i++) {
        if (n->aLateCol[i] < nIn) m[n->aLateCol[i]] = 1;
      }
      break;
    case PLAN_FLATTEN:
      for (i = 0; i < n->nChild; i++) need_cols(p, n->aChild[i], aNeed);
      return;
    case PLAN_JOIN: {
      int nL = n->aChild[0]->schema.nCol, nR = n->aChild[1]->schema.nCol;
      uint8_t *mAll = common_arena_zalloc(p->a, (size_t)(nL + nR) + 1);
      for (i = 0; i < nL + nR; i++) mAll[i] = !aNeed || aNeed[i];
      mark_cols(n->pJoinFilter, mAll, nL + nR);
      for (i = 0; i < n->nJoinKey; i++) {
        mAll[n->aLeftKey[i]] = 1;
        mAll[nL + n->aRightKey[i]] = 1;
      }
      need_cols(p, n->aChild[0], mAll);
      need_cols(p, n->aChild[1], mAll + nL);
      return;
    }
    default:
      for (i = 0; i < n->nChild; i++) need_cols(p, n->aChild[i], NULL);
      return;
  }
  for (i = 0; i < n->nChild; i++) need_cols(p, n->aChild[i], m);
}

/* Count references to each input column in x. */
static void count_refs(const exec_expr *x, int *aCnt, int n) {
  int i;
  if (!x) return;
  if (x->kind == EXPR_COL && x->iCol >= 0 && x->iCol < n) aCnt[x->iCol]++;
  for (i = 0; i < x->nArg; i++) count_refs(x->aArg[i], aCnt, n);
}

/* x with every column reference i replaced by aProj[i]. */
static exec_expr *subst(plan_ctx *p, exec_expr *x, exec_expr **aProj) {
  exec_expr *y;
  int i;
  if (x->kind == EXPR_COL) return aProj[x->iCol];
  if (x->nArg == 0) return x;
  y = common_arena_alloc(p->a, sizeof(*y));
  *y = *x;
  y->aArg = common_arena_alloc(p->a, sizeof(exec_expr *) * x->nArg);
  for (i = 0; i < x->nArg; i++) y->aArg[i] = subst(p, x->aArg[i], aProj);
  return y;
}

/*
** Fuse a ParDo into the ParDo below it (views and subqueries stack them):
** one pass over each batch instead of two. Done only when at most one of
** the two filters exists (so no filter is evaluated on rows the other
** would have dropped) and no non-trivial projection of the lower one
** would be computed twice.
*/
static void fuse_pardos(plan_ctx *p, exec_plan *n) {
  int i;
  for (i = 0; i < n->nChild; i++) fuse_pardos(p, n->aChild[i]);
  while (n->kind == PLAN_PARDO && n->aChild[0]->kind == PLAN_PARDO) {
    exec_plan *c = n->aChild[0];
    int *aCnt = common_arena_zalloc(p->a, sizeof(int) * (c->nProj + 1));
    int bOk = !(n->pFilter && c->pFilter);
    count_refs(n->pFilter, aCnt, c->nProj);
    for (i = 0; i < n->nProj; i++) count_refs(n->aProj[i], aCnt, c->nProj);
    for (i = 0; bOk && i < c->nProj; i++) {
      exec_expr_kind k = c->aProj[i]->kind;
      if (aCnt[i] > 1 && k != EXPR_COL && k != EXPR_CONST && k != EXPR_ROWOP) {
        bOk = 0;
      }
    }
    if (!bOk) break;
    for (i = 0; i < n->nProj; i++) {
      n->aProj[i] = subst(p, n->aProj[i], c->aProj);
    }
    n->pFilter = n->pFilter ? subst(p, n->pFilter, c->aProj) : c->pFilter;
    n->aChild[0] = c->aChild[0];
  }
}

/*
** The unique key of n's output rows, for upsert sinks: the group keys of
** the aggregate that produced them and the window (by either bound), as
** output columns. Each "atom" is one group key or the window; aaAlt[k]
** marks the output columns that carry atom k. Returns the number of
** atoms, or -1 when the rows have no such key (not an aggregate's rows,
** or a key column was projected away).
*/
static int unique_key(plan_ctx *p, const exec_plan *n, uint8_t ***paaAlt) {
  int nAtom, k, j;
  uint8_t **aa;
  if (n->kind == PLAN_AGG) {
    nAtom = n->nKey + (n->window.kind != WIN_NONE ? 1 : 0);
    aa = common_arena_alloc(p->a, sizeof(uint8_t *) * (nAtom + 1));
    for (k = 0; k < nAtom; k++) {
      aa[k] = common_arena_zalloc(p->a, (size_t)n->schema.nCol);
      if (k < n->nKey) {
        aa[k][k] = 1;
      } else {
        aa[k][n->nKey] = aa[k][n->nKey + 1] = 1;
      }
    }
    *paaAlt = aa;
    return nAtom;
  }
  if (n->kind == PLAN_PARDO) {
    uint8_t **aIn;
    nAtom = unique_key(p, n->aChild[0], &aIn);
    if (nAtom < 0) return -1;
    aa = common_arena_alloc(p->a, sizeof(uint8_t *) * (nAtom + 1));
    for (k = 0; k < nAtom; k++) {
      int bAny = 0;
      aa[k] = common_arena_zalloc(p->a, (size_t)n->nProj + 1);
      for (j = 0; j < n->nProj; j++) {
        const exec_expr *x = n->aProj[j];
        if (x->kind == EXPR_COL && x->iCol >= 0 &&
            x->iCol < n->aChild[0]->schema.nCol && aIn[k][x->iCol]) {
          aa[k][j] = 1;
          bAny = 1;
        }
      }
      if (!bAny) return -1;
    }
    *paaAlt = aa;
    return nAtom;
  }
  return -1;
}

/* Give the sink the unique key of its rows (nSinkKey/aSinkKey:
** columns of its schema), when they have one. */
static void sink_key(plan_ctx *p, exec_plan *pSink) {
  uint8_t **aa;
  const exec_plan *c = pSink->aChild[0];
  int nAtom = unique_key(p, c, &aa), k, j, n = 0;
  if (nAtom <= 0) return;
  pSink->aSinkKey = common_arena_alloc(p->a, sizeof(int) * c->schema.nCol);
  for (j = 0; j < c->schema.nCol; j++) {
    for (k = 0; k < nAtom; k++) {
      if (aa[k][j]) {
        pSink->aSinkKey[n++] = j;
        break;
      }
    }
  }
  pSink->nSinkKey = n;
}

static void number_nodes(exec_plan *n, int *pId) {
  int i;
  n->id = (*pId)++;
  for (i = 0; i < n->nChild; i++) number_nodes(n->aChild[i], pId);
}

/*
** Bind and plan query pSel against catalog c; see planner.h. The plan and
** every string it uses live in arena a.
*/
/* Is em no more than EMIT CHANGES / EMIT STREAM (ksqlDB's marker of a
** push query, meaningful on any query)? */
static int emit_is_push_marker(const ast_emit *em) {
  return (em->style == AEM_CHANGES || em->style == AEM_STREAM) &&
         !em->bOnTime && em->late == ATR_NONE && em->lateness < 0 &&
         em->closeDelay == 0 &&
         (em->early == ATR_NONE || em->early == ATR_EVERY_ROW) &&
         (em->accum == AACC_DEFAULT || em->accum == AACC_RETRACTING);
}

int plan_query(plan_catalog *c, const ast_select *pSel, const char *zSql,
               const plan_settings *set, const char *zSinkName, common_arena *a,
               exec_plan **ppPlan, plan_error *err) {
  plan_ctx ctx;
  exec_plan *pBody, *pSink;
  int id = 0;
  (void)set;
  memset(&ctx, 0, sizeof(ctx));
  err->zMsg = NULL;
  err->iPos = -1;
  *ppPlan = NULL;
  ctx.pCat = c;
  ctx.zSql = zSql;
  ctx.a = a;
  ctx.err = err;
  ctx.iOuterPos = -1;
  ctx.zMaintain = set ? set->zMaintain : NULL;
  ctx.bStreamingMode = set ? set->bStreamingMode : 0;
  if (!pSel) {
    plan_err(&ctx, -1, "no query");
    return 1;
  }
  if (plan_check_tokens(&ctx)) return 1;
  pBody = plan_select(&ctx, pSel, NULL);
  if (!pBody || ctx.nErr) {
    if (!err->zMsg) plan_err(&ctx, pSel->iPos, "cannot plan the query");
    return 1;
  }
  if (pSel->pEmit && ctx.nEmitUsed == 0 && !emit_is_push_marker(pSel->pEmit)) {
    /* No aggregate took the EMIT: its triggers would mean nothing. */
    plan_err(&ctx, pSel->pEmit->iPos,
             "EMIT applies to aggregates, and this query has none: its "
             "rows are appended as they come (EMIT CHANGES alone is "
             "accepted, as ksqlDB's push-query marker)");
    return 1;
  }
  if (pBody->kind == PLAN_PARDO) {
    /* a bare NULL column reaches sinks as VARCHAR (ParDo converts) */
    int i;
    for (i = 0; i < pBody->schema.nCol; i++) {
      if (pBody->schema.aType[i] == WEIR_NULL_TYPE) {
        pBody->schema.aType[i] = WEIR_VARCHAR;
      }
    }
  }
  pSink = new_node(&ctx, PLAN_SINK, pBody);
  set_schema(&ctx, pSink, pBody->schema.nCol,
             (const char *const *)pBody->schema.azName, pBody->schema.aType);
  if (zSinkName) {
    pSink->zSink = common_arena_strdup(a, zSinkName);
    pSink->pSinkDef = plan_catalog_find(c, zSinkName);
  }
  {
    /* Late rows: the sink's 'late.sink', else the session's SET. */
    const char *zLate = obj_option(pSink->pSinkDef, "late.sink");
    if (!zLate && set) zLate = set->zLateSink;
    if (zLate && zSinkName && common_stricmp(zLate, zSinkName) == 0) {
      plan_err(&ctx, pSel->iPos, "late.sink cannot be the query's own sink");
      return 1;
    }
    if (set_late_sink(&ctx, pBody, zLate, pSel->iPos)) return 1;
  }
  fuse_pardos(&ctx, pSink);
  sink_key(&ctx, pSink);
  need_cols(&ctx, pSink, NULL);
  number_nodes(pSink, &id);
  *ppPlan = pSink;
  return 0;
}

/* Is the Read n an unbounded source (anything but a file without
** follow = 'true')? */
static int read_unbounded(const exec_plan *n) {
  const plan_object *o = n->pSourceDef;
  const char *zConn = NULL, *zFollow = NULL;
  int i;
  if (!o) return 1;
  for (i = 0; i < o->nOpt; i++) {
    if (strcmp(o->azKey[i], "connector") == 0) zConn = o->azVal[i];
    if (strcmp(o->azKey[i], "follow") == 0) zFollow = o->azVal[i];
  }
  if (zConn && common_stricmp(zConn, "file") == 0) {
    return zFollow && common_stricmp(zFollow, "true") == 0;
  }
  if (zConn && common_stricmp(zConn, "kafka") == 0) {
    /* 'bounded.mode' = 'latest' reads up to the offsets of the start */
    for (i = 0; i < o->nOpt; i++) {
      if ((strcmp(o->azKey[i], "bounded.mode") == 0 ||
           strcmp(o->azKey[i], "scan.bounded.mode") == 0) &&
          o->azVal[i] && common_stricmp(o->azVal[i], "unbounded") != 0) {
        return 0;
      }
    }
  }
  return 1;
}

/*
** Does plan p read any unbounded source (Kafka, memory, a followed file)?
*/
int plan_is_unbounded(const exec_plan *p) {
  int i;
  if (!p) return 0;
  if (p->kind == PLAN_READ) return read_unbounded(p);
  for (i = 0; i < p->nChild; i++) {
    if (plan_is_unbounded(p->aChild[i])) return 1;
  }
  return 0;
}
