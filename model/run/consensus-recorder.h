// ConsensusRecorder: the trace's protocol-specific datasets (issue 14; trace-records.h schema 6).
// RunRecorder hands it every block a node accepts or produces; it writes, the first time the run
// sees a block, what the block's protocol state says (DPoS: header state and schedule changes;
// PoS: the leaders of the slots its parent's chain decides; PoI: a recomputed importance table),
// and at the end judges every block seen against the reference node's final chain (block_fates,
// model/chain/block-fate.h).
//
// State: one BlockInfo per distinct block of the run (about 120 bytes, with the hash index), the
// hashes already described, and per PoS parent the last slot judged; all bounded by the blocks
// the run made. Nothing is kept without a writer (the property harness records no trace).
// Single-threaded, owned by RunRecorder; reads node chains through the host, never writes them.
#ifndef CANONSIM_RUN_CONSENSUS_RECORDER_H
#define CANONSIM_RUN_CONSENSUS_RECORDER_H

#include "model/consensus/consensus-chain.h"
#include "model/run/genesis.h"
#include "model/trace/trace-writer.h"

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace canon
{

class ConsensusRecorder
{
  public:
    ConsensusRecorder(TraceWriter* writer, const RunGenesis& genesis);

    // A node accepted (or produced) `entry`, a block of `chain`, at `time` seconds.
    void OnBlock(const ConsensusChain& chain, const BlockEntry& entry, double time);
    // Writes block_fates against `reference`, the reference node's chain. Call once.
    void RecordEnd(const ConsensusChain& reference);

  private:
    struct BlockInfo
    {
        Hash256 hash{};
        Hash256 parent{};
        uint64_t height = 0;
        uint64_t slot = 0;
        uint32_t node = UINT32_MAX;
        uint32_t reached = 0;
        double firstSeen = 0;
    };

    void Describe(const ConsensusChain& chain, const BlockEntry& entry, double time);
    void DescribeDpos(const BlockEntry& entry, double time);
    void DescribePos(const ConsensusChain& chain, const BlockEntry& entry);
    void DescribePoi(const BlockEntry& entry, double time);
    // Height -> hash along the parent links seen, from `tip` down to the first block.
    std::unordered_map<uint64_t, Hash256> MainChain(const Hash256& tip) const;
    uint32_t NodeOf(const PublicKey& key) const;
    template <typename Record>
    void Add(const Record& r)
    {
        m_writer->Add(r);
    }

    TraceWriter* m_writer;
    const RunGenesis& m_genesis;
    std::unordered_map<Address, uint32_t, Hash256Hasher> m_nodeOfAddress;
    std::vector<BlockInfo> m_blocks; // in first-seen order: a parent before its children
    std::unordered_map<Hash256, std::size_t, Hash256Hasher> m_index;
    std::unordered_set<Hash256, Hash256Hasher> m_described;           // genesis included
    std::unordered_map<Hash256, uint64_t, Hash256Hasher> m_posJudged; // parent -> last slot
};

} // namespace canon

#endif
