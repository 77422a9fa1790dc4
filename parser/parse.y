/*
** parser/parse.y — the lemon grammar of weir's SQL dialect (DESIGN.md §2
** and §3). CMake runs lemon on it into build/parser/parse.c and parse.h
** (whose TK_ codes the tokenizer and the planner use).
**
** The tokenizer (tokenize.c) feeds this grammar one token at a time from
** parser.c. Actions only call the parse_* builders of ast.c, which build
** the AST in the statement arena and normalise spellings (EMIT, windows,
** literals), so this file holds no logic. Keywords that are not reserved
** fall back to ID, so `time`, `window` or `source` still name columns.
*/

%include {
#include "parser/parse_int.h"
#include <assert.h>
#include <string.h>
}

%name parse_Lemon
%token_prefix TK_
%token_type {parse_token}
%default_type {parse_token}
%extra_context {parse_ctx *pCtx}
%stack_size 2000
%start_symbol input

%syntax_error {
  parse_syntax_error(pCtx, &TOKEN);
}
%stack_overflow {
  parse_error_at(pCtx, -1, 0, -1, "statement too deeply nested");
}

/* Tokens the tokenizer produces that the grammar never sees, or that the
** builders use as operator codes only. */
%token SPACE ILLEGAL ISNOT WITHD.

/* Non-reserved keywords: usable as names wherever a keyword makes no
** sense. EMIT and WINDOW are keywords only where parser.c sees an EMIT
** clause or a window clause follow (as SQLite does for WINDOW), and plain
** identifiers elsewhere, so they cannot be swallowed as aliases. */
%fallback ID
  SOURCE STREAM SINK MATERIALIZED QUERY IF REPLACE SHOW DESCRIBE EXPLAIN
  ANALYZE ADVANCE TIME WATERMARK OF TO FOR PRIMARY KEY ENFORCED METADATA
  VIRTUAL CHANGES FINAL AFTER CLOSE EARLY LATE EVERY DELAY ROW
  ROWS ALLOWED LATENESS GRACE PERIOD DISCARDING ACCUMULATING RETRACTING
  PERIODIC UPDATE PER EVENT CHANGELOG BEFORE WITHOUT UNIT EXTRACT FILTER
  OVER PARTITION SIZE RETENTION STOP TIMESTAMP INTERVAL SET ASC OFFSET
  RANGE UNBOUNDED PRECEDING FOLLOWING CURRENT TERMINATE.

%left OR.
%left AND.
%right NOT.
%left IS ISNOT LIKE_KW BETWEEN IN ISNULL NOTNULL NE EQ.
%left GT LE LT GE.
%right ESCAPE.
%left PLUS MINUS.
%left STAR SLASH REM.
%left CONCAT.
%right BITNOT.

/* ---- statements --------------------------------------------------------- */
input ::= cmd(X).        { pCtx->pStmt = X; }
input ::= cmd(X) SEMI.   { pCtx->pStmt = X; }

%type cmd {ast_stmt*}
cmd(A) ::= query(S).     { A = parse_select_stmt(pCtx, S); }

