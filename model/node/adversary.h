// Adversary: a byzantine participant, kept apart from the honest Node (DESIGN.md 3: byzantine
// behaviour lives in explicit adversary nodes, never in random branches of honest code).
//
// An Adversary owns an honest Node (the follower: it validates, relays, syncs and keeps the
// chain) that holds no producer key, and does the producing itself with the key it does hold.
// It is a Participant, so any driver (the abstract network, the ns-3 application) hosts it like
// a Node. It misbehaves inside its window [from, until) (until == 0: to the end of the run) and
// produces honestly outside it. Each behaviour changes one thing:
//   - kEquivocator: on each of its slots signs two different blocks and sends one to each half
//     of its peers (PROTOCOL.md 2.4), until evidence on chain slashes it;
//   - kWithholder: from `from` to `until` it builds a private chain (its own blocks and those
//     of its coalition), ignores everyone else's blocks and publishes nothing outside the
//     coalition; at `until` it sends the whole private chain to every peer;
//   - kInvalidBlocks: on each of its slots sends a block that breaks one validity rule (a bad
//     transaction signature, an overspend, a wrong Merkle root, a wrong timestamp), drawn
//     from its own seeded stream;
//   - kCensor: produces honestly but never includes transactions from `censored` senders;
//   - kOverClaimer: produces honestly but claims `overclaimFactor` times its measured
//     contribution (the claim itself is made by the driver, see ClaimScale());
//   - kSelfishMiner (PoW only; the scenario check rejects it elsewhere, and under another
//     protocol it produces honestly): Eyal and Sirer's selfish mining, the decisions of
//     SelfishMiningStrategy (model/consensus/baselines/pow-selfish.h) acted out on the network.
//   - network attackers (issue 19), on any full node rather than a producer's, each producing
//     honestly if its node holds a producer key:
//       - kTxSpam and kFlood: a NetworkAttack (network-attack.h) fires a burst of transactions
//         or junk messages every kAttackTick, on the adversary's own timer merged with the
//         follower's (as the selfish miner's below);
//       - kEclipse: the engine makes the attackers its victim's only peers
//         (model/run/eclipse-topology.h); inside the window it sends the victim no block traffic
//         (gossip in any mode, sync answers). Variant private-branch: an attacker on a genesis
//         producer also keeps a private chain as the withholder does, with the victim and the
//         victim's other producing attackers as its coalition (it sends them its blocks and
//         ignores everyone else's blocks, the victim's included); without a producer key a
//         private-branch attacker only withholds.
// It never relays equivocation evidence, not about itself nor about anyone else.
//
// The selfish miner. It mines like an honest PoW node (Node::PlanProduction: its next success
// tick on the follower's best tip, replanned whenever that tip changes), on its own timer merged
// with the follower's (a participant has one timer: the adversary sets it for the earlier of the
// two and, when it fires, mines if its time has come and always steps the follower, whose early
// wake-ups are harmless). The follower's best tip is the one Eyal and Sirer's pool mines on: the
// private tip while ahead, its own block in a race (the follower saw it first) and the public tip
// otherwise. Each own block goes to the follower from kSelfPeer and is private (its hash is kept
// until published; the follower's relays of it, in every gossip form, sync batches and light
// headers included, are dropped), then the machine's OnOwnBlock() decides. Honest blocks: after
// the follower accepts a block from a peer, H = the highest height of any block it accepted that
// is not its own; while H exceeds the fork height plus the machine's public length, one
// OnHonestBlock() per height. A decision to publish sends the newly published blocks whole to
// every peer; adopt or rebase clears the private list and moves the fork height (adopt: to H;
// rebase: to the private tip). The follower's sync requests start from the honest tip (the
// first block seen at H) rather than its own best tip, without private hashes: a locator built
// on a long private branch would make an honest peer answer from below the fork, a batch of
// blocks the follower already has, and it would never fill a gap in the honest chain (blocks a
// peer got by sync are not relayed). Lengths are counted in blocks, as the paper does: with
// difficulty retargeting across the fork the follower still picks by work. Its window: before
// `from` and from `until` on it mines and publishes at once; at `until` it publishes whatever is
// still private.
//
// Gamma (the share of honest hash power that mines on the pool's block in a race) is not a
// parameter of this adversary nor a rule of the engine (PowParams::gamma changes nothing here):
// honest nodes keep the block they saw first (PowEngine::FirstSeenWins), so gamma is whatever
// the network makes of a race. A user shapes it by placement: the pool sends its block straight
// to every peer, so linking it to many nodes with fast links raises gamma, and a pool with one
// slow link keeps it near 0. Measure it from the trace (races and whose block won) rather than
// assume it.
//
// The follower sees the adversary's own blocks as arriving from kSelfPeer. Single-threaded;
// the Adversary owns its follower.
#ifndef CANONSIM_NODE_ADVERSARY_H
#define CANONSIM_NODE_ADVERSARY_H

