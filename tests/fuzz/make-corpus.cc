// Writes the seed corpus of the decoder fuzz targets: valid encodings of every type, which the
// fuzzer then mutates, a few edit programs for the trace reader's target, and framed streams for
// the frame decoder's (a chunking seed byte, then frames: fuzz-frame.cc). Run: make-corpus
// OUTDIR (creates OUTDIR/<target>/seed-N).
#include "model/channels/channel-endpoint.h"
#include "model/channels/channel-tx.h"
#include "model/consensus/equivocation.h"
#include "model/contracts/callback-message.h"
#include "model/governance/governance.h"
#include "model/node/compact-block.h"
#include "model/node/frame-codec.h"
#include "model/node/messages.h"
#include "tests/fuzz/data-seeds.h"

#include <filesystem>
#include <fstream>

using namespace canon;

namespace
{

void
Write(const std::filesystem::path& dir, int n, const Bytes& b)
{
    std::filesystem::create_directories(dir);
    std::ofstream(dir / ("seed-" + std::to_string(n)), std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// The channel target (issue 18): the four off-chain messages of real updates, the payload of
// every channel and governance transaction (the target also applies its bytes as payloads), and
// a re-establish.
void
WriteChannelSeeds(const std::filesystem::path& dir, const KeyPair& a, const KeyPair& b)
{
    const ChannelId id = ChannelIdFor(a.Public(), 0);
    ChannelEndpoint ea({a, b.Public(), true, id, 10, 10, 0});
    ChannelEndpoint eb({b, a.Public(), false, id, 10, 10, 0});
    std::vector<Bytes> seeds;
    auto propose =
        ea.ProposeAdd(Blake2b256(std::string("h")), 3, kSecond, {ForwardHop{2, id, 2, kSecond}});
    seeds.push_back(EncodeChannelMessage(propose.Value()));
    ChannelStep accepted = eb.Handle(propose.Value(), 0);
    seeds.push_back(EncodeChannelMessage(*accepted.reply));
    seeds.push_back(EncodeChannelMessage(*ea.Handle(*accepted.reply, 0).reply));
    seeds.push_back(EncodeChannelMessage(ChannelReject{id, 2, "busy"}));
    const TxSender s{&a, 0, 1, Hash256{}};
    seeds.push_back(MakeChannelOpenTx(s, b, 10, 0, kSecond).payload);
    seeds.push_back(MakeChannelCloseTx(s, eb.Latest(), false).payload);
    seeds.push_back(MakeChannelChallengeTx(s, {id, ea.PeerRevocation(), eb.Latest()}).payload);
    seeds.push_back(MakeChannelHtlcClaimTx(s, id, Hash256{}).payload);
    seeds.push_back(ProposalPayload{GovParam::kUpgrade, 2, Hash256{}}.Encode());
    seeds.push_back(GovVotePayload{id, true}.Encode());
    seeds.push_back(EncodeChannelMessage(ea.MakeReestablish(false)));
    for (std::size_t i = 0; i < seeds.size(); ++i)
    {
        Write(dir, static_cast<int>(i), seeds[i]);
    }
}

} // namespace

int
main(int argc, char** argv)
{
    if (argc != 2)
    {
        return 2;
    }
    const std::filesystem::path out = argv[1];
    const KeyPair a = DeriveKeyPair(1, "account", 0), p = DeriveKeyPair(1, "producer", 0);
    const Hash256 czc = Blake2b256(std::string("czc"));
    std::vector<Transaction> txs = {MakeTransfer(a, 0, 5, czc, p.GetAddress(), 100)};
    ClaimPayload claim;
    claim.score = 1000;
    txs.push_back(MakeTransaction(p, TxType::kContributionClaim, 0, 1, czc, claim.Encode()));
    VotePayload vote;
    vote.candidates = {p.GetAddress()};
    txs.push_back(MakeTransaction(a, TxType::kVote, 1, 1, czc, vote.Encode()));
    CzrReportPayload report;
    report.entries.push_back({p.GetAddress(), 1, 2, 3, 0, 1});
    txs.push_back(MakeTransaction(a, TxType::kCzrReport, 2, 1, czc, report.Encode()));
    report.unnamedCount = 3; // a cut report (model/czr/report-cut.h)
    report.unnamedTotal = 12;
    txs.push_back(MakeTransaction(a, TxType::kCzrReport, 3, 1, czc, report.Encode()));
    for (std::size_t i = 0; i < txs.size(); ++i)
    {
        Write(out / "transaction", static_cast<int>(i), txs[i].Encode());
        Write(out / "message", static_cast<int>(i), *EncodeTransactionMessage(txs[i]));
    }
    // Issue 15: a version 2 transaction (with an EIP-1559 tip) and a version 3 header (with a
    // declared fee price), numbered after the issue so other seeds keep their names.
    Transaction tipped = MakeTransfer(a, 3, 50, czc, p.GetAddress(), 100);
    tipped.tip = 7;
    tipped.SignWith(a);
    Write(out / "transaction", 15, tipped.Encode());
    Write(out / "message", 150, *EncodeTransactionMessage(tipped));
    Block priced;
    priced.header.height = 1;
    priced.header.slot = 1;
    priced.header.feePrice = 9;
    priced.txs = {tipped};
    priced.header.txRoot = priced.ComputeTxRoot();
    priced.header.SignWith(p);
    Write(out / "block", 15, priced.Encode());
    Write(out / "message", 151, *EncodeBlockMessage(priced));
    Block block;
    block.header.height = 1;
    block.header.slot = 1;
    block.txs = txs;
    block.header.txRoot = block.ComputeTxRoot();
    block.header.SignWith(p);
    Write(out / "block", 0, block.Encode());
    Write(out / "message", 10, *EncodeBlockMessage(block));
    auto shared = std::make_shared<const Block>(block);
    Write(out / "message", 11, *EncodeBlocksMessage({shared, shared}));
    GetBlocksMessage g;
    g.locator = {block.Hash(), Hash256{}};
    Write(out / "message", 12, *EncodeGetBlocksMessage(g));
    EquivocationEvidence ev{block.header, block.header};
    ev.second.slot = 2;
    Write(out / "evidence", 0, ev.Encode());
    Write(out / "message", 13, *EncodeEvidenceMessage(ev));
    // The light participants' messages (light-node.h).
    Write(out / "message", 14, *EncodeHeaderMessage(block.header));
    Write(out / "message", 15, *EncodeHeadersMessage({block.header, block.header}));
    GetHeadersMessage gh;
    gh.locator = g.locator;
    Write(out / "message", 16, *EncodeGetHeadersMessage(gh));
    GetProofMessage gp;
    gp.txIds = {txs[0].Id(), txs[1].Id()};
    Write(out / "message", 17, *EncodeGetProofMessage(gp));
    std::vector<Hash256> ids;
    for (const Transaction& tx : txs)
    {
        ids.push_back(tx.Id());
    }
    TxProof proof;
    proof.txId = ids[1];
    proof.found = true;
    proof.header = block.header;
    proof.index = 1;
    proof.leafCount = static_cast<uint32_t>(ids.size());
    proof.branch = MerkleBranch(ids, 1);
    ProofMessage pm;
    pm.proofs = {proof, TxProof{}};
    Write(out / "message", 18, *EncodeProofMessage(pm));
    // The announce and compact gossip messages (node.h, compact-block.h).
    Write(out / "message", 19, *EncodeAnnounceBlockMessage(block.header));
    Write(out / "message", 20, *EncodeGetBlockMessage({block.Hash()}));
    Write(out / "message", 21, *EncodeTxIdsMessage(MessageType::kAnnounceTxs, {ids}));
    Write(out / "message", 22, *EncodeTxIdsMessage(MessageType::kGetTxs, {{ids[0]}}));
    Write(out / "message", 23, *EncodeTxsMessage({&txs[0], &txs[2]}));
    if (auto compact = MakeCompactBlock(block, 7))
    {
        compact->prefilled.push_back({1, txs[1]}); // one in full, the others by short id
        compact->shortIds.erase(compact->shortIds.begin() + 1);
        Write(out / "message", 24, *EncodeCompactBlockMessage(*compact));
    }
    Write(out / "message", 25, *EncodeGetBlockTxnMessage({block.Hash(), {0, 2, 3}}));
    Write(out / "message", 26, *EncodeBlockTxnMessage(block.Hash(), {&txs[0], &txs[3]}));
    // Headers with the rule epochs of their chain (T and N adopted by governance).
    RuleEpoch epoch;
    epoch.fromSlot = 21;
    epoch.fromTime = 21 * kSecond;
    epoch.slotDuration = kSecond / 2;
    epoch.producers = 15;
    const RuleEpochs epochs = std::make_shared<const std::vector<RuleEpoch>>(1, epoch);
    Write(out / "message", 27, *EncodeHeaderMessage(block.header, epochs));
    Write(out / "message", 28, *EncodeHeadersMessage({block.header}, epochs));
    // The trace target's inputs are edit programs (fuzz-trace.cc): a few short ones to start.
    Write(out / "trace", 0, Bytes{0, 0, 1, 0});
    Write(out / "trace", 1, Bytes{1, 4, 1, 3, 10, 1});
    Write(out / "trace", 2, Bytes{0, 7, 2, 1, 5, 'a', 'b', 'c', 'd', 'e'});
    // The frame target's inputs (fuzz-frame.cc): a chunking seed, then a stream of frames.
    auto stream = [](uint8_t seed, const std::vector<Bytes>& messages)
    {
        Bytes s{seed};
        for (const Bytes& m : messages)
        {
            const Bytes f = EncodeFrame(m);
            s.insert(s.end(), f.begin(), f.end());
        }
        return s;
    };
    const Bytes block0 = *EncodeBlockMessage(block), tx0 = *EncodeTransactionMessage(txs[0]);
    Write(out / "frame", 0, stream(7, {tx0}));
    Write(out / "frame", 1, stream(3, {tx0, Bytes{}, block0, *EncodeGetBlocksMessage(g)}));
    Bytes truncated = stream(1, {block0});
    truncated.resize(truncated.size() / 2);
    Write(out / "frame", 2, truncated);
    Bytes oversize = stream(5, {tx0});
    const Bytes bad = {0x01, 0x00, 0x80, 0x01}; // 0x01800001: over kFrameBytesMax
    oversize.insert(oversize.end(), bad.begin(), bad.end());
    Write(out / "frame", 3, oversize);
    // Contracts: a callback message, and Lua code behind a gas-selector byte.
    CallbackMessage cb{Blake2b256(std::string("reg")), a.GetAddress(), p.GetAddress(), czc, 9, 1000,
                       ContractValue::Str("alarm")};
    Write(out / "callback", 0, cb.Encode());
    const char* programs[] = {
        "return { run = function(n, s) chain.set(s, n) return n * 2 end }",
        "local M = {} function M.run(n) local t = {} for i = 1, n do t['k' .. i] = i end "
        "local s = 0 for k, v in pairs(t) do s = s + v end chain.emit('sum', s) return s end "
        "return M",
        "return { run = function() return pcall(function() while true do end end) end }"};
    int n = 0;
    for (const char* code : programs)
    {
        Bytes b{40};
        b.insert(b.end(), code, code + std::char_traits<char>::length(code));
        Write(out / "vm", n++, b);
    }
    WriteChannelSeeds(out / "channel", a, p);
    WriteDataSeeds(out, Write);
    return 0;
}
