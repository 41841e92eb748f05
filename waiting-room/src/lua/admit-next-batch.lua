--[[
  Admits the next batch of a room's queue, atomically: visitors who came back
  after being skipped first (lowest number first), then forward from the
  pointer in queue-number order, passing over visitors not seen recently.
  The pointer only moves forward, so concurrent callers can never admit anyone
  twice or out of order.

  KEYS[1] state         hash; reads served, prequeueCount, prequeueBase, shuffleApplied;
                        writes served, admittedTotal, skippedTotal, updatedMs
  KEYS[2] stream        main stream, entry id "<number>-0", field v = visitor
  KEYS[3] shuffled      shuffled pre-queue stream, entry id "<position>-0", field v = visitor
  KEYS[4] seen          hash queue number -> last-seen epoch seconds
  KEYS[5] admitted      hash queue number -> admitted-at epoch ms
  KEYS[6] skipped       hash queue number -> visitor, passed over and not back yet
  KEYS[7] returned      sorted set, member visitor, score queue number
  KEYS[8] admissionLog  list "<epoch ms>:<count>", newest first
  KEYS[9] fence         string holding the caller's lock token (any key of the room when
                        ARGV[6] is empty); lets a lock holder admit only while it still holds
                        the lock, checked in the same atomic step as the admission

  ARGV[1] n, how many to admit at most (>= 0)
  ARGV[2] now, epoch ms
  ARGV[3] abandonAfter, ms: a visitor last seen before now - abandonAfter is skipped
          (last-seen times are whole seconds; the comparison rounds in the visitor's favour)
  ARGV[4] maxScan, how many queue entries to examine at most
  ARGV[5] how many admission-log entries to keep
  ARGV[6] expected value of KEYS[9], or "" to admit without a fence check

  Numbers prequeueBase+1 .. prequeueBase+prequeueCount belong to the shuffled
  pre-queue and are read from KEYS[3]; the walk stops at the first of them
  whose chunk is not applied yet. Every other number is read from KEYS[2].

  Returns {servedUpTo, skippedCount, number1, visitor1, number2, visitor2, ...}
  with the admitted visitors in admission order.
  Errors (returned as a bare integer): -6 BadArgument, -8 FenceLost (KEYS[9] does not
  hold ARGV[6]: the caller's lock expired or passed to another holder; nothing changed).
]]
local n = tonumber(ARGV[1])
local now = ARGV[2]
local nowMs = tonumber(now)
local abandonAfterMs = tonumber(ARGV[3])
local maxScan = tonumber(ARGV[4])
local logLength = tonumber(ARGV[5])
if not n or n < 0 or not nowMs or not abandonAfterMs or not maxScan or maxScan < 0
  or not logLength or logLength < 1 then
  return -6
end
if ARGV[6] ~= '' and redis.call('GET', KEYS[9]) ~= ARGV[6] then return -8 end
local cutoffSec = math.floor((nowMs - abandonAfterMs) / 1000)

local st = redis.call('HMGET', KEYS[1], 'served', 'prequeueCount', 'prequeueBase', 'shuffleApplied')
local served = tonumber(st[1]) or 0
local prequeueCount = tonumber(st[2]) or 0
local base = tonumber(st[3]) or 0
local applied = tonumber(st[4]) or 0
local blockEnd = base + prequeueCount

local reply = {0, 0}
local admittedCount = 0
local skippedCount = 0

local function admit(number, visitor)
  redis.call('HSET', KEYS[5], number, now)
  reply[#reply + 1] = number
  reply[#reply + 1] = visitor
  admittedCount = admittedCount + 1
end

-- They were ahead of everyone still waiting.
if n > 0 then
  local back = redis.call('ZRANGE', KEYS[7], 0, n - 1, 'WITHSCORES')
  for i = 1, #back, 2 do
    redis.call('ZREM', KEYS[7], back[i])
    admit(tonumber(back[i + 1]), back[i])
  end
end

local examined = 0
while admittedCount < n and examined < maxScan do
  local nextNumber = served + 1
  local key, offset, last
  if prequeueCount > 0 and nextNumber > base and nextNumber <= blockEnd then
    -- Not applied yet: nobody behind it may go first.
    if nextNumber - base > applied then break end
    key, offset, last = KEYS[3], base, base + applied
  elseif nextNumber <= base then
    key, offset, last = KEYS[2], 0, base
  else
    key, offset, last = KEYS[2], 0, nil
  end
  local want = math.min(maxScan - examined, math.max(n - admittedCount, 100))
  if last then want = math.min(want, last - served) end
  local entries = redis.call('XRANGE', key, string.format('%d-0', nextNumber - offset), '+',
    'COUNT', want)
  local progressed = false
  for _, entry in ipairs(entries) do
    local number = tonumber(string.match(entry[1], '^(%d+)')) + offset
    if last and number > last then break end
    local visitor = entry[2][2]
    local seen = tonumber(redis.call('HGET', KEYS[4], number))
    redis.call('HDEL', KEYS[4], number)
    if seen and seen >= cutoffSec then
      admit(number, visitor)
    else
      redis.call('HSET', KEYS[6], number, visitor)
      skippedCount = skippedCount + 1
    end
    served = number
    examined = examined + 1
    progressed = true
    if admittedCount >= n or examined >= maxScan then break end
  end
  if not progressed then
    -- Numbers before the shuffled block with no entry left cannot hold anyone back.
    if last and key == KEYS[2] and served < base then served = base else break end
  end
end

redis.call('HSET', KEYS[1], 'served', served, 'updatedMs', now)
redis.call('HINCRBY', KEYS[1], 'admittedTotal', admittedCount)
redis.call('HINCRBY', KEYS[1], 'skippedTotal', skippedCount)
redis.call('LPUSH', KEYS[8], now .. ':' .. admittedCount)
redis.call('LTRIM', KEYS[8], 0, logLength - 1)

-- Approximate trimming drops whole stream nodes only, which is where memory comes back;
-- LIMIT 0 lifts the default cap (10,000 entries a call) so a big batch is trimmed at once.
redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%d-0', served + 1), 'LIMIT', 0)
if prequeueCount > 0 and served > base then
  local position = math.min(served, blockEnd) - base
  redis.call('XTRIM', KEYS[3], 'MINID', '~', string.format('%d-0', position + 1), 'LIMIT', 0)
end

reply[1] = served
reply[2] = skippedCount
return reply
