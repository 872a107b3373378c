-- Appends one publication to a recoverable topic's history and publishes it, so that
-- every instance receives the topic's publications in offset order. A topic without an
-- epoch (new, expired, or lost with a Redis restart) starts a new history under the
-- caller's fresh epoch. Every key of the topic then lives for the history's time to live.
--
-- KEYS: stream, offset, epoch (one hash tag: one slot)
-- ARGV: data, history size, time to live millis, fresh epoch, channel ('' to publish
--       nothing), the four pieces of the message around offset, epoch and offset, then
--       's' to publish with SPUBLISH (a sharded channel, in the topic's slot: its hash
--       tag is the topic's), anything else for PUBLISH
local epoch = redis.call('GET', KEYS[3])
if not epoch or (redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[1]) == 1) then
	-- Only part of the history left (evicted): it cannot be trusted any more.
	epoch = ARGV[4]
	redis.call('SET', KEYS[3], epoch)
	redis.call('DEL', KEYS[1], KEYS[2])
end
local offset = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], offset .. '-0', 'd', ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
if ARGV[5] ~= '' then
	local command = (ARGV[10] == 's') and 'SPUBLISH' or 'PUBLISH'
	redis.call(command, ARGV[5], ARGV[6] .. offset .. ARGV[7] .. epoch .. ARGV[8] .. offset .. ARGV[9])
end
return { offset, epoch }
