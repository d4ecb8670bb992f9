-- ARGV: seat, owner, hold milliseconds, most holds per owner.
local seat, owner, holdMs, maxHolds = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = nowMs()
local state, holder = current(seat, now)
if state == 'sold' then
  if holder == owner then return {'no', 'seat ' .. seat .. ' is already yours'} end
  return {'no', 'seat ' .. seat .. ' is sold'}
elseif state == 'held' then
  if holder == owner then return {'no', 'you already hold seat ' .. seat} end
  return {'no', 'seat ' .. seat .. ' is held by someone else'}
end
local holds = 0
for _, value in ipairs(redis.call('HVALS', KEYS[1])) do
  local s, o, e = parse(value)
  if s == 'held' and o == owner and e > now then holds = holds + 1 end
end
if holds >= maxHolds then return {'no', 'you may hold at most ' .. maxHolds .. ' seats at a time'} end
return changed(seat, 'held', owner, now + holdMs, now)
