SELECT "quoted id", `back``tick`, 'it''s' -- comment
/* block */ FROM t WHERE x = = 1; SELECT 'unterminated