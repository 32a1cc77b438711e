SELECT CAST(strftime('%s', shop.events.ts) AS INTEGER) / 60 AS bucket, count(*) AS valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS good 
FROM shop.events 
WHERE CAST(strftime('%s', shop.events.ts) AS INTEGER) >= ? AND CAST(strftime('%s', shop.events.ts) AS INTEGER) < ? AND (service = 'checkout') GROUP BY CAST(strftime('%s', shop.events.ts) AS INTEGER) / 60
