--[[
  Records which waiting visitors of a room were seen alive, as batched by one
  process since its last flush.

  KEYS[1] state     hash; reads served
  KEYS[2] seq       string, last queue number issued
  KEYS[3] seen      hash queue number -> last-seen epoch seconds
  KEYS[4] skipped   hash queue number -> visitor, passed over and not back yet
  KEYS[5] returned  sorted set, member visitor, score queue number

  ARGV[2i-1] queue number
  ARGV[2i]   epoch seconds it was last seen

  For a number ahead of the pointer, last-seen only moves forward (flushes from
  several processes may arrive out of order). A skipped number seen again moves
  to `returned`, to be admitted first at the next batch. Admitted numbers,
  numbers never issued and malformed pairs are ignored.

  Returns {refreshed, returned}: how many last-seen times moved forward and
  how many skipped visitors came back.
]]
local served = tonumber(redis.call('HGET', KEYS[1], 'served')) or 0
local issued = tonumber(redis.call('GET', KEYS[2])) or 0
local refreshed, cameBack = 0, 0

for i = 1, #ARGV - 1, 2 do
  local number = tonumber(ARGV[i])
  local at = tonumber(ARGV[i + 1])
  if number and at and number >= 1 and number <= issued then
    if number > served then
      local last = tonumber(redis.call('HGET', KEYS[3], ARGV[i]))
      if not last or at > last then
        redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
        refreshed = refreshed + 1
      end
    else
      local visitor = redis.call('HGET', KEYS[4], ARGV[i])
      if visitor then
        redis.call('HDEL', KEYS[4], ARGV[i])
        redis.call('ZADD', KEYS[5], number, visitor)
        cameBack = cameBack + 1
      end
    end
  end
end
return {refreshed, cameBack}
