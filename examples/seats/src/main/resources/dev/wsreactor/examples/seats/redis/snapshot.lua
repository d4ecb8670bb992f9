-- No ARGV. The change counter, then seat, state, owner, milliseconds left, version for every taken seat: one
-- consistent picture, since nothing else runs while this does.
local now = nowMs()
local out = {redis.call('GET', KEYS[2]) or '0'}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local state, owner, expiresAt, version = parse(all[i + 1])
  local left = 0
  if state == 'held' then left = math.max(0, expiresAt - now) end
  table.insert(out, all[i])
  table.insert(out, state)
  table.insert(out, owner)
  table.insert(out, string.format('%d', left))
  table.insert(out, string.format('%d', version))
end
return out
