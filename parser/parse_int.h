/*
** parser/parse_int.h — internals shared by the tokenizer (tokenize.c), the
** lemon grammar (parse.y), the AST builders (ast.c) and the driver
** (parser.c). Other modules include parser/parser.h only.
*/
#ifndef WEIR_PARSE_INT_H
#define WEIR_PARSE_INT_H

#include "parser/parser.h"

/* The deepest expression tree (and the deepest parenthesis nesting) a
** statement may have; deeper input is an error, never a stack overflow in
** a later recursive pass. */
#define PARSE_MAX_EXPR_HEIGHT 1000
#define PARSE_MAX_PAREN_DEPTH 200

/* One token as the tokenizer hands it to the grammar. z points into the
** SQL text (not NUL-terminated); iPos is z's byte offset in that text. */
typedef struct parse_token {
  const char *z;
  int n;
  int iPos;
} parse_token;

/* State of one parse_statement call, the grammar's %extra_context. */
struct parse_ctx {
  parse_result *pRes;    /* where the AST and the first error go */
  common_arena *pArena;  /* == &pRes->arena */
  const char *zSql;      /* the whole text (for positions) */
  ast_stmt *pStmt;       /* set by the start rule */
  int nErr;
  int iCurPos;           /* offset of the token being parsed */
  ast_select *pUnionHead;  /* last UNION ALL chain appended to, and */
  ast_select *pUnionTail;  /* its last member (avoids quadratic walks) */
};

/* LIMIT n [OFFSET m] as the grammar carries it. */
typedef struct parse_limit {
  ast_expr *pLimit, *pOffset;
} parse_limit;

/* A window frame as the grammar carries it. */
typedef struct parse_frame {
  int unit;                      /* AFU_* */
  ast_frame_bound start, end;
} parse_frame;

/* FROM list and ksqlDB WINDOW clause as the grammar carries them. */
typedef struct parse_from {
  ast_from *pFrom;
  ast_kwindow *pKWindow;
} parse_from;

/* ---- tokenize.c ---------------------------------------------------------- */
/* Length of the token at z (> 0 unless *z is NUL) and its TK_ code in
** *pType. Whitespace and comments are TK_SPACE; a bad character or an
** unterminated string/comment/identifier is TK_ILLEGAL (with *pErr set to
** a message). Identifiers and keywords are matched case-insensitively. */
int parse_get_token(const unsigned char *z, int *pType, const char **pErr);
/* Is z[0..n) the unit of a shorthand interval (2s, 500ms, 1m, 1h, 1d)?
** The tokenizer ends a number in front of one; parse_statement types it
** TK_UNIT when it follows the digits directly. */
int parse_unit_suffix(const char *z, int n);
/* TK_ code of keyword z[0..n-1], or TK_ID. */
int parse_keyword_code(const char *z, int n);

/* ---- errors (ast.c) ---------------------------------------------------- */
/* Record an error at byte offset iPos with token text (z, n) (n < 0: no
** token) unless one is already recorded. */
void parse_error_at(parse_ctx *p, int iPos, const char *z, int n,
                    const char *zFmt, ...)
  __attribute__((format(printf, 5, 6)));
/* The grammar's %syntax_error: "syntax error near "TOK"" or "unexpected
** end of input" when t is the end marker (n == 0). */
void parse_syntax_error(parse_ctx *p, const parse_token *t);

/* ---- builders (ast.c), called from parse.y ------------------------------ */
char *parse_tok_str(parse_ctx *p, const parse_token *t);   /* dequoted */
char *parse_tok_upper(parse_ctx *p, const parse_token *t);
/* A dotted name a.b.c: append ".b" to *pz. */
char *parse_name_cat(parse_ctx *p, const char *zLeft, const parse_token *t);

ast_expr *parse_expr_new(parse_ctx *p, ast_expr_kind k, int iPos, int iEnd);
ast_expr *parse_expr_int(parse_ctx *p, const parse_token *t);
ast_expr *parse_expr_float(parse_ctx *p, const parse_token *t);
ast_expr *parse_expr_string(parse_ctx *p, const parse_token *t);
ast_expr *parse_expr_literal(parse_ctx *p, ast_expr_kind k,
                             const parse_token *t, int64_t v);
ast_expr *parse_expr_timestamp(parse_ctx *p, const parse_token *kw,
                               const parse_token *s);
/* INTERVAL v unit [TO unit2]: v is a STRING or INTEGER token; kw the
** INTERVAL keyword or NULL (ksqlDB "60 SECONDS"); unit may be NULL when v
** is a string such as '5 minutes'. */
ast_expr *parse_expr_interval(parse_ctx *p, const parse_token *kw,
                              const parse_token *v, const parse_token *unit,
                              const parse_token *unit2, int bNeg);
ast_expr *parse_expr_column(parse_ctx *p, const parse_token *tab,
                            const parse_token *name);
ast_expr *parse_expr_star(parse_ctx *p, const parse_token *tab,
                          const parse_token *star);
ast_expr *parse_expr_unary(parse_ctx *p, int op, const parse_token *t,
                           ast_expr *x);
