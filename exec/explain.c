/*
** exec/explain.c — EXPLAIN: the physical plan as an indented tree, root
** first, one operator per line with its parameters:
**
**   Sink [stdout]
**     Combine [keys: team; aggs: SUM(score); window: TUMBLE(ts, 2 min); ...]
**       Read [scores; watermark: ts - 5s]
**
** With a running query (EXPLAIN ANALYZE) each line ends with that
** operator's counters "(rows in=…, out=…, late dropped=…)".
*/
#include <inttypes.h>
#include <string.h>

#include "exec/exec_int.h"

/*
** Append interval us in its largest exact unit: "2 min", "1 h", "3 d",
** "5s", "250ms", "7us"; "0s" for zero.
*/
void exec_explain_interval(common_buf *b, int64_t us) {
  static const struct {
    int64_t n;
    const char *z;
  } aUnit[] = {{86400000000LL, " d"}, {3600000000LL, " h"},
               {60000000LL, " min"},  {1000000LL, "s"},
               {1000LL, "ms"},        {1LL, "us"}};
  if (us == 0) {
    common_buf_puts(b, "0s");
    return;
  }
  for (int i = 0; i < COMMON_ARRAY_SIZE(aUnit); i++) {
    if (us % aUnit[i].n == 0) {
      common_buf_printf(b, "%" PRId64 "%s", us / aUnit[i].n, aUnit[i].z);
      return;
    }
  }
}

/* The name of input column i of node p (from its first child's schema). */
static const char *in_col(const exec_plan *p, int i) {
  const exec_schema *s = p->nChild > 0 ? &p->aChild[0]->schema : &p->schema;
  if (i >= 0 && i < s->nCol && s->azName && s->azName[i]) return s->azName[i];
  return "?";
}

static const exec_schema *in_schema(const exec_plan *p) {
  return p->nChild > 0 ? &p->aChild[0]->schema : &p->schema;
}

static void explain_window(common_buf *b, const exec_plan *p,
                           const exec_window *w) {
  const char *zTime = w->iTimeCol < 0 ? "PROCTIME()" : in_col(p, w->iTimeCol);
  switch (w->kind) {
    case WIN_TUMBLE:
      common_buf_printf(b, "TUMBLE(%s, ", zTime);
      exec_explain_interval(b, w->size);
      break;
    case WIN_HOP:
      common_buf_printf(b, "HOP(%s, ", zTime);
      exec_explain_interval(b, w->slide);
      common_buf_puts(b, ", ");
      exec_explain_interval(b, w->size);
      break;
    case WIN_SESSION:
      common_buf_printf(b, "SESSION(%s, ", zTime);
      exec_explain_interval(b, w->gap);
      break;
    case WIN_CUMULATE:
      common_buf_printf(b, "CUMULATE(%s, ", zTime);
      exec_explain_interval(b, w->slide);
      common_buf_puts(b, ", ");
      exec_explain_interval(b, w->size);
      break;
    default:
      common_buf_puts(b, "NONE");
      return;
  }
  if (w->offset && (w->kind == WIN_TUMBLE || w->kind == WIN_HOP)) {
    common_buf_puts(b, ", offset ");
    exec_explain_interval(b, w->offset);
  }
  common_buf_putc(b, ')');
}

/* One early or late firing: "EVERY 1 min", "AFTER DELAY 10s",
** "AFTER 5 ROWS", "EVERY ROW". */
static void explain_firing(common_buf *b, exec_trig_kind k, int64_t arg) {
  switch (k) {
    case TRIG_EVERY:
      common_buf_puts(b, "EVERY ");
      exec_explain_interval(b, arg);
      break;
    case TRIG_AFTER_DELAY:
      common_buf_puts(b, "AFTER DELAY ");
      exec_explain_interval(b, arg);
      break;
    case TRIG_AFTER_ROWS:
      common_buf_printf(b, "AFTER %" PRId64 " ROWS", arg);
      break;
    case TRIG_EVERY_ROW:
      common_buf_puts(b, "EVERY ROW");
      break;
    default:
      break;
  }
}

static void explain_trigger(common_buf *b, const exec_trigger *t) {
  int n = 0;
  if (t->bOnTime) {
    common_buf_puts(b, "AFTER WATERMARK");
    if (t->closeDelay > 0) {
      common_buf_puts(b, " + ");
      exec_explain_interval(b, t->closeDelay);
    }
    n++;
  }
  if (t->early != TRIG_NONE) {
    common_buf_puts(b, n ? " AND EARLY " : "EARLY ");
    explain_firing(b, t->early, t->earlyArg);
    n++;
  }
  if (t->late != TRIG_NONE) {
    common_buf_puts(b, n ? " AND LATE " : "LATE ");
    explain_firing(b, t->late, t->lateArg);
    n++;
  }
  if (!n) common_buf_puts(b, "NONE");
}

static const char *accum_name(exec_accum a) {
  switch (a) {
    case ACC_DISCARDING:
      return "DISCARDING";
    case ACC_ACCUMULATING:
      return "ACCUMULATING";
    case ACC_RETRACTING:
      return "RETRACTING";
  }
  return "?";
}

static void explain_agg(common_buf *b, const exec_plan *p, const exec_agg *a) {
  static const char *azFn[] = {"?",   "COUNT", "COUNT", "SUM",
                               "MIN", "MAX",   "AVG"};
  int k = (int)a->kind;
  common_buf_puts(b, k >= 1 && k <= 6 ? azFn[k] : "?");
  common_buf_putc(b, '(');
  if (a->kind == AGG_COUNT_STAR) {
    common_buf_putc(b, '*');
  } else {
    if (a->bDistinct) common_buf_puts(b, "DISTINCT ");
    common_buf_puts(b, in_col(p, a->iArg));
  }
  common_buf_putc(b, ')');
  if (a->iFilter >= 0) {
    common_buf_printf(b, " FILTER (WHERE %s)", in_col(p, a->iFilter));
  }
}

