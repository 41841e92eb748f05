--[[
  Places one chunk of the shuffled pre-queue: the visitors at positions
  first, first+1, ... get queue numbers prequeueBase+first, ... Chunks apply
  strictly in order; a chunk that overlaps what is already applied applies
  only its new tail, so any number of processes may open the queue at once
  (with any chunk size) and each position is written exactly once.

  KEYS[1] state     hash; reads sealed, prequeueCount, prequeueBase, shuffleApplied,
                    shuffleSeedHash; writes shuffleApplied, shuffleSeedHash
  KEYS[2] shuffled  stream, entry id "<position>-0", field v = visitor
  KEYS[3] visitors  hash visitor -> queue number ("p" until placed)
  KEYS[4] seen      hash queue number -> last-seen epoch seconds

  ARGV[1]   first position of this chunk (1-based)
  ARGV[2]   now, epoch ms: placed visitors count as seen now, so they get the
            full abandonAfter from opening
  ARGV[3]   hash of the seed the order was derived from (hex); the first chunk
            records it and later chunks must carry the same
  ARGV[4..] visitors at positions first, first+1, ...

  Returns shuffleApplied after the call: positions 1 .. that are placed.
  Errors (returned as a bare integer):
    -1 NotSealed          the pre-queue is not sealed
    -2 ShuffleGap         first > shuffleApplied + 1: an earlier chunk is missing
    -3 ShuffleOutOfRange  the chunk starts before 1 or runs past prequeueCount
    -4 SeedMismatch       a chunk derived from another seed was applied already
    -5 NotInPrequeue      a visitor to place is not waiting in the pre-queue
    -6 BadArgument        malformed argument
]]
local st = redis.call('HMGET', KEYS[1], 'sealed', 'prequeueCount', 'prequeueBase',
  'shuffleApplied', 'shuffleSeedHash')
if st[1] ~= '1' then return -1 end
local count = tonumber(st[2]) or 0
local base = tonumber(st[3]) or 0
local applied = tonumber(st[4]) or 0

local first = tonumber(ARGV[1])
local nowMs = tonumber(ARGV[2])
local seedHash = ARGV[3]
if not first or not nowMs or not seedHash or seedHash == '' then return -6 end
local last = first + (#ARGV - 3) - 1
if first < 1 or last > count then return -3 end
if st[5] and st[5] ~= seedHash then return -4 end
if first > applied + 1 then return -2 end
if last <= applied then return applied end

local from = applied + 1
for position = from, last do
  if redis.call('HGET', KEYS[3], ARGV[3 + position - first + 1]) ~= 'p' then return -5 end
end

local nowSec = math.floor(nowMs / 1000)
for position = from, last do
  local visitor = ARGV[3 + position - first + 1]
  local number = base + position
  redis.call('XADD', KEYS[2], string.format('%d-0', position), 'v', visitor)
  redis.call('HSET', KEYS[3], visitor, number)
  redis.call('HSET', KEYS[4], number, nowSec)
end
redis.call('HSET', KEYS[1], 'shuffleApplied', last, 'shuffleSeedHash', seedHash)
return last
