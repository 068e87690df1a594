#include "model/consensus/baselines/poi-state.h"

#include "model/chain/evidence.h"
#include "model/consensus/baselines/poi-harvest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace canon
{

namespace
{

__extension__ typedef unsigned __int128 Uint128;

// NIS WeightedBalanceDecayConstants.DECAY_BASE: outlinks lose a tenth per day of age.
constexpr double kOutlinkDecayPerDay = 0.9;

const Address&
Pool()
{
    static const Address pool = PopPoolAddress();
    return pool;
}

// NIS OutlinkObserver: only the vested share of what is sent counts.
uint64_t
LinkWeight(const PoiBalance& sender, uint64_t amount)
{
    if (sender.unvested == 0)
    {
        return amount;
    }
    return static_cast<uint64_t>(Uint128{amount} * sender.vested / sender.Total());
}

// Replays one block's value movements onto a copy of its parent's accounts.
class BlockReplay
{
  public:
    BlockReplay(const PoiAccounts& parent, uint64_t height, const Address& producer,
                const PoiRules& rules)
      : m_accounts(parent)
      , m_height(height)
      , m_producer(producer)
      , m_rules(rules)
    {
        m_touched.insert(producer);
    }

    void Replay(const Transaction& tx)
    {
        const Address sender = tx.SenderAddress();
        m_touched.insert(sender);
        if (tx.type == TxType::kTransfer)
        {
            auto payload = TransferPayload::Decode(tx.payload);
            CANON_ASSERT(payload.IsOk(), "a transfer in a valid block does not decode");
            Transfer(sender, payload.Value().to, payload.Value().amount);
        }
        else if (tx.type == TxType::kEvidence)
        {
            auto evidence = EquivocationEvidence::Decode(tx.payload);
            CANON_ASSERT(evidence.IsOk(), "evidence in a valid block does not decode");
            m_touched.insert(AddressOf(evidence.Value().first.producer));
        }
        Send(sender, tx.fee);
        Receive(m_producer, tx.fee);
    }

    // Moves every touched account to its ledger balance (the reward, slashing) and attaches
    // this block's outlinks.
    PoiAccounts Finish(const LedgerState& ledger)
    {
        for (const Address& a : m_touched)
        {
            const PoiAccount* known = m_accounts.Find(a);
            const uint64_t have = known ? known->balance.Total() : 0;
            const uint64_t want = ledger.BalanceOf(a);
            if (a != Pool() && want != have)
            {
                m_accounts[a].balance.MoveTo(m_height, want, m_rules.blocksPerDay);
            }
        }
        for (auto& [sender, links] : m_links)
        {
            PoiAccount& account = m_accounts[sender];
            auto chunk = std::make_shared<PoiOutlinkChunk>();
            chunk->height = m_height;
            chunk->links = std::move(links);
            chunk->older = account.outlinks;
            account.outlinks = std::move(chunk);
        }
        return m_accounts;
    }

  private:
    void Transfer(const Address& from, const Address& to, uint64_t amount)
    {
        m_touched.insert(to);
        const PoiAccount* sender = m_accounts.Find(from);
        if (to != from && amount > 0 && sender)
        {
            const uint64_t weight =
                LinkWeight(sender->balance.At(m_height, m_rules.blocksPerDay), amount);
            m_links[from].emplace_back(to, weight);
        }
        Send(from, amount);
        Receive(to, amount);
    }

    void Send(const Address& a, uint64_t amount)
    {
        if (a == Pool() || amount == 0)
        {
            return;
        }
        PoiBalance& b = m_accounts[a].balance;
        // Value the mirror learns of only at the block's end (an evidence reward spent in the
        // same block) is received first.
        if (amount > b.Total())
        {
            b.Receive(m_height, amount - b.Total(), m_rules.blocksPerDay);
        }
        b.Send(m_height, amount, m_rules.blocksPerDay);
    }

    void Receive(const Address& a, uint64_t amount)
    {
        if (a != Pool() && amount > 0)
        {
            m_accounts[a].balance.Receive(m_height, amount, m_rules.blocksPerDay);
        }
    }

    PoiAccounts m_accounts;
    const uint64_t m_height;
    const Address m_producer;
    const PoiRules& m_rules;
    std::set<Address> m_touched;
    std::map<Address, std::vector<std::pair<Address, uint64_t>>> m_links;
};

// The chunks of `chain` at or above `keepFrom`, copied into a new chain (newest first).
PoiOutlinks
CopyChunksFrom(const PoiOutlinks& chain, uint64_t keepFrom)
{
    std::vector<const PoiOutlinkChunk*> kept;
    for (const PoiOutlinkChunk* c = chain.get(); c && c->height >= keepFrom; c = c->older.get())
    {
        kept.push_back(c);
    }
    PoiOutlinks copy;
    for (auto it = kept.rbegin(); it != kept.rend(); ++it)
    {
        auto chunk = std::make_shared<PoiOutlinkChunk>();
        chunk->height = (*it)->height;
        chunk->links = (*it)->links;
        chunk->older = std::move(copy);
        copy = std::move(chunk);
    }
    return copy;
}

// The oldest chunk's height, or nothing.
std::optional<uint64_t>
OldestChunk(const PoiOutlinks& chain)
{
    const PoiOutlinkChunk* c = chain.get();
    for (; c && c->older; c = c->older.get())
    {
    }
    return c ? std::optional<uint64_t>(c->height) : std::nullopt;
}

// Drops outlinks older than the window plus a day (NIS keeps the extra day for rollbacks).
void
PruneOutlinks(PoiAccounts& accounts, uint64_t height, const PoiRules& rules)
{
    const uint64_t history = rules.outlinkWindowBlocks + rules.blocksPerDay;
    if (height <= history)
    {
        return;
    }
    const uint64_t keepFrom = height - history;
    std::vector<Address> stale;
    for (const auto& [address, account] : accounts)
    {
        const auto oldest = OldestChunk(account.outlinks);
        if (oldest && *oldest < keepFrom)
        {
            stale.push_back(address);
        }
    }
    for (const Address& a : stale)
    {
        PoiAccount& account = accounts[a];
        account.outlinks = CopyChunksFrom(account.outlinks, keepFrom);
    }
}

// The mirror of the ledger's balances is exact at every block; checked where it matters most.
void
CheckMirror(const PoiAccounts& accounts, const LedgerState& ledger)
{
    for (const auto& [address, account] : accounts)
    {
        CANON_ASSERT(account.balance.Total() == ledger.BalanceOf(address),
                     "PoI vesting mirror out of step with the ledger");
    }
}

std::vector<PoiBlockTime>
DifficultyWindow(const BlockEntry& entry, uint64_t ownDifficulty)
{
    std::vector<PoiBlockTime> window{{ownDifficulty, entry.block->header.slot}};
    for (const BlockEntry* e = entry.parent; e && window.size() < kPoiDifficultyWindow;
         e = e->parent)
    {
        window.push_back({PoiStateOf(*e).difficulty, e->block->header.slot});
    }
    std::reverse(window.begin(), window.end());
    return window;
}

} // namespace

PoiOutlinkChunk::~PoiOutlinkChunk()
{
    // Unlink chunks only this one holds, one at a time, instead of recursively.
    std::shared_ptr<const PoiOutlinkChunk> next = std::move(older);
    while (next && next.use_count() == 1)
    {
        std::shared_ptr<const PoiOutlinkChunk> after =
            std::move(const_cast<PoiOutlinkChunk&>(*next).older);
        next = std::move(after);
    }
}

uint64_t
PoiImportanceTable::EffectiveOf(const Address& a) const
{
    const auto it = std::lower_bound(accounts.begin(), accounts.end(), a);
    return it != accounts.end() && *it == a
               ? effective[static_cast<std::size_t>(it - accounts.begin())]
               : 0;
}

double
PoiImportanceTable::ImportanceOf(const Address& a) const
{
    const auto it = std::lower_bound(accounts.begin(), accounts.end(), a);
    return it != accounts.end() && *it == a
               ? importance[static_cast<std::size_t>(it - accounts.begin())]
               : 0.0;
}

const PoiState&
PoiStateOf(const BlockEntry& entry)
{
    const auto* s = dynamic_cast<const PoiState*>(entry.consensus.get());
    CANON_ASSERT(s != nullptr, "a block on a PoI chain has no PoI state");
    return *s;
}

PoiGraph
PoiGraphAt(const PoiAccounts& accounts, uint64_t height, const PoiRules& rules,
           std::vector<Address>& eligible)
{
    PoiGraph g;
    g.accountsConsidered = accounts.size();
    std::vector<const PoiAccount*> senders;
    for (const auto& [address, account] : accounts)
    {
        const uint64_t vested = account.balance.At(height, rules.blocksPerDay).vested;
        if (vested >= rules.vestedMin)
        {
            eligible.push_back(address);
            senders.push_back(&account);
            g.vested.push_back(static_cast<double>(vested));
        }
    }
    const uint64_t from =
        height > rules.outlinkWindowBlocks ? height - rules.outlinkWindowBlocks : 0;
    for (uint32_t i = 0; i < senders.size(); ++i)
    {
        for (const PoiOutlinkChunk* c = senders[i]->outlinks.get(); c && c->height >= from;
             c = c->older.get())
        {
            const double decay =
                std::pow(kOutlinkDecayPerDay,
                         static_cast<double>((height - c->height) / rules.blocksPerDay));
            for (const auto& [to, amount] : c->links)
            {
                const auto it = std::lower_bound(eligible.begin(), eligible.end(), to);
                const uint32_t j = it != eligible.end() && *it == to
                                       ? static_cast<uint32_t>(it - eligible.begin())
                                       : kPoiOutside;
                g.links.push_back({i, j, static_cast<double>(amount) * decay});
            }
        }
    }
    return g;
}

std::shared_ptr<const PoiImportanceTable>
ComputePoiImportances(const PoiAccounts& accounts, uint64_t height, const PoiRules& rules)
{
    auto t = std::make_shared<PoiImportanceTable>();
    t->height = height;
    const PoiGraph g = PoiGraphAt(accounts, height, rules, t->accounts);
    PoiImportanceResult r = ComputePoiImportance(g, rules.importance);
    t->accountsConsidered = g.accountsConsidered;
    t->iterations = r.iterations;
    for (double x : r.importance)
    {
        t->effective.push_back(static_cast<uint64_t>(x * static_cast<double>(rules.supplyWhole)));
    }
    t->importance = std::move(r.importance);
    t->pageRank = std::move(r.pageRank);
    return t;
}

PoiStatePtr
MakePoiGenesisState(const ChainParams& params, const PoiRules& rules)
{
    auto s = std::make_shared<PoiState>();
    for (const GenesisAccount& g : params.genesis)
    {
        if (g.address != Pool())
        {
            PoiBalance& b = s->accounts[g.address].balance;
            b = PoiBalance::Vested(b.Total() + g.amount, 0);
        }
    }
    s->importances = ComputePoiImportances(s->accounts, 0, rules);
    s->generationHash = PoiGenesisGenerationHash(params.GenesisHash());
    s->difficulty = rules.initialDifficulty;
    s->nextDifficulty = rules.initialDifficulty;
    return s;
}

PoiStatePtr
ApplyPoiBlock(const BlockEntry& entry, const LedgerState& ledger, const PoiRules& rules)
{
    CANON_ASSERT(entry.parent && entry.block, "a PoI block needs its parent and body");
    const PoiState& parent = PoiStateOf(*entry.parent);
    const BlockHeader& header = entry.block->header;
    auto s = std::make_shared<PoiState>();
    BlockReplay replay(parent.accounts, entry.height, AddressOf(header.producer), rules);
    for (const Transaction& tx : entry.block->txs)
    {
        replay.Replay(tx);
    }
    s->accounts = replay.Finish(ledger);
    s->importances = parent.importances;
    if (entry.height % rules.recomputeBlocks == 0)
    {
        CheckMirror(s->accounts, ledger);
        PruneOutlinks(s->accounts, entry.height, rules);
        s->importances = ComputePoiImportances(s->accounts, entry.height, rules);
    }
    const uint64_t parentSlot = entry.parent->block->header.slot;
    CANON_ASSERT(header.slot > parentSlot, "a PoI block's slot must follow its parent's");
    s->generationHash = PoiGenerationHash(parent.generationHash, header.producer);
    s->difficulty = parent.nextDifficulty;
    const uint64_t blockScore = PoiBlockScore(s->difficulty, header.slot - parentSlot);
    s->score = parent.score + blockScore;
    s->nextDifficulty = PoiNextDifficulty(DifficultyWindow(entry, s->difficulty), rules);
    return s;
}

} // namespace canon
