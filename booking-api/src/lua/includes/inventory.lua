--[[
  Shared by every inventory script: scripts.ts splices this file in where a script says
  `--- @include "inventory"`. Every script takes the journey's eight keys, in this order:

  KEYS[1] meta      hash: ready, builtAtMs, seats, soldSeq
  KEYS[2] seats     hash seat id -> "<class>|<quota>|<coach>|<berth number>|<berth type>"
  KEYS[3] pools     hash "<class>|<quota>" -> seat ids in allocation order, comma-separated
  KEYS[4] counts    hash "<class>|<quota>:total|held|sold" -> count
  KEYS[5] taken     hash seat id -> hold id (held) or "!<n>" (sold); free seats have no field;
                    the field "" is an encoding anchor, not a seat (see finish-rebuild.lua)
  KEYS[6] holds     hash hold id -> JSON {st = "held"|"booked", exp, sub, jti, seats, at, keep}
  KEYS[7] expiries  sorted set hold id -> ms when the record goes (exp, or keep once booked)
  KEYS[8] tokens    hash token jti -> hold id (the field "" is the same encoding anchor)

  Seat ids travel as decimal strings and are compared as strings. A seat moves between
  free, held and sold only through setSeat, which keeps the counters exact.
]]
local K_META, K_SEATS, K_POOLS, K_COUNTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local K_TAKEN, K_HOLDS, K_EXPIRIES, K_TOKENS = KEYS[5], KEYS[6], KEYS[7], KEYS[8]

local SOLD_BYTE = 33 -- '!'
-- The value of the field "" of `taken` and `tokens` (written by finish-rebuild.lua): longer
-- than hash-max-listpack-value, so both stay hash tables, not linearly scanned listpacks.
local ENCODING_ANCHOR = 'encoding anchor: keeps this hash a hash table (O(1) lookups); see ADR 0007'

local function stateOf(value)
  if not value then return 'free' end
  if string.byte(value, 1) == SOLD_BYTE then return 'sold' end
  return 'held'
end

local function isHoldId(value)
  return value and string.byte(value, 1) ~= SOLD_BYTE
end

local function poolOf(meta)
  return string.match(meta, '^([^|]+|[^|]+)|')
end

-- Writes a seat's new value and moves it between the per-pool counters. A seat without
-- metadata (an inventory being rebuilt) is written but not counted; rebuilds recount.
local function setSeat(seatId, current, new)
  if new then
    redis.call('HSET', K_TAKEN, seatId, new)
  else
    redis.call('HDEL', K_TAKEN, seatId)
  end
  local from, to = stateOf(current), stateOf(new)
  if from == to then return end
  local meta = redis.call('HGET', K_SEATS, seatId)
  if not meta then return end
  local pool = poolOf(meta)
  if from ~= 'free' then redis.call('HINCRBY', K_COUNTS, pool .. ':' .. from, -1) end
  if to ~= 'free' then redis.call('HINCRBY', K_COUNTS, pool .. ':' .. to, 1) end
end

-- Sold values carry a fresh stamp, so a rebuild can tell "still the sale it saw" from
-- "sold again since" (see apply-truth.lua).
local function soldMark()
  return '!' .. redis.call('HINCRBY', K_META, 'soldSeq', 1)
end

local function readRecord(holdId)
  local raw = redis.call('HGET', K_HOLDS, holdId)
  if not raw then return nil end
  return cjson.decode(raw)
end

local function writeRecord(holdId, record, dropAtMs)
  redis.call('HSET', K_HOLDS, holdId, cjson.encode(record))
  redis.call('ZADD', K_EXPIRIES, dropAtMs, holdId)
end

local function isLive(record, nowMs)
  return record ~= nil and record.st == 'held' and record.exp > nowMs
end

-- Forgets a hold: frees every seat it still holds, unlinks its token, drops its record.
local function dropHold(holdId)
  local record = readRecord(holdId)
  if record then
    if record.st == 'held' then
      for _, seatId in ipairs(record.seats) do
        local current = redis.call('HGET', K_TAKEN, seatId)
        if current == holdId then setSeat(seatId, current, nil) end
      end
    end
    if redis.call('HGET', K_TOKENS, record.jti) == holdId then
      redis.call('HDEL', K_TOKENS, record.jti)
    end
    redis.call('HDEL', K_HOLDS, holdId)
  end
  redis.call('ZREM', K_EXPIRIES, holdId)
end

-- Drops up to `limit` records whose time has come (expired holds, booked holds past
-- retention). Returns how many.
local function sweepExpired(nowMs, limit)
  if limit <= 0 then return 0 end
  local due = redis.call('ZRANGE', K_EXPIRIES, '-inf', nowMs, 'BYSCORE', 'LIMIT', 0, limit)
  for i = 1, #due do dropHold(due[i]) end
  return #due
end

-- The value a seat really has at nowMs: a seat whose hold expired (or vanished) is freed
-- on the spot, so correctness never waits for a sweep. `cache` remembers hold liveness.
local function settle(seatId, value, nowMs, cache)
  if not isHoldId(value) then return value end
  local live = cache[value]
  if live == nil then
    local record = readRecord(value)
    live = isLive(record, nowMs)
    cache[value] = live
    -- A booked record never holds seats; it stays as the booking's tombstone.
    if not live and (not record or record.st == 'held') then dropHold(value) end
  end
  if live then return value end
  local current = redis.call('HGET', K_TAKEN, seatId)
  if current == value then
    setSeat(seatId, current, nil)
    return false
  end
  return current
end

-- Makes a seat sold whatever it was; a hold that had it loses all its seats (it can no
-- longer be booked whole). Returns 1 when the seat was not sold before.
local function sellSeat(seatId)
  local current = redis.call('HGET', K_TAKEN, seatId)
  if stateOf(current) == 'sold' then return 0 end
  if current then dropHold(current) end
  current = redis.call('HGET', K_TAKEN, seatId)
  if stateOf(current) == 'sold' then return 0 end
  setSeat(seatId, current, soldMark())
  return 1
end

-- {seatId1, meta1, seatId2, meta2, ...} for a reply; missing metadata is "".
local function seatRefs(seatIds)
  local reply = {}
  if #seatIds == 0 then return reply end
  local metas = redis.call('HMGET', K_SEATS, unpack(seatIds))
  for i, seatId in ipairs(seatIds) do
    reply[#reply + 1] = seatId
    reply[#reply + 1] = metas[i] or ''
  end
  return reply
end

local function isReady()
  return redis.call('HGET', K_META, 'ready') == '1'
end
