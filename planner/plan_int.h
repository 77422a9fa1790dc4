/*
** planner/plan_int.h — internals shared by the planner's files: the
** planning context, name scopes, the expression binder and small plan
** node builders.
**
**   catalog.c  the catalog of sources, sinks and views; errors
**   bind.c     expressions: name resolution, type checking, functions,
**              aggregates (the "What" of the Beam model)
**   plan.c     SELECT -> physical plan (Read, ParDo, Window, Agg,
**              Flatten, Values, Sink), EMIT -> trigger, aNeeded
**   ddl.c      CREATE SOURCE/SINK/VIEW, INSERT ... VALUES, constants
**
** Everything a plan needs is allocated in the caller's arena; nothing in
** a plan points into an AST (which may be a view's temporary parse).
*/
#ifndef WEIR_PLAN_INT_H
#define WEIR_PLAN_INT_H

#include "planner/planner.h"

/* Built-in ceiling on view/CTE nesting (guards against cycles). */
#define PLAN_MAX_DEPTH 32

/* A CTE visible to a FROM clause: name and its SELECT (whose positions
** refer to zSql). */
typedef struct plan_cte {
  const char *zName;
  const ast_select *pSelect;
  const char *zSql;
  struct plan_cte *pPrev;
} plan_cte;

/* The planning context of one plan_query / plan_create call. */
typedef struct plan_ctx {
  plan_catalog *pCat;
  const char *zSql; /* text the current AST positions refer to */
  common_arena *a;  /* plan arena (owned by the caller) */
  plan_error *err;
  int nErr;
  int depth;                  /* view / CTE nesting */
  int iOuterPos;              /* position to report when inside a view, -1 */
  const char *zInView;        /* name of the view being expanded, or NULL */
  const char *zMaintain;      /* plan_settings.zMaintain */
  int bStreamingMode;         /* plan_settings.bStreamingMode */
  plan_cte *pCte;             /* visible CTEs, innermost first */
  const ast_expr *pJoinWhere; /* WHERE of the SELECT whose FROM is being
                               ** planned: its equalities between the two
                               ** sides of a comma join are join keys */
  int nEmitUsed;              /* aggregates that took an EMIT clause */
} plan_ctx;

/* Column kinds of a scope. */
enum {
  SCOPE_REAL = 0,  /* a column of the input batch */
  SCOPE_WIN_START, /* a TVF's window_start, not yet materialised */
  SCOPE_WIN_END
};

/* The columns a name can bind to: the output of a FROM clause. Column i
** is column i of the input batch (SCOPE_REAL) or a virtual window bound
** of a window TVF that the aggregate above will compute. */
typedef struct plan_scope {
  int nCol;
  const char **azTable; /* qualifier (alias or table name), or NULL */
  const char **azName;
  uint8_t *aType;
  uint8_t *aKind;   /* SCOPE_* */
  uint8_t *aHidden; /* 1: only found qualified (the right side's
                    ** copy of a JOIN ... USING column) */
} plan_scope;

/* State of an aggregating SELECT while its output expressions are bound.
** The AGG's output layout is keys, [window_start, window_end], aggs, then
** the four metadata columns. */
typedef struct plan_agg {
  const plan_scope *pIn; /* scope of the pre-projection's input */
  /* group keys: AST (to match select items) and bound pre-agg exprs */
  int nKey;
  const ast_expr **aKeyAst;
  int *aKeyPre;       /* pre-projection column of each key */
  int bWindow;        /* a window is set on the AGG */
  const char *zWinFn; /* "TUMBLE", ... (for *_START checks) */
  const ast_expr *pWinCall; /* the GROUP BY's TUMBLE(...) call, or NULL */
  /* pre-projection: expressions over the input, deduplicated */
  int nPre, nPreAlloc;
  exec_expr **aPre;
  const char **azPre;
  /* aggregates */
  int nAgg, nAggAlloc;
  exec_agg *aAgg;
  const ast_expr **aAggAst;
  const char **azAgg;
  int bSawAgg; /* bind met an aggregate call */
} plan_agg;

/* A group window's bound function e (TUMBLE_START(ts, 10m), ...) must
** name the GROUP BY's window g->pWinCall: same kind, time column and
** intervals. 0 if it does, else 1 with an error. */
int plan_check_win_bound(plan_ctx *p, const plan_scope *pScope,
                         const plan_agg *g, const ast_expr *e);

