/*
** exec/operators.c — the one registry of operator vtables, indexed by plan
** node kind. Every operator's lifecycle goes through the table found here
** (PostgreSQL's ExecInitNode switch, as a table), so new operators are
** added in one place. A NULL entry means "not supported yet":
** exec_query_start then refuses the plan with a clear message.
*/
#include "exec/exec_int.h"

/*
** The vtable for plan nodes of the given kind, or NULL when that operator
** is not implemented yet. Windowing (PLAN_WINDOW, PLAN_AGG, PLAN_JOIN) is
** filled in by op_window.c / op_agg.c.
*/
const exec_op_vtab *exec_op_vtab_for(exec_plan_kind kind) {
  switch (kind) {
    case PLAN_READ: return &exec_read_vtab;
    case PLAN_VALUES: return &exec_values_vtab;
    case PLAN_PARDO: return &exec_pardo_vtab;
    case PLAN_WINDOW: return &exec_window_vtab;
    case PLAN_AGG: return &exec_agg_vtab;
    case PLAN_FLATTEN: return &exec_flatten_vtab;
    case PLAN_JOIN: return NULL;
    case PLAN_SINK: return &exec_sink_op_vtab;
  }
  return NULL;
}
