--[[
  Records a finished tick: appends its DecisionRecord to the room's decision stream and
  carries the controller state, queue totals and session bookkeeping to the next tick, in
  one fenced step. Also records a tick that died between admitting and recording (from its
  staged pending entry).

  KEYS[1] lock           string "<fence>:<worker>"
  KEYS[2] state          hash carried between ticks
  KEYS[3] decisions      stream, field d = DecisionRecord JSON
  KEYS[4] openSessions   sorted set token jti -> admitted-at ms
  KEYS[5] sessionPoints  sorted set "<atMs>:<endedCount>:<endedMs>" by atMs
  KEYS[6] joinClock      sorted set "<lastNumber>:<atMs>" by lastNumber

  ARGV[1]  token, or "" to skip the fence check (negative-control builds only)
  ARGV[2]  DecisionRecord JSON
  ARGV[3]  stream length kept (approximate MAXLEN)
  ARGV[4]  controller state JSON after the tick
  ARGV[5]  tick time, epoch ms
  ARGV[6]  served (pointer) after the tick
  ARGV[7]  admittedTotal after the tick
  ARGV[8]  skippedTotal after the tick
  ARGV[9]  last queue number issued, read this tick
  ARGV[10] session points older than this (epoch ms) are dropped
  ARGV[11] sessions that ended since the last tick (count)
  ARGV[12] their lifetimes summed (ms)
  ARGV[13] JSON array of the jtis that ended (removed from openSessions)
  ARGV[14] JSON array of the jtis admitted (added to openSessions at ARGV[5])

  Returns the stream entry id, or -1 FenceLost (nothing written).
]]
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[2])
redis.call('HSET', KEYS[2], 'lastTickMs', ARGV[5], 'recordedServed', ARGV[6],
  'recordedAdmitted', ARGV[7], 'recordedSkipped', ARGV[8], 'controller', ARGV[4])
redis.call('HDEL', KEYS[2], 'pending')

local endedCount = redis.call('HINCRBY', KEYS[2], 'endedCount', tonumber(ARGV[11]))
local endedMs = redis.call('HINCRBY', KEYS[2], 'endedMs', tonumber(ARGV[12]))
local ended = cjson.decode(ARGV[13])
for i = 1, #ended, 500 do
  redis.call('ZREM', KEYS[4], unpack(ended, i, math.min(i + 499, #ended)))
end
local admitted = cjson.decode(ARGV[14])
for i = 1, #admitted do
  redis.call('ZADD', KEYS[4], ARGV[5], admitted[i])
end
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[5] .. ':' .. endedCount .. ':' .. endedMs)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. ARGV[10])

-- Only when new numbers were issued: the clock answers "when had number k been issued".
local lastNumber = tonumber(ARGV[9])
local newest = redis.call('ZRANGE', KEYS[6], -1, -1, 'WITHSCORES')
if not newest[2] or tonumber(newest[2]) < lastNumber then
  redis.call('ZADD', KEYS[6], lastNumber, lastNumber .. ':' .. ARGV[5])
end
-- Numbers behind the pointer are no longer anyone's head of queue.
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. (tonumber(ARGV[6]) + 1))
-- A room that stops ticking (closed) frees its bookkeeping after a day; the fence counter
-- is never expired, so fences keep increasing if the room ticks again.
for _, key in ipairs({KEYS[2], KEYS[4], KEYS[5], KEYS[6]}) do
  redis.call('PEXPIRE', key, 86400000)
end
return id