/* CREATE SOURCE|STREAM|TABLE name (cols, WATERMARK FOR ...) WITH (...);
** ksqlDB's CREATE STREAM|TABLE name [WITH (...)] AS SELECT ... is a
** materialized view. */
cmd(A) ::= CREATE(T) orreplace(R) srckw(K) ifnotexists(E) nm(N) colspec(C)
           with_opt(O). {
  C->iPos = T.iPos;
  A = parse_create_source(pCtx, C, R, &K, E, &N, O);
}
cmd(A) ::= CREATE(T) orreplace(R) srckw ifnotexists(E) nm(N) colspec(C)
           with_opt(O) AS query(S) with_opt(O2). {
  if (C->nCol > 0)
    parse_error_at(pCtx, N.iPos, N.z, N.n,
                   "CREATE ... AS SELECT takes no column list");
  A = parse_create_view(pCtx, &T, R, 1, E, &N, O, S, O2);
}
cmd(A) ::= CREATE(T) orreplace(R) SINK ifnotexists(E) nm(N) FROM nm(F)
           with_opt(O). {
  A = parse_create_sink(pCtx, &T, E, &N, &F, 0, O, 0);
  A->bOrReplace = R != 0;
}
/* A sink declared alone (Flink style), written by INSERT INTO later. */
cmd(A) ::= CREATE(T) orreplace(R) SINK ifnotexists(E) nm(N) with_opt(O). {
  A = parse_create_sink(pCtx, &T, E, &N, 0, 0, O, 0);
  A->bOrReplace = R != 0;
}
cmd(A) ::= CREATE(T) orreplace(R) SINK ifnotexists(E) nm(N) with_opt(O)
           AS query(S) with_opt(O2). {
  A = parse_create_sink(pCtx, &T, E, &N, 0, S, O, O2);
  A->bOrReplace = R != 0;
}
cmd(A) ::= CREATE(T) orreplace(R) mat(M) VIEW ifnotexists(E) nm(N)
           with_opt(O) AS query(S) with_opt(O2). {
  A = parse_create_view(pCtx, &T, R, M, E, &N, O, S, O2);
}
cmd(A) ::= INSERT(T) INTO nm(N) query(S). {
  A = parse_insert(pCtx, &T, &N, 0, S);
}
cmd(A) ::= INSERT(T) INTO nm(N) LP idlist(L) RP query(S). {
  A = parse_insert(pCtx, &T, &N, L, S);
}
cmd(A) ::= DROP(T) objkind(K) ifexists(E) nm(N). {
  A = parse_drop(pCtx, &T, K, E, &N);
}
cmd(A) ::= SHOW(T) nm(W).              { A = parse_show(pCtx, &T, &W); }
cmd(A) ::= SHOW(T) MATERIALIZED nm(W). { A = parse_show(pCtx, &T, &W); }
cmd(A) ::= DESCRIBE(T) nm(N). {
  A = parse_named_stmt(pCtx, AS_DESCRIBE, &T, &N);
}
cmd(A) ::= DESC(T) nm(N). {
  A = parse_named_stmt(pCtx, AS_DESCRIBE, &T, &N);
}
cmd(A) ::= EXPLAIN(T) cmd(X).          { A = parse_explain(pCtx, &T, 0, X); }
cmd(A) ::= EXPLAIN(T) ANALYZE cmd(X).  { A = parse_explain(pCtx, &T, 1, X); }
cmd(A) ::= SET(T) setkey(K) EQ expr(X). { A = parse_set(pCtx, &T, K.z, X); }
cmd(A) ::= SET(T) setkey(K) TO expr(X). { A = parse_set(pCtx, &T, K.z, X); }
cmd(A) ::= ADVANCE(T) TIME TO expr(X). {
  A = parse_advance(pCtx, &T, AS_ADVANCE_TIME, 0, 0, X);
}
cmd(A) ::= ADVANCE(T) TIME BY expr(X). {
  A = parse_advance(pCtx, &T, AS_ADVANCE_TIME, 0, 1, X);
}
cmd(A) ::= ADVANCE(T) WATERMARK OF nm(N) TO expr(X). {
  A = parse_advance(pCtx, &T, AS_ADVANCE_WATERMARK, &N, 0, X);
}
cmd(A) ::= ADVANCE(T) WATERMARK TO expr(X). {
  A = parse_advance(pCtx, &T, AS_ADVANCE_WATERMARK, 0, 0, X);
}
cmd(A) ::= STOP(T) QUERY nm(N). {
  A = parse_named_stmt(pCtx, AS_STOP_QUERY, &T, &N);
}
cmd(A) ::= TERMINATE(T) nm(N). {   /* ksqlDB's spelling */
  A = parse_named_stmt(pCtx, AS_STOP_QUERY, &T, &N);
}

%type orreplace {int}
orreplace(A) ::= .            { A = 0; }
orreplace(A) ::= OR REPLACE.  { A = 1; }
%type mat {int}
mat(A) ::= .                  { A = 0; }
mat(A) ::= MATERIALIZED.      { A = 1; }
%type ifnotexists {int}
ifnotexists(A) ::= .              { A = 0; }
ifnotexists(A) ::= IF NOT EXISTS. { A = 1; }
%type ifexists {int}
ifexists(A) ::= .             { A = 0; }
ifexists(A) ::= IF EXISTS.    { A = 1; }

srckw(A) ::= SOURCE(A).
srckw(A) ::= STREAM(A).
srckw(A) ::= TABLE(A).

%type objkind {int}
objkind(A) ::= SOURCE.            { A = AO_SOURCE; }
objkind(A) ::= STREAM.            { A = AO_STREAM; }
objkind(A) ::= TABLE.             { A = AO_TABLE; }
objkind(A) ::= SINK.              { A = AO_SINK; }
objkind(A) ::= VIEW.              { A = AO_VIEW; }
objkind(A) ::= MATERIALIZED VIEW. { A = AO_VIEW; }
objkind(A) ::= QUERY.             { A = AO_QUERY; }

nm(A) ::= ID(A).

/* a.b.c (a SET key or a WITH option key): z is an arena string. */
dotted(A) ::= nm(N).  {
  A = N; A.z = parse_tok_str(pCtx, &N); A.n = (int)strlen(A.z);
}
dotted(A) ::= dotted(A) DOT nm(N). {
  A.z = parse_name_cat(pCtx, A.z, &N); A.n = (int)strlen(A.z);
}
setkey(A) ::= dotted(A).
setkey(A) ::= STRING(S). {
  A = S; A.z = parse_tok_str(pCtx, &S); A.n = (int)strlen(A.z);
}

/* ---- column definitions of CREATE SOURCE -------------------------------- */
%type colspec {ast_stmt*}
colspec(A) ::= .          { A = parse_stmt_new(pCtx, AS_CREATE_SOURCE, 0); }
colspec(A) ::= cols(A) RP.

%type colsep {ast_stmt*}
colsep(A) ::= LP(T).      { A = parse_stmt_new(pCtx, AS_CREATE_SOURCE, &T); }
colsep(A) ::= cols(A) COMMA.

%type cols {ast_stmt*}
cols(A) ::= colt(A).
cols(A) ::= colsep(A) nm(N) AS(T) expr(X). {
  A = parse_coldef_add(pCtx, A, &N, 0);
  A = parse_coldef_mod(pCtx, A, PCM_COMPUTED, &T, X);
}
cols(A) ::= colsep(A) WATERMARK FOR nm(C) AS expr(X). {
  A = parse_watermark(pCtx, A, &C, X);
}
cols(A) ::= colsep(A) PRIMARY KEY LP idlist(L) RP. {
  A = parse_primary_key(pCtx, A, L);
}
cols(A) ::= colsep(A) PRIMARY KEY LP idlist(L) RP NOT ENFORCED. {
  A = parse_primary_key(pCtx, A, L);
}

