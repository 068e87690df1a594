#!/usr/bin/python3
"""Reference computation of NEM NIS importance for a small hand-made graph, following the rules
described in /work/notes/issue-14-baselines.md section 2 (NemProject/nem @ a67b9943, files under
nis/src/main/java/org/nem/nis/pox/poi). Own code, not a port.
"""
import numpy as np

MICRO = 1_000_000
# ---- parameters (NIS defaults) ----
MIN_HARVESTER = 10_000 * MICRO      # vested balance needed to enter the calculation
MIN_OUTLINK = 1_000 * MICRO         # net decayed flow below this is dropped from the matrix
NEG_OUTLINK_W = 0.6                 # multiplier of a negative net outlink score
OUTLIER_W = 0.9                     # graph weight of an outlier
TELEPORT = 0.7                      # probability of following an outlink (NIS calls it teleportation)
INTERLEVEL = 0.1                    # probability of an inter-level (cluster) jump
INVERSE = 1.0 - TELEPORT - INTERLEVEL  # 0.2: uniform jump
MU, EPS = 4, 0.3                    # SCAN parameters
OUTLINK_W, IMPORTANCE_W = 1.25, 0.1337
DECAY = 0.9                         # per day of age
BLOCKS_PER_DAY = 1440               # 60 s target
WINDOW_DAYS = 30                    # outlink history: 30 * 1440 = 43200 blocks

# ---- the hand-made test graph ----
# vested balances in XEM (assume every balance fully vested); X is below 10,000 and is ineligible
vested = {"A": 2_000_000, "B": 1_000_000, "C": 500_000, "D": 300_000, "E": 200_000,
          "F": 150_000, "G": 50_000, "X": 5_000}
# transfers (sender, recipient, XEM, age in whole days at the recalculation height)
transfers = [
    ("A", "B", 50_000, 1), ("B", "C", 40_000, 2), ("C", "D", 30_000, 0), ("D", "E", 20_000, 3),
    ("E", "A", 25_000, 5), ("A", "C", 10_000, 10), ("B", "D", 15_000, 4), ("C", "E", 12_000, 7),
    ("D", "A", 8_000, 1), ("E", "B", 5_000, 2),
    ("F", "A", 140_000, 0),
    ("G", "F", 20_000, 1), ("F", "G", 19_500, 1),   # net G->F 500 XEM: below MIN_OUTLINK
    ("E", "X", 3_000, 0),                           # to an ineligible account
    ("A", "F", 100_000, 31),                        # older than 30 days: ignored
]


