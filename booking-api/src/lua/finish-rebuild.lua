--[[
  Rebuild, last step: recounts every class and quota from the seats' values (so counters
  that drifted or were never written are exact again) and marks the inventory ready.

  KEYS[1] meta      hash; writes ready, builtAtMs, seats
  KEYS[2] seats     hash (not read)
  KEYS[3] pools     hash "<class>|<quota>" -> seat ids
  KEYS[4] counts    hash "<class>|<quota>:total|held|sold" -> count (replaced)
  KEYS[5] taken     hash seat id -> hold id | "!<n>" sold; writes the encoding anchor (field "")
  KEYS[6] holds     (not touched)
  KEYS[7] expiries  (not touched)
  KEYS[8] tokens    hash; writes the encoding anchor (field "", see below)

  ARGV[1] now, epoch ms (recorded as builtAtMs)

  Returns {seats, held, sold} over the whole journey.
  Errors (returned as a bare integer): -1 BadArgument.
]]
--- @include "inventory"

local nowMs = tonumber(ARGV[1])
if not nowMs then return -1 end
local pools = redis.call('HGETALL', K_POOLS)
local counts = {}
local seats, held, sold = 0, 0, 0
for i = 1, #pools, 2 do
  local ids = {}
  for seatId in string.gmatch(pools[i + 1], '[^,]+') do ids[#ids + 1] = seatId end
  local poolHeld, poolSold = 0, 0
  if #ids > 0 then
    local values = redis.call('HMGET', K_TAKEN, unpack(ids))
    for j = 1, #ids do
      local state = stateOf(values[j])
      if state == 'held' then poolHeld = poolHeld + 1 elseif state == 'sold' then poolSold = poolSold + 1 end
    end
  end
  local pool = pools[i]
  counts[#counts + 1] = pool .. ':total'
  counts[#counts + 1] = #ids
  counts[#counts + 1] = pool .. ':held'
  counts[#counts + 1] = poolHeld
  counts[#counts + 1] = pool .. ':sold'
  counts[#counts + 1] = poolSold
  seats, held, sold = seats + #ids, held + poolHeld, sold + poolSold
end
redis.call('DEL', K_COUNTS)
if #counts > 0 then redis.call('HSET', K_COUNTS, unpack(counts)) end
-- A field whose value is longer than hash-max-listpack-value (64 by default) makes Redis keep
-- `taken` and `tokens` as hash tables for good. As listpacks (up to 512 entries here) every
-- hold's reads and writes of its seats and its token scanned all the entries; as tables they
-- are O(1). No seat id or jti is empty, so the field never names one; readers of the whole of
-- `taken` (read-snapshot.lua, rebuildInventory) skip it.
redis.call('HSET', K_TAKEN, '', ENCODING_ANCHOR)
redis.call('HSET', K_TOKENS, '', ENCODING_ANCHOR)
redis.call('HSET', K_META, 'ready', '1', 'builtAtMs', ARGV[1], 'seats', seats)
return {seats, held, sold}
