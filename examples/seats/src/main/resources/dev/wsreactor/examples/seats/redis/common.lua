-- Shared by every script (prepended to each). KEYS[1]: the seats hash, seat -> "state|owner|expiresAtMs|version"
-- (free seats are absent); KEYS[2]: the change counter, whose value is the version of the latest change.
-- Redis runs a script alone, start to end: that is what makes each booking atomic across every node.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function parse(value)
  local state, owner, expiresAt, version = string.match(value, '^(%a+)|([^|]*)|(%d+)|(%d+)$')
  return state, owner, tonumber(expiresAt), tonumber(version)
end

-- A hold whose time is up counts as free, whether or not a node has swept it yet.
local function current(seat, now)
  local value = redis.call('HGET', KEYS[1], seat)
  if not value then return 'free' end
  local state, owner, expiresAt, version = parse(value)
  if state == 'held' and expiresAt <= now then return 'free', owner, expiresAt, version end
  return state, owner, expiresAt, version
end

local function changed(seat, state, owner, expiresAt, now)
  local version = redis.call('INCR', KEYS[2])
  if state == 'free' then
    redis.call('HDEL', KEYS[1], seat)
  else
    redis.call('HSET', KEYS[1], seat, state .. '|' .. owner .. '|' .. string.format('%d', expiresAt) .. '|' .. version)
  end
  local left = 0
  if state == 'held' then left = expiresAt - now end
  return {'ok', state, owner, string.format('%d', left), string.format('%d', version)}
end
