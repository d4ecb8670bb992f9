-- ARGV: seat, the version of the hold a node's timer was set for. Every node's timer calls it; the first frees
-- the seat, the others find it changed ('stale'); a timer early by the store's clock is told to wait.
local seat, holdVersion = ARGV[1], tonumber(ARGV[2])
local value = redis.call('HGET', KEYS[1], seat)
if not value then return {'stale'} end
local state, owner, expiresAt, version = parse(value)
if state ~= 'held' or version ~= holdVersion then return {'stale'} end
local now = nowMs()
if expiresAt > now then return {'wait', string.format('%d', expiresAt - now)} end
return changed(seat, 'free', '', 0, now)
