--[[
  Gives a visitor a place in a room's queue, or hands back the place it already
  has: one place per visitor, however many tabs, devices or retries.

  KEYS[1] visitors     hash visitor -> queue number, or "p" while in the shuffled pre-queue
  KEYS[2] state        hash; reads served, sealed, draining
  KEYS[3] seq          string, last queue number issued
  KEYS[4] stream       stream, entry id "<number>-0", field v = visitor
  KEYS[5] seen         hash queue number -> last-seen epoch seconds (waiting visitors only)
  KEYS[6] prequeueLog  stream, entry id "<arrival>-0", field v = visitor
  KEYS[7] admitted     hash queue number -> admitted-at epoch ms
  KEYS[8] skipped      hash queue number -> visitor, passed over and not back yet

  ARGV[1] visitor id
  ARGV[2] now, epoch ms
  ARGV[3] mode: "fifo" or "fifo_shuffle"

  A new visitor in "fifo" mode, or in "fifo_shuffle" mode once the pre-queue is
  sealed, takes the next queue number; in "fifo_shuffle" mode before sealing it
  is appended to the pre-queue join log and gets its number when the shuffled
  queue opens. A waiting visitor who joins again is alive: its last-seen time
  is refreshed. While the operator drains the room (state field draining = "1")
  visitors who already have a place get it back, but nobody new gets one.

  Returns {number, created, status}:
    number   queue number, 0 while in the pre-queue (no number yet)
    created  1 when this call made the place, 0 when it already existed
    status   "waiting" | "prequeue" | "admitted" | "skipped"
  Errors (returned as a bare integer): -6 BadArgument (unknown mode, bad time),
  -7 Draining (a new visitor while the room is draining).
]]
local visitor = ARGV[1]
local nowMs = tonumber(ARGV[2])
local mode = ARGV[3]
if (mode ~= 'fifo' and mode ~= 'fifo_shuffle') or not nowMs then return -6 end
local nowSec = math.floor(nowMs / 1000)

local place = redis.call('HGET', KEYS[1], visitor)
if place == 'p' then return {0, 0, 'prequeue'} end
if place then
  local number = tonumber(place)
  if redis.call('HEXISTS', KEYS[7], place) == 1 then return {number, 0, 'admitted'} end
  if redis.call('HEXISTS', KEYS[8], place) == 1 then return {number, 0, 'skipped'} end
  local served = tonumber(redis.call('HGET', KEYS[2], 'served')) or 0
  if number > served then
    local last = tonumber(redis.call('HGET', KEYS[5], place))
    if not last or nowSec > last then redis.call('HSET', KEYS[5], place, nowSec) end
  end
  return {number, 0, 'waiting'}
end

if redis.call('HGET', KEYS[2], 'draining') == '1' then return -7 end

if mode == 'fifo_shuffle' and redis.call('HGET', KEYS[2], 'sealed') ~= '1' then
  -- Explicit ids make the arrival index part of the log; nothing is ever deleted from it.
  local arrival = redis.call('XLEN', KEYS[6]) + 1
  redis.call('XADD', KEYS[6], string.format('%d-0', arrival), 'v', visitor)
  redis.call('HSET', KEYS[1], visitor, 'p')
  return {0, 1, 'prequeue'}
end

-- XADD first: it is the only write that can fail, and a script that fails
-- half-way keeps its earlier writes.
local number = (tonumber(redis.call('GET', KEYS[3])) or 0) + 1
redis.call('XADD', KEYS[4], string.format('%d-0', number), 'v', visitor)
redis.call('SET', KEYS[3], number)
redis.call('HSET', KEYS[1], visitor, number)
redis.call('HSET', KEYS[5], number, nowSec)
return {number, 1, 'waiting'}
