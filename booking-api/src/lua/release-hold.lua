--[[
  Releases a hold before it expires: its seats become free, its token may hold again.

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:held" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] hold id
  ARGV[2] subject that asks, or "" to release whoever holds it (operators, failed commits)
  ARGV[3] now, epoch ms

  Returns 1 released, or a status:
    -9  NotFound: no such hold, or it expired (an expired hold is dropped here)
    -10 NotYours: the hold belongs to another subject
    -11 Booked: the hold was booked; its seats are sold
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local holdId = ARGV[1]
local subject = ARGV[2]
local nowMs = tonumber(ARGV[3])
if holdId == '' or not nowMs then return -1 end

local record = readRecord(holdId)
if not record then return -9 end
if record.st == 'held' and record.exp <= nowMs then
  dropHold(holdId)
  return -9
end
if record.st == 'booked' and record.keep <= nowMs then
  dropHold(holdId)
  return -9
end
-- A booked record made after its hold was swept may not know its subject.
if subject ~= '' and record.sub ~= subject and (record.st == 'held' or record.sub ~= '') then
  return -10
end
if record.st == 'booked' then return -11 end
dropHold(holdId)
return 1
