// SCAN clustering of the PoI transfer graph as NEM NIS runs it ("FastScan",
// model/consensus/baselines/NOTES.md 2.3): the communities that NCDawareRank's inter-level step
// jumps between, and the outliers whose importance is scaled down.
//
// Input: for every node, its undirected neighbourhood in the thresholded outlink matrix, the node
// itself included, sorted ascending without duplicates. Two nodes u, v are similar when
// |N(u) ∩ N(v)| / sqrt(|N(u)| |N(v)|) > epsilon (a node is always similar to itself); a node is
// a core when at least mu nodes (itself included) are similar to it.
//
// The traversal follows NIS's FastScan: nodes are taken in index order; an unvisited core grows a
// cluster by processing its own community, then the communities of its two-hop pivots (the
// neighbours of its similar neighbours), round after round, until no unvisited pivot is left.
// Processing a core adds all its similar nodes to one cluster, first merging every cluster that
// already holds one of them. A community of exactly two similar nodes also processes the other
// node's community (NIS's special case for the ends of line graphs). Nodes in no cluster are hubs
// when their neighbours lie in two or more clusters, else outliers.
//
// Output is canonical: every member list sorted, clusters ordered by their smallest member, hubs
// and outliers ascending; every node is in exactly one of clusters, hubs or outliers. A pure
// function of its input: no hashing, no pointer order.
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_CLUSTERING_H
#define CANONSIM_CONSENSUS_BASELINES_POI_CLUSTERING_H

#include <cstdint>
#include <vector>

namespace canon
{

struct PoiClusters
{
    std::vector<std::vector<uint32_t>> clusters;
    std::vector<uint32_t> hubs;
    std::vector<uint32_t> outliers;
};

// Structural similarity of two sorted neighbourhoods (each holding its own node).
double StructuralSimilarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

// `neighbours[i]` is node i's neighbourhood (sorted, holding i). mu >= 1, epsilon in [0, 1).
PoiClusters ScanClusters(const std::vector<std::vector<uint32_t>>& neighbours, uint32_t mu,
                         double epsilon);

} // namespace canon

#endif
