-- One new exchange per request, each in a new conversation.
local counter = 0
local thread_id = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local body = string.format('{"source":"api","question":"bench question %d-%d","answer":"bench answer",'
    .. '"categories":["bench"],"userId":"bench-user"}', thread_id or 0, counter)
  return wrk.format("POST", "/v2/bots/requests",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer KEY"}, body)
end
