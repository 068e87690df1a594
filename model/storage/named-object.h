// Named, versioned objects over content-addressed storage (paper 3.5.1: "traceable file
// modification history"): a version is a pointer from a name to a root content id, signed by
// the name's owner, carrying its number and the hash of the version before it, so the history
// is a hash chain that nobody but the owner can extend and nobody can rewrite.
//
// NameRegistry keeps every name's chain of versions. A version is accepted only if its
// signature verifies, the name is new and the version is 1 with no predecessor, or the owner
// matches the name's owner, the number is the head's plus one and the predecessor is the head's
// hash. Bounds: at most versionsMax versions per name are kept (older ones are forgotten from
// memory but stay committed to by the hash chain); at most namesMax names. Single-threaded.
#ifndef CANONSIM_STORAGE_NAMED_OBJECT_H
#define CANONSIM_STORAGE_NAMED_OBJECT_H

#include "model/core/keys.h"
#include "model/core/time.h"
#include "model/storage/content.h"

#include <deque>
#include <map>
#include <string>

namespace canon
{

constexpr std::size_t kObjectNameBytesMax = 256;

struct ObjectVersion
{
    PublicKey owner{};
    std::string name;
    uint64_t version = 1;
    Hash256 predecessor{}; // Hash() of the version before; zero for version 1
    ContentId root{};
    TimeNs time = 0;
    Signature signature{};

    Bytes SigningBytes() const;
    Bytes Encode() const;
    static Result<ObjectVersion> Decode(const Bytes& b);
    Hash256 Hash() const { return Blake2b256(Encode()); }
    void SignWith(const KeyPair& key) { signature = key.Sign(SigningBytes()); }
};

// The DHT key a name is published under (storage-peer.h: PublishName, ResolveName): one per
// (owner, name), so nobody else's records can answer for it.
Hash256 NameKeyOf(const PublicKey& owner, const std::string& name);
// A record received for `key`: decodes, and checks the key and the signature; when `held` is
// given, the record must be newer, and the version right after it must name it as predecessor.
Result<ObjectVersion> CheckNameRecord(const Hash256& key, const Bytes& record,
                                      const ObjectVersion* held);

// The next version of `head` (or version 1 of `name` when head is null), signed by `key`.
ObjectVersion MakeVersion(const KeyPair& key, const std::string& name, const ContentId& root,
                          TimeNs time, const ObjectVersion* head);

class NameRegistry
{
  public:
    explicit NameRegistry(std::size_t namesMax = 4096, std::size_t versionsMax = 64)
      : m_namesMax(namesMax)
      , m_versionsMax(versionsMax)
    {
    }

    Status Publish(const ObjectVersion& v);
    // Nullptr for an unknown name.
    const ObjectVersion* Head(const std::string& name) const;
    // Newest first, at most versionsMax.
    std::vector<ObjectVersion> History(const std::string& name) const;

  private:
    std::size_t m_namesMax;
    std::size_t m_versionsMax;
    std::map<std::string, std::deque<ObjectVersion>> m_names; // oldest first
};

} // namespace canon

#endif
