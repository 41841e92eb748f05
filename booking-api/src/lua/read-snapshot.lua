--[[
  Every seat's state, for audits: the seats known to the inventory plus any seat id that
  has a value without metadata.

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> metadata
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:total|held|sold" -> count
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set (not read)
  KEYS[8] tokens    hash (not read)

  ARGV[1] now, epoch ms: a seat whose hold is over by then reads as code 3

  Returns {counts, seats}, read at one instant:
    counts  the counts hash flattened {field1, value1, ...}
    seats   {seatId1, code1, seatId2, code2, ...}; codes: 0 free, 1 held, 2 sold,
            3 held by a hold that is over (not swept yet), 4 sold and 5 held but not in `seats`
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local nowMs = tonumber(ARGV[1])
if not nowMs then return -1 end
local taken = {}
local values = redis.call('HGETALL', K_TAKEN)
-- The field "" is the encoding anchor (finish-rebuild.lua), not a seat.
for i = 1, #values, 2 do
  if values[i] ~= '' then taken[values[i]] = values[i + 1] end
end
local live = {}
local reply = {}
local function code(value)
  local state = stateOf(value)
  if state == 'free' then return 0 end
  if state == 'sold' then return 2 end
  if live[value] == nil then live[value] = isLive(readRecord(value), nowMs) end
  if live[value] then return 1 end
  return 3
end
local seatIds = redis.call('HKEYS', K_SEATS)
for _, seatId in ipairs(seatIds) do
  reply[#reply + 1] = seatId
  reply[#reply + 1] = code(taken[seatId])
  taken[seatId] = nil
end
for seatId, value in pairs(taken) do
  reply[#reply + 1] = seatId
  reply[#reply + 1] = stateOf(value) == 'sold' and 4 or 5
end
return {redis.call('HGETALL', K_COUNTS), reply}
