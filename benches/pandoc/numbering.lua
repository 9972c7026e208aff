-- Heading numbers 一、（一）1.（1） for pandoc: what a user would write to get gongwen's
-- numbering from pandoc, used by `make bench` for the side-by-side comparison.
local digits = { "一", "二", "三", "四", "五", "六", "七", "八", "九" }

local function chinese(n)
  if n < 10 then return digits[n] end
  if n < 20 then return "十" .. (n > 10 and digits[n - 10] or "") end
  if n < 100 then
    local tens, units = n // 10, n % 10
    return digits[tens] .. "十" .. (units > 0 and digits[units] or "")
  end
  return tostring(n)
end

local counters = { 0, 0, 0, 0 }

function Header(h)
  local level = h.level
  if level > 4 then return h end
  counters[level] = counters[level] + 1
  for i = level + 1, 4 do counters[i] = 0 end
  local n = counters[level]
  local markers = { chinese(n) .. "、", "（" .. chinese(n) .. "）", n .. ".", "（" .. n .. "）" }
  table.insert(h.content, 1, pandoc.Str(markers[level]))
  return h
end
