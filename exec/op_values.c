/*
** exec/op_values.c — the Values operator: constant rows (SELECT 1+1,
** INSERT ... VALUES). When the query starts it emits its rows in batches
** of up to EXEC_BATCH_CAP, then its watermark jumps to EXEC_TIME_MAX and
** its input ends, so a VALUES-only query finishes at once.
*/
#include <string.h>

#include "exec/exec_int.h"

typedef struct values_op {
  exec_op base;
  int bDone;
} values_op;

/* Store value v in slot i of column vector d (planner-typed constants;
** numeric types are converted if they differ). */
static void values_store(exec_vec *d, int i, const exec_value *v) {
  d->null[i] = 0;
  if (v->isNull || v->type == WEIR_NULL_TYPE) {
    d->null[i] = 1;
    return;
  }
  switch (d->type) {
    case WEIR_BOOLEAN:
      if (v->type == WEIR_DOUBLE)
        d->v.b[i] = v->u.f != 0;
      else if (v->type == WEIR_VARCHAR)
        d->null[i] = 1;
      else
        d->v.b[i] = v->u.i != 0;
      break;
    case WEIR_BIGINT:
    case WEIR_TIMESTAMP:
    case WEIR_INTERVAL:
      if (v->type == WEIR_DOUBLE)
        d->v.i64[i] = (int64_t)v->u.f;
      else if (v->type == WEIR_VARCHAR)
        d->null[i] = 1;
      else
        d->v.i64[i] = v->u.i;
      break;
    case WEIR_DOUBLE:
      if (v->type == WEIR_DOUBLE)
        d->v.f64[i] = v->u.f;
      else if (v->type == WEIR_VARCHAR)
        d->null[i] = 1;
      else
        d->v.f64[i] = (double)v->u.i;
      break;
    case WEIR_VARCHAR:
      if (v->type == WEIR_VARCHAR)
        d->v.s[i] = v->u.s;
      else
        d->null[i] = 1;
      break;
    default:
      d->null[i] = 1;
      break;
  }
}

/*
** Emit the operator's rows, then the watermark EXEC_TIME_MAX and the end
** of input. Runs once, when the query starts.
*/
int exec_values_start(exec_op *op) {
  values_op *r = (values_op *)op;
  const exec_plan *p = op->plan;
  if (r->bDone) return 0;
  r->bDone = 1;
  common_arena a;
  common_arena_init(&a, 16384);
  int rc = 0;
  if (p->nRow > 0 && p->schema.nCol > 0) {
    exec_batch *b = exec_batch_new(&a, p->schema.nCol, p->schema.aType);
    for (int iRow = 0; iRow < p->nRow && rc == 0; iRow++) {
      for (int c = 0; c < p->schema.nCol; c++) {
        values_store(&b->aCol[c], b->n, &p->aaRow[iRow][c]);
      }
      b->op[b->n] = OP_INSERT;
      b->n++;
      if (b->n == EXEC_BATCH_CAP || iRow == p->nRow - 1) {
        rc = exec_op_emit(op, b);
        b->n = 0;
      }
    }
  } else if (p->nRow > 0) {
    /* Rows without columns (SELECT with nothing to select): still rows. */
    exec_batch b;
    memset(&b, 0, sizeof(b));
    uint8_t aOp[EXEC_BATCH_CAP];
    memset(aOp, OP_INSERT, sizeof(aOp));
    b.op = aOp;
    for (int done = 0; done < p->nRow && rc == 0; done += b.n) {
      b.n = COMMON_MIN(EXEC_BATCH_CAP, p->nRow - done);
      rc = exec_op_emit(op, &b);
    }
  }
  common_arena_free(&a);
  if (rc) return rc;
  rc = exec_op_emit_watermark(op, EXEC_TIME_MAX);
  if (rc) return rc;
  return exec_op_emit_end(op);
}

/* Values has no inputs. */
static int values_push(exec_op *op, int iInput, exec_batch *b) {
  return exec_op_emit(op, b);
}

const exec_op_vtab exec_values_vtab = {
    "Values", sizeof(values_op), NULL, values_push, NULL, NULL, NULL};
