/*
** exec/exec_int.h — what exec's files share with each other and nobody
** else: the operator vtables registered in operators.c, the query
** services operators call (failing the query, the clock, the input
** watermark) and the hooks the query uses to attach sources and sinks to
** their operators.
**
** Operator protocol (the dispatcher lives in query.c):
**   - exec_op_emit(op, b) pushes b to op's parent: it counts b->n as
**     op's rows out and the parent's rows in, calls the parent's xPush,
**     then resets the parent's scratch arena.
**   - exec_op_emit_watermark(op, wm) forwards wm if it advanced op->wmOut.
**     The parent's aInWm[iInput] is raised to wm first, then its
**     xWatermark is called, or, when NULL, the default: forward the
**     minimum of aInWm (exec_op_forward_watermark).
**   - exec_op_emit_end(op) increments the parent's nEnded, then calls its
**     xFlush(iInput), or, when NULL, the default: when every input has
**     ended, emit end downstream. An xFlush of its own must call
**     exec_op_emit_end once nEnded == nInput (after its last rows).
**   - End of input reaching the root (the sink) finishes the query.
**   - xClose runs for every operator when the query is freed, even if its
**     xInit never ran (its state is then all zero).
**   - A non-zero return from any callback fails the query; call
**     exec_query_fail first to give the message (else a generic one).
*/
#ifndef WEIR_EXEC_INT_H
#define WEIR_EXEC_INT_H

#include "exec/exec.h"

/* Vtables of the operators; the registry is exec_op_vtab_for(). */
extern const exec_op_vtab exec_read_vtab, exec_values_vtab, exec_pardo_vtab,
    exec_flatten_vtab, exec_sink_op_vtab;
/* Written by the windowing helper (op_window.c, op_agg.c). */
extern const exec_op_vtab exec_window_vtab, exec_agg_vtab;

/* ---- query services for operators -------------------------------------- */

/* Record the query's first error (printf-style) and fail it: sources stop,
** the sink is flushed, the owner is told via binder->xState. Later errors
** are ignored. Safe to call from any callback. */
void exec_query_fail(exec_query *q, const char *zFmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The query's loop and clock (for processing-time timers). */
const exec_env *exec_query_env(const exec_query *q);
/* Nonzero once the query is no longer running (failed, stopped): operator
** callbacks still on the stack should return quietly. */
int exec_query_done(const exec_query *q);

/* Minimum of op's per-input watermarks (EXEC_TIME_MIN with no inputs). */
int64_t exec_op_input_wm(const exec_op *op);
/* The default watermark behaviour: forward exec_op_input_wm(op). */
int exec_op_forward_watermark(exec_op *op);

/* ---- hooks between query.c and the source/sink operators --------------- */

/* Give the read operator its source (query.c owns and frees it) and point
** the source's callbacks at the operator. */
void exec_read_attach(exec_op *op, exec_source *src);
/* Give the sink operator its sink (query.c owns and frees it). */
void exec_sink_attach(exec_op *op, exec_sink *s);
/* Flush the sink once (end of input, stop or failure); returns the
** sink's code, 0 if already flushed. */
int exec_sink_flush(exec_op *op);
/* Give an Agg operator the sink of its late rows (query.c owns it). */
void exec_agg_attach_late(exec_op *op, exec_sink *s);
/* The late-row sink attached to an Agg operator, or NULL. */
exec_sink *exec_agg_late_sink(exec_op *op);
/* Emit the VALUES operator's rows, its watermark (+inf) and its end. */
int exec_values_start(exec_op *op);

/* "Read", "ParDo", "Combine"...: a plan node kind as EXPLAIN names it. */
const char *exec_plan_kind_name(exec_plan_kind k);
/* Render an interval the way EXPLAIN shows it ("2 min", "5s", "0s"). */
void exec_explain_interval(common_buf *b, int64_t us);

#endif
