--[[
  Rebuild, step 3 (in chunks, each seat atomically): makes each seat agree with PostgreSQL.

  KEYS[1] meta      hash; increments soldSeq
  KEYS[2] seats     hash seat id -> metadata (deleted for seats PostgreSQL does not have)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:held|sold" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] now, epoch ms
  ARGV[2], ARGV[3], ARGV[4], ... triples: seat id, truth, seen
    truth "1": PostgreSQL has a live assignment: the seat becomes sold, a hold on it dropped
               whole, but only if its value is still `seen`: a seat freed since (an expiry
               or cancellation committed after PostgreSQL was read, then returned the seat)
               or changed otherwise is left for the next rebuild to judge.
    truth "0": no live assignment: a live hold is kept; a hold that is over is dropped; a
               sold seat is freed only if its value is still `seen`, the value read before
               PostgreSQL was (a booking committed since then may have sold it again).
    truth "x": not a seat of this journey: forgotten, with any hold on it.
    seen       the seat's `taken` value read before PostgreSQL, "" when it had none.

  Returns {sold, freed, holdsDropped, forgotten}: what changed.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local nowMs = tonumber(ARGV[1])
if not nowMs or (#ARGV - 1) % 3 ~= 0 then return -1 end
local sold, freed, dropped, forgotten = 0, 0, 0, 0
local cache = {}
for i = 2, #ARGV, 3 do
  local seatId, truth, seenValue = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local current = redis.call('HGET', K_TAKEN, seatId)
  if truth == '1' then
    if (current or '') == seenValue then
      if isHoldId(current) then dropped = dropped + 1 end
      sold = sold + sellSeat(seatId)
    end
  elseif truth == '0' then
    local state = stateOf(current)
    if state == 'sold' and current == seenValue then
      setSeat(seatId, current, nil)
      freed = freed + 1
    elseif state == 'held' then
      local judged = cache[current] ~= nil
      settle(seatId, current, nowMs, cache)
      if not judged and not cache[current] then dropped = dropped + 1 end
    end
  elseif truth == 'x' then
    if isHoldId(current) then
      dropHold(current)
      dropped = dropped + 1
    end
    redis.call('HDEL', K_TAKEN, seatId)
    redis.call('HDEL', K_SEATS, seatId)
    forgotten = forgotten + 1
  else
    return -1
  end
end
return {sold, freed, dropped, forgotten}
