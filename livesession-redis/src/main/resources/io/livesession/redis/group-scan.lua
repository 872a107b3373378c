-- SCAN through a script: Spring Data's scan Cursor cannot resume from a cursor id that a
-- caller hands back, and a page's cursor must travel to an HTTP client.
--
-- ARGV: cursor, MATCH pattern, COUNT
return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
