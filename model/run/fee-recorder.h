// The fee auction's part of a run's trace (issue 15): the optional datasets `bids` and
// `clearing` (model/trace/trace-records.h), from the wallets' bids, the blocks as they are
// produced and the blocks as they become irreversible.
//
// A block's clearing (declared price, the base fee of its parent state, revenue, burn, fakes) is
// computed when it is produced, while its parent's state is certainly held, and written when the
// block first becomes irreversible anywhere; with it, a `bids` row for each of its auctioned
// transactions (a wallet's, with the valuation the wallet reported, or a producer's fake bid).
// Blocks never made irreversible are dropped at the end of the run; bids never included are
// written then, with included = 0.
//
// Owned by RunRecorder; bounded by the bids pending and the blocks produced and not yet
// irreversible.
#ifndef CANONSIM_RUN_FEE_RECORDER_H
#define CANONSIM_RUN_FEE_RECORDER_H

#include "model/chain/block-tree.h"
#include "model/fees/bidding.h"
#include "model/trace/trace-records.h"

#include <functional>
#include <map>
#include <string>

namespace canon
{

struct FeeTotals
{
    uint64_t blocks = 0; // irreversible blocks
    uint64_t revenue = 0;
    uint64_t burned = 0;
    uint64_t fakes = 0;
    uint64_t bids = 0;
    uint64_t included = 0;
    double utility = 0;
    double welfare = 0; // decayed valuations of included bids
};

class FeeRecorder
{
  public:
    FeeRecorder(FeeMechanism mechanism, uint32_t blockTxMax, ValuationSpec values,
                std::function<void(const BidRecord&)> addBid,
                std::function<void(const ClearingRecord&)> addClearing);

    void OnBid(uint32_t node, uint32_t account, const Transaction& tx, double valuation,
               TimeNs now);
    void OnProduced(uint32_t node, const BlockEntry& e);
    void OnIrreversible(const BlockEntry& e, TimeNs now);
    void OnEnd(TimeNs now);
    const FeeTotals& Totals() const { return m_totals; }

  private:
    struct PendingBid
    {
        uint32_t node = 0;
        uint32_t account = 0;
        double valuation = 0;
        uint64_t bid = 0;
        uint64_t tip = 0;
        TimeNs submitted = 0;
    };
    struct PendingBlock
    {
        ClearingRecord record{};
    };

    void WriteBids(const Block& block, const ClearingRecord& c, TimeNs now);

    FeeMechanism m_mechanism;
    uint32_t m_blockTxMax;
    ValuationSpec m_values;
    std::function<void(const BidRecord&)> m_addBid;
    std::function<void(const ClearingRecord&)> m_addClearing;
    std::map<Hash256, PendingBid> m_bids;
    std::map<Hash256, PendingBlock> m_blocks;
    FeeTotals m_totals;
};

// The totals as a run summary's figures (RunSummary::features["fees"]), equal to sums over the
// trace: blocks, revenue, burned and fakes over `clearing`; included, utility and welfare over
// the wallets' included `bids` rows. (Bids still pending are written after the summary is made.)
std::map<std::string, double> FeeSummaryFigures(const FeeTotals& t);

// Whether `tx` in a block by `producer` is a fake bid: an auctioned transfer from the producer to
// itself.
bool IsFakeBid(const Transaction& tx, const PublicKey& producer);

} // namespace canon

#endif