/* A typed column and its modifiers. */
%type colt {ast_stmt*}
colt(A) ::= colsep(A) nm(N) typetoken(Y). {
  A = parse_coldef_add(pCtx, A, &N, Y);
}
colt(A) ::= colt(A) KEY(T). {
  A = parse_coldef_mod(pCtx, A, PCM_KEY, &T, 0);
}
colt(A) ::= colt(A) PRIMARY(T) KEY. {
  A = parse_coldef_mod(pCtx, A, PCM_KEY, &T, 0);
}
colt(A) ::= colt(A) NOT ENFORCED.
colt(A) ::= colt(A) NOT NULL.
colt(A) ::= colt(A) NULL.
colt(A) ::= colt(A) VIRTUAL.
colt(A) ::= colt(A) METADATA FROM STRING(S). {
  A = parse_coldef_mod(pCtx, A, PCM_METADATA, &S, 0);
}
colt(A) ::= colt(A) METADATA(T). {
  A = parse_coldef_mod(pCtx, A, PCM_METADATA, &T, 0);
}

%type typetoken {ast_coldef*}
typetoken(A) ::= nm(N).            { A = parse_type(pCtx, &N, 0, 0, 0); }
typetoken(A) ::= nm(N) LP INTEGER(X) RP. {
  A = parse_type(pCtx, &N, 1, &X, 0);
}
typetoken(A) ::= nm(N) LP INTEGER(X) COMMA INTEGER(Y) RP. {
  A = parse_type(pCtx, &N, 2, &X, &Y);
}

%type idlist {ast_list*}
idlist(A) ::= nm(N).                 { A = parse_idlist_append(pCtx, 0, &N); }
idlist(A) ::= idlist(A) COMMA nm(N). { A = parse_idlist_append(pCtx, A, &N); }

/* ---- WITH (key = value, ...) -------------------------------------------- */
%type with_opt {ast_list*}
with_opt(A) ::= .                     { A = 0; }
with_opt(A) ::= WITH LP optlist(L) RP. { A = L; }
%type optlist {ast_list*}
optlist(A) ::= option(O).             { A = parse_option_append(pCtx, 0, O); }
optlist(A) ::= optlist(A) COMMA option(O). {
  A = parse_option_append(pCtx, A, O);
}
%type option {ast_option*}
option(A) ::= setkey(K) EQ optval(V). {
  A = parse_option_new(pCtx, K.z, K.iPos, &V, 0);
}
option(A) ::= setkey(K) EQ MINUS optval(V). {
  A = parse_option_new(pCtx, K.z, K.iPos, &V, 1);
}
optval(A) ::= STRING(A).
optval(A) ::= INTEGER(A).
optval(A) ::= FLOAT(A).
optval(A) ::= nm(A).
optval(A) ::= TRUE(A).
optval(A) ::= FALSE(A).

/* ---- queries ------------------------------------------------------------ */
/* A query is a SELECT (or VALUES) with an optional EMIT clause; ksqlDB
** writes LIMIT after EMIT. */
%type query {ast_select*}
query(A) ::= select(A).
query(A) ::= select(S) emit(E) limit_opt(L). {
  A = parse_select_emit(pCtx, S, E, L.pLimit, L.pOffset);
}

%type select {ast_select*}
select(A) ::= with(W) selectnowith(S) orderby_opt(O) limit_opt(L). {
  A = parse_select_finish(pCtx, S, W, O, L.pLimit, L.pOffset);
}

%type with {ast_list*}
with(A) ::= .                { A = 0; }
with(A) ::= WITH wqlist(L).  { A = L; }
%type wqlist {ast_list*}
wqlist(A) ::= nm(N) AS LP select(S) RP. {
  A = parse_cte_append(pCtx, 0, &N, S);
}
wqlist(A) ::= wqlist(A) COMMA nm(N) AS LP select(S) RP. {
  A = parse_cte_append(pCtx, A, &N, S);
}

%type selectnowith {ast_select*}
selectnowith(A) ::= oneselect(A).
selectnowith(A) ::= selectnowith(L) UNION ALL oneselect(R). {
  A = parse_select_union(pCtx, L, R);
}
selectnowith(A) ::= selectnowith(A) UNION(U) oneselect. {
  parse_error_at(pCtx, U.iPos, U.z, U.n,
                 "only UNION ALL is supported (a stream has no DISTINCT "
                 "union)");
}

%type oneselect {ast_select*}
oneselect(A) ::= SELECT(T) distinct(D) selcollist(C) from(F) where_opt(W)
                 groupby_opt(G) having_opt(H). {
  A = parse_select_new(pCtx, &T, D, C, F.pFrom, F.pKWindow, W, G, H);
}
oneselect(A) ::= values(A).

%type values {ast_select*}
values(A) ::= VALUES(T) LP(P) nexprlist(L) RP. {
  A = parse_select_values(pCtx, &T, parse_values_row(pCtx, 0, &P, L));
}
values(A) ::= values(A) COMMA LP(P) nexprlist(L) RP. {
  A->pValues = parse_values_row(pCtx, A->pValues, &P, L);
}