def compute(vested, transfers, clustering=True, verbose=True):
    elig = [a for a in sorted(vested) if vested[a] * MICRO >= MIN_HARVESTER]
    idx = {a: i for i, a in enumerate(elig)}
    n = len(elig)
    v = np.array([vested[a] * MICRO for a in elig], dtype=float)
    # decayed outlinks in the window
    out = {a: [] for a in elig}
    for s, r, amt, age in transfers:
        if s == r or s not in idx or age * BLOCKS_PER_DAY > WINDOW_DAYS * BLOCKS_PER_DAY:
            continue
        out[s].append((r, amt * MICRO * DECAY ** age))
    # net outlinks: own outflows minus inflows from eligible senders
    net = {a: {} for a in elig}
    for s in elig:
        for r, w in out[s]:
            net[s][r] = net[s].get(r, 0.0) + w
            if r in idx:
                net[r][s] = net[r].get(s, 0.0) - w
    o = np.zeros(n)
    M = np.zeros((n, n))
    for s in elig:
        score = sum(net[s].values())
        o[idx[s]] = score * (NEG_OUTLINK_W if score < 0 else 1.0)
        for r, w in net[s].items():
            if r in idx:
                M[idx[r], idx[s]] += w
    M[M < MIN_OUTLINK] = 0.0
    colsum = M.sum(axis=0)
    dangle = [j for j in range(n) if colsum[j] == 0]
    for j in range(n):
        if colsum[j] > 0:
            M[:, j] /= colsum[j]
    # neighbourhoods (undirected, self included) and SCAN clustering
    nb = [set([i]) | set(np.nonzero(M[i, :])[0]) | set(np.nonzero(M[:, i])[0]) for i in range(n)]
    sim = lambda a, b: len(nb[a] & nb[b]) / np.sqrt(len(nb[a]) * len(nb[b]))
    similar = [set(j for j in nb[i] if j == i or sim(i, j) > EPS) for i in range(n)]
    core = [len(similar[i]) >= MU for i in range(n)]
    label = [None] * n
    clusters = []
    for i in range(n):                      # grow clusters from cores (standard SCAN)
        if not core[i] or label[i] is not None:
            continue
        cid = len(clusters)
        members, stack = set(), [i]
        while stack:
            c = stack.pop()
            for j in similar[c]:
                if label[j] is None:
                    label[j] = cid
                    members.add(j)
                    if core[j]:
                        stack.append(j)
        clusters.append(sorted(members))
    hubs, outliers = [], []
    for i in range(n):
        if label[i] is None:
            touched = set(label[j] for j in nb[i] if label[j] is not None)
            (hubs if len(touched) > 1 else outliers).append(i)
    chi = np.ones(n)
    if clustering:
        for i in outliers:
            chi[i] = OUTLIER_W
    blocks = [c for c in clusters] + [[h] for h in hubs] + [[x] for x in outliers]
    block_of = {}
    for b, mem in enumerate(blocks):
        for m in mem:
            block_of[m] = b
    # inter-level matrices: from node i, jump to a block holding i or one of i's out-neighbours
    R = np.zeros((len(blocks), n))
    A = np.zeros((n, len(blocks)))
    for b, mem in enumerate(blocks):
        for m in mem:
            A[m, b] = 1.0
    for i in range(n):
        nbl = set(block_of[p] for p in nb[i] if p == i or M[p, i] > 0)
        for b in nbl:
            R[b, i] = 1.0 / (len(blocks[b]) * len(nbl))

    def step(x):
        y = TELEPORT * M @ x
        y += TELEPORT * sum(x[j] for j in dangle) / n + INVERSE / n
        if clustering:
            y += INTERLEVEL * (A @ (R @ x))
        return y / np.abs(y).sum()

    x = np.full(n, 1.0 / n)
    x2 = step(x)
    it = 0
    while True:                              # NIS PowerIterator: stop at L1 change <= 1e-3/n
        x1, x2 = x2, step(x2)
        it += 1
        if it >= 3000 or np.abs(x1 - x2).sum() <= 1e-3 / n:
            break
    pr_nis = x2
    for _ in range(10000):                  # the exact fixed point, for reference
        x2 = step(x2)
    pr_exact = x2

    def final(pr):
        wo = np.maximum(0.0, v + OUTLINK_W * o)
        wo = wo / wo.sum()
        s = (wo + IMPORTANCE_W * pr) * chi
        return s / s.sum()

    imp_nis, imp_exact = final(pr_nis), final(pr_exact)
    if verbose:
        print("eligible:", elig)
        print("dangling:", [elig[j] for j in dangle])
        print("clusters:", [[elig[m] for m in c] for c in clusters], "hubs:", [elig[h] for h in hubs],
              "outliers:", [elig[x] for x in outliers])
        print("outlink score o (XEM):", {elig[i]: round(o[i] / MICRO, 3) for i in range(n)})
        print("power iterations:", it)
        print("| account | vested XEM | o (XEM) | chi | NCDawareRank (exact) | importance (exact) | importance (NIS stop rule) |")
        print("|---|---|---|---|---|---|---|")
        for i in np.argsort(-imp_exact):
            print(f"| {elig[i]} | {vested[elig[i]]:,} | {o[i]/MICRO:,.3f} | {chi[i]} | {pr_exact[i]:.6f} | {imp_exact[i]:.6f} | {imp_nis[i]:.6f} |")
    return elig, imp_exact, imp_nis, pr_exact


if __name__ == "__main__":
    print("## with clustering (NIS default)")
    compute(vested, transfers, clustering=True)
    print()
    print("## stake only (vested share), for comparison")
    elig = [a for a in sorted(vested) if vested[a] >= 10_000]
    tot = sum(vested[a] for a in elig)
    print({a: round(vested[a] / tot, 6) for a in elig})
