/*
** exec/op_flatten.c — the Flatten operator (UNION ALL): every input's
** batches are forwarded unchanged. Its watermark is the minimum of its
** inputs' (the dispatcher's default) and it ends when all inputs ended.
*/
#include "exec/exec_int.h"

static int flatten_push(exec_op *op, int iInput, exec_batch *b) {
  return exec_op_emit(op, b);
}

const exec_op_vtab exec_flatten_vtab = {
    "Flatten", sizeof(exec_op), NULL, flatten_push, NULL, NULL, NULL};