%type distinct {int}
distinct(A) ::= .          { A = 0; }
distinct(A) ::= DISTINCT.  { A = 1; }
distinct(A) ::= ALL.       { A = 0; }

%type selcollist {ast_list*}
selcollist(A) ::= expr(X) as(Z). { A = parse_list_append(pCtx, 0, X, &Z); }
selcollist(A) ::= STAR(S). {
  A = parse_list_append(pCtx, 0, parse_expr_star(pCtx, 0, &S), 0);
}
selcollist(A) ::= nm(T) DOT STAR(S). {
  A = parse_list_append(pCtx, 0, parse_expr_star(pCtx, &T, &S), 0);
}
selcollist(A) ::= selcollist(A) COMMA expr(X) as(Z). {
  A = parse_list_append(pCtx, A, X, &Z);
}
selcollist(A) ::= selcollist(A) COMMA STAR(S). {
  A = parse_list_append(pCtx, A, parse_expr_star(pCtx, 0, &S), 0);
}
selcollist(A) ::= selcollist(A) COMMA nm(T) DOT STAR(S). {
  A = parse_list_append(pCtx, A, parse_expr_star(pCtx, &T, &S), 0);
}

as(A) ::= .         { A.z = 0; A.n = 0; A.iPos = 0; }
as(A) ::= AS nm(N). { A = N; }
as(A) ::= AS STRING(N). { A = N; }
as(A) ::= ID(N).    { A = N; }

/* FROM with an optional ksqlDB WINDOW clause. */
%type from {parse_from}
from(A) ::= .                           { A.pFrom = 0; A.pKWindow = 0; }
from(A) ::= FROM fromlist(F).           { A.pFrom = F; A.pKWindow = 0; }
from(A) ::= FROM fromlist(F) kwin(W) RP. {
  A.pFrom = F; A.pKWindow = parse_kwindow_finish(pCtx, W);
}

%type fromlist {ast_from*}
fromlist(A) ::= fromitem(A).
fromlist(A) ::= fromlist(L) COMMA fromitem(R). {
  A = parse_from_join(pCtx, L, AJ_CROSS, R, 0, 0);
}
fromlist(A) ::= fromlist(L) joinop(J) fromitem(R). {
  A = parse_from_join(pCtx, L, J, R, 0, 0);
}
fromlist(A) ::= fromlist(L) joinop(J) fromitem(R) ON expr(E). {
  A = parse_from_join(pCtx, L, J, R, E, 0);
}
fromlist(A) ::= fromlist(L) joinop(J) fromitem(R) USING LP idlist(U) RP. {
  A = parse_from_join(pCtx, L, J, R, 0, U);
}

%type joinop {int}
joinop(A) ::= JOIN.                     { A = AJ_INNER; }
joinop(A) ::= JOIN_KW(K) JOIN.          { A = parse_join_kind(pCtx, &K, 0); }
joinop(A) ::= JOIN_KW(K) JOIN_KW(L) JOIN. {
  A = parse_join_kind(pCtx, &K, &L);
}

%type fromitem {ast_from*}
fromitem(A) ::= nm(N) as(Z).  { A = parse_from_table(pCtx, &N, &Z); }
fromitem(A) ::= LP(P) select(S) RP as(Z). {
  A = parse_from_subquery(pCtx, &P, S, &Z);
}
fromitem(A) ::= nm(N) LP arglist(L) RP(E) as(Z). {
  A = parse_from_tvf(pCtx, parse_expr_func(pCtx, &N, L, 0, 0, &E), &Z);
}
fromitem(A) ::= TABLE LP nm(N) LP arglist(L) RP(E) RP as(Z). {
  A = parse_from_tvf(pCtx, parse_expr_func(pCtx, &N, L, 0, 0, &E), &Z);
}

/* ksqlDB: WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 10 MINUTES). */
%type kwinsep {ast_kwindow*}
kwinsep(A) ::= WINDOW nm(K) LP.  { A = parse_kwindow_new(pCtx, &K); }
kwinsep(A) ::= kwin(A) COMMA.
%type kwin {ast_kwindow*}
kwin(A) ::= kwinsep(A) SIZE ival(I). {
  A = parse_kwindow_item(pCtx, A, PKW_SIZE, I);
}
kwin(A) ::= kwinsep(A) ADVANCE BY ival(I). {
  A = parse_kwindow_item(pCtx, A, PKW_ADVANCE, I);
}
kwin(A) ::= kwinsep(A) GRACE PERIOD ival(I). {
  A = parse_kwindow_item(pCtx, A, PKW_GRACE, I);
}
kwin(A) ::= kwinsep(A) RETENTION ival(I). {
  A = parse_kwindow_item(pCtx, A, PKW_RETENTION, I);
}
kwin(A) ::= kwinsep(A) ival(I). {
  A = parse_kwindow_item(pCtx, A, PKW_GAP, I);
}

%type where_opt {ast_expr*}
where_opt(A) ::= .             { A = 0; }
where_opt(A) ::= WHERE expr(X). { A = X; }
%type groupby_opt {ast_list*}
groupby_opt(A) ::= .                     { A = 0; }
groupby_opt(A) ::= GROUP BY nexprlist(L). { A = L; }
%type having_opt {ast_expr*}
having_opt(A) ::= .              { A = 0; }
having_opt(A) ::= HAVING expr(X). { A = X; }

