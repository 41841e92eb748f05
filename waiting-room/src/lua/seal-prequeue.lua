--[[
  Seals a room's pre-queue: freezes the join log and reserves the queue
  numbers base+1 .. base+P for its P visitors (base = numbers issued before,
  0 unless the room also took plain FIFO joins). Later joins get base+P+1,
  base+P+2, ... at once. Idempotent: sealing again changes nothing.

  KEYS[1] state        hash; writes sealed, prequeueCount, prequeueBase, shuffleApplied
  KEYS[2] seq          string, last queue number issued
  KEYS[3] prequeueLog  stream of pre-queue joins in arrival order

  Returns P, the number of visitors in the sealed pre-queue.
]]
if redis.call('HGET', KEYS[1], 'sealed') == '1' then
  return tonumber(redis.call('HGET', KEYS[1], 'prequeueCount'))
end
local count = redis.call('XLEN', KEYS[3])
local base = tonumber(redis.call('GET', KEYS[2])) or 0
redis.call('SET', KEYS[2], base + count)
redis.call('HSET', KEYS[1], 'sealed', 1, 'prequeueCount', count, 'prequeueBase', base,
  'shuffleApplied', 0)
return count
