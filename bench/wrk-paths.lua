-- wrk script for bench/http.ts: each request takes the next path from the file named by WRK_PATHS,
-- so a run spreads over many assets instead of hitting one row.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
