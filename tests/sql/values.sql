-- SELECT without FROM: scalar functions and SQL NULL semantics.
.mode changelog
SELECT 1 + 2 AS a, 7 / 2 AS b, 7.0 / 2 AS c, 7 % 3 AS d, 1 / 0 AS e;
SELECT NULL AND FALSE AS a, NULL OR TRUE AS b, NULL = NULL AS c,
       NULL IS NULL AS d, 3 IN (1, 2, NULL) AS e, 2 IN (1, 2, NULL) AS f;
SELECT LOWER('AbC') AS a, UPPER('x') AS b, SUBSTR('weirdly', 2, 3) AS c,
       LENGTH('héllo') AS d, TRIM('  x ') AS e, 'a' || 'b' AS f,
       CONCAT('a', NULL) AS g, REPLACE('aXbX', 'X', '-') AS h;
SELECT ABS(-3) AS a, ROUND(2.5) AS b, ROUND(3.14159, 2) AS c, FLOOR(-1.5) AS d,
       CEIL(1.2) AS e, MOD(10, 3) AS f, NULLIF(3, 3) AS g, COALESCE(NULL, 4) AS h;
SELECT EXTRACT(HOUR FROM TIMESTAMP '2026-01-01 12:34:56') AS h,
       MINUTE(TIMESTAMP '2026-01-01 12:34:56') AS m,
       DATE_FORMAT(TIMESTAMP '2026-01-01 12:34:56', 'yyyy/MM/dd HH:mm') AS f,
       TIMESTAMP '2026-01-01 12:00:00' + INTERVAL '90' SECOND AS t,
       CAST('42' AS BIGINT) + 1 AS c, CAST(2.7 AS BIGINT) AS i,
       'abc' LIKE 'a_c' AS l, 'abc' NOT LIKE 'b%' AS nl;
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
SELECT CURRENT_TIMESTAMP AS a, CURRENT_TIMESTAMP() AS b, NOW() AS c,
       LOCALTIMESTAMP AS d;
