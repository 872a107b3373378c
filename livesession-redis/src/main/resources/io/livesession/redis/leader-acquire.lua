-- Takes the lease if it is free (a new term) or renews it if this instance holds it.
-- Returns the term held, or 0 if another instance holds the lease.
--
-- KEYS: holder, term
-- ARGV: instance id, lease millis
local holder = redis.call('GET', KEYS[1])
if holder == false then
	local term = redis.call('INCR', KEYS[2])
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return term
end
if holder == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return tonumber(redis.call('GET', KEYS[2]) or '0')
end
return 0
