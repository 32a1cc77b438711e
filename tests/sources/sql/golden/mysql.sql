SELECT FLOOR(UNIX_TIMESTAMP(shop.events.ts) / 60) AS bucket, count(*) AS valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS good 
FROM shop.events 
WHERE shop.events.ts >= %s AND shop.events.ts < %s AND (service = 'checkout') GROUP BY FLOOR(UNIX_TIMESTAMP(shop.events.ts) / 60)
