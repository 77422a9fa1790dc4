/*
** exec/op_pardo.c — the ParDo operator: filter, then project (WHERE and
** the SELECT list of a stateless query, and the reordering above an
** aggregate).
**
** The filter is evaluated over the whole batch; rows where it is TRUE are
** kept (FALSE and NULL drop). Over a changelog (HAVING above a retracting
** aggregate) an update pair -U old / +U new (always adjacent in one batch)
** is judged as a pair: both pass -> -U/+U; only the old row passes -> -D
** old (the group left the result); only the new one -> +I new (it
** entered); neither -> nothing. If some rows drop, the columns the
** projections read are gathered into a compacted batch the operator owns
** (values only; strings still point where the input's did). Projections
** are then evaluated over that batch and the output batch simply points at
** the result vectors, so a projection of a column copies nothing. The op
** column passes through. No memory is allocated per row: the compacted
** batch is reused across pushes and the evaluation results live in the
** operator's scratch arena, reset after every push.
*/
#include <string.h>

#include "exec/exec_int.h"

typedef struct pardo_op {
  exec_op base;
  common_arena mem;       /* lives as long as the operator */
  const exec_schema *pIn; /* the input's schema */
  uint8_t *aUsed;         /* per input column: read by a projection */
  exec_batch *pFilt;      /* compacted input, reused */
  uint16_t *aSel;         /* indices of the surviving rows */
  uint8_t *aSelOp;        /* their ops (an update pair may be rewritten) */
  exec_batch out;         /* output batch; aCol points at results */
} pardo_op;

/* Mark the input columns expression e reads. */
static void mark_used(const exec_expr *e, uint8_t *aUsed, int nCol) {
  if (!e) return;
  if (e->kind == EXPR_COL && e->iCol >= 0 && e->iCol < nCol) {
    aUsed[e->iCol] = 1;
  }
  for (int i = 0; i < e->nArg; i++) mark_used(e->aArg[i], aUsed, nCol);
}

static int pardo_init(exec_op *op) {
  pardo_op *r = (pardo_op *)op;
  const exec_plan *p = op->plan;
  common_arena_init(&r->mem, 16384);
  r->pIn = p->nChild > 0 ? &p->aChild[0]->schema : &p->schema;
  int nIn = r->pIn->nCol;
  r->aUsed = common_arena_zalloc(&r->mem, (size_t)nIn + 1);
  if (p->nProj == 0) {
    memset(r->aUsed, 1, (size_t)nIn);
  } else {
    for (int i = 0; i < p->nProj; i++) mark_used(p->aProj[i], r->aUsed, nIn);
  }
  if (p->pFilter) {
    r->pFilt = exec_batch_new(&r->mem, nIn, r->pIn->aType);
    r->aSel = common_arena_alloc(&r->mem, sizeof(uint16_t) * EXEC_BATCH_CAP);
    r->aSelOp = common_arena_alloc(&r->mem, EXEC_BATCH_CAP);
  }
  int nOut = p->nProj;
  r->out.nCol = nOut;
  r->out.aCol =
      common_arena_zalloc(&r->mem, sizeof(exec_vec) * (size_t)(nOut + 1));
  return 0;
}

/* Copy the selected rows of column s into d (slots 0..nSel). */
static void gather(exec_vec *d, const exec_vec *s, const uint16_t *aSel,
                   int nSel) {
  for (int k = 0; k < nSel; k++) d->null[k] = s->null[aSel[k]];
  switch (exec_type_size(s->type)) {
    case 1:
      for (int k = 0; k < nSel; k++) d->v.b[k] = s->v.b[aSel[k]];
      break;
    case 8:
      for (int k = 0; k < nSel; k++) d->v.i64[k] = s->v.i64[aSel[k]];
      break;
    default:
      for (int k = 0; k < nSel; k++) d->v.s[k] = s->v.s[aSel[k]];
      break;
  }
  d->type = s->type;
}

/* Report an evaluation error and fail the query. */
static int pardo_error(exec_op *op, const char *zErr) {
  exec_query_fail(op->q, "%s", zErr);
  return 1;
}

static int pardo_push(exec_op *op, int iInput, exec_batch *b) {
  pardo_op *r = (pardo_op *)op;
  const exec_plan *p = op->plan;
  const exec_env *env = exec_query_env(op->q);
  exec_eval_ctx ctx;
  ctx.pScratch = &op->scratch;
  ctx.zErr = NULL;
  ctx.now = env->clock ? exec_clock_now(env->clock) : 0;
  exec_batch *in = b;

  if (p->pFilter) {
    const exec_vec *f = exec_expr_eval(p->pFilter, b, &ctx);
    if (ctx.zErr) return pardo_error(op, ctx.zErr);
    int nSel = 0;
    uint8_t *aOp = r->aSelOp;
    for (int i = 0; i < b->n; i++) {
      int bPass = !f->null[i] && f->v.b[i];
      if (b->op[i] == OP_UPDATE_BEFORE && i + 1 < b->n &&
          b->op[i + 1] == OP_UPDATE_AFTER) {
        int bPass2 = !f->null[i + 1] && f->v.b[i + 1];
        if (bPass) {
          aOp[nSel] = bPass2 ? OP_UPDATE_BEFORE : OP_DELETE;
          r->aSel[nSel++] = (uint16_t)i;
        }
        if (bPass2) {
          aOp[nSel] = bPass ? OP_UPDATE_AFTER : OP_INSERT;
          r->aSel[nSel++] = (uint16_t)(i + 1);
        }
        i++;
        continue;
      }
      if (bPass) {
        aOp[nSel] = b->op[i];
        r->aSel[nSel++] = (uint16_t)i;
      }
    }
    if (nSel == 0) return 0;
    if (nSel < b->n) {
      exec_batch *c = r->pFilt;
      int nCol = COMMON_MIN(c->nCol, b->nCol);
      for (int j = 0; j < nCol; j++) {
        if (r->aUsed[j]) gather(&c->aCol[j], &b->aCol[j], r->aSel, nSel);
      }
      for (int k = 0; k < nSel; k++) c->op[k] = aOp[k];
      c->n = nSel;
      c->pHeap = b->pHeap;
      in = c;
    }
  }

  if (p->nProj == 0) return exec_op_emit(op, in);
  exec_batch *o = &r->out;
  for (int i = 0; i < p->nProj; i++) {
    const exec_vec *v = exec_expr_eval(p->aProj[i], in, &ctx);
    if (ctx.zErr) return pardo_error(op, ctx.zErr);
    if (v->type == WEIR_NULL_TYPE && i < p->schema.nCol &&
        p->schema.aType[i] != WEIR_NULL_TYPE) {
      /* A bare NULL projected into a typed column: all-NULL of that
      ** type, so consumers reading by the schema see NULLs. */
      exec_vec *t = exec_vec_new(&op->scratch, p->schema.aType[i]);
      memset(t->null, 1, EXEC_BATCH_CAP);
      memset(t->v.p, 0, exec_type_size(t->type) * EXEC_BATCH_CAP);
      v = t;
    }
    o->aCol[i] = *v;
  }
  o->n = in->n;
  o->op = in->op;
  o->pHeap = in->pHeap;
  return exec_op_emit(op, o);
}

static void pardo_close(exec_op *op) {
  pardo_op *r = (pardo_op *)op;
  common_arena_free(&r->mem);
}

const exec_op_vtab exec_pardo_vtab = {
    "ParDo", sizeof(pardo_op), pardo_init, pardo_push, NULL, NULL, pardo_close};
