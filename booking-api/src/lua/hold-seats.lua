--[[
  Holds seats for one admission token, all or nothing: either every requested seat (named
  seats) or N berths of one class and quota chosen here (auto-allocation), or none.

  KEYS[1] meta      hash; reads ready, soldSeq
  KEYS[2] seats     hash seat id -> "<class>|<quota>|<coach>|<berth number>|<berth type>"
  KEYS[3] pools     hash "<class>|<quota>" -> seat ids in allocation order
  KEYS[4] counts    hash "<class>|<quota>:held|sold" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] hold id (never starts with "!")
  ARGV[2] now, epoch ms
  ARGV[3] ttl, ms (> 0)
  ARGV[4] holder subject
  ARGV[5] holder token jti
  ARGV[6] how many expired holds to sweep first (holdSeats passes 0: the periodic sweep
          drops them, and a seat this hold looks at whose hold is over is settled here)
  ARGV[7] kind: "seats" or "berths"
  kind "seats":  ARGV[8] "<class>|<quota>" every seat must be of, or "" for any one pool;
                 ARGV[9..] distinct seat ids, in the caller's order
  kind "berths": ARGV[8] class code, ARGV[9] quota, ARGV[10..] one berth preference per
                 passenger: LB | MB | UB | SL | SU, or "-" for none

  Every check comes before the first write, so a refusal writes nothing (settling a seat
  whose hold is over, which any script may do, aside).

  Auto-allocation (deterministic): among coaches with enough free berths for the whole party,
  the one that meets most preferences, then the one with fewest free berths (best fit), then
  the first in rake order; inside it each preference takes the lowest free berth of its type,
  everyone else the lowest free berth left. When no coach fits the party, coaches are used
  in order of most free berths, preferences first. Seats are returned in passenger order.

  A retry with the hold id of the token's live hold returns that hold unchanged.

  Returns a table, first element the status:
    {1, expiresAtMs, seatId1, meta1, seatId2, meta2, ...}  held (or the retried hold)
    {-2}                     InventoryMissing: the journey's inventory is not built
    {-3, holdId, expiresAtMs, seatId1, meta1, ...}
                             TokenHasLiveHold: the token holds other seats already (that hold)
    {-4, seatId, ...}        UnknownSeat: these ids are not seats of this journey
    {-5}                     MixedClassOrQuota: named seats of more than one class or quota
    {-6, seatId, ...}        SeatsUnavailable: these named seats are held or sold
    {-12}                    SeatClassMismatch: named seats not of the class and quota asked
    {-7, available}          NotEnoughBerths: fewer free berths of the class and quota
  Errors (returned as a bare integer): -1 BadArgument, -8 HoldIdInUse (the id names another
  holder's hold or a booked one).
]]
--- @include "inventory"

local holdId = ARGV[1]
local nowMs = tonumber(ARGV[2])
local ttlMs = tonumber(ARGV[3])
local subject = ARGV[4]
local jti = ARGV[5]
local sweepLimit = tonumber(ARGV[6])
local kind = ARGV[7]
if holdId == '' or string.byte(holdId, 1) == SOLD_BYTE or not nowMs or not ttlMs or ttlMs <= 0
  or jti == '' or not sweepLimit or (kind ~= 'seats' and kind ~= 'berths') then
  return -1
end
local requested = {}
local classCode, quota, wantedPool
local firstSeatArg = 9
if kind == 'berths' then
  classCode, quota = ARGV[8], ARGV[9]
  firstSeatArg = 10
else
  wantedPool = ARGV[8]
