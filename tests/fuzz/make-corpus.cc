// Writes the seed corpus of the decoder fuzz targets: valid encodings of every type, which the
// fuzzer then mutates, a few edit programs for the trace reader's target, and framed streams for
// the frame decoder's (a chunking seed byte, then frames: fuzz-frame.cc). Run: make-corpus
// OUTDIR (creates OUTDIR/<target>/seed-N).
#include "model/consensus/equivocation.h"
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
    for (std::size_t i = 0; i < txs.size(); ++i)
    {
        Write(out / "transaction", static_cast<int>(i), txs[i].Encode());
        Write(out / "message", static_cast<int>(i), *EncodeTransactionMessage(txs[i]));
    }
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
    WriteDataSeeds(out, Write);
    return 0;
}
