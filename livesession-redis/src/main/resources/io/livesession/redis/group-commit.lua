-- The version-fenced commit of one session group, in one atomic step.
--
-- KEYS[1]  the group's hash (Spring Session's layout: creationTime, lastAccessedTime,
--          maxInactiveInterval, sessionAttr:<name>)
-- ARGV[1]  the version the change was computed from: -1 = the group must be absent,
--          -2 = it must exist at any version (a touch), otherwise the version it must have
-- ARGV[2]  the hash field holding the version
-- ARGV[3]  the time to live in milliseconds
-- ARGV[4]  the pub/sub channel for the announcement, '' for none
-- ARGV[5]  the announcement
-- ARGV[6]  n, the number of field/value pairs to set, which follow
-- ARGV[7 + 2n ...] the fields to delete
--
-- Returns {'ok'} when committed, otherwise {'c', field, value, ...} with the group as it is
-- stored now (no fields when it is gone), so the caller can run its step again without
-- another read. Publishing here, inside the commit, makes the order of state frames the
-- commit order on every instance.
local key = KEYS[1]
local expected = tonumber(ARGV[1])
local exists = redis.call('EXISTS', key) == 1
local current = -1
if exists then
  current = tonumber(redis.call('HGET', key, ARGV[2]) or '0')
end
if (expected == -2 and not exists) or (expected ~= -2 and current ~= expected) then
  local stored = redis.call('HGETALL', key)
  table.insert(stored, 1, 'c')
  return stored
end
local n = tonumber(ARGV[6])
local last = 6 + 2 * n
if n > 0 then
  redis.call('HSET', key, unpack(ARGV, 7, last))
end
if #ARGV > last then
  redis.call('HDEL', key, unpack(ARGV, last + 1, #ARGV))
end
redis.call('PEXPIRE', key, ARGV[3])
if ARGV[4] ~= '' then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return {'ok'}
