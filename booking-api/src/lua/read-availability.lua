--[[
  Free, held and sold seats per class and quota, after sweeping expired holds (bounded).

  KEYS[1] meta      hash; reads ready
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:total|held|sold" -> count
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] now, epoch ms
  ARGV[2] how many expired holds to sweep first

  Returns the counts hash flattened {field1, value1, ...}, or -2 (InventoryMissing) when the
  inventory is not built.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local nowMs = tonumber(ARGV[1])
local sweepLimit = tonumber(ARGV[2])
if not nowMs or not sweepLimit then return -1 end
if not isReady() then return -2 end
sweepExpired(nowMs, sweepLimit)
return redis.call('HGETALL', K_COUNTS)
