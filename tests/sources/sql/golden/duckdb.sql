SELECT CAST(floor(epoch(shop.events.ts) / 60) AS BIGINT) AS bucket, count(*) AS valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS good 
FROM shop.events 
WHERE shop.events.ts >= :start AND shop.events.ts < :end AND (service = 'checkout') GROUP BY CAST(floor(epoch(shop.events.ts) / 60) AS BIGINT)
