#!/usr/bin/python3
"""Fairness metrics of issue 14 (own code): Spearman with average ranks, Gini, Nakamoto coefficient."""
import numpy as np


def avg_ranks(x):
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = avg_ranks(x), avg_ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    d = np.sqrt((rx ** 2).sum() * (ry ** 2).sum())
    return float("nan") if d == 0 else float((rx * ry).sum() / d)


def gini(x):
    x = np.sort(np.asarray(x, dtype=float))
    n, s = len(x), x.sum()
    if n == 0 or s == 0:
        return 0.0
    return float(2.0 * ((np.arange(1, n + 1) * x).sum()) / (n * s) - (n + 1.0) / n)


def nakamoto(counts, share=0.5):
    c = np.sort(np.asarray(counts, dtype=float))[::-1]
    tot = c.sum()
    cum = 0.0
    for k, v in enumerate(c, 1):
        cum += v
        if cum > share * tot:
            return k
    return len(c)


if __name__ == "__main__":
    print("spearman([1,2,2,3],[10,20,30,40]) =", spearman([1, 2, 2, 3], [10, 20, 30, 40]))
    print("spearman([5,1,4,2,3],[50,10,40,20,30]) =", spearman([5, 1, 4, 2, 3], [50, 10, 40, 20, 30]))
    print("spearman([1,2,3,4],[4,3,2,1]) =", spearman([1, 2, 3, 4], [4, 3, 2, 1]))
    print("spearman([3,1,2,2,5],[1,1,2,3,3]) =", spearman([3, 1, 2, 2, 5], [1, 1, 2, 3, 3]))
    print("gini([40,30,20,10,0]) =", gini([40, 30, 20, 10, 0]))
    print("gini([25,25,25,25]) =", gini([25, 25, 25, 25]))
    print("gini([100,0,0,0]) =", gini([100, 0, 0, 0]))
    print("gini([12]*21) =", gini([12] * 21))
    print("nakamoto([40,30,20,10,0]) =", nakamoto([40, 30, 20, 10, 0]))
    print("nakamoto([25,25,25,25]) =", nakamoto([25, 25, 25, 25]))
    print("nakamoto([12]*21) =", nakamoto([12] * 21))
    print("nakamoto([51,49]) =", nakamoto([51, 49]), " nakamoto([50,50]) =", nakamoto([50, 50]))
