-- Contract 2 of the CanonChain whitepaper (section 3.2): a promoter pays a device per new user.
--
-- The promoter deploys it with the budget as value: init(device, reward). Every "new_user"
-- event signed by that device, for a user id not seen before, moves `reward` from the
-- contract's balance to the device and calls the device back with the amount. When the balance
-- can no longer pay a reward, state becomes "exhausted" (a device registers a callback on it);
-- topup() by the promoter adds budget and reopens it; close() returns what is left.
--
-- Storage: promoter, device, reward, users (paid so far), state = open | exhausted | closed,
--   user:<id> = the block it was paid in.
local M = {}

local function need(ok, message)
  if not ok then error(message, 2) end
end

local function settle()
  local open = chain.balance() >= chain.get("reward")
  chain.set("state", open and "open" or "exhausted")
end

function M.init(device, reward)
  need(math.type(reward) == "integer" and reward > 0, "reward must be a positive integer")
  chain.balance(device) -- checks the address
  chain.set("promoter", chain.caller())
  chain.set("device", device)
  chain.set("reward", reward)
  chain.set("users", 0)
  settle()
end

function M.on_event(device, kind, user)
  need(device == chain.get("device"), "not the contracted device")
  need(kind == "new_user", "unknown event " .. tostring(kind))
  need(chain.get("state") == "open", "the promotion is " .. chain.get("state"))
  need(type(user) == "string" and #user > 0 and #user <= 64, "user id must be 1 to 64 bytes")
  need(chain.get("user:" .. user) == nil, "user " .. user .. " was already paid for")
  chain.set("user:" .. user, chain.height())
  chain.set("users", chain.get("users") + 1)
  chain.transfer(device, chain.get("reward"))
  chain.notify(device, chain.get("reward"))
  settle()
  return chain.get("users")
end

function M.topup()
  need(chain.caller() == chain.get("promoter"), "only the promoter tops up")
  need(chain.get("state") ~= "closed", "closed")
  settle()
end

function M.close()
  need(chain.caller() == chain.get("promoter"), "only the promoter closes")
  chain.set("state", "closed")
  local rest = chain.balance()
  if rest > 0 then chain.transfer(chain.caller(), rest) end
  return rest
end

return M
