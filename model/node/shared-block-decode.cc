#include "model/node/shared-block-decode.h"

#include "model/core/intern-table.h"

namespace canon
{

namespace
{

// One interned block: the decoded value and the bytes it came from (the table's key).
class DecodedBlock
{
  public:
    DecodedBlock(Block block, const uint8_t* data, std::size_t size)
      : m_block(std::make_shared<const Block>(std::move(block)))
      , m_encoding(data, data + size)
    {
    }

    const std::shared_ptr<const Block>& Value() const { return m_block; }
    const Bytes& Encoding() const { return m_encoding; }

  private:
    std::shared_ptr<const Block> m_block;
    Bytes m_encoding;
};

InternTable<DecodedBlock>&
Table()
{
    static InternTable<DecodedBlock> table(kSharedDecodedBlocksMax, kSharedDecodedBlockBytesMax);
    return table;
}

} // namespace

Result<BlockPtr>
DecodeSharedBlock(const uint8_t* data, std::size_t size)
{
    if (auto known = Table().Find(EncodingView(data, size)))
    {
        return known->Value();
    }
    auto block = Block::Decode(data, size);
    if (!block.IsOk())
    {
        return block.GetStatus();
    }
    return Table()
        .Remember(std::make_shared<const DecodedBlock>(std::move(block).Value(), data, size))
        ->Value();
}

void
SetSharedBlockDecodingEnabled(bool enabled)
{
    Table().SetEnabled(enabled);
}

void
ClearSharedBlockDecoding()
{
    Table().Clear();
}

MemoStats
GetSharedBlockDecodingStats()
{
    return Table().Stats();
}

} // namespace canon
