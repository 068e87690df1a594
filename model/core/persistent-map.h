// PersistentMap: an ordered map whose copies share structure. A copy costs O(1); a write to a
// copy copies only the nodes on the path to the key (O(log n) nodes), so a ledger state after a
// block holds new nodes in proportion to the accounts the block changed, and every other node is
// shared with its parent state (and, through the block outcome memo, with every simulated node).
//
// The tree is an AVL tree of reference-counted nodes. A node reachable from more than one map is
// never changed: a write walks down from the root and copies every node whose count says it is
// shared before changing it (copying a node raises its children's counts, so everything below a
// shared node is treated as shared too). A node only this map reaches is changed in place, so a
// run of writes to one copy (a block's transactions) copies each shared path once.
//
// Order and interface follow std::map where callers use it: iteration is in key order (never in
// pointer order, DESIGN.md 4.5), `operator[]` inserts a default value, `find`/`end`/`count`/`at`
// read. There is no erase: no ledger or election rule removes a key (`clear` drops them all).
//
// Ownership and threads: the map owns its root; nodes are shared and immutable once shared. Two
// threads may read or copy maps that share nodes; a map itself has one writer at a time, like a
// std::map.
//
// Invariants: every node's height is 1 + the larger child height; child heights differ by at most
// one; Size() counts the keys.
#ifndef CANONSIM_CORE_PERSISTENT_MAP_H
#define CANONSIM_CORE_PERSISTENT_MAP_H

#include "model/core/status.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_set>
#include <utility>

namespace canon
{

template <class K, class V, class Compare = std::less<K>>
class PersistentMap
{
    struct Node
    {
        std::pair<K, V> kv;
        std::shared_ptr<Node> left;
        std::shared_ptr<Node> right;
        int height = 1;
    };
    using NodePtr = std::shared_ptr<Node>;

  public:
    using value_type = std::pair<K, V>;
    // AVL height is below 1.45 log2(n + 2): 48 levels hold more keys than memory can.
    static constexpr int kDepthMax = 48;

    // In-order iterator: a stack of the nodes still to visit, the current one on top.
    class const_iterator
    {
      public:
        const value_type& operator*() const { return m_stack[m_depth - 1]->kv; }
        const value_type* operator->() const { return &m_stack[m_depth - 1]->kv; }
        const_iterator& operator++()
        {
            const Node* n = m_stack[--m_depth];
            PushLeftSpine(n->right.get());
            return *this;
        }
        bool operator==(const const_iterator& o) const
        {
            return m_depth == o.m_depth && (m_depth == 0 || Top() == o.Top());
        }
        bool operator!=(const const_iterator& o) const { return !(*this == o); }

      private:
        friend class PersistentMap;
        const Node* Top() const { return m_stack[m_depth - 1]; }
        void Push(const Node* n)
        {
            CANON_ASSERT(m_depth < kDepthMax, "persistent map deeper than kDepthMax");
            m_stack[m_depth++] = n;
        }
        void PushLeftSpine(const Node* n)
        {
            for (; n; n = n->left.get())
            {
                Push(n);
            }
        }

        const Node* m_stack[kDepthMax] = {};
        int m_depth = 0;
    };
    using iterator = const_iterator;

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void clear()
    {
        m_root.reset();
        m_size = 0;
    }

    const_iterator begin() const
    {
        const_iterator it;
        it.PushLeftSpine(m_root.get());
        return it;
    }
    const_iterator end() const { return const_iterator{}; }

    // Nullptr when absent. The pointer stays valid while this map (or a copy) holds the key and
    // is not written to.
    const V* Find(const K& k) const
    {
        const Compare less;
        for (const Node* n = m_root.get(); n;)
        {
            if (less(k, n->kv.first))
            {
                n = n->left.get();
            }
            else if (less(n->kv.first, k))
            {
                n = n->right.get();
            }
            else
            {
                return &n->kv.second;
            }
        }
        return nullptr;
    }
    const_iterator find(const K& k) const
    {
        const Compare less;
        const_iterator it;
        for (const Node* n = m_root.get(); n;)
        {
            if (less(k, n->kv.first))
            {
                it.Push(n); // visited after the key's subtree
                n = n->left.get();
            }
            else if (less(n->kv.first, k))
            {
                n = n->right.get();
            }
            else
            {
                it.Push(n);
                return it;
            }
        }
        return end();
    }
    std::size_t count(const K& k) const { return Find(k) ? 1 : 0; }
    const V& at(const K& k) const
    {
        const V* v = Find(k);
        CANON_ASSERT(v != nullptr, "PersistentMap::at: key absent");
        return *v;
    }