end
local seen = {}
for i = firstSeatArg, #ARGV do
  local value = ARGV[i]
  if kind == 'seats' then
    if seen[value] then return -1 end
    seen[value] = true
  end
  requested[#requested + 1] = value
end
if #requested == 0 or (kind == 'berths' and (not classCode or not quota)) then return -1 end

if not isReady() then return {-2} end
sweepExpired(nowMs, sweepLimit)
local cache = {}

local existing = readRecord(holdId)
if existing then
  if isLive(existing, nowMs) and existing.jti == jti then
    local out = {1, existing.exp}
    for _, v in ipairs(seatRefs(existing.seats)) do out[#out + 1] = v end
    return out
  end
  if existing.st == 'held' and not isLive(existing, nowMs) then
    dropHold(holdId)
  else
    return -8
  end
end

local linked = redis.call('HGET', K_TOKENS, jti)
if linked then
  local linkedRecord = readRecord(linked)
  if isLive(linkedRecord, nowMs) then
    local out = {-3, linked, linkedRecord.exp}
    for _, v in ipairs(seatRefs(linkedRecord.seats)) do out[#out + 1] = v end
    return out
  end
  if linkedRecord and linkedRecord.st == 'held' then dropHold(linked) end
  redis.call('HDEL', K_TOKENS, jti)
end

-- The seats to hold and their metadata, in the order the reply lists them.
local chosen, chosenMetas = {}, {}

if kind == 'seats' then
  local metas = redis.call('HMGET', K_SEATS, unpack(requested))
  local unknown = {-4}
  for i, seatId in ipairs(requested) do
    if not metas[i] then unknown[#unknown + 1] = seatId end
  end
  if #unknown > 1 then return unknown end
  local pool = poolOf(metas[1])
  for i = 2, #metas do
    if poolOf(metas[i]) ~= pool then return {-5} end
  end
  -- Before anything is written: a seat of another class or quota is refused, never held.
  if wantedPool ~= '' and pool ~= wantedPool then return {-12} end
  local values = redis.call('HMGET', K_TAKEN, unpack(requested))
  local unavailable = {-6}
  for i, seatId in ipairs(requested) do
    if settle(seatId, values[i], nowMs, cache) then unavailable[#unavailable + 1] = seatId end
  end
  if #unavailable > 1 then return unavailable end
  chosen, chosenMetas = requested, metas
else
  local list = redis.call('HGET', K_POOLS, classCode .. '|' .. quota)
  local ids = {}
  if list then
    for seatId in string.gmatch(list, '[^,]+') do ids[#ids + 1] = seatId end
  end
  local free = {}
  if #ids > 0 then
    local values = redis.call('HMGET', K_TAKEN, unpack(ids))
    for i, seatId in ipairs(ids) do
      if not settle(seatId, values[i], nowMs, cache) then free[#free + 1] = seatId end
    end
  end
  local n = #requested
  if #free < n then return {-7, #free} end

  -- Free berths grouped by coach, coaches in rake order (the pool list's order).
  local metas = redis.call('HMGET', K_SEATS, unpack(free))
  local metaOf = {}
  local coaches, byCoach = {}, {}
  for i, seatId in ipairs(free) do
    metaOf[seatId] = metas[i]
    local coach, berthType = string.match(metas[i] or '', '^[^|]+|[^|]+|([^|]+)|%d+|(%a+)$')
    if coach then
      if not byCoach[coach] then
        byCoach[coach] = {}
        coaches[#coaches + 1] = coach
      end
      local berths = byCoach[coach]
      berths[#berths + 1] = {id = seatId, type = berthType}
    end
  end

  local wanted = {}
  for _, preference in ipairs(requested) do
    if preference ~= '-' then wanted[preference] = (wanted[preference] or 0) + 1 end
  end
  local function preferencesMet(berths)
    local have = {}
    for _, berth in ipairs(berths) do have[berth.type] = (have[berth.type] or 0) + 1 end
    local met = 0
    for berthType, count in pairs(wanted) do met = met + math.min(count, have[berthType] or 0) end
    return met
  end
  -- Preferences first (lowest berth of the type), then the lowest berths left.
  local function pick(berths)
    local used, picked = {}, {}
    for p, preference in ipairs(requested) do
      if preference ~= '-' then
        for j, berth in ipairs(berths) do
          if not used[j] and berth.type == preference then
            used[j] = true
            picked[p] = berth.id
            break
          end
        end
      end
    end
    local j = 1
    for p = 1, n do
      if not picked[p] then
        while used[j] do j = j + 1 end
        used[j] = true
        picked[p] = berths[j].id
      end
    end
    return picked
  end

  local best, bestMet, bestFree
  for _, coach in ipairs(coaches) do
    local berths = byCoach[coach]
    if #berths >= n then
      local met = preferencesMet(berths)
      if not best or met > bestMet or (met == bestMet and #berths < bestFree) then
        best, bestMet, bestFree = coach, met, #berths
      end
    end
  end
  if best then
    chosen = pick(byCoach[best])
  else
    local order = {}
    for i, coach in ipairs(coaches) do order[i] = {coach = coach, rank = i} end
    table.sort(order, function(a, b)
      local fa, fb = #byCoach[a.coach], #byCoach[b.coach]
      if fa ~= fb then return fa > fb end
      return a.rank < b.rank
    end)
    local spread = {}
    for _, entry in ipairs(order) do
      for _, berth in ipairs(byCoach[entry.coach]) do spread[#spread + 1] = berth end
    end
    if #spread < n then return {-7, #spread} end
    chosen = pick(spread)
  end
  for i, seatId in ipairs(chosen) do chosenMetas[i] = metaOf[seatId] end
end

-- The writes, folded: every chosen seat is free by now (settled above), so it goes free ->
-- held with one HSET for all of them and one HINCRBY per pool (setSeat's bookkeeping, done
-- in bulk: a call per seat was most of this script's time).
local expiresAtMs = nowMs + ttlMs
local fields, pools, perPool = {}, {}, {}
local out = {1, expiresAtMs}
for i, seatId in ipairs(chosen) do
  local meta = chosenMetas[i]
  fields[#fields + 1] = seatId
  fields[#fields + 1] = holdId
  local pool = poolOf(meta)
  if not perPool[pool] then
    perPool[pool] = 0
    pools[#pools + 1] = pool
  end
  perPool[pool] = perPool[pool] + 1
  out[#out + 1] = seatId
  out[#out + 1] = meta
end
redis.call('HSET', K_TAKEN, unpack(fields))
for _, pool in ipairs(pools) do redis.call('HINCRBY', K_COUNTS, pool .. ':held', perPool[pool]) end
writeRecord(holdId, {st = 'held', exp = expiresAtMs, sub = subject, jti = jti, seats = chosen, at = nowMs},
  expiresAtMs)
redis.call('HSET', K_TOKENS, jti, holdId)
return out
