--[[
  After the booking committed in PostgreSQL: its seats become sold whatever Redis thought
  (the hold may have expired, another hold may have them: PostgreSQL is the truth and the
  other booking will fail there), and the hold becomes "booked", so it can be neither
  released nor used again. Seats of the hold that the booking did not take are freed.
  Works on an inventory being rebuilt too (the sold stamp then guards the seat against a
  rebuild that read PostgreSQL before this commit).

  KEYS[1] meta      hash; increments soldSeq
  KEYS[2] seats     hash seat id -> metadata (for the counters)
  KEYS[3] pools     hash (not read)
  KEYS[4] counts    hash "<class>|<quota>:held|sold" counters
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold
  KEYS[6] holds     hash hold id -> JSON record
  KEYS[7] expiries  sorted set hold id -> expiry ms (retention once booked)
  KEYS[8] tokens    hash token jti -> hold id

  ARGV[1] hold id
  ARGV[2] now, epoch ms
  ARGV[3] how long to keep the booked record, ms
  ARGV[4] holder subject, recorded when the hold's record is gone already (may be "")
  ARGV[5] holder token jti, likewise (may be "")
  ARGV[6..] the booked seat ids

  Returns the number of seats that were not sold before.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local holdId = ARGV[1]
local nowMs = tonumber(ARGV[2])
local retainMs = tonumber(ARGV[3])
if holdId == '' or string.byte(holdId, 1) == SOLD_BYTE or not nowMs or not retainMs
  or retainMs < 0 or #ARGV < 6 then
  return -1
end
local fallbackSubject, fallbackJti = ARGV[4], ARGV[5]
local booked, isBooked = {}, {}
for i = 6, #ARGV do
  booked[#booked + 1] = ARGV[i]
  isBooked[ARGV[i]] = true
end

local record = readRecord(holdId)
if record and record.st == 'booked' then
  -- A retry: the seats were marked once; mark any the first call did not name.
  local changed = 0
  for _, seatId in ipairs(booked) do changed = changed + sellSeat(seatId) end
  return changed
end

-- This hold's own seats first: held -> sold without dropping the hold's other seats yet.
local changed = 0
for _, seatId in ipairs(booked) do
  local current = redis.call('HGET', K_TAKEN, seatId)
  if current == holdId then
    setSeat(seatId, current, soldMark())
    changed = changed + 1
  else
    changed = changed + sellSeat(seatId)
  end
end
if record then
  for _, seatId in ipairs(record.seats) do
    local current = redis.call('HGET', K_TAKEN, seatId)
    if current == holdId and not isBooked[seatId] then setSeat(seatId, current, nil) end
  end
  if redis.call('HGET', K_TOKENS, record.jti) == holdId then redis.call('HDEL', K_TOKENS, record.jti) end
end
local keep = nowMs + retainMs
writeRecord(holdId, {
  st = 'booked',
  exp = record and record.exp or nowMs,
  sub = record and record.sub or fallbackSubject,
  jti = record and record.jti or fallbackJti,
  seats = booked,
  at = record and record.at or nowMs,
  keep = keep,
}, keep)
return changed
