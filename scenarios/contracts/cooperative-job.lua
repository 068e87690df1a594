-- Contract 1 of the CanonChain whitepaper (section 3.2): a cooperative job.
--
-- Devices put down a deposit to join, each promising a contribution that the CZR measurement
-- engine measures at a node of the device's choosing (PROTOCOL.md 2.1). A device may quit with
-- advance notice (a "quit" device event); once the notice has run, a "leave" event refunds its
-- deposit and the contract calls the device back. audit() checks every active member against the
-- latest CZR report: a member under its promise loses its deposit to the job's owner and is
-- called back ("slashed"); a device may also register a callback on its status.
--
-- Storage: owner, deposit, notice (blocks), count (members ever), active (members now);
--   member:<i> = device; status:<device> = active | leaving | left | slashed;
--   promise:<device> (kScoreUnits, 1.0 = 1000000), node:<device>, leave_at:<device>.
local M = {}

local function need(ok, message)
  if not ok then error(message, 2) end
end

function M.init(deposit, notice)
  need(math.type(deposit) == "integer" and deposit > 0, "deposit must be a positive integer")
  need(math.type(notice) == "integer" and notice >= 0, "notice must be a whole number of blocks")
  chain.set("owner", chain.caller())
  chain.set("deposit", deposit)
  chain.set("notice", notice)
  chain.set("count", 0)
  chain.set("active", 0)
end

-- A device joins (or rejoins after leaving or being slashed) with exactly the deposit.
function M.join(promise, node)
  local who = chain.caller()
  local status = chain.get("status:" .. who)
  need(status ~= "active" and status ~= "leaving", "already a member")
  need(chain.value() == chain.get("deposit"), "join with exactly the deposit")
  need(math.type(promise) == "integer" and promise >= 0, "promise must be a whole number")
  if status == nil then
    local n = chain.get("count") + 1
    chain.set("count", n)
    chain.set("member:" .. n, who)
  end
  chain.set("status:" .. who, "active")
  chain.set("promise:" .. who, promise)
  chain.set("node:" .. who, node)
  chain.set("active", chain.get("active") + 1)
  chain.emit("joined", who)
  return chain.get("active")
end

-- Device events: "quit" gives notice, "leave" collects the refund once the notice has run.
function M.on_event(device, kind)
  local status = chain.get("status:" .. device)
  if kind == "quit" then
    need(status == "active", "quit: not an active member")
    chain.set("status:" .. device, "leaving")
    chain.set("leave_at:" .. device, chain.height() + chain.get("notice"))
  elseif kind == "leave" then
    need(status == "leaving", "leave: no notice given")
    need(chain.height() >= chain.get("leave_at:" .. device), "leave: the notice has not run")
    chain.set("status:" .. device, "left")
    chain.set("active", chain.get("active") - 1)
    chain.transfer(device, chain.get("deposit"))
    chain.notify(device, "refunded")
  else
    error("unknown event " .. tostring(kind))
  end
end

-- Anyone may audit; returns how many members it slashed.
function M.audit()
  local slashed = 0
  for i = 1, chain.get("count") do
    local device = chain.get("member:" .. i)
    if chain.get("status:" .. device) == "active" then
      local total = chain.contribution(chain.get("node:" .. device)) or 0
      if total < chain.get("promise:" .. device) then
        chain.set("status:" .. device, "slashed")
        chain.set("active", chain.get("active") - 1)
        chain.transfer(chain.get("owner"), chain.get("deposit"))
        chain.notify(device, "slashed")
        slashed = slashed + 1
      end
    end
  end
  chain.set("audits", (chain.get("audits") or 0) + 1)
  return slashed
end

return M