%type orderby_opt {ast_list*}
orderby_opt(A) ::= .                  { A = 0; }
orderby_opt(A) ::= ORDER BY sortlist(L). { A = L; }
%type sortlist {ast_list*}
sortlist(A) ::= expr(X) sortorder(D). {
  A = parse_list_append(pCtx, 0, X, 0); parse_list_set_desc(A, D);
}
sortlist(A) ::= sortlist(A) COMMA expr(X) sortorder(D). {
  A = parse_list_append(pCtx, A, X, 0); parse_list_set_desc(A, D);
}
%type sortorder {int}
sortorder(A) ::= .     { A = 0; }
sortorder(A) ::= ASC.  { A = 0; }
sortorder(A) ::= DESC. { A = 1; }

%type limit_opt {parse_limit}
limit_opt(A) ::= .                 { A.pLimit = 0; A.pOffset = 0; }
limit_opt(A) ::= LIMIT expr(X).    { A.pLimit = X; A.pOffset = 0; }
limit_opt(A) ::= LIMIT expr(X) OFFSET expr(Y). {
  A.pLimit = X; A.pOffset = Y;
}
limit_opt(A) ::= LIMIT expr(X) COMMA expr(Y). {
  A.pLimit = Y; A.pOffset = X;
}

%type nexprlist {ast_list*}
nexprlist(A) ::= expr(X).      { A = parse_list_append(pCtx, 0, X, 0); }
nexprlist(A) ::= nexprlist(A) COMMA expr(X). {
  A = parse_list_append(pCtx, A, X, 0);
}

/* ---- EMIT (DESIGN.md §2.3): items in any order, normalised in ast.c ---- */
%type emit {ast_emit*}
emit(A) ::= emitx(X).  { A = parse_emit_finish(pCtx, X); }

%type emitx {ast_emit*}
emitx(A) ::= EMIT(T).  { A = parse_emit_new(pCtx, &T); }
emitx(A) ::= emitx(A) STREAM(T). {
  A = parse_emit_item_add(pCtx, A, PEI_STREAM, &T, 0, 0);
}
emitx(A) ::= emitx(A) CHANGES(T). {
  A = parse_emit_item_add(pCtx, A, PEI_CHANGES, &T, 0, 0);
}
emitx(A) ::= emitx(A) FINAL(T). {
  A = parse_emit_item_add(pCtx, A, PEI_FINAL, &T, 0, 0);
}
emitx(A) ::= emitx(A) AFTER(T) WATERMARK. {
  A = parse_emit_item_add(pCtx, A, PEI_AFTER_WATERMARK, &T, 0, 0);
}
emitx(A) ::= emitx(A) ON(T) WINDOW CLOSE. {
  A = parse_emit_item_add(pCtx, A, PEI_ON_WINDOW_CLOSE, &T, 0, 0);
}
emitx(A) ::= emitx(A) AFTER(T) WINDOW CLOSE. {
  A = parse_emit_item_add(pCtx, A, PEI_AFTER_WINDOW_CLOSE, &T, 0, 0);
}
emitx(A) ::= emitx(A) AFTER(T) DELAY ival(I). {
  A = parse_emit_item_add(pCtx, A, PEI_AFTER_DELAY, &T, I, 0);
}
emitx(A) ::= emitx(A) AFTER(T) INTEGER(N) rows. {
  A = parse_emit_item_add(pCtx, A, PEI_AFTER_ROWS, &T,
                          parse_expr_int(pCtx, &N), 0);
}
emitx(A) ::= emitx(A) AND.
emitx(A) ::= emitx(A) COMMA.
emitx(A) ::= emitx(A) EARLY(T) trig(G). {
  A = parse_emit_item_add(pCtx, A, PEI_EARLY, &T, 0, G);
}
emitx(A) ::= emitx(A) LATE(T) trig(G). {
  A = parse_emit_item_add(pCtx, A, PEI_LATE, &T, 0, G);
}
emitx(A) ::= emitx(A) ALLOWED(T) LATENESS ival(I). {
  A = parse_emit_item_add(pCtx, A, PEI_LATENESS, &T, I, 0);
}
emitx(A) ::= emitx(A) GRACE(T) PERIOD ival(I). {
  A = parse_emit_item_add(pCtx, A, PEI_LATENESS, &T, I, 0);
}
emitx(A) ::= emitx(A) DISCARDING(T). {
  A = parse_emit_item_add(pCtx, A, PEI_DISCARDING, &T, 0, 0);
}
emitx(A) ::= emitx(A) ACCUMULATING(T). {
  A = parse_emit_item_add(pCtx, A, PEI_ACCUMULATING, &T, 0, 0);
}
emitx(A) ::= emitx(A) RETRACTING(T). {
  A = parse_emit_item_add(pCtx, A, PEI_RETRACTING, &T, 0, 0);
}
emitx(A) ::= emitx(A) PERIODIC(T) ival(I). {
  A = parse_emit_item_add(pCtx, A, PEI_PERIODIC, &T, I, 0);
}
emitx(A) ::= emitx(A) ON(T) UPDATE. {
  A = parse_emit_item_add(pCtx, A, PEI_ON_UPDATE, &T, 0, 0);
}
emitx(A) ::= emitx(A) PER(T) EVENT. {
  A = parse_emit_item_add(pCtx, A, PEI_PER_EVENT, &T, 0, 0);
}
emitx(A) ::= emitx(A) CHANGELOG(T). {
  A = parse_emit_item_add(pCtx, A, PEI_CHANGELOG, &T, 0, 0);
}
emitx(A) ::= emitx(A) WITHD(T) DELAY ival(I). {
  A = parse_emit_item_add(pCtx, A, PEI_WITH_DELAY, &T, I, 0);
}
emitx(A) ::= emitx(A) WITHOUT(T) DELAY. {
  A = parse_emit_item_add(pCtx, A, PEI_WITHOUT_DELAY, &T, 0, 0);
}
emitx(A) ::= emitx(A) BEFORE(T) WATERMARK. {
  A = parse_emit_item_add(pCtx, A, PEI_BEFORE_WATERMARK, &T, 0, 0);
}

