SELECT CAST(floor(EXTRACT(EPOCH FROM shop.events.ts) / 60) AS BIGINT) AS bucket, count(*) AS valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS good 
FROM shop.events 
WHERE shop.events.ts >= %(start)s::TIMESTAMP WITH TIME ZONE AND shop.events.ts < %(end)s::TIMESTAMP WITH TIME ZONE AND (service = 'checkout') GROUP BY CAST(floor(EXTRACT(EPOCH FROM shop.events.ts) / 60) AS BIGINT)
