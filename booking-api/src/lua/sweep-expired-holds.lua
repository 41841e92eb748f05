--[[
  Drops holds whose expiry has passed (their seats become free) and booked records whose
  retention ended, oldest first, at most `limit` of them.

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:held" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] now, epoch ms
  ARGV[2] limit (>= 0)

  Returns {dropped, remaining}: records dropped, and records still due after this call.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local nowMs = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if not nowMs or not limit or limit < 0 then return -1 end
local dropped = sweepExpired(nowMs, limit)
return {dropped, redis.call('ZCOUNT', K_EXPIRIES, '-inf', nowMs)}