ast_expr *parse_expr_binary(parse_ctx *p, int op, ast_expr *l, ast_expr *r);
ast_expr *parse_expr_func(parse_ctx *p, const parse_token *name,
                          ast_list *args, int bDistinct, int bStar,
                          const parse_token *end);
ast_expr *parse_expr_func_finish(parse_ctx *p, ast_expr *f, ast_expr *filter,
                                 ast_over *over);
ast_over *parse_over_new(parse_ctx *p, ast_list *part, ast_list *order,
                         const parse_frame *frame);
/* A frame bound of kind ABD_* with its offset expression (or NULL). */
ast_frame_bound parse_frame_bound(int kind, ast_expr *x);
ast_expr *parse_expr_case(parse_ctx *p, const parse_token *t, ast_expr *base,
                          ast_list *whens, ast_expr *els,
                          const parse_token *end);
ast_expr *parse_expr_cast(parse_ctx *p, const parse_token *t, ast_expr *x,
                          ast_coldef *type, const parse_token *end);
ast_expr *parse_expr_between(parse_ctx *p, ast_expr *x, int bNot,
                             ast_expr *lo, ast_expr *hi);
ast_expr *parse_expr_in(parse_ctx *p, ast_expr *x, int bNot, ast_list *l,
                        ast_select *s, const parse_token *end);
ast_expr *parse_expr_like(parse_ctx *p, ast_expr *x, int bNot, ast_expr *pat,
                          ast_expr *esc);
ast_expr *parse_expr_isnull(parse_ctx *p, ast_expr *x, int bNot,
                            const parse_token *end);
ast_expr *parse_expr_subquery(parse_ctx *p, ast_expr_kind k,
                              const parse_token *t, ast_select *s,
                              const parse_token *end);
ast_expr *parse_expr_extract(parse_ctx *p, const parse_token *t,
                             const parse_token *field, ast_expr *x,
                             const parse_token *end);
ast_expr *parse_expr_tablearg(parse_ctx *p, const parse_token *t,
                              const parse_token *name);
ast_expr *parse_expr_named(parse_ctx *p, const parse_token *name,
                           ast_expr *x);
ast_expr *parse_expr_paren(parse_ctx *p, const parse_token *lp, ast_expr *x,
                           const parse_token *rp);

ast_list *parse_list_append(parse_ctx *p, ast_list *l, ast_expr *x,
                            const parse_token *alias);
void parse_list_set_desc(ast_list *l, int bDesc);

ast_select *parse_select_new(parse_ctx *p, const parse_token *t, int bDistinct,
                             ast_list *cols, ast_from *from,
                             ast_kwindow *kw, ast_expr *where,
                             ast_list *group, ast_expr *having);
ast_select *parse_select_values(parse_ctx *p, const parse_token *t,
                                ast_list *rows);
ast_list *parse_values_row(parse_ctx *p, ast_list *rows,
                           const parse_token *lp, ast_list *row);
ast_select *parse_select_union(parse_ctx *p, ast_select *head,
                               ast_select *next);
ast_select *parse_select_finish(parse_ctx *p, ast_select *s, ast_list *ctes,
                                ast_list *order, ast_expr *limit,
                                ast_expr *offset);
/* CTE list: kept as an ast_list whose items are AE_SUBQUERY exprs and
** whose aliases are the CTE names, converted by parse_select_finish. */
ast_list *parse_cte_append(parse_ctx *p, ast_list *l, const parse_token *name,
                           ast_select *s);
ast_select *parse_select_emit(parse_ctx *p, ast_select *s, ast_emit *e,
                              ast_expr *limit, ast_expr *offset);

ast_from *parse_from_table(parse_ctx *p, const parse_token *name,
                           const parse_token *alias);
ast_from *parse_from_subquery(parse_ctx *p, const parse_token *lp,
                              ast_select *s, const parse_token *alias);
ast_from *parse_from_tvf(parse_ctx *p, ast_expr *func,
                         const parse_token *alias);
ast_from *parse_from_join(parse_ctx *p, ast_from *l, int joinKind,
                          ast_from *r, ast_expr *on, ast_list *using);
/* JOIN keyword(s) text -> AJ_*; a bad combination is an error. */
int parse_join_kind(parse_ctx *p, const parse_token *a,
                    const parse_token *b);

enum { PKW_SIZE = 1, PKW_ADVANCE, PKW_GRACE, PKW_RETENTION, PKW_GAP };
enum { PCM_KEY = 1, PCM_METADATA, PCM_COMPUTED };
ast_kwindow *parse_kwindow_new(parse_ctx *p, const parse_token *kind);
/* Item of a ksqlDB window: PKW_SIZE, PKW_ADVANCE (ADVANCE BY), PKW_GRACE
** (GRACE PERIOD), PKW_RETENTION, PKW_GAP (a bare interval: SESSION). */
ast_kwindow *parse_kwindow_item(parse_ctx *p, ast_kwindow *w, int what,
                                ast_expr *iv);
ast_kwindow *parse_kwindow_finish(parse_ctx *p, ast_kwindow *w);

