--[[
  Repair: PostgreSQL found these seats sold. Each becomes sold whatever Redis thought; a
  hold that had one of them is dropped whole (it can no longer be booked whole).

  KEYS[1] meta      hash; increments soldSeq
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:held|sold" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1..] seat ids

  Returns the number of seats that were not sold before.
]]
--- @include "inventory"

local changed = 0
for i = 1, #ARGV do changed = changed + sellSeat(ARGV[i]) end
return changed
