--[[
  Rebuild, step 2: replaces the allocation order of every class and quota at once, so an
  auto-allocation never sees half of an old and half of a new list.

  KEYS[1] meta      (not touched)
  KEYS[2] seats     (not touched)
  KEYS[3] pools     hash "<class>|<quota>" -> seat ids in allocation order, comma-separated
  KEYS[4] counts    (not touched)
  KEYS[5] taken     (not touched)
  KEYS[6] holds     (not touched)
  KEYS[7] expiries  (not touched)
  KEYS[8] tokens    (not touched)

  ARGV[1], ARGV[2], ... pairs: "<class>|<quota>", seat ids

  Returns the number of pools.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

if #ARGV % 2 ~= 0 then return -1 end
redis.call('DEL', K_POOLS)
if #ARGV > 0 then redis.call('HSET', K_POOLS, unpack(ARGV)) end
return #ARGV / 2