/* How an expression is being bound. */
typedef struct plan_bind {
  plan_ctx *p;
  const plan_scope *pScope;   /* names visible (pre-aggregation) */
  const char *zClause;        /* "WHERE", "GROUP BY", ... for messages */
  plan_agg *pAgg;             /* non-NULL: bind against the AGG's output */
  int bAggOk;                 /* aggregates allowed here */
  int bInAgg;                 /* inside an aggregate's argument */
  const ast_list *pAliasCols; /* select list whose aliases may be named
                               ** (HAVING total > 3), or NULL */
  exec_plan *pMetaSrc;        /* the FROM's plan, when pane metadata of an
                              ** aggregate below may be exposed through it */
} plan_bind;

/* ---- catalog.c ---------------------------------------------------------- */
/* Record an error (the first one wins) at byte offset iPos. Returns 1. */
int plan_err(plan_ctx *p, int iPos, const char *zFmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a new object to the catalog (takes ownership). */
void plan_catalog_add(plan_catalog *c, plan_object *o);
/* Free one object and what it owns. */
void plan_object_free(plan_object *o);
/* The closest of azCand[0..n) to zName by edit distance (<= a third of
** its length, at least 1 and 2 for short names), or NULL. */
const char *plan_did_you_mean(const char *zName, const char *const *azCand,
                              int n);

/* ---- bind.c ------------------------------------------------------------- */
/* Learn the parser's operator codes (once); 0, or 1 with an error. Every
** entry point calls it before reading an AST. */
int plan_check_tokens(plan_ctx *p);
/* The parser's code of the operator spelt zFn ("+", "-", "AND", "=",
** "NOT", "NEG", ...), or -1. */
int plan_tk(const char *zFn);
/* Bind and type an expression; NULL after an error (in p->err). */
exec_expr *plan_bind_expr(plan_bind *b, const ast_expr *e);
/* Expression builders (allocated in the plan arena). */
exec_expr *plan_expr_col(plan_ctx *p, int iCol, int type);
exec_expr *plan_expr_const(plan_ctx *p, const exec_value *v);
/* Call function zFn on aArg (type checked with its xBind); NULL and an
** error at iPos on failure. */
exec_expr *plan_expr_call(plan_ctx *p, int iPos, const char *zFn, int nArg,
                          exec_expr **aArg);
/* Is zName an aggregate function name? */
int plan_is_agg_name(const char *zName);
/* Does the expression (not inside a subquery) contain an aggregate? */
int plan_has_agg(const ast_expr *e);
/* Structural equality of two ASTs (names case-insensitively). Column
** references are compared by what they resolve to in pScope. */
int plan_ast_equal(const plan_scope *pScope, const ast_expr *x,
                   const ast_expr *y);
/* Resolve a column reference in a scope: index, or -1 with no error set;
** -2 when ambiguous. */
int plan_scope_find(const plan_scope *s, const char *zTable, const char *zName);
/* Name for an unnamed expression: its SQL text, copied into the arena. */
const char *plan_expr_name(plan_ctx *p, const ast_expr *e);
/* Make pane metadata column m (0 pane_timing .. 3 ver) of the aggregate
** below the ParDo chain n an output column of n; its index, or -1 when n
** is not a ParDo chain over an aggregate. */
int plan_expose_meta(plan_ctx *p, exec_plan *n, int m);
/* Add an expression to the pre-projection (deduplicating plain column
** references); returns its column. */
int plan_agg_pre(plan_ctx *p, plan_agg *g, exec_expr *x, const char *zName);
/* Constant folding of a literal expression (shared with ddl.c). */
int plan_fold_const(plan_ctx *p, const ast_expr *e, exec_value *pOut);

/* ---- plan.c ------------------------------------------------------------- */
/* Plan a SELECT (with its UNION ALL chain) into a sub-plan without sink.
** pEmit, when not NULL, overrides/provides the EMIT of the first
** aggregate met. Returns NULL on error. */
exec_plan *plan_select(plan_ctx *p, const ast_select *pSel,
                       const ast_emit *pEmit);

#endif
