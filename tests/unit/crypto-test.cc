#include "model/chain/merkle.h"
#include "model/chain/transaction.h"
#include "model/core/rng.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

TEST(Crypto, Blake2b256MatchesTheReferenceVectorForTheEmptyString)
{
    // BLAKE2b-256("") from the BLAKE2 reference implementation.
    EXPECT_EQ(ToHex(Blake2b256(nullptr, 0)),
              "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(Crypto, KeysFromOneSeedAreIdentical)
{
    EXPECT_EQ(test::Key("x").Public(), test::Key("x").Public());
    EXPECT_NE(test::Key("x").Public(), test::Key("y").Public());
    EXPECT_EQ(test::Key("x").GetAddress(), Blake2b256(test::Key("x").Public().data(), 32));
}

TEST(Crypto, ForgedTransactionSignatureIsRejected)
{
    Transaction tx =
        MakeTransfer(test::Key("alice"), 0, 1, Hash256{}, test::Key("bob").GetAddress(), 5);
    EXPECT_TRUE(tx.HasValidSignature());
    Transaction changed = tx;
    changed.payload = TransferPayload{test::Key("mallory").GetAddress(), 5}.Encode();
    EXPECT_FALSE(changed.HasValidSignature()) << "payload changed after signing";
    Transaction stolen = tx;
    stolen.sender = test::Key("carol").Public();
    EXPECT_FALSE(stolen.HasValidSignature()) << "sender swapped";
    Transaction garbled = tx;
    garbled.signature[10] ^= 1;
    EXPECT_FALSE(garbled.HasValidSignature()) << "signature bit flipped";
}

TEST(Crypto, SignatureMemoGivesTheSameAnswersAsRealVerification)
{
    Transaction tx =
        MakeTransfer(test::Key("alice"), 0, 1, Hash256{}, test::Key("bob").GetAddress(), 5);
    Bytes msg = tx.SigningBytes();
    Signature bad = tx.signature;
    bad[0] ^= 0x80;
    for (int round = 0; round < 2; ++round) // second round answers from the memo
    {
        EXPECT_TRUE(VerifySignature(tx.sender, msg, tx.signature));
        EXPECT_FALSE(VerifySignature(tx.sender, msg, bad));
    }
    EXPECT_TRUE(VerifySignatureUncached(tx.sender, msg.data(), msg.size(), tx.signature));
}

TEST(Crypto, MerkleRootDependsOnOrderAndDoesNotCollideOnDuplicatedLastLeaf)
{
    Hash256 a = Blake2b256(std::string("a")), b = Blake2b256(std::string("b")),
            c = Blake2b256(std::string("c"));
    EXPECT_NE(MerkleRoot({a, b}), MerkleRoot({b, a}));
    EXPECT_NE(MerkleRoot({a, b, c}), MerkleRoot({a, b, c, c}));
    EXPECT_NE(MerkleRoot({a}), a);
}

TEST(Crypto, MerkleBranchVerifiesEveryLeafOfTreesOfOneToFortyLeaves)
{
    for (uint32_t n = 1; n <= 40; ++n)
    {
        std::vector<Hash256> leaves;
        for (uint32_t i = 0; i < n; ++i)
        {
            leaves.push_back(Blake2b256("leaf " + std::to_string(i)));
        }
        const Hash256 root = MerkleRoot(leaves);
        for (uint32_t i = 0; i < n; ++i)
        {
            const std::vector<Hash256> branch = MerkleBranch(leaves, i);
            EXPECT_LE(branch.size(), kMerkleBranchMax);
            EXPECT_TRUE(VerifyMerkleBranch(leaves[i], i, n, branch, root))
                << "leaf " << i << " of " << n;
        }
    }
}

TEST(Crypto, MerkleBranchFailsForAWrongLeafIndexCountRootOrBranch)
{
    for (uint32_t n = 1; n <= 40; ++n)
    {
        std::vector<Hash256> leaves;
        for (uint32_t i = 0; i < n; ++i)
        {
            leaves.push_back(Blake2b256("leaf " + std::to_string(i)));
        }
        const Hash256 root = MerkleRoot(leaves);
        const Hash256 stranger = Blake2b256(std::string("not a leaf"));
        for (uint32_t i = 0; i < n; ++i)
        {
            const std::vector<Hash256> branch = MerkleBranch(leaves, i);
            EXPECT_FALSE(VerifyMerkleBranch(stranger, i, n, branch, root));
            EXPECT_FALSE(VerifyMerkleBranch(leaves[i], i, n, branch, stranger));
            EXPECT_FALSE(VerifyMerkleBranch(leaves[i], n, n, branch, root)) << "index past end";
            for (uint32_t j = 0; j < n; ++j)
            {
                if (j != i)
                {
                    EXPECT_FALSE(VerifyMerkleBranch(leaves[i], j, n, branch, root))
                        << "leaf " << i << " claimed at " << j << " of " << n;
                }
            }
            if (n > 1)
            {
                std::vector<Hash256> bent = branch;
                bent[0][0] ^= 1;
                EXPECT_FALSE(VerifyMerkleBranch(leaves[i], i, n, bent, root));
                std::vector<Hash256> longer = branch;
                longer.push_back(stranger);
                EXPECT_FALSE(VerifyMerkleBranch(leaves[i], i, n, longer, root));
            }
        }
    }
    // The root of one leaf is not the leaf: a bare leaf is no proof of itself.
    const Hash256 a = Blake2b256(std::string("a"));
    EXPECT_FALSE(VerifyMerkleBranch(a, 0, 1, {}, a));
    EXPECT_FALSE(VerifyMerkleBranch(a, 0, 0, {}, MerkleRoot({})));
}

TEST(Crypto, DerivedRandomStreamsAreReproducibleAndIndependent)
{
    Rng a = Rng::Derive(5, "faults"), b = Rng::Derive(5, "faults"), c = Rng::Derive(5, "workload");
    for (int i = 0; i < 100; ++i)
    {
        uint64_t x = a.Next();
        EXPECT_EQ(x, b.Next());
        EXPECT_NE(x, c.Next());
    }
}

} // namespace
} // namespace canon
