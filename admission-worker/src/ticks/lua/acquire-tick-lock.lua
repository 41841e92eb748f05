--[[
  Takes a room's tick lock if nobody holds it, with a new fencing token.

  KEYS[1] lock   string "<fence>:<worker>", expires after the TTL
  KEYS[2] fence  counter, INCR'd once per successful acquisition

  ARGV[1] worker id
  ARGV[2] TTL, ms (> 0)

  Returns {fence, token} when acquired (token is the lock's value, to pass to every fenced
  step), or {0, remaining TTL ms} when another holder has it.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('PTTL', KEYS[1])}
end
local fence = redis.call('INCR', KEYS[2])
local token = fence .. ':' .. ARGV[1]
redis.call('SET', KEYS[1], token, 'PX', tonumber(ARGV[2]))
return {fence, token}
