--[[
  Where one visitor stands in a room's queue. Read-only.

  KEYS[1] visitors  hash visitor -> queue number, or "p" while in the shuffled pre-queue
  KEYS[2] admitted  hash queue number -> admitted-at epoch ms
  KEYS[3] skipped   hash queue number -> visitor, passed over and not back yet
  KEYS[4] returned  sorted set, member visitor, score queue number

  ARGV[1] visitor id

  Returns {number, status, admittedAtMs}:
    number        queue number, "" when the visitor has none (unknown or pre-queue)
    status        "unknown" | "prequeue" | "waiting" | "admitted" | "skipped" | "returned"
    admittedAtMs  epoch ms as a string, "" unless admitted
]]
local place = redis.call('HGET', KEYS[1], ARGV[1])
if not place then return {'', 'unknown', ''} end
if place == 'p' then return {'', 'prequeue', ''} end
local admittedAt = redis.call('HGET', KEYS[2], place)
if admittedAt then return {place, 'admitted', admittedAt} end
if redis.call('HEXISTS', KEYS[3], place) == 1 then return {place, 'skipped', ''} end
if redis.call('ZSCORE', KEYS[4], ARGV[1]) then return {place, 'returned', ''} end
return {place, 'waiting', ''}
