-- A support team's day: mostly pages, some new exchanges, now and then a small export.
local counter = 0
math.randomseed(os.time())

request = function()
  counter = counter + 1
  local dice = math.random(100)
  local headers = {["Authorization"] = "Bearer KEY"}
  if dice <= 70 then
    return wrk.format("GET", "/v2/bots/requests/public?source=all&limit=50", headers)
  elseif dice <= 95 then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/v2/bots/requests", headers, string.format(
      '{"source":"widget","question":"mixed %d","answer":"ok","categories":["mixed"],"userId":"bench-user"}', counter))
  else
    return wrk.format("GET", "/v2/bots/conversations/export?userId=user-" .. math.random(1000), headers)
  end
end
