--[[
  Revokes every token of a room issued at or before a time. The time only
  moves forward: an older revocation never undoes a newer one.

  KEYS[1]  the room's revoked-before time (string, epoch seconds)
  ARGV[1]  revoke tokens issued at or before this second

  Returns the room's revoked-before time after the call.
]]
local at = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current >= at then return current end
redis.call('SET', KEYS[1], ARGV[1])
return at