#include "model/consensus/baselines/pow-selfish.h"
#include "model/core/rng.h"
#include "model/node/network-attack.h"
#include "model/node/node.h"

#include <set>
#include <string>

namespace canon
{

enum class AdversaryKind : uint8_t
{
    kEquivocator,
    kWithholder,
    kInvalidBlocks,
    kCensor,
    kOverClaimer,
    kSelfishMiner,
    // Network-layer attackers (issue 19): they sit on any full node (not only a producer's),
    // and produce honestly if their node holds a producer key, but for the eclipse
    // private-branch variant.
    kTxSpam,
    kFlood,
    kEclipse,
    // A radio jammer: no node runs it; the ns-3 engine loses frames in its disc
    // (model/ns3/radio-jamming.h).
    kJammer,
    // A slow peer: an honest node whose ns-3 transport reads its connections slowly or not at
    // all (model/ns3/slow-peer.h); the core sees an honest node.
    kSlowPeer,
};

// The network-layer kinds: placed on a node rather than on a genesis producer.
constexpr bool
IsNetworkAttack(AdversaryKind k)
{
    return k == AdversaryKind::kTxSpam || k == AdversaryKind::kFlood ||
           k == AdversaryKind::kEclipse || k == AdversaryKind::kJammer ||
           k == AdversaryKind::kSlowPeer;
}

const char* AdversaryKindName(AdversaryKind k);
// "equivocator" | "withholder" | "invalid-blocks" | "censor" | "over-claimer" |
// "selfish-miner" | "tx-spam" | "flood" | "eclipse" | "jammer" | "slow-peer".
std::optional<AdversaryKind> ParseAdversaryKind(const std::string& name);

// The peer id the follower sees the adversary's own blocks come from (never a real peer).
constexpr PeerId kSelfPeer = 0xffffffffu;

struct AdversaryConfig
{
    AdversaryKind kind = AdversaryKind::kEquivocator;
    KeyPair key = KeyPair::FromSeed(Hash256{});
    uint64_t seed = 0;            // its own choices (which rule an invalid block breaks)
    TimeNs from = 0;              // its window of misbehaviour [from, until)
    TimeNs until = 0;             // 0: no end (a withholder needs until > from: its release)
    std::set<PeerId> coalition;   // withholder: fellow adversaries its private chain goes to
    std::set<Address> censored;   // censor: whose transactions it leaves out
    double overclaimFactor = 3.0; // over-claimer
    // Network attackers: the variant (network-attack.h), tx-spam's and flood's rate (messages
    // a second to each peer), and the eclipse's victim (its coalition then holds the victim
    // and the victim's other attackers).
    AttackVariant variant = AttackVariant::kValid;
    double ratePerSecond = 10;
    PeerId victim = 0;
};

struct AdversaryCounters
{
    uint64_t equivocations = 0;        // slots it signed twice
    uint64_t invalidBlocks = 0;        // invalid blocks sent
    uint64_t blocksWithheld = 0;       // own blocks kept private
    uint64_t blocksReleased = 0;       // private blocks published (the release; selfish publishing)
    uint64_t blocksIgnored = 0;        // others' blocks dropped while withholding
    uint64_t blocksProduced = 0;       // valid blocks it made, whatever it did with them
    uint64_t blocksKeptFromVictim = 0; // eclipse: block traffic to the victim dropped
};

class Adversary : public Participant
{
  public:
    // `follower` configures the honest node it drives and must hold no producer key;
    // `lastSignedSlot` is the last slot its key signed (carried across restarts like an honest
    // node's).
    Adversary(AdversaryConfig config, NodeConfig follower, uint64_t lastSignedSlot);

    const Node& Follower() const { return m_follower; }
    // Peers set while running (dynamic peering): the follower's and the adversary's own.
    void SetPeers(std::vector<PeerId> peers, std::set<PeerId> lightPeers);
    AdversaryKind Kind() const { return m_config.kind; }
    const AdversaryConfig& Config() const { return m_config; }
    const AdversaryCounters& Counters() const { return m_counters; }
    uint64_t LastSignedSlot() const { return m_lastSignedSlot; }
    // The factor its contribution claims inflate what it measured by (1 unless over-claiming
    // inside its window).
    double ClaimScale(TimeNs now) const;
    bool Withholding(TimeNs now) const;
    // A withholder withholding, or an eclipse attacker on a genesis producer feeding its victim
    // a private branch: blocks from outside the coalition are ignored and its blocks go to the
    // coalition only. (A private-branch attacker without a producer key keeps every block from
    // the victim, as a withholding eclipse does, and relays honestly to everyone else.)
    bool KeepsPrivateChain(TimeNs now) const;
    // Tx-spam and flood: what the attack sent (nullptr for other kinds).
    const NetworkAttack* Attack() const { return m_attack ? &*m_attack : nullptr; }
    // Inside its window of misbehaviour.
    bool Active(TimeNs now) const;

