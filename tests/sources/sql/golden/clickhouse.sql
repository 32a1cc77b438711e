SELECT intDiv(toUnixTimestamp(shop.events.ts), 60) AS bucket, count(*) AS valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS good 
FROM shop.events 
WHERE shop.events.ts >= :start AND shop.events.ts < :end AND (service = 'checkout') GROUP BY intDiv(toUnixTimestamp(shop.events.ts), 60)
