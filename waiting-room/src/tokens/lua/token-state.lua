--[[
  Reads what Redis knows about one admission token, for the verifier: one
  round trip, both keys in the room's hash tag.

  KEYS[1]  consumed tokens of the room (sorted set: jti -> exp, epoch seconds)
  KEYS[2]  the room's revoked-before time (string, epoch seconds)
  ARGV[1]  jti of the token

  Returns { consumed, revokedBefore }:
    consumed       1 if the jti is in the consumed set, else 0
    revokedBefore  tokens issued at or before this second are revoked; -1 if the
                   room was never revoked
]]
local consumed = 0
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then consumed = 1 end
local revokedBefore = tonumber(redis.call('GET', KEYS[2])) or -1
return { consumed, revokedBefore }
