-- One new exchange per request, each in a new conversation, whose texts hold an e-mail address,
-- two phone numbers and a card number: what redaction (SPEC §10) has to find.
local counter = 0
local thread_id = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local text = string.format('Order #4512-%d: reach me at anna.mueller%d@beispiel.de or +44 20 7946 0958,'
    .. ' (415) 555-0100; card 4111 1111 1111 1111, paid 12.03.2025 at 14:30.', counter, thread_id or 0)
  local body = string.format('{"source":"api","question":"%s","answer":"Thanks, noted: %s",'
    .. '"reasoning":"The customer shared contact details: %s","categories":["bench"],"userId":"bench-user"}',
    text, text, text)
  return wrk.format("POST", "/v2/bots/requests",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer KEY"}, body)
end
