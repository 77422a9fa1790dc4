-- Unwindowed aggregates over an unbounded stream: EMIT CHANGES
-- RETRACTING by default (DESIGN.md 2.3), a pane per input batch, with
-- retractions; HAVING turns a group leaving the result into -D; an
-- aggregate over an aggregate's changelog applies its retractions.
-- Expected rows worked out by hand first. Rows are (item, price):
--   B1 (A,2) (B,3);  B2 (A,4);  B3 (B,1) (A,5);  B4 (C,6)
-- q1 default / q2 explicit EMIT CHANGES, per item (SUM, COUNT):
--   B1 +I A (2,1), +I B (3,1)
--   B2 -U A (2,1), +U A (6,2)
--   B3 -U/+U B (3,1)->(4,2), -U/+U A (6,2)->(11,3)
--   B4 +I C (6,1)
-- q3 global (COUNT, SUM): B1 +I (2,5); B2 -U (2,5) +U (3,9);
--   B3 -U (3,9) +U (5,15); B4 -U (5,15) +U (6,21)
-- q4 HAVING COUNT(*) < 2, per item SUM: B1 +I A 2, +I B 3; B2 -D A 2;
--   B3 -D B 3 (A, at 3 rows, stays out); B4 +I C 6
-- q5 histogram of per-item counts (n, items), over q1-like changes:
--   B1 inner +I A1, +I B1            -> +I (1,2)
--   B2 inner -U A1 +U A2             -> -U (1,2) +U (1,1); +I (2,1)
--   B3 inner B1->B2, A2->A3          -> n=1 empties: -D (1,1); n=2 loses
--      A and gains B: (2,1) again, so nothing; +I (3,1)
--   B4 inner +I C1                   -> +I (1,1)
-- q6 HAVING COUNT(*) >= 2, per item SUM: a group entering the result is
--   +I: B2 +I A 6; B3 -U A 6 +U A 11 and +I B 4 (in either order);
--   B4 nothing.
-- (A group leaving the result is a delete, -D, and one entering it an
-- insert, +I: a -U must be followed by its +U, and upsert sinks drop
-- -U rows, so a lone -U would leave the row in place downstream.)
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (item VARCHAR, price BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT item, SUM(price) AS total, COUNT(*) AS n FROM bids GROUP BY item;
SELECT item, SUM(price) AS total, COUNT(*) AS n FROM bids GROUP BY item
EMIT CHANGES;
SELECT COUNT(*) AS n, SUM(price) AS total FROM bids;
SELECT item, SUM(price) AS total FROM bids GROUP BY item
HAVING COUNT(*) < 2;
SELECT n, COUNT(*) AS items
FROM (SELECT item, COUNT(*) AS n FROM bids GROUP BY item) GROUP BY n;
SELECT item, SUM(price) AS total FROM bids GROUP BY item
HAVING COUNT(*) >= 2;
INSERT INTO bids VALUES ('A', 2), ('B', 3);
INSERT INTO bids VALUES ('A', 4);
INSERT INTO bids VALUES ('B', 1), ('A', 5);
INSERT INTO bids VALUES ('C', 6);
