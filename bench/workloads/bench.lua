-- bench.lua: a deterministic Lua workload for the overhead benchmark:
-- recursion, tables, sorting, strings, closures, floating point.
local scale = tonumber(arg and arg[1]) or 1

local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end

local function sieve(n)
  local comp, count = {}, 0
  for i = 2, n do
    if not comp[i] then
      count = count + 1
      for j = i * i, n, i do comp[j] = true end
    end
  end
  return count
end

local function sorting(n)
  local t, x = {}, 42
  for i = 1, n do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x end
  table.sort(t)
  local words = {}
  for i = 1, n // 4 do words[i] = string.format("w%08d", t[i] % 99991) end
  table.sort(words, function(a, b) return a > b end)
  return t[1] + #words[1]
end

local function strings(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = ("item%d=%x;"):format(i, i * 31) end
  local s = table.concat(parts)
  local cnt = 0
  for k, v in s:gmatch("item(%d+)=(%x+);") do cnt = cnt + #k + #v end
  local r = s:gsub("item", "it"):upper()
  return cnt + #r
end

local function closures(n)
  local acc = 0
  local function make(k) return function(x) return x * k + 1 end end
  local fs = {}
  for i = 1, 16 do fs[i] = make(i) end
  for i = 1, n do acc = (acc + fs[i % 16 + 1](i)) % 1000003 end
  return acc
end

local function nbody(steps)
  local bodies = {}
  for i = 1, 5 do
    bodies[i] = { x = i, y = i * 0.5, z = -i, vx = 0.01 * i, vy = 0, vz = 0.02, m = 1 / i }
  end
  for _ = 1, steps do
    for i = 1, #bodies do
      local bi = bodies[i]
      for j = i + 1, #bodies do
        local bj = bodies[j]
        local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
        local d2 = dx * dx + dy * dy + dz * dz + 0.01
        local mag = 0.001 / (d2 * math.sqrt(d2))
        bi.vx = bi.vx - dx * bj.m * mag; bj.vx = bj.vx + dx * bi.m * mag
        bi.vy = bi.vy - dy * bj.m * mag; bj.vy = bj.vy + dy * bi.m * mag
        bi.vz = bi.vz - dz * bj.m * mag; bj.vz = bj.vz + dz * bi.m * mag
      end
    end
    for i = 1, #bodies do
      local b = bodies[i]
      b.x = b.x + 0.001 * b.vx; b.y = b.y + 0.001 * b.vy; b.z = b.z + 0.001 * b.vz
    end
  end
  return bodies[1].x
end

local r = {}
r[#r + 1] = fib(24 + scale)
r[#r + 1] = sieve(400000 * scale)
r[#r + 1] = sorting(60000 * scale)
r[#r + 1] = strings(40000 * scale)
r[#r + 1] = closures(600000 * scale)
r[#r + 1] = string.format("%.6f", nbody(30000 * scale))
print(table.concat(r, " "))