rows ::= ROW.
rows ::= ROWS.

%type trig {ast_emit*}
trig(A) ::= EVERY ival(I).        { A = parse_trigger(pCtx, ATR_EVERY, I); }
trig(A) ::= AFTER DELAY ival(I). {
  A = parse_trigger(pCtx, ATR_AFTER_DELAY, I);
}
trig(A) ::= AFTER INTEGER(N) rows. {
  A = parse_trigger(pCtx, ATR_AFTER_ROWS, parse_expr_int(pCtx, &N));
}
trig(A) ::= EVERY ROW.            { A = parse_trigger(pCtx, ATR_EVERY_ROW, 0); }
trig(A) ::= LP trig(X) RP.      { A = X; }

/* An interval where no expression can stand: INTERVAL '5' SECOND, the
** ksqlDB spelling 60 SECONDS, or Blink's '1' MINUTE. */
%type ival {ast_expr*}
ival(A) ::= interval(A).
ival(A) ::= STRING(V) UNIT(U). {
  A = parse_expr_interval(pCtx, 0, &V, &U, 0, 0);
}
ival(A) ::= INTEGER(V) UNIT(U). {
  A = parse_expr_interval(pCtx, 0, &V, &U, 0, 0);
}

/* ---- expressions -------------------------------------------------------- */
%type expr {ast_expr*}
%type term {ast_expr*}
%type interval {ast_expr*}

expr(A) ::= term(A).
expr(A) ::= LP(L) expr(X) RP(R).  { A = parse_expr_paren(pCtx, &L, X, &R); }
expr(A) ::= nm(N).                { A = parse_expr_column(pCtx, 0, &N); }
expr(A) ::= nm(T) DOT nm(N).      { A = parse_expr_column(pCtx, &T, &N); }

term(A) ::= NULL(T).    { A = parse_expr_literal(pCtx, AE_NULL, &T, 0); }
term(A) ::= TRUE(T).    { A = parse_expr_literal(pCtx, AE_BOOL, &T, 1); }
term(A) ::= FALSE(T).   { A = parse_expr_literal(pCtx, AE_BOOL, &T, 0); }
term(A) ::= INTEGER(T). { A = parse_expr_int(pCtx, &T); }
term(A) ::= FLOAT(T).   { A = parse_expr_float(pCtx, &T); }
term(A) ::= STRING(T).  { A = parse_expr_string(pCtx, &T); }
term(A) ::= TIMESTAMP(K) STRING(S). { A = parse_expr_timestamp(pCtx, &K, &S); }
/* A column named timestamp (not followed by a string). */
expr(A) ::= TIMESTAMP(N).         { A = parse_expr_column(pCtx, 0, &N); }
term(A) ::= interval(A).
term(A) ::= INTEGER(V) UNIT(U). {
  A = parse_expr_interval(pCtx, 0, &V, &U, 0, 0);
}

interval(A) ::= INTERVAL(K) STRING(V) UNIT(U). {
  A = parse_expr_interval(pCtx, &K, &V, &U, 0, 0);
}
interval(A) ::= INTERVAL(K) STRING(V) UNIT(U) TO UNIT(W). {
  A = parse_expr_interval(pCtx, &K, &V, &U, &W, 0);
}
interval(A) ::= INTERVAL(K) STRING(V). {
  A = parse_expr_interval(pCtx, &K, &V, 0, 0, 0);
}
interval(A) ::= INTERVAL(K) INTEGER(V) UNIT(U). {
  A = parse_expr_interval(pCtx, &K, &V, &U, 0, 0);
}
interval(A) ::= INTERVAL(K) MINUS INTEGER(V) UNIT(U). {
  A = parse_expr_interval(pCtx, &K, &V, &U, 0, 1);
}

/* Function calls, aggregates with DISTINCT / FILTER / OVER, the window
** TVFs and group-window functions, DESCRIPTOR(), PROCTIME(). */
expr(A) ::= nm(N) LP distinct(D) arglist(L) RP(E) filter_opt(F) over_opt(O). {
  A = parse_expr_func_finish(pCtx, parse_expr_func(pCtx, &N, L, D, 0, &E),
                             F, O);
}
expr(A) ::= nm(N) LP STAR RP(E) filter_opt(F) over_opt(O). {
  A = parse_expr_func_finish(pCtx, parse_expr_func(pCtx, &N, 0, 0, 1, &E),
                             F, O);
}

/* LEFT(s, n) and RIGHT(s, n): join keywords as function names. */
expr(A) ::= JOIN_KW(N) LP arglist(L) RP(E). {
  A = parse_expr_func(pCtx, &N, L, 0, 0, &E);
}

