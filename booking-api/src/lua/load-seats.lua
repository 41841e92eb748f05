--[[
  Rebuild, step 1 (in chunks): writes seat metadata read from PostgreSQL. Metadata of a seat
  never changes in practice (seat rows are never updated); writing it again is harmless.

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> "<class>|<quota>|<coach>|<berth number>|<berth type>"
  KEYS[3] pools     (not touched)
  KEYS[4] counts    (not touched)
  KEYS[5] taken     (not touched)
  KEYS[6] holds     (not touched)
  KEYS[7] expiries  (not touched)
  KEYS[8] tokens    (not touched)

  ARGV[1], ARGV[2], ... pairs: seat id, metadata

  Returns the number of seats written.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

if #ARGV == 0 or #ARGV % 2 ~= 0 then return -1 end
redis.call('HSET', K_SEATS, unpack(ARGV))
return #ARGV / 2