  private:
    void OnStart(TimeNs now, Actions& out) override { Handle(now, StartInput{}, out); }
    void OnMessage(TimeNs now, const MessageInput& in, Actions& out) override
    {
        Handle(now, in, out);
    }
    void OnSlot(TimeNs now, Actions& out) override { Handle(now, TimerInput{}, out); }
    void OnSubmit(TimeNs now, const Transaction& tx, Actions& out) override
    {
        Handle(now, SubmitInput{tx}, out);
    }
    // Every input: the release when due, the adversary's own production on a slot, then the
    // follower (whose output is filtered).
    void Handle(TimeNs now, const Input& input, Actions& out);
    // Whether its key has `slot` on the follower's best chain and has not signed it.
    bool OwnsSlot(uint64_t slot) const;
    void Produce(TimeNs now, Actions& out);
    void ProduceEquivocating(TimeNs now, uint64_t slot, Actions& out);
    void ProduceInvalid(TimeNs now, uint64_t slot, Actions& out);
    // Honest assembly (with the censor's exclusions), handed to the follower as if from a peer:
    // it relays it like any block (the withholder's filter keeps it inside the coalition).
    void ProduceThroughFollower(TimeNs now, uint64_t slot, Actions& out);
    void Release(Actions& out);
    // Drops what this adversary does not pass on from the follower's output.
    void Filter(TimeNs now, std::size_t firstSend, Actions& out);
    // Blocks in any gossip mode: whole, in sync batches, announced, compact, or the
    // transactions that complete a compact block.
    bool IsBlockTraffic(MessageType t) const
    {
        return t == MessageType::kBlock || t == MessageType::kBlocks ||
               t == MessageType::kAnnounceBlock || t == MessageType::kCompactBlock ||
               t == MessageType::kBlockTxn;
    }
    Block Assemble(TimeNs now, uint64_t slot, std::vector<Transaction> leading) const;
    void SendTo(PeerId to, MessageType type, const SharedBytes& bytes, Actions& out) const;

    // Network attackers: the attack's bursts on a timer merged with the follower's.
    void HandleNetwork(TimeNs now, const Input& input, Actions& out);
    // Whether the follower should not see this input (the private chain's filter).
    bool Ignores(TimeNs now, const Input& input);
    // The adversary's own timer (the selfish miner's next success tick, the attack's next
    // burst), 0 for none.
    TimeNs OwnTimerAt(TimeNs now);

    // The selfish miner (see the top of this file).
    bool SelfishMining() const;
    void HandleSelfish(TimeNs now, const Input& input, Actions& out);
    // Its next success tick on the follower's best tip (m_mineAt, m_mineSlot), when that changed.
    void PlanMining(TimeNs now);
    // Mines the planned block if the plan still holds.
    void MineSelfish(TimeNs now, Actions& out);
    // The follower's step, its output filtered, then the honest blocks it accepted counted.
    void StepFollower(TimeNs now, const Input& input, Actions& out);
    void CountHonestBlocks(std::size_t firstEvent, Actions& out);
    void ActOn(const SelfishAction& a, Actions& out);
    // Publishes the private blocks [m_publishedCount, through) and forgets the private branch
    // when `reset`.
    void PublishPrivate(std::size_t through, Actions& out);
    // Replaces the follower's timers in out.timers[firstTimer, ...) by the merged one.
    void MergeTimers(TimeNs now, std::size_t firstTimer, Actions& out);
    // Whether the follower's message `s` carries an unpublished block; batches are cut before
    // the first one instead (the message is rewritten in place).
    bool CarriesPrivate(SendAction& s) const;
    // A sync request of the follower's, rewritten to start from the public chain (see the top
    // of this file).
    void UsePublicLocator(SendAction& s) const;

    SelfishMiningStrategy m_selfish;
    std::vector<Hash256> m_private; // its blocks above the fork point, in height order
    std::size_t m_publishedCount = 0;
    std::set<Hash256> m_unpublished;
    uint64_t m_forkHeight = 0;
    uint64_t m_honestHeight = 0; // H: the highest block accepted that is not its own
    Hash256 m_honestTip{};       // the first such block seen at H
    bool m_selfishStarted = false;
    TimeNs m_mineAt = 0; // 0: not planned
    uint64_t m_mineSlot = 0;
    Hash256 m_mineParent{};
    TimeNs m_followerTimerAt = 0;
    TimeNs m_timerAt = 0; // what the merged timer is set for

    AdversaryConfig m_config;
    Node m_follower;
    std::vector<PeerId> m_peers;
    uint64_t m_lastSignedSlot;
    bool m_released = false;
    Rng m_rng;
    AdversaryCounters m_counters;
    std::optional<NetworkAttack> m_attack; // tx-spam, flood
    bool m_genesisProducer = false;        // its key is a genesis producer's
};

// The last slot a participant's key signed (0 for a light participant): what a driver carries
// across a crash and restart.
uint64_t LastSignedSlotOf(const Participant& p);

} // namespace canon

#endif