%type arglist {ast_list*}
arglist(A) ::= .        { A = 0; }
arglist(A) ::= args(A).
%type args {ast_list*}
args(A) ::= arg(X).                 { A = parse_list_append(pCtx, 0, X, 0); }
args(A) ::= args(A) COMMA arg(X).   { A = parse_list_append(pCtx, A, X, 0); }
%type arg {ast_expr*}
arg(A) ::= expr(A).
arg(A) ::= TABLE(T) nm(N).          { A = parse_expr_tablearg(pCtx, &T, &N); }
/* Flink: SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap), or
** PARTITION BY (k1, k2): column names (a bare list would swallow the
** next argument's comma). */
arg(A) ::= TABLE(T) nm(N) PARTITION BY nm(K). {
  A = parse_expr_tablearg(pCtx, &T, &N);
  A->pArgs = parse_idlist_append(pCtx, 0, &K);
}
arg(A) ::= TABLE(T) nm(N) PARTITION BY LP idlist(L) RP. {
  A = parse_expr_tablearg(pCtx, &T, &N);
  A->pArgs = L;
}
arg(A) ::= nm(N) ARROW expr(X).     { A = parse_expr_named(pCtx, &N, X); }
arg(A) ::= nm(N) ARROW TABLE(T) nm(M). {
  A = parse_expr_named(pCtx, &N, parse_expr_tablearg(pCtx, &T, &M));
}

%type filter_opt {ast_expr*}
filter_opt(A) ::= .                           { A = 0; }
filter_opt(A) ::= FILTER LP WHERE expr(X) RP. { A = X; }

%type over_opt {ast_over*}
over_opt(A) ::= .  { A = 0; }
over_opt(A) ::= OVER LP partition_opt(P) orderby_opt(O) frame_opt(F) RP. {
  A = parse_over_new(pCtx, P, O, &F);
}
%type frame_opt {parse_frame}
frame_opt(A) ::= . { memset(&A, 0, sizeof(A)); }
frame_opt(A) ::= frame_unit(U) frame_bound(S). {
  A.unit = U; A.start = S;
  A.end = parse_frame_bound(ABD_CURRENT_ROW, 0);
}
frame_opt(A) ::= frame_unit(U) BETWEEN frame_bound(S) AND frame_bound(E). {
  A.unit = U; A.start = S; A.end = E;
}
%type frame_unit {int}
frame_unit(A) ::= ROWS.  { A = AFU_ROWS; }
frame_unit(A) ::= RANGE. { A = AFU_RANGE; }
%type frame_bound {ast_frame_bound}
frame_bound(A) ::= UNBOUNDED PRECEDING. {
  A = parse_frame_bound(ABD_UNBOUNDED_PRECEDING, 0);
}
frame_bound(A) ::= UNBOUNDED FOLLOWING. {
  A = parse_frame_bound(ABD_UNBOUNDED_FOLLOWING, 0);
}
frame_bound(A) ::= CURRENT ROW. {
  A = parse_frame_bound(ABD_CURRENT_ROW, 0);
}
frame_bound(A) ::= expr(X) PRECEDING. {
  A = parse_frame_bound(ABD_PRECEDING, X);
}
frame_bound(A) ::= expr(X) FOLLOWING. {
  A = parse_frame_bound(ABD_FOLLOWING, X);
}
%type partition_opt {ast_list*}
partition_opt(A) ::= .                         { A = 0; }
partition_opt(A) ::= PARTITION BY nexprlist(L). { A = L; }

expr(A) ::= CASE(C) case_operand(X) case_exprlist(L) case_else(Z) END(E). {
  A = parse_expr_case(pCtx, &C, X, L, Z, &E);
}
%type case_exprlist {ast_list*}
case_exprlist(A) ::= case_exprlist(A) WHEN expr(Y) THEN expr(Z). {
  A = parse_list_append(pCtx, A, Y, 0);
  A = parse_list_append(pCtx, A, Z, 0);
}
case_exprlist(A) ::= WHEN expr(Y) THEN expr(Z). {
  A = parse_list_append(pCtx, 0, Y, 0);
  A = parse_list_append(pCtx, A, Z, 0);
}
%type case_else {ast_expr*}
case_else(A) ::= ELSE expr(X). { A = X; }
case_else(A) ::= .             { A = 0; }
%type case_operand {ast_expr*}
case_operand(A) ::= expr(A).
case_operand(A) ::= .          { A = 0; }

expr(A) ::= CAST(C) LP expr(X) AS typetoken(T) RP(E). {
  A = parse_expr_cast(pCtx, &C, X, T, &E);
}
expr(A) ::= EXTRACT(C) LP nm(F) FROM expr(X) RP(E). {
  A = parse_expr_extract(pCtx, &C, &F, X, &E);
}
expr(A) ::= EXTRACT(C) LP UNIT(F) FROM expr(X) RP(E). {
  A = parse_expr_extract(pCtx, &C, &F, X, &E);
}

