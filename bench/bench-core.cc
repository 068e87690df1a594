// Benchmarks of the protocol core: transaction verification, block application (1,000
// transfers) and encoding. Signature checks are the floor of block application; the goal
// (issue 2) is block application within 1.5x of bare ed25519 verification of the same
// transactions. The memo is off here so every verification is real work.
//
// Run: build/bench/bench-core  (add --benchmark_format=json for the compare step)
#include "model/chain/block-validator.h"
#include "model/consensus/consensus-chain.h"
#include "model/node/messages.h"

#include <benchmark/benchmark.h>

#include <chrono>

namespace canon
{
namespace
{

constexpr int kTransfers = 1000;

struct Fixture
{
    std::shared_ptr<ChainParams> params = std::make_shared<ChainParams>();
    std::vector<KeyPair> accounts;
    KeyPair producer = KeyPair::FromSeed(Blake2b256(std::string("bench/producer")));
    Block block;
    Bytes encoded;

    Fixture()
    {
        params->producers.push_back(producer.Public());
        params->czc.push_back({0, Blake2b256(std::string("czc"))});
        std::vector<Address> investors;
        for (int i = 0; i < 100; ++i)
        {
            accounts.push_back(KeyPair::FromSeed(Blake2b256("bench/account" + std::to_string(i))));
            investors.push_back(accounts.back().GetAddress());
        }
        params->genesis = MakeGenesisAllocation(investors, Hash256{}, Hash256{});
        params->blockTxMax = kTransfers;
        for (int i = 0; i < kTransfers; ++i)
        {
            std::size_t from = static_cast<std::size_t>(i % 100);
            block.txs.push_back(MakeTransfer(accounts[from], static_cast<uint64_t>(i / 100), 10,
                                             params->czc[0].czcHash,
                                             accounts[(from + 1) % 100].GetAddress(), 1000));
        }
        block.header.height = 1;
        block.header.slot = 1;
        block.header.timestamp = params->SlotStart(1);
        block.header.parent = params->GenesisHash();
        block.header.txRoot = block.ComputeTxRoot();
        block.header.SignWith(producer);
        encoded = block.Encode();
    }
};

Fixture&
Get()
{
    static Fixture f;
    return f;
}

void
BM_VerifyTransactionSignature(benchmark::State& state)
{
    SetSignatureMemoEnabled(false);
    Transaction tx = Get().block.txs[0];
    for (auto _ : state)
    {
        Bytes msg = tx.SigningBytes();
        benchmark::DoNotOptimize(
            VerifySignatureUncached(tx.sender, msg.data(), msg.size(), tx.signature));
    }
}
BENCHMARK(BM_VerifyTransactionSignature);

// The floor: bare ed25519 verification of the block's 1,000 transaction signatures.
void
BM_BareVerifyOfBlockTransactions(benchmark::State& state)
{
    const Fixture& f = Get();
    std::vector<Bytes> msgs;
    for (const auto& tx : f.block.txs)
    {
        msgs.push_back(tx.SigningBytes());
    }
    for (auto _ : state)
    {
        for (std::size_t i = 0; i < msgs.size(); ++i)
        {
            benchmark::DoNotOptimize(VerifySignatureUncached(
                f.block.txs[i].sender, msgs[i].data(), msgs[i].size(), f.block.txs[i].signature));
        }
    }
    state.SetItemsProcessed(state.iterations() * kTransfers);
}
BENCHMARK(BM_BareVerifyOfBlockTransactions)->Unit(benchmark::kMillisecond);

// Full block application as a node does it: decode from the wire, validate header, Merkle root,
// every signature (memo off), nonces and balances, and produce the next state.
void
BM_ApplyBlockOf1000Transfers(benchmark::State& state)
{
    SetSignatureMemoEnabled(false);
    Fixture& f = Get();
    for (auto _ : state)
    {
        ConsensusChain chain(f.params);
        auto decoded = Block::Decode(f.encoded);
        auto r = chain.AddBlock(std::make_shared<const Block>(std::move(decoded).Value()),
                                f.encoded.size(), 10 * kSecond);
        if (!r.status.IsOk())
        {
            state.SkipWithError(r.status.ToString().c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * kTransfers);
    SetSignatureMemoEnabled(true);
}
BENCHMARK(BM_ApplyBlockOf1000Transfers)->Unit(benchmark::kMillisecond);

// The ratio itself, measured by alternating the two workloads within one benchmark so that
// machine noise (frequency, the other core's load) hits both alike.
void
BM_ApplyOverBareVerifyRatio(benchmark::State& state)
{
    SetSignatureMemoEnabled(false);
    Fixture& f = Get();
    std::vector<Bytes> msgs;
    for (const auto& tx : f.block.txs)
    {
        msgs.push_back(tx.SigningBytes());
    }
    double bareSeconds = 0, applySeconds = 0;
    for (auto _ : state)
    {
        auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < msgs.size(); ++i)
        {
            benchmark::DoNotOptimize(VerifySignatureUncached(
                f.block.txs[i].sender, msgs[i].data(), msgs[i].size(), f.block.txs[i].signature));
        }
        auto t1 = std::chrono::steady_clock::now();
        ConsensusChain chain(f.params);
        auto decoded = Block::Decode(f.encoded);
        auto r = chain.AddBlock(std::make_shared<const Block>(std::move(decoded).Value()),
                                f.encoded.size(), 10 * kSecond);
        auto t2 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(r.status.IsOk());
        bareSeconds += std::chrono::duration<double>(t1 - t0).count();
        applySeconds += std::chrono::duration<double>(t2 - t1).count();
    }
    state.counters["apply_over_bare"] = applySeconds / bareSeconds;
    SetSignatureMemoEnabled(true);
}
BENCHMARK(BM_ApplyOverBareVerifyRatio)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void
BM_EncodeBlockOf1000Transfers(benchmark::State& state)
{
    const Fixture& f = Get();
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(f.block.Encode());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.encoded.size()));
}
BENCHMARK(BM_EncodeBlockOf1000Transfers);

void
BM_DecodeBlockOf1000Transfers(benchmark::State& state)
{
    const Fixture& f = Get();
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(Block::Decode(f.encoded));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.encoded.size()));
}
BENCHMARK(BM_DecodeBlockOf1000Transfers);

void
BM_EncodeTransactionMessage(benchmark::State& state)
{
    const Transaction& tx = Get().block.txs[0];
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(EncodeTransactionMessage(tx));
    }
}
BENCHMARK(BM_EncodeTransactionMessage);

} // namespace
} // namespace canon

BENCHMARK_MAIN();
