--[[
  A cancelled or expired booking gave its seats back (the caller has checked PostgreSQL):
  sold seats become free. Held and free seats are left as they are.

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:sold" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash (not read)
  KEYS[7] expiries  sorted set (not read)
  KEYS[8] tokens    hash (not read)

  ARGV[1..] seat ids

  Returns the number of seats that went from sold to free.
]]
--- @include "inventory"

local returned = 0
for i = 1, #ARGV do
  local current = redis.call('HGET', K_TAKEN, ARGV[i])
  if stateOf(current) == 'sold' then
    setSeat(ARGV[i], current, nil)
    returned = returned + 1
  end
end
return returned
