-- Removes the share of one instance (a clean stop) or of every instance whose lease ran
-- out (the sweep) from the totals and publishes the resulting 1->0 transitions. The
-- 'topics' layout is the one of presence-sync.lua.
--
-- KEYS: instances, users, groups, connections
-- ARGV: channel, prefix of the instances' own keys, instance id ('' to sweep), layout
if redis.replicate_commands then redis.replicate_commands() end
local ids
if ARGV[3] ~= '' then
	ids = { ARGV[3] }
else
	local time = redis.call('TIME')
	local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
	ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now))
end
local topics = ARGV[4] == 'topics'
local events = {}
local function drop(total, own, down, split)
	local entries = redis.call('HGETALL', own)
	for i = 1, #entries, 2 do
		local id, count = entries[i], tonumber(entries[i + 1])
		local key, field = total, id
		if split then
			local space = string.find(id, ' ', 1, true)
			key, field = total .. string.sub(id, 1, space - 1), string.sub(id, space + 1)
		end
		local after = redis.call('HINCRBY', key, field, -count)
		if after <= 0 then
			redis.call('HDEL', key, field)
			if down and after + count > 0 then
				events[#events + 1] = down
				events[#events + 1] = id
			end
		end
	end
	redis.call('DEL', own)
end
for _, id in ipairs(ids) do
	local own = ARGV[2] .. id
	if topics then
		drop(KEYS[2], own .. ':users', 't-', true)
		drop(KEYS[3], own .. ':groups', nil, false)
	else
		drop(KEYS[2], own .. ':users', 'u-', false)
		drop(KEYS[3], own .. ':groups', 'g-', false)
	end
	local count = tonumber(redis.call('GET', own .. ':connections') or '0')
	if count ~= 0 then redis.call('DECRBY', KEYS[4], count) end
	redis.call('DEL', own .. ':connections')
	redis.call('ZREM', KEYS[1], id)
end
if #events > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode(events)) end
return #ids
