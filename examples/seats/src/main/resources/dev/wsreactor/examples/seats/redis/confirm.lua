-- ARGV: seat, owner. Turns the owner's own hold, if it has not run out, into a sale.
local seat, owner = ARGV[1], ARGV[2]
local now = nowMs()
local state, holder = current(seat, now)
if state == 'held' and holder == owner then return changed(seat, 'sold', owner, 0, now) end
local why = 'it is not held'
if state == 'held' then why = 'it is held by someone else' elseif state == 'sold' then why = 'it is sold' end
return {'no', 'cannot confirm seat ' .. seat .. ': ' .. why}
