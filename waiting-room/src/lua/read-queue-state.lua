--[[
  Reads a room's queue state in one round trip. Read-only.

  KEYS[1] state         hash: served, admittedTotal, skippedTotal, updatedMs, sealed,
                        prequeueCount, prequeueBase, shuffleApplied, ...
  KEYS[2] seq           string, last queue number issued
  KEYS[3] admissionLog  list "<epoch ms>:<count>", newest first
  KEYS[4] prequeueLog   stream of pre-queue joins in arrival order

  Returns {stateFields, seq, admissionLog, prequeueLength}:
    stateFields     flat field/value list of KEYS[1] (HGETALL)
    seq             last queue number issued, "0" when none
    admissionLog    every entry of KEYS[3], newest first
    prequeueLength  entries in the pre-queue join log so far
]]
return {
  redis.call('HGETALL', KEYS[1]),
  redis.call('GET', KEYS[2]) or '0',
  redis.call('LRANGE', KEYS[3], 0, -1),
  redis.call('XLEN', KEYS[4]),
}