    // The value of `k`, inserted as V{} when absent; copies the shared part of the path to it.
    V& operator[](const K& k)
    {
        V* out = nullptr;
        bool inserted = false;
        m_root = Upsert(std::move(m_root), k, out, inserted);
        m_size += inserted ? 1 : 0;
        return *out;
    }

    // For tests and benches: how many nodes this map holds that `base` does not share.
    std::size_t NodesNotIn(const PersistentMap& base) const
    {
        std::unordered_set<const Node*> shared;
        Collect(base.m_root.get(), shared);
        return CountNotIn(m_root.get(), shared);
    }
    // For tests: whether the AVL invariants hold and Size() matches the keys.
    bool CheckInvariants() const
    {
        std::size_t keys = 0;
        return CheckNode(m_root.get(), keys) >= 0 && keys == m_size;
    }

  private:
    static int Height(const NodePtr& n) { return n ? n->height : 0; }
    static void Update(Node& n) { n.height = 1 + std::max(Height(n.left), Height(n.right)); }
    // Makes `n` a node only this map reaches, copying it if another map shares it.
    static void Own(NodePtr& n)
    {
        if (n.use_count() > 1)
        {
            n = std::make_shared<Node>(*n);
        }
    }

    static NodePtr Upsert(NodePtr n, const K& k, V*& out, bool& inserted)
    {
        if (!n)
        {
            n = std::make_shared<Node>();
            n->kv.first = k;
            out = &n->kv.second;
            inserted = true;
            return n;
        }
        Own(n);
        const Compare less;
        if (less(k, n->kv.first))
        {
            n->left = Upsert(std::move(n->left), k, out, inserted);
        }
        else if (less(n->kv.first, k))
        {
            n->right = Upsert(std::move(n->right), k, out, inserted);
        }
        else
        {
            out = &n->kv.second;
            return n;
        }
        return inserted ? Rebalance(std::move(n)) : n;
    }

    static NodePtr RotateRight(NodePtr n)
    {
        NodePtr l = std::move(n->left);
        Own(l);
        n->left = std::move(l->right);
        Update(*n);
        l->right = std::move(n);
        Update(*l);
        return l;
    }
    static NodePtr RotateLeft(NodePtr n)
    {
        NodePtr r = std::move(n->right);
        Own(r);
        n->right = std::move(r->left);
        Update(*n);
        r->left = std::move(n);
        Update(*r);
        return r;
    }
    // `n` is owned (only this map reaches it) and its subtrees are balanced.
    static NodePtr Rebalance(NodePtr n)
    {
        Update(*n);
        const int balance = Height(n->left) - Height(n->right);
        if (balance > 1)
        {
            if (Height(n->left->left) < Height(n->left->right))
            {
                Own(n->left);
                n->left = RotateLeft(std::move(n->left));
            }
            return RotateRight(std::move(n));
        }
        if (balance < -1)
        {
            if (Height(n->right->right) < Height(n->right->left))
            {
                Own(n->right);
                n->right = RotateRight(std::move(n->right));
            }
            return RotateLeft(std::move(n));
        }
        return n;
    }

    static void Collect(const Node* n, std::unordered_set<const Node*>& out)
    {
        for (; n; n = n->right.get())
        {
            out.insert(n);
            Collect(n->left.get(), out);
        }
    }
    static std::size_t CountNotIn(const Node* n, const std::unordered_set<const Node*>& shared)
    {
        if (!n || shared.count(n))
        {
            return 0; // a shared node shares its whole subtree
        }
        return 1 + CountNotIn(n->left.get(), shared) + CountNotIn(n->right.get(), shared);
    }
    // The subtree's height, or -1 when an invariant fails; counts its keys into `keys`.
    static int CheckNode(const Node* n, std::size_t& keys)
    {
        if (!n)
        {
            return 0;
        }
        const int l = CheckNode(n->left.get(), keys);
        const int r = CheckNode(n->right.get(), keys);
        const Compare less;
        const bool ordered = (!n->left || less(n->left->kv.first, n->kv.first)) &&
                             (!n->right || less(n->kv.first, n->right->kv.first));
        ++keys;
        if (l < 0 || r < 0 || !ordered || l - r > 1 || r - l > 1 || n->height != 1 + std::max(l, r))
        {
            return -1;
        }
        return n->height;
    }

    NodePtr m_root;
    std::size_t m_size = 0;
};

} // namespace canon

#endif