expr(A) ::= expr(X) AND expr(Y). {
  A = parse_expr_binary(pCtx, TK_AND, X, Y);
}
expr(A) ::= expr(X) OR expr(Y). {
  A = parse_expr_binary(pCtx, TK_OR, X, Y);
}
expr(A) ::= expr(X) LT expr(Y). {
  A = parse_expr_binary(pCtx, TK_LT, X, Y);
}
expr(A) ::= expr(X) GT expr(Y). {
  A = parse_expr_binary(pCtx, TK_GT, X, Y);
}
expr(A) ::= expr(X) GE expr(Y). {
  A = parse_expr_binary(pCtx, TK_GE, X, Y);
}
expr(A) ::= expr(X) LE expr(Y). {
  A = parse_expr_binary(pCtx, TK_LE, X, Y);
}
expr(A) ::= expr(X) EQ expr(Y). {
  A = parse_expr_binary(pCtx, TK_EQ, X, Y);
}
expr(A) ::= expr(X) NE expr(Y). {
  A = parse_expr_binary(pCtx, TK_NE, X, Y);
}
expr(A) ::= expr(X) PLUS expr(Y). {
  A = parse_expr_binary(pCtx, TK_PLUS, X, Y);
}
expr(A) ::= expr(X) MINUS expr(Y). {
  A = parse_expr_binary(pCtx, TK_MINUS, X, Y);
}
expr(A) ::= expr(X) STAR expr(Y). {
  A = parse_expr_binary(pCtx, TK_STAR, X, Y);
}
expr(A) ::= expr(X) SLASH expr(Y). {
  A = parse_expr_binary(pCtx, TK_SLASH, X, Y);
}
expr(A) ::= expr(X) REM expr(Y). {
  A = parse_expr_binary(pCtx, TK_REM, X, Y);
}
expr(A) ::= expr(X) CONCAT expr(Y). {
  A = parse_expr_binary(pCtx, TK_CONCAT, X, Y);
}
expr(A) ::= expr(X) IS expr(Y). {
  A = parse_expr_binary(pCtx, TK_IS, X, Y);
}
expr(A) ::= expr(X) IS NOT expr(Y). {
  A = parse_expr_binary(pCtx, TK_ISNOT, X, Y);
}
expr(A) ::= expr(X) IS NOT DISTINCT FROM expr(Y). [IS] {
  A = parse_expr_binary(pCtx, TK_IS, X, Y);
}
expr(A) ::= expr(X) IS DISTINCT FROM expr(Y). [IS] {
  A = parse_expr_binary(pCtx, TK_ISNOT, X, Y);
}
expr(A) ::= expr(X) ISNULL(E).      { A = parse_expr_isnull(pCtx, X, 0, &E); }
expr(A) ::= expr(X) NOTNULL(E).     { A = parse_expr_isnull(pCtx, X, 1, &E); }
expr(A) ::= expr(X) NOT NULL(E).    { A = parse_expr_isnull(pCtx, X, 1, &E); }

expr(A) ::= expr(X) LIKE_KW expr(Y). [LIKE_KW] {
  A = parse_expr_like(pCtx, X, 0, Y, 0);
}
expr(A) ::= expr(X) NOT LIKE_KW expr(Y). [LIKE_KW] {
  A = parse_expr_like(pCtx, X, 1, Y, 0);
}
expr(A) ::= expr(X) LIKE_KW expr(Y) ESCAPE expr(Z). [LIKE_KW] {
  A = parse_expr_like(pCtx, X, 0, Y, Z);
}
expr(A) ::= expr(X) NOT LIKE_KW expr(Y) ESCAPE expr(Z). [LIKE_KW] {
  A = parse_expr_like(pCtx, X, 1, Y, Z);
}
expr(A) ::= expr(X) BETWEEN expr(Y) AND expr(Z). [BETWEEN] {
  A = parse_expr_between(pCtx, X, 0, Y, Z);
}
expr(A) ::= expr(X) NOT BETWEEN expr(Y) AND expr(Z). [BETWEEN] {
  A = parse_expr_between(pCtx, X, 1, Y, Z);
}
expr(A) ::= expr(X) IN LP nexprlist(L) RP(E). [IN] {
  A = parse_expr_in(pCtx, X, 0, L, 0, &E);
}
expr(A) ::= expr(X) NOT IN LP nexprlist(L) RP(E). [IN] {
  A = parse_expr_in(pCtx, X, 1, L, 0, &E);
}
expr(A) ::= expr(X) IN LP select(S) RP(E). [IN] {
  A = parse_expr_in(pCtx, X, 0, 0, S, &E);
}
expr(A) ::= expr(X) NOT IN LP select(S) RP(E). [IN] {
  A = parse_expr_in(pCtx, X, 1, 0, S, &E);
}

expr(A) ::= NOT(T) expr(X). {
  A = parse_expr_unary(pCtx, TK_NOT, &T, X);
}
expr(A) ::= BITNOT(T) expr(X). {
  A = parse_expr_unary(pCtx, TK_BITNOT, &T, X);
}
expr(A) ::= MINUS(T) expr(X). [BITNOT] {
  A = parse_expr_unary(pCtx, TK_MINUS, &T, X);
}
expr(A) ::= PLUS(T) expr(X). [BITNOT] {
  A = parse_expr_unary(pCtx, TK_PLUS, &T, X);
}

expr(A) ::= LP(L) select(S) RP(E). {
  A = parse_expr_subquery(pCtx, AE_SUBQUERY, &L, S, &E);
}
expr(A) ::= EXISTS(T) LP select(S) RP(E). {
  A = parse_expr_subquery(pCtx, AE_EXISTS, &T, S, &E);
}
