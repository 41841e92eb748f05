--[[
  Releases a room's tick lock, only if the caller still holds it.

  KEYS[1] lock   string "<fence>:<worker>"
  ARGV[1] token  the value acquire-tick-lock returned

  Returns 1 when released, 0 when the lock had expired or belongs to a later holder.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
