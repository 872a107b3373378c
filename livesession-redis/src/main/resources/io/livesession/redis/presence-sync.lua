-- Writes one instance's share of the given ids (absolute counts, so a retry after a
-- failure is harmless), adjusts the totals by the difference, renews the lease and
-- publishes the 0->1 and 1->0 transitions of the totals. Redis's own clock is the only
-- one, so instances with skewed clocks cannot expire each other. Returns 0 if the
-- instance had no lease: it is new, or was swept while unreachable, and must write all
-- of its share again.
--
-- The 'topics' layout counts topic members instead: a user id is '<topic> <userId>',
-- totalled in the hash '<users key><topic>' of user id to count (transitions 't+' and
-- 't-' of the pair), and a group id is a topic, its total the topic's member count
-- (no transitions).
--
-- KEYS: instances, users, groups, connections, own users, own groups, own connections
-- ARGV: channel, instance id, lease millis, layout ('' or 'topics'), connection count
--       ('' if unchanged), number of user ids, then id, count pairs (users first, then
--       groups)
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local present = redis.call('ZSCORE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
local topics = ARGV[4] == 'topics'
local events = {}
local function apply(total, field, own, id, count, up, down)
	local old = tonumber(redis.call('HGET', own, id) or '0')
	if count == old then return end
	if count > 0 then redis.call('HSET', own, id, count) else redis.call('HDEL', own, id) end
	local after = redis.call('HINCRBY', total, field, count - old)
	local before = after - (count - old)
	if after <= 0 then redis.call('HDEL', total, field) end
	if not up then return end
	if before <= 0 and after > 0 then
		events[#events + 1] = up
		events[#events + 1] = id
	elseif before > 0 and after <= 0 then
		events[#events + 1] = down
		events[#events + 1] = id
	end
end
local i = 7
for n = 1, tonumber(ARGV[6]) do
	local id, count = ARGV[i], tonumber(ARGV[i + 1])
	if topics then
		local space = string.find(id, ' ', 1, true)
		apply(KEYS[2] .. string.sub(id, 1, space - 1), string.sub(id, space + 1), KEYS[5], id, count, 't+', 't-')
	else
		apply(KEYS[2], id, KEYS[5], id, count, 'u+', 'u-')
	end
	i = i + 2
end
while i < #ARGV do
	local id, count = ARGV[i], tonumber(ARGV[i + 1])
	if topics then
		apply(KEYS[3], id, KEYS[6], id, count, nil, nil)
	else
		apply(KEYS[3], id, KEYS[6], id, count, 'g+', 'g-')
	end
	i = i + 2
end
if ARGV[5] ~= '' then
	local count = tonumber(ARGV[5])
	local old = tonumber(redis.call('GET', KEYS[7]) or '0')
	if count ~= old then
		redis.call('SET', KEYS[7], count)
		redis.call('INCRBY', KEYS[4], count - old)
	end
end
if #events > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode(events)) end
if present then return 1 end
return 0
