#!/usr/bin/python3
"""Reference numbers for the PoW and PoS tests of issue 14 (own code)."""
import math, random


def selfish_revenue(a, g):
    """Eyal & Sirer 2014, relative revenue of a selfish pool with hash share a, tie share g."""
    num = a * (1 - a) ** 2 * (4 * a + g * (1 - 2 * a)) - a ** 3
    den = 1 - a * (1 + (2 - a) * a)
    return num / den


def selfish_threshold(g):
    return (1 - g) / (3 - 2 * g)


def simulate_selfish(a, g, events, seed=1):
    """Block-event Markov chain of the Eyal-Sirer strategy; returns pool share of main-chain blocks."""
    rnd = random.Random(seed)
    lead, race = 0, False          # race: state 0' (two public branches of equal length)
    pool = honest = 0
    for _ in range(events):
        if rnd.random() < a:       # pool finds a block
            if race:
                pool += 2; race = False; lead = 0
            else:
                lead += 1
        else:                      # honest network finds a block
            if race:
                if rnd.random() < g:
                    pool += 1; honest += 1
                else:
                    honest += 2
                race = False; lead = 0
            elif lead == 0:
                honest += 1
            elif lead == 1:
                race = True; lead = 0
            elif lead == 2:
                pool += 2; lead = 0
            else:
                pool += 1; lead -= 1
    return pool / (pool + honest)


def stale_rate(tau, T, h=0.0):
    """Probability that a block found by a miner with share h is orphaned-raced when it needs tau
    seconds to reach everyone (constant delay, Poisson mining of mean interval T)."""
    return 1 - math.exp(-(1 - h) * tau / T)


def praos_phi(f, alpha):
    return 1 - (1 - f) ** alpha


if __name__ == "__main__":
    print("threshold g=0:", selfish_threshold(0), " g=0.5:", selfish_threshold(0.5), " g=1:", selfish_threshold(1))
    print("| alpha | gamma | R formula | Monte Carlo (2e6 events) |")
    print("|---|---|---|---|")
    for g in (0.0, 0.5, 1.0):
        for a in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
            print(f"| {a} | {g} | {selfish_revenue(a, g):.4f} | {simulate_selfish(a, g, 2_000_000):.4f} |")
    print()
    print("| tau (s) | T (s) | stale rate 1-exp(-tau/T) |")
    print("|---|---|---|")
    for tau, T in ((0.5, 600), (12.6, 600), (1, 15), (2, 15), (1, 5), (2, 5)):
        print(f"| {tau} | {T} | {stale_rate(tau, T):.5f} |")
    print()
    print("| f | alpha | phi_f(alpha) |")
    print("|---|---|---|")
    for f in (0.05, 0.2):
        for al in (0.01, 0.1, 0.25, 0.5, 1.0):
            print(f"| {f} | {al} | {praos_phi(f, al):.6f} |")
