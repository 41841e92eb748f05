--[[
  Takes one token from each of several token buckets, all or nothing: a join
  is allowed only when every bucket (per client address, per visitor) has a
  token left. Buckets refill continuously up to their burst size.

  KEYS[i]        bucket hash {t = tokens (float), m = last refill ms}, one per bucket
  ARGV[1]        now, epoch milliseconds
  ARGV[2*i]      burst size of bucket i (tokens)
  ARGV[2*i+1]    refill of bucket i, tokens per minute

  Returns {1, 0} when allowed (a token was taken from every bucket), or
  {0, retryAfterMs} when refused (nothing was taken): the wait until every
  bucket holds a token again.
]]
local now = tonumber(ARGV[1])
local levels = {}
local retry_after = 0

for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2 * i])
  local per_ms = tonumber(ARGV[2 * i + 1]) / 60000
  local state = redis.call('HMGET', key, 't', 'm')
  local tokens = tonumber(state[1]) or burst
  local last = tonumber(state[2]) or now
  if now > last then tokens = math.min(burst, tokens + (now - last) * per_ms) end
  levels[i] = tokens
  if tokens < 1 then
    local wait = per_ms > 0 and math.ceil((1 - tokens) / per_ms) or 60000
    if wait > retry_after then retry_after = wait end
  end
end

if retry_after > 0 then return {0, retry_after} end

for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2 * i])
  local per_ms = tonumber(ARGV[2 * i + 1]) / 60000
  local tokens = levels[i] - 1
  redis.call('HSET', key, 't', tostring(tokens), 'm', now)
  -- The bucket forgets itself once it would be full again.
  local ttl = per_ms > 0 and math.ceil((burst - tokens) / per_ms) + 1000 or 3600000
  redis.call('PEXPIRE', key, ttl)
end
return {1, 0}
