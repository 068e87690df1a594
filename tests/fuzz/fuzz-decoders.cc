// libFuzzer target for every wire decoder and what a node does with a decoded message.
//
// One binary, one target per build: FUZZ_TARGET selects it (see tests/fuzz/CMakeLists.txt).
//   transaction  Transaction::Decode (versions 1 and 2, with a tip), and re-encoding gives the
//                same bytes; a claim, vote or CZR report payload (a cut report's trailer too)
//                decodes to a value that re-encodes to the same bytes
//   block        Block::Decode (header versions 1 to 3, with a fee price), and re-encoding gives
//                the same bytes
//   evidence     EquivocationEvidence::Decode and Verify
//   message      DecodeMessage, then Node::Step with the bytes as a message from a full peer
//                and from a light one, and LightNode::Step with them: a node must turn any
//                input into a value or a traced drop, never a crash
//   channel      DecodeChannelMessage (its re-establish too) and every channel and governance
//                transaction payload (issue 18): the message handled by a channel endpoint, and
//                the bytes applied as each channel and governance transaction type to a ledger
//                holding an open channel
// A decode that succeeds must round-trip: canonical encoding means one value, one encoding.
#include "model/channels/channel-endpoint.h"
#include "model/channels/channel-tx.h"
#include "model/consensus/equivocation.h"
#include "model/node/light-node.h"
#include "model/node/node.h"

#include <cstdlib>
#include <memory>

namespace
{

using namespace canon;

[[maybe_unused]] void
Check(bool ok)
{
    if (!ok)
    {
        std::abort();
    }
}

[[maybe_unused]] std::shared_ptr<ChainParams>
Params()
{
    static std::shared_ptr<ChainParams> p = []
    {
        auto params = std::make_shared<ChainParams>();
        for (uint32_t i = 0; i < 4; ++i)
        {
            params->producers.push_back(DeriveKeyPair(1, "producer", i).Public());
        }
        params->czc.push_back({0, Blake2b256(std::string("czc"))});
        params->genesis = MakeGenesisAllocation({DeriveKeyPair(1, "account", 0).GetAddress()},
                                                Hash256{}, Hash256{});
        return params;
    }();
    return p;
}

// The PoP payloads (claim, vote, CZR report with its cut trailer) round-trip when they decode.
template <typename Payload>
void
CheckRoundTrip(const Bytes& bytes)
{
    if (auto p = Payload::Decode(bytes); p.IsOk())
    {
        Check(p.Value().Encode() == bytes);
    }
}

[[maybe_unused]] void
CheckPopPayload(const Transaction& tx)
{
    switch (tx.type)
    {
        case TxType::kContributionClaim:
            return CheckRoundTrip<ClaimPayload>(tx.payload);
        case TxType::kVote:
            return CheckRoundTrip<VotePayload>(tx.payload);
        case TxType::kCzrReport:
            return CheckRoundTrip<CzrReportPayload>(tx.payload);
        default:
            return;
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const Bytes bytes(data, data + size);
#if FUZZ_TARGET_TRANSACTION
    auto tx = Transaction::Decode(bytes);
    if (tx.IsOk())
    {
        Check(tx.Value().Encode() == bytes);
        CheckPopPayload(tx.Value());
    }
#elif FUZZ_TARGET_BLOCK
    auto block = Block::Decode(bytes);
    if (block.IsOk())
    {
        Check(block.Value().Encode() == bytes);
    }
#elif FUZZ_TARGET_EVIDENCE
    auto ev = EquivocationEvidence::Decode(bytes);
    if (ev.IsOk())
    {
        Check(ev.Value().Encode() == bytes);
        const auto& producers = Params()->producers;
        (void) VerifyEvidence(ev.Value(), std::set<PublicKey>(producers.begin(), producers.end()));
    }
#elif FUZZ_TARGET_MESSAGE
    (void) DecodeMessage(bytes);
    Actions out;
    const auto shared = std::make_shared<const Bytes>(bytes);
    // A full node in each gossip mode: the announce and compact handlers keep fetch state,
    // whose timeouts the second timer step runs.
    for (GossipMode mode : {GossipMode::kPush, GossipMode::kAnnounce, GossipMode::kCompact})
    {
        NodeConfig c;
        c.params = Params();
        c.peers = {1, 2};
        c.lightPeers = {2};
        c.producerKey = DeriveKeyPair(1, "producer", 0);
        c.limits.gossip = mode;
        Node node(c);
        node.Step(0, StartInput{}, out);
        node.Step(5 * kSecond, MessageInput{1, shared}, out);
        node.Step(5 * kSecond, MessageInput{2, shared}, out);
        node.Step(6 * kSecond, TimerInput{TimerKind::kSlot}, out);
        node.Step(6 * kSecond + c.limits.fetchTimeout, TimerInput{TimerKind::kSlot}, out);
    }
    LightNodeConfig lc;
    lc.params = Params();
    lc.peers = {1};
    LightNode light(lc);
    light.Step(0, StartInput{}, out);
    light.Step(5 * kSecond, MessageInput{1, shared}, out);
    light.Step(6 * kSecond, TimerInput{TimerKind::kSlot}, out);
#elif FUZZ_TARGET_CHANNEL
    auto m = DecodeChannelMessage(bytes);
    if (m.IsOk())
    {
        Check(EncodeChannelMessage(m.Value()) == bytes);
        const KeyPair a = DeriveKeyPair(1, "account", 0);
        const KeyPair b = DeriveKeyPair(1, "account", 1);
        ChannelEndpoint end(ChannelEndpointConfig{a, b.Public(), true, ChannelId{}, 10, 10, 4});
        (void) end.Handle(m.Value(), 0);
        Check(end.Latest().state.balanceA + end.Latest().state.balanceB <= 20);
    }
    static LedgerState ledger = []
    {
        LedgerState s = LedgerState::FromGenesis(*Params());
        const KeyPair a = DeriveKeyPair(1, "account", 0);
        TxContext ctx;
        ctx.activeCzc = Params()->czc.front().czcHash;
        Check(s.ApplyTransaction(MakeChannelOpenTx(TxSender{&a, 0, 1, ctx.activeCzc},
                                                   DeriveKeyPair(1, "producer", 0), 10, 0, kSecond),
                                 ctx)
                  .IsOk());
        return s;
    }();
    for (TxType type : {TxType::kChannelOpen, TxType::kChannelCoopClose, TxType::kChannelClose,
                        TxType::kChannelChallenge, TxType::kChannelHtlcClaim,
                        TxType::kChannelSettle, TxType::kGovProposal, TxType::kGovVote,
                        TxType::kGovTestReport, TxType::kGovUpgradeSignal, TxType::kGovFreeze})
    {
        Transaction tx;
        tx.type = type;
        tx.sender = DeriveKeyPair(1, "account", 0).Public();
        tx.nonce = 1;
        tx.czcHash = Params()->czc.front().czcHash;
        tx.payload = bytes;
        LedgerState copy = ledger;
        TxContext ctx;
        ctx.activeCzc = tx.czcHash;
        (void) copy.ApplyTransaction(tx, ctx);
        Check(copy.TotalSupply() == kTotalSupply);
    }
#else
#error "define one FUZZ_TARGET_*"
#endif
    return 0;
}
