--[[
  Stages what a tick is about to do (inputs, decision, totals before admitting) before it
  admits, so that if the worker dies between admitting and recording, the next holder can
  record the batch the dead tick made.

  KEYS[1] lock   string "<fence>:<worker>"
  KEYS[2] state  hash carried between ticks

  ARGV[1] token, or "" to skip the fence check (negative-control builds only)
  ARGV[2] pending JSON

  Returns 1, or -1 FenceLost (the caller no longer holds the lock; nothing written).
]]
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[2], 'pending', ARGV[2])
return 1
