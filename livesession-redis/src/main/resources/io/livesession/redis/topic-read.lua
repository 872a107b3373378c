-- Reads where a recoverable topic's history stands and, after a given offset, the
-- publications it still holds: { epoch, last offset, id, data, id, data, ... }, or {}
-- for a topic without history. Asked for its position, a topic without an epoch gets
-- the caller's fresh one, so that a subscriber can recover from offset 0.
--
-- KEYS: stream, offset, epoch
-- ARGV: offset to read after ('' for none), most publications, fresh epoch ('' to
--       create none), time to live millis
local epoch = redis.call('GET', KEYS[3])
if not epoch then
	if ARGV[3] == '' then return {} end
	epoch = ARGV[3]
	redis.call('SET', KEYS[3], epoch, 'PX', ARGV[4])
	redis.call('DEL', KEYS[1], KEYS[2])
end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local result = { epoch, last }
if ARGV[1] ~= '' and tonumber(ARGV[1]) < last then
	local entries = redis.call('XRANGE', KEYS[1], (tonumber(ARGV[1]) + 1) .. '-0', '+', 'COUNT', ARGV[2])
	for _, entry in ipairs(entries) do
		result[#result + 1] = entry[1]
		result[#result + 1] = entry[2][2]
	end
end
return result
