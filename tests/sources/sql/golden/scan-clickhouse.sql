SELECT service AS attain_group, intDiv(toUnixTimestamp(shop.events.ts), 60) AS attain_bucket, count(*) AS attain_valid, sum(CASE WHEN (status < 500) THEN 1 ELSE 0 END) AS attain_good_0 
FROM shop.events 
WHERE shop.events.ts >= :start AND shop.events.ts < :end AND service IN ('checkout', 'search') GROUP BY service, intDiv(toUnixTimestamp(shop.events.ts), 60);
SELECT intDiv(toUnixTimestamp(shop.events.ts), 60) AS attain_bucket, sum(CASE WHEN (service = 'checkout' AND region = 'eu') THEN 1 ELSE 0 END) AS attain_valid_0, sum(CASE WHEN (region = 'eu' OR region = 'us') THEN 1 ELSE 0 END) AS attain_valid_1, sum(CASE WHEN (service = 'checkout' AND region = 'eu') THEN 1 ELSE 0 END) AS attain_good_0, sum(CASE WHEN (region = 'eu' OR region = 'us') THEN CASE WHEN (status >= 500) THEN 0 ELSE 1 END ELSE 0 END) AS attain_good_1 
FROM shop.events 
WHERE shop.events.ts >= :start AND shop.events.ts < :end AND ((service = 'checkout' AND region = 'eu') OR (region = 'eu' OR region = 'us')) GROUP BY intDiv(toUnixTimestamp(shop.events.ts), 60)
