// The paper's two contracts (section 3.2) as runs on the abstract engine (model/sim/harness.h):
// scripted participants submit deploys, calls and device events; devices sit on nodes next to
// their home full nodes, receive callbacks over the simulated network and act on them.
//
//   coop      Contract 1 (cooperative-job.lua): four devices deposit to join, each promising a
//             contribution measured at its home node by the CZR engine in the loop; one promises
//             more than any node is measured at. After the first CZR report the owner audits:
//             that device is slashed and called back, and acts by rejoining with a promise of 0.
//             Another device gives notice, leaves once it has run, and is refunded and called
//             back. A second audit after the next report finds nobody short.
//   promoter  Contract 2 (promoter.lua): the promoter funds ten rewards; the device reports a
//             new user every 1.5 s (one user twice, which the contract refuses); each payment
//             calls the device back; when the budget runs out the device's callback on
//             state == "exhausted" fires and the device acts by asking the promoter to top up
//             (the scenario's promoter does, once).
//
// The device's reaction time is the poll period (kPollPeriod): the run advances in such steps
// and looks at the devices' arrivals in between. Everything else is the harness's, from its
// seed: the same options give the same report.
#ifndef CANONSIM_SCENARIOS_CONTRACTS_CONTRACT_SCENARIOS_H
#define CANONSIM_SCENARIOS_CONTRACTS_CONTRACT_SCENARIOS_H

#include "model/contracts/contract-state.h"

#include <string>
#include <vector>

namespace canon
{

constexpr TimeNs kPollPeriod = 20 * kMillisecond;

struct ContractScenarioOptions
{
    std::string which = "coop"; // coop | promoter
    uint64_t seed = 1;
    uint32_t nodes = 12;
    uint32_t producers = 5;
    TimeNs duration = 45 * kSecond;
    std::string luaDir; // where cooperative-job.lua and promoter.lua are
};

struct CallbackSample
{
    std::string device; // "device1" ...
    std::string data;
    double triggerToArrival = 0; // seconds from the trigger's submission to the arrival
    double blockToArrival = 0;   // seconds from the triggering block's timestamp
};

struct ContractScenarioReport
{
    std::vector<ContractReceipt> receipts; // every contract transaction on the final main chain
    std::vector<CallbackSample> callbacks;
    std::vector<std::string> log; // what the participants did, in order
    uint64_t blocks = 0;
    bool statesAgree = false; // every node's best state root equal at the end
    std::vector<std::pair<std::string, ContractValue>> storage; // the contract's, at the end
    uint64_t contractBalance = 0;
};

// Runs one scenario; an error names the problem (a missing .lua file, an unknown scenario).
Result<ContractScenarioReport> RunContractScenario(const ContractScenarioOptions& o);

} // namespace canon

#endif