/* EMIT clause, built item by item and normalised by parse_emit_finish. */
typedef enum parse_emit_item {
  PEI_STREAM = 1, PEI_CHANGES, PEI_FINAL, PEI_AFTER_WATERMARK,
  PEI_ON_WINDOW_CLOSE, PEI_AFTER_WINDOW_CLOSE, PEI_AFTER_DELAY,
  PEI_AFTER_ROWS, PEI_EARLY, PEI_LATE, PEI_LATENESS, PEI_DISCARDING,
  PEI_ACCUMULATING, PEI_RETRACTING, PEI_PERIODIC, PEI_ON_UPDATE,
  PEI_PER_EVENT, PEI_CHANGELOG, PEI_WITH_DELAY, PEI_WITHOUT_DELAY,
  PEI_BEFORE_WATERMARK
} parse_emit_item;
ast_emit *parse_emit_new(parse_ctx *p, const parse_token *t);
/* Apply one item; iv is the interval (or row count) argument if any, trig
** the trigger for PEI_EARLY / PEI_LATE. */
ast_emit *parse_emit_item_add(parse_ctx *p, ast_emit *e, int item,
                              const parse_token *t, ast_expr *iv,
                              ast_emit *trig);
/* A trigger (EVERY i, AFTER DELAY i, AFTER n ROWS, EVERY ROW) carried in
** an ast_emit's early fields. */
ast_emit *parse_trigger(parse_ctx *p, int kind, ast_expr *arg);
ast_emit *parse_emit_finish(parse_ctx *p, ast_emit *e);

/* Column types: the type name and its (p[, s]) arguments. */
ast_coldef *parse_type(parse_ctx *p, const parse_token *name, int nArg,
                       const parse_token *a1, const parse_token *a2);
/* Column definitions and CREATE SOURCE clauses, collected on a stmt. */
ast_stmt *parse_stmt_new(parse_ctx *p, ast_stmt_kind k, const parse_token *t);
ast_stmt *parse_coldef_add(parse_ctx *p, ast_stmt *s, const parse_token *name,
                           ast_coldef *type);
/* Column modifiers: PCM_KEY (KEY / PRIMARY KEY), PCM_METADATA (METADATA
** [FROM 'key']), PCM_COMPUTED (name AS expr). */
ast_stmt *parse_coldef_mod(parse_ctx *p, ast_stmt *s, int what,
                           const parse_token *t, ast_expr *x);
ast_stmt *parse_watermark(parse_ctx *p, ast_stmt *s, const parse_token *col,
                          ast_expr *x);
ast_stmt *parse_primary_key(parse_ctx *p, ast_stmt *s, ast_list *cols);
ast_list *parse_idlist_append(parse_ctx *p, ast_list *l,
                              const parse_token *name);
ast_option *parse_option_new(parse_ctx *p, const char *zKey, int iPos,
                             const parse_token *val, int bNeg);
ast_list *parse_option_append(parse_ctx *p, ast_list *l, ast_option *o);
void parse_stmt_set_options(parse_ctx *p, ast_stmt *s, ast_list *opts);
ast_stmt *parse_create_source(parse_ctx *p, ast_stmt *s, int bOrReplace,
                              const parse_token *kw, int bIfNotExists,
                              const parse_token *name, ast_list *opts);
ast_stmt *parse_create_sink(parse_ctx *p, const parse_token *t,
                            int bIfNotExists, const parse_token *name,
                            const parse_token *from, ast_select *sel,
                            ast_list *opts, ast_list *opts2);
ast_stmt *parse_create_view(parse_ctx *p, const parse_token *t, int bOrReplace,
                            int bMat, int bIfNotExists,
                            const parse_token *name, ast_list *opts,
                            ast_select *sel, ast_list *opts2);
ast_stmt *parse_insert(parse_ctx *p, const parse_token *t,
                       const parse_token *name, ast_list *cols,
                       ast_select *sel);
ast_stmt *parse_drop(parse_ctx *p, const parse_token *t, int objKind,
                     int bIfExists, const parse_token *name);
ast_stmt *parse_show(parse_ctx *p, const parse_token *t,
                     const parse_token *what);
ast_stmt *parse_named_stmt(parse_ctx *p, ast_stmt_kind k,
                           const parse_token *t, const parse_token *name);
ast_stmt *parse_explain(parse_ctx *p, const parse_token *t, int bAnalyze,
                        ast_stmt *inner);
ast_stmt *parse_set(parse_ctx *p, const parse_token *t, const char *zKey,
                    ast_expr *x);
ast_stmt *parse_advance(parse_ctx *p, const parse_token *t, ast_stmt_kind k,
                        const parse_token *name, int bBy, ast_expr *x);
ast_stmt *parse_select_stmt(parse_ctx *p, ast_select *s);

/* ---- the lemon parser (generated from parse.y) ------------------------- */
void *parse_LemonAlloc(void *(*)(size_t), parse_ctx *);
void parse_LemonFree(void *, void (*)(void *));
void parse_Lemon(void *, int, parse_token);
/* The token a keyword falls back to (TK_ID) or 0 if it is reserved. */
int parse_LemonFallback(int iToken);

#endif
