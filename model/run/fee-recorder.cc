#include "model/run/fee-recorder.h"

namespace canon
{

bool
IsFakeBid(const Transaction& tx, const PublicKey& producer)
{
    if (tx.type != TxType::kTransfer || tx.sender != producer)
    {
        return false;
    }
    auto p = TransferPayload::Decode(tx.payload);
    return p.IsOk() && p.Value().to == AddressOf(producer);
}

FeeRecorder::FeeRecorder(FeeMechanism mechanism, uint32_t blockTxMax, ValuationSpec values,
                         std::function<void(const BidRecord&)> addBid,
                         std::function<void(const ClearingRecord&)> addClearing)
  : m_mechanism(mechanism)
  , m_blockTxMax(blockTxMax)
  , m_values(std::move(values))
  , m_addBid(std::move(addBid))
  , m_addClearing(std::move(addClearing))
{
}

void
FeeRecorder::OnBid(uint32_t node, uint32_t account, const Transaction& tx, double valuation,
                   TimeNs now)
{
    m_bids[tx.Id()] = PendingBid{node, account, valuation, tx.fee, tx.tip, now};
}

void
FeeRecorder::OnProduced(uint32_t node, const BlockEntry& e)
{
    if (m_blocks.count(e.hash) || !e.parent || !e.parent->state)
    {
        return;
    }
    const Block& b = *e.block;
    ClearingRecord r{};
    r.height = b.header.height;
    r.hash = HashPrefix64(e.hash);
    r.producer_node = node;
    r.mechanism = static_cast<uint8_t>(m_mechanism);
    r.price = b.header.feePrice;
    r.base_fee = e.parent->state->Fees().baseFee;
    r.tx_count = static_cast<uint32_t>(b.txs.size());
    r.fullness = static_cast<double>(b.txs.size()) / std::max(1u, m_blockTxMax);
    for (const Transaction& tx : b.txs)
    {
        const auto ch =
            ChargeFor(MechanismFor(tx.type, m_mechanism), tx.fee, tx.tip, r.price, r.base_fee);
        if (!InFeeAuction(tx.type) || !ch)
        {
            continue;
        }
        r.burned += ch->burned;
        const bool fake = IsFakeBid(tx, b.header.producer);
        r.fakes += fake ? 1 : 0;
        r.auctioned += fake ? 0 : 1;
        r.revenue += fake ? 0 : ch->toProducer;
    }
    m_blocks[e.hash] = PendingBlock{r};
}

void
FeeRecorder::OnIrreversible(const BlockEntry& e, TimeNs now)
{
    auto it = m_blocks.find(e.hash);
    if (it == m_blocks.end())
    {
        return;
    }
    ClearingRecord r = it->second.record;
    m_blocks.erase(it);
    r.time = ToSeconds(now);
    m_addClearing(r);
    ++m_totals.blocks;
    m_totals.revenue += r.revenue;
    m_totals.burned += r.burned;
    m_totals.fakes += r.fakes;
    WriteBids(*e.block, r, now);
}

void
FeeRecorder::WriteBids(const Block& block, const ClearingRecord& c, TimeNs now)
{
    for (const Transaction& tx : block.txs)
    {
        if (!InFeeAuction(tx.type))
        {
            continue;
        }
        const Hash256 id = tx.Id();
        BidRecord r{};
        r.time = ToSeconds(now);
        r.tx = HashPrefix64(id);
        r.included = 1;
        r.bid = tx.fee;
        r.tip = tx.tip;
        r.height = c.height;
        const auto ch = ChargeFor(m_mechanism, tx.fee, tx.tip, c.price, c.base_fee);
        r.payment = ch ? ch->paid : 0;
        auto it = m_bids.find(id);
        if (it == m_bids.end())
        {
            r.fake = IsFakeBid(tx, block.header.producer) ? 1 : 0;
            r.node = c.producer_node;
            r.account = kFakeBidAccount;
            m_addBid(r);
            continue;
        }
        const PendingBid& p = it->second;
        r.node = p.node;
        r.account = p.account;
        r.valuation = p.valuation;
        r.wait_s = ToSeconds(block.header.timestamp - p.submitted);
        const double value = Decayed(m_values, p.valuation, std::max(0.0, r.wait_s));
        r.utility = value - static_cast<double>(r.payment);
        m_totals.utility += r.utility;
        m_totals.welfare += value;
        ++m_totals.bids;
        ++m_totals.included;
        m_bids.erase(it);
        m_addBid(r);
    }
}

void
FeeRecorder::OnEnd(TimeNs now)
{
    for (const auto& [id, p] : m_bids)
    {
        BidRecord r{};
        r.time = ToSeconds(now);
        r.tx = HashPrefix64(id);
        r.node = p.node;
        r.account = p.account;
        r.valuation = p.valuation;
        r.bid = p.bid;
        r.tip = p.tip;
        r.wait_s = ToSeconds(now - p.submitted);
        ++m_totals.bids;
        m_addBid(r);
    }
    m_bids.clear();
    m_blocks.clear();
}

std::map<std::string, double>
FeeSummaryFigures(const FeeTotals& t)
{
    const double blocks = static_cast<double>(t.blocks);
    return {{"blocks", blocks},
            {"revenue", static_cast<double>(t.revenue)},
            {"burned", static_cast<double>(t.burned)},
            {"fakes", static_cast<double>(t.fakes)},
            {"included", static_cast<double>(t.included)},
            {"revenue_per_block", t.blocks ? static_cast<double>(t.revenue) / blocks : 0.0},
            {"utility", t.utility},
            {"welfare", t.welfare}};
}

} // namespace canon
