--[[
  Consumes an admission token: marks its jti used, unless it already is.

  KEYS[1]  consumed tokens of the room (sorted set: jti -> exp, epoch seconds)
  ARGV[1]  jti of the token
  ARGV[2]  exp of the token (epoch seconds)
  ARGV[3]  retention: seconds a consumed jti is kept after its exp; longer than
           any verifier's clock tolerance, so a dropped jti is refused as expired

  Returns 1 if this call consumed the token, 0 if it was consumed before.
  The set forgets tokens expired for longer than the retention, and the key
  itself expires with its last live token, so a room's set holds only the
  tokens that could still be presented.
]]
local now = tonumber(redis.call('TIME')[1])
local retention = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - retention))
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  redis.call('EXPIREAT', KEYS[1], math.max(tonumber(last[2]) + retention, now + 1))
end
return added
