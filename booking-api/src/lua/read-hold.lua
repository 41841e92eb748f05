--[[
  Reads a hold as its holder sees it at `now`: nothing once it expired (or, booked, once
  its retention ended).

  KEYS[1] meta      hash (not read)
  KEYS[2] seats     hash seat id -> metadata
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash (not read)
  KEYS[5] taken     hash (not read)
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set (not read)
  KEYS[8] tokens    hash (not read)

  ARGV[1] hold id
  ARGV[2] now, epoch ms

  Returns {state, expiresAtMs, subject, tokenJti, seatId1, meta1, ...} with state "held" or
  "booked"; or 0 when the hold is unknown or over.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local holdId = ARGV[1]
local nowMs = tonumber(ARGV[2])
if holdId == '' or not nowMs then return -1 end

local record = readRecord(holdId)
if not record then return 0 end
if record.st == 'held' and record.exp <= nowMs then return 0 end
if record.st == 'booked' and record.keep <= nowMs then return 0 end
local reply = {record.st, record.exp, record.sub, record.jti}
for _, v in ipairs(seatRefs(record.seats)) do reply[#reply + 1] = v end
return reply
