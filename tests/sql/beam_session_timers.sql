-- Session merges carry processing-time trigger state (Beam merges the
-- trigger state of merged windows: a pending AFTER DELAY pane keeps the
-- earliest deadline). Manual clock; expected panes worked out by hand.
-- Gap 5 min, user a; rows (t, p) arriving at processing times:
--   @09:00:10 (8:00,1): S1 [8:00,8:05), a delay pane due 09:00:40
--   @09:00:20 (8:08,2): S2 [8:08,8:13), a delay pane due 09:00:50
--   @09:00:30 (8:04,4): bridges them: M [8:00,8:13) (7), its pane due at
--                       the earliest pending deadline, 09:00:40 (not
--                       09:01:00, 30 s after the bridging row)
--   time -> 09:02:00
-- q1 EARLY AFTER DELAY 30 s ACCUMULATING: M 7 emitted at 09:00:40, once.
-- q2 EARLY EVERY 1 MINUTE ACCUMULATING: M 7 emitted at 09:01:00, once.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE s (u VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT u, window_start, window_end, SUM(p) AS total, emit_time
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND ACCUMULATING;
SELECT u, window_start, window_end, SUM(p) AS total, emit_time
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE ACCUMULATING;
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:20';
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 08:08:00', 2);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:30';
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 08:04:00', 4);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:00';