/* The parameters of node p, between the brackets. */
static void explain_params(common_buf *b, const exec_plan *p) {
  switch (p->kind) {
    case PLAN_READ:
      common_buf_puts(b, p->zSource ? p->zSource : "?");
      if (p->iWmCol >= 0) {
        const char *zCol = "?";
        if (p->iWmCol < p->schema.nCol && p->schema.azName) {
          zCol = p->schema.azName[p->iWmCol];
        }
        common_buf_printf(b, "; watermark: %s - ", zCol);
        exec_explain_interval(b, p->wmDelay);
      }
      if (p->idleTimeout > 0) {
        common_buf_puts(b, "; idle: ");
        exec_explain_interval(b, p->idleTimeout);
        if (p->bIdleAdvance) common_buf_puts(b, " (advance)");
      }
      break;
    case PLAN_VALUES:
      common_buf_printf(b, "%d row%s", p->nRow, p->nRow == 1 ? "" : "s");
      break;
    case PLAN_PARDO: {
      const char *zSep = "";
      if (p->pFilter) {
        common_buf_puts(b, "filter: ");
        exec_expr_explain(b, p->pFilter, in_schema(p));
        zSep = "; ";
      }
      if (p->nProj > 0) {
        common_buf_printf(b, "%sproject: ", zSep);
        for (int i = 0; i < p->nProj; i++) {
          if (i) common_buf_puts(b, ", ");
          size_t n0 = b->n;
          exec_expr_explain(b, p->aProj[i], in_schema(p));
          const char *zName = i < p->schema.nCol && p->schema.azName
                                  ? p->schema.azName[i]
                                  : NULL;
          if (zName && (b->n - n0 != strlen(zName) ||
                        memcmp(b->z + n0, zName, b->n - n0))) {
            common_buf_printf(b, " AS %s", zName);
          }
        }
      }
      break;
    }
    case PLAN_WINDOW:
      explain_window(b, p, &p->window);
      break;
    case PLAN_AGG: {
      common_buf_puts(b, "keys: ");
      for (int i = 0; i < p->nKey; i++) {
        if (i) common_buf_puts(b, ", ");
        common_buf_puts(b, in_col(p, p->aKeyCol[i]));
      }
      if (p->nKey == 0) common_buf_puts(b, "none");
      common_buf_puts(b, "; aggs: ");
      for (int i = 0; i < p->nAgg; i++) {
        if (i) common_buf_puts(b, ", ");
        explain_agg(b, p, &p->aAgg[i]);
      }
      if (p->nAgg == 0) common_buf_puts(b, "none");
      if (!p->bUnbounded && p->window.kind != WIN_NONE) {
        common_buf_puts(b, "; window: ");
        explain_window(b, p, &p->window);
      } else {
        common_buf_puts(b, "; window: GLOBAL");
      }
      common_buf_puts(b, "; trigger: ");
      explain_trigger(b, &p->trigger);
      common_buf_printf(b, "; accumulation: %s", accum_name(p->trigger.accum));
      if (!p->bUnbounded && p->window.kind != WIN_NONE) {
        common_buf_puts(b, "; lateness: ");
        exec_explain_interval(b, p->trigger.lateness);
      }
      if (p->zLateSink) common_buf_printf(b, "; late.sink: %s", p->zLateSink);
      break;
    }
    case PLAN_FLATTEN:
      common_buf_printf(b, "%d inputs", p->nChild);
      break;
    case PLAN_JOIN:
      common_buf_printf(b, "%d inputs", p->nChild);
      break;
    case PLAN_SINK:
      common_buf_puts(b, p->zSink ? p->zSink : "stdout");
      break;
  }
}

/* The operator name EXPLAIN and errors use for a plan node kind. */
const char *exec_plan_kind_name(exec_plan_kind k) {
  switch (k) {
    case PLAN_READ:
      return "Read";
    case PLAN_VALUES:
      return "Values";
    case PLAN_PARDO:
      return "ParDo";
    case PLAN_WINDOW:
      return "Window";
    case PLAN_AGG:
      return "Combine";
    case PLAN_FLATTEN:
      return "Flatten";
    case PLAN_JOIN:
      return "Join";
    case PLAN_SINK:
      return "Sink";
  }
  return "?";
}

static void explain_node(common_buf *b, const exec_plan *p, int depth,
                         const exec_query *q) {
  for (int i = 0; i < depth; i++) common_buf_puts(b, "  ");
  common_buf_printf(b, "%s [", exec_plan_kind_name(p->kind));
  explain_params(b, p);
  common_buf_putc(b, ']');
  if (q) {
    const exec_op *op = exec_query_op(q, p->id);
    if (op) {
      common_buf_printf(b,
                        " (rows in=%" PRId64 ", out=%" PRId64
                        ", late dropped=%" PRId64 ")",
                        op->nRowsIn, op->nRowsOut, op->nLateDropped);
    }
  }
  common_buf_putc(b, '\n');
  for (int i = 0; i < p->nChild; i++) {
    explain_node(b, p->aChild[i], depth + 1, q);
  }
}

/*
** Append the plan rooted at p to b as an indented tree, root first, one
** line per operator ending in '\n'. With pStats (EXPLAIN ANALYZE), the
** counters of the operator pStats instantiated for each node are appended.
*/
void exec_plan_explain(common_buf *b, const exec_plan *p,
                       const exec_query *pStats) {
  if (!p) return;
  explain_node(b, p, 0, pStats);
}
