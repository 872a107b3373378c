-- The version-fenced commit of one session group, in one atomic step.
--
-- KEYS[1]  the group's hash (Spring Session's layout: creationTime, lastAccessedTime,
--          maxInactiveInterval, sessionAttr:<name>)
-- KEYS[2]  the group's turn: which instance goes next after losing races (same hash tag)
-- ARGV[1]  the version the change was computed from: -1 = the group must be absent,
--          -2 = it must exist at any version (a touch), otherwise the version it must have
-- ARGV[2]  the hash field holding the version
-- ARGV[3]  the time to live in milliseconds
-- ARGV[4]  the pub/sub channel for the announcement, '' for none
-- ARGV[5]  the announcement
-- ARGV[6]  the committing instance
-- ARGV[7]  on a conflict, take the turn for this many milliseconds (0: do not)
-- ARGV[8]  's' to publish with SPUBLISH (a sharded channel, in the group's slot: its hash
--          tag is the group's), anything else for PUBLISH
-- ARGV[9]  n, the number of field/value pairs to set, which follow
-- ARGV[10 + 2n ...] the fields to delete
--
-- Returns {'ok'} when committed. Otherwise {'c', field, value, ...} with the group as it is
-- stored now (no fields when it is gone), so the caller can run its step again without
-- another read; or {'w', milliseconds} while another instance has the turn. The turn is
-- only a fairness aid against starvation: correctness rests on the version check alone.
-- Publishing here, inside the commit, makes the order of state frames the commit order on
-- every instance.
local key = KEYS[1]
local expected = tonumber(ARGV[1])
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[6] and expected ~= -2 then
  return {'w', redis.call('PTTL', KEYS[2])}
end
local exists = redis.call('EXISTS', key) == 1
local current = -1
if exists then
  current = tonumber(redis.call('HGET', key, ARGV[2]) or '0')
end
if (expected == -2 and not exists) or (expected ~= -2 and current ~= expected) then
  if tonumber(ARGV[7]) > 0 and not holder then
    redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[7])
  end
  local stored = redis.call('HGETALL', key)
  table.insert(stored, 1, 'c')
  return stored
end
if holder == ARGV[6] then
  redis.call('DEL', KEYS[2])
end
local n = tonumber(ARGV[9])
local last = 9 + 2 * n
if n > 0 then
  redis.call('HSET', key, unpack(ARGV, 10, last))
end
if #ARGV > last then
  redis.call('HDEL', key, unpack(ARGV, last + 1, #ARGV))
end
redis.call('PEXPIRE', key, ARGV[3])
if ARGV[4] ~= '' then
  if ARGV[8] == 's' then
    redis.call('SPUBLISH', ARGV[4], ARGV[5])
  else
    redis.call('PUBLISH', ARGV[4], ARGV[5])
  end
end
return {'ok'}
