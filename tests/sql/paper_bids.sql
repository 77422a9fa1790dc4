-- The "One SQL to Rule Them All" worked example, under the manual clock.
-- Bids (bidtime, price, item): (8:07,2,A) (8:11,3,B) (8:05,4,C) (8:09,5,D)
-- (8:13,1,E) (8:17,6,F). Expected, worked out by hand:
--   TUMBLE 10 min:          [8:00,8:10) = 2+4+5 = 11, [8:10,8:20) = 3+1+6 = 10
--   HOP size 10, slide 5:   [8:00,8:10) = 11, [8:05,8:15) = 2+3+4+5+1 = 15,
--                           [8:10,8:20) = 10, [8:15,8:25) = 6
-- Each window fires once (AFTER WATERMARK, the default), when the
-- watermark reaches its end.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 08:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, SUM(price) AS total
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(price) AS total
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B'),
  (TIMESTAMP '2026-01-01 08:05:00', 4, 'C');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D'),
  (TIMESTAMP '2026-01-01 08:13:00', 1, 'E'),
  (TIMESTAMP '2026-01-01 08:17:00', 6, 'F');
-- Nothing fires before the watermark reaches a window's end.
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:09:59';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:30:00';
-- A watermark never moves backwards.
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:00:00';
