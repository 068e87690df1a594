// ContractsFeature: a scenario's contract in a run (issue 16, the `contracts:` section of
// model/run/scenario-config.h), on either engine, through the feature seam (run-feature.h).
//
// Participants, with keys from the run seed, funded at genesis (GenesisSpec::funded, through
// FundedAddresses below):
// - the owner, DeriveKeyPair(seed, "contract-owner", 0), submits at contracts.owner_node: at
//   deploy_at_s it deploys the contract (init arguments, value) and registers every device (its
//   key, its node and its home full node); then it makes its scheduled calls;
// - device k, DeriveKeyPair(seed, "contract-device", k), is the application on its node (a node
//   of the topology: an ns-3 node in ns-3 runs). At its start (join.at_s; 0: deploy_at_s + 5 s,
//   or a slot later while its node's chain does not yet hold the contract and its registration)
//   it registers its callbacks and makes its join call; it sends signed device events at a
//   Poisson rate from events.start_s (skipping those its node would refuse, before its
//   registration); when a callback reaches its node it acts (events.on_callback), once per
//   triggering transaction. An owner call before the contract is on the owner node's chain
//   waits a slot at a time.
// The callbacks themselves are the nodes' (model/contracts/contract-node-hook.h): the home node
// checks its devices' predicates on each new best tip and sends a message of type 30 over the
// network; the feature sees its arrival as a node event.
//
// Records: `callbacks` rows as they arrive. `contract_calls`: every slot the feature reads the
// owner node's best chain and keeps the receipts of each block it has not seen while the block's
// state is still held (not only the tip, so a reorg's new blocks are kept too); just before the
// end it writes those of the blocks on the final best chain, in height order, and compares
// every running full node's state root at the highest height all of them still hold
// (figure state_roots_agree), and checks the owner node's total supply (supply_conserved).
//
// Fees and CZC hash: a deploy, call or event bids its gas limit x gas_price plus `bid`; a
// registration bids `bid`; each at least the fee floor in force on the submitting node's best
// chain, and signed with that chain's CZC hash (TermsOn, model/node/node.h: what CZC governance
// adopted, issue 18); every one tips `bid` (EIP-1559). A wallet on a node with no full node (a
// light device node) signs with the genesis CZC hash and floor. What the auction then
// takes is the ledger's one rule (model/chain/fee-rule.h WithGasFloor): the auction's charge,
// at least the gas.
//
// Nonces are counted per key from the chain: a key whose counted nonce ran ahead of its chain's
// for kNonceResync (a refused transaction left a gap), or whose node's chain has a new CZC hash
// (what it signed under the old one can never be included), counts again from the chain's.
//
// Determinism: draws only from Rng::Derive(seed, "contracts", k); schedules only on the host.
// Bounds: receipts kept per block of the run (one entry per block with contract transactions),
// callback records as they arrive; per device one trigger set bounded by its callbacks.
// Single-threaded; outlives the host's run (run-feature.h).
#ifndef CANONSIM_RUN_CONTRACTS_FEATURE_H
#define CANONSIM_RUN_CONTRACTS_FEATURE_H

#include "model/contracts/contract-state.h"
#include "model/run/run-feature.h"
#include "model/run/scenario-config.h"

#include "model/core/rng.h"

#include <map>
#include <optional>
#include <set>

namespace canon
{

constexpr TimeNs kNonceResync = 20 * kSecond;
constexpr TimeNs kDeviceStartAfterDeploy = 5 * kSecond;
constexpr uint64_t kDeployGasFactor = 5; // a deploy's gas limit: 5 x contracts.gas_limit

class ContractsFeature : public RunFeature
{
  public:
    ContractsFeature(ContractsConfig config, uint64_t seed, TimeNs duration);

    // The owner's and the devices' addresses, for GenesisSpec::funded.
    static std::vector<Address> FundedAddresses(const ContractsConfig& config, uint64_t seed);

    std::string Name() const override { return "contracts"; }
    void Attach(const FeatureContext& ctx) override;
    void OnEvent(uint32_t node, const NodeEvent& ev) override;
    void Finish() override;
    std::map<std::string, double> Figures() const override;

    const Address& Contract() const { return m_contract; }

  private:
    struct Wallet
    {
        KeyPair key = KeyPair::FromSeed(Hash256{});
        uint32_t node = 0;
        uint64_t next = 0;
        uint64_t chainNonce = 0;
        TimeNs progress = 0; // when chainNonce last moved
        Hash256 czc{};       // the CZC hash of its node's chain when it last signed
    };
    struct Device
    {
        Wallet wallet;
        uint32_t home = 0;
        uint64_t param = 0;
        uint32_t events = 0;
        std::set<Hash256> acted; // triggers it acted on
    };
    struct BlockCalls
    {
        uint64_t height = 0;
        TimeNs time = 0;
        std::vector<ContractReceipt> receipts;
    };

    void Deploy();
    void StartDevice(std::size_t k);
    void SendEvent(std::size_t k);
    void ScheduleEvent(std::size_t k, TimeNs after);
    void OwnerCall(const ContractCallConfig& call, TimeNs at);
    void React(std::size_t k, const Hash256& trigger);
    void Submit(Wallet& w, TxType type, const Bytes& payload, uint64_t gasLimit);
    // `text` with its braced names ({owner}, {device0}, and for a device {device}, {home},
    // {param}, {n}) filled in; Arg makes a whole number of it an integer, else a string.
    std::string Expand(const std::string& text, const Device* d) const;
    ContractValue Arg(const std::string& text, const Device* d) const;
    std::vector<ContractValue> Args(const std::vector<std::string>& texts, const Device* d) const;
    // Whether node's best chain holds the contract (and `device`'s registration, if given).
    bool Ready(uint32_t node, const Address* device) const;
    void PollReceipts();
    void Snapshot();
    void CompareRoots();

    ContractsConfig m_config;
    uint64_t m_seed;
    TimeNs m_duration;
    std::optional<FeatureContext> m_ctx;
    Wallet m_owner;
    std::vector<Device> m_devices;
    std::map<uint32_t, std::size_t> m_deviceAt; // node to device index
    std::vector<Rng> m_rng;                     // per device
    Address m_contract{};
    std::map<Hash256, BlockCalls> m_calls; // by block hash, from the owner node's chain
    std::set<Hash256> m_seenBlocks;
    std::vector<std::pair<uint64_t, Hash256>> m_mainChain; // at the end: height, hash
    std::vector<double> m_latencies;
    uint64_t m_submitted = 0;
    uint64_t m_eventsSent = 0;
    uint64_t m_callbacksSent = 0;
    uint64_t m_callbacksUndelivered = 0;
    uint64_t m_reactions = 0;
    double m_rootsAgree = 0;
    uint64_t m_rootHeight = 0;
    uint32_t m_rootNodes = 0;
    bool m_supplyConserved = false; // the owner node's best state at the end
};

} // namespace canon

#endif
