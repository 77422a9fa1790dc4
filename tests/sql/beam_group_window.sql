-- Both window spellings (DESIGN.md 2.2) give the same panes as the
-- table-valued functions: group-window functions (GROUP BY TUMBLE(...),
-- *_START/*_END), ksqlDB's WINDOW clause (WINDOWSTART/WINDOWEND), the
-- paper's named arguments and Flink's TABLE(... DESCRIPTOR ...) form.
-- The paper's bids, all of team 'x', under the manual clock. Expected
-- panes worked out by hand first:
--   tumble 10 min: wm 8:10 [8:00,8:10) 11; wm 8:20 [8:10,8:20) 10
--   hop 10 min by 5: wm 8:10 [8:00,8:10) 11; wm 8:15 [8:05,8:15) 15;
--                    wm 8:20 [8:10,8:20) 10; wm 8:30 [8:15,8:25) 6
--   session gap 3 min: B1 makes [8:05,8:10) and [8:11,8:14); B2's 8:09
--     bridges them, 8:13 extends to [8:05,8:16), 8:17 opens [8:17,8:20);
--     wm 8:20 fires [8:05,8:16) 15 and [8:17,8:20) 6 (both ends passed).
-- q1-q5 tumble (TVF, GROUP BY TUMBLE, WINDOW TUMBLING, named args,
-- TABLE/DESCRIPTOR), q6-q9 hop (TVF, GROUP BY HOP, WINDOW HOPPING, named
-- args), q10-q12 session (TVF, GROUP BY SESSION, WINDOW SESSION): each
-- group prints the same rows, one +I per window at the steps above.
-- q13/q14: ksqlDB's GRACE PERIOD is the allowed lateness, on bids2:
--   (8:07,2); wm 8:10: +I [8:00,8:10) 2; late (8:05,4) within the grace:
--   +I [8:00,8:10) 4 (a late pane, DISCARDING); wm 8:16; late (8:06,1)
--   beyond it: dropped.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR,
  team VARCHAR) WITH (connector = 'memory');
.mode changelog
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT TUMBLE_START(bidtime, INTERVAL '10' MINUTE) AS ws,
       TUMBLE_END(bidtime, INTERVAL '10' MINUTE) AS we, SUM(price) AS total
FROM bids GROUP BY TUMBLE(bidtime, INTERVAL '10' MINUTE);
SELECT WINDOWSTART AS ws, WINDOWEND AS we, SUM(price) AS total
FROM bids WINDOW TUMBLING (SIZE 10 MINUTES) GROUP BY team;
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM TABLE(TUMBLE(data => TABLE bids, timecol => DESCRIPTOR(bidtime),
                  dur => INTERVAL '10' MINUTE))
GROUP BY window_start, window_end;
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '10' MINUTE))
GROUP BY window_start, window_end;
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT HOP_START(bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) AS ws,
       HOP_END(bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) AS we,
       SUM(price) AS total
FROM bids GROUP BY HOP(bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE);
SELECT WINDOWSTART AS ws, WINDOWEND AS we, SUM(price) AS total
FROM bids WINDOW HOPPING (SIZE 10 MINUTES, ADVANCE BY 5 MINUTES)
GROUP BY team;
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM TABLE(HOP(data => TABLE bids, timecol => DESCRIPTOR(bidtime),
               dur => INTERVAL '10' MINUTE, hopsize => INTERVAL '5' MINUTE))
GROUP BY window_start, window_end;
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM SESSION(bids, bidtime, INTERVAL '3' MINUTE)
GROUP BY team, window_start, window_end;
SELECT SESSION_START(bidtime, INTERVAL '3' MINUTE) AS ws,
       SESSION_END(bidtime, INTERVAL '3' MINUTE) AS we, SUM(price) AS total
FROM bids GROUP BY team, SESSION(bidtime, INTERVAL '3' MINUTE);
SELECT WINDOWSTART AS ws, WINDOWEND AS we, SUM(price) AS total
FROM bids WINDOW SESSION (3 MINUTES) GROUP BY team;
CREATE SOURCE bids2 (bidtime TIMESTAMP, price BIGINT, team VARCHAR)
  WITH (connector = 'memory');
SELECT window_start AS ws, window_end AS we, SUM(price) AS total
FROM TUMBLE(bids2, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end
EMIT AFTER WATERMARK ALLOWED LATENESS INTERVAL '5' MINUTE;
SELECT WINDOWSTART AS ws, WINDOWEND AS we, SUM(price) AS total
FROM bids2 WINDOW TUMBLING (SIZE 10 MINUTES, GRACE PERIOD 5 MINUTES)
GROUP BY team;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A', 'x'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B', 'x'),
  (TIMESTAMP '2026-01-01 08:05:00', 4, 'C', 'x');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D', 'x'),
  (TIMESTAMP '2026-01-01 08:13:00', 1, 'E', 'x'),
  (TIMESTAMP '2026-01-01 08:17:00', 6, 'F', 'x');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:30:00';
INSERT INTO bids2 VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'x');
ADVANCE WATERMARK OF bids2 TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids2 VALUES (TIMESTAMP '2026-01-01 08:05:00', 4, 'x');
ADVANCE WATERMARK OF bids2 TO TIMESTAMP '2026-01-01 08:16:00';
INSERT INTO bids2 VALUES (TIMESTAMP '2026-01-01 08:06:00', 1, 'x');
