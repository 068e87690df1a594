#!/usr/bin/python3
"""Reference model of the EOSIO 1.x (v1.8.14) header-state LIB rules, written from the
description in /work/notes/issue-14-baselines.md section 1 (not a copy of EOSIO code).

A header state carries: block number, active schedule, producer -> last produced block,
producer -> last implied irreversible block (implied LIB), the list of outstanding
confirmation counters (one per recent block, oldest first), the proposed LIB (plib) and the LIB.
"""
import copy


class HeaderState:
    def __init__(self, producers, reps=1, block_num=0, slot=0):
        self.block_num = block_num
        self.slot = slot
        self.producers = list(producers)      # active schedule, in schedule order
        self.reps = reps
        self.last_produced = {p: block_num for p in producers}
        self.implied = {p: block_num for p in producers}
        self.confirm_count = []               # counters for blocks (block_num - len + 1 .. block_num)
        self.plib = block_num
        self.lib = block_num
        self.pending = None                   # (producers, block that carried it)
        self.producer = None

    def scheduled(self, slot):
        idx = (slot % (len(self.producers) * self.reps)) // self.reps
        return self.producers[idx]


def lib_from(implied, producer, parent_plib):
    vals = sorted(parent_plib if p == producer else v for p, v in implied.items())
    return vals[(len(vals) - 1) // 3] if vals else 0


def next_state(parent, slot, confirmed, max_tracked=1024, new_schedule=None):
    assert slot > parent.slot, "block must be later in time"
    prod = parent.scheduled(slot)
    bn = parent.block_num + 1
    lp = parent.last_produced.get(prod)
    if lp is not None and not (lp < bn - confirmed):
        raise ValueError("double-confirming known range")
    s = copy.deepcopy(parent)
    s.block_num, s.slot, s.producer = bn, slot, prod
    required = len(parent.producers) * 2 // 3 + 1
    cc = list(parent.confirm_count)
    if len(cc) >= max_tracked:
        cc = cc[1:]
    cc.append(required)
    plib = parent.plib
    i, left = len(cc) - 1, confirmed + 1          # the new block votes for itself too
    while i >= 0 and left:
        cc[i] -= 1
        if cc[i] == 0:
            plib = bn - (len(cc) - 1 - i)
            cc = cc[i + 1:]
            break
        i -= 1
        left -= 1
    s.confirm_count = cc
    s.plib = plib
    s.lib = lib_from(parent.implied, prod, parent.plib)
    promoted = False
    if parent.pending and s.lib >= parent.pending[1]:
        promoted = True
        s.producers = list(parent.pending[0])
        s.last_produced = {p: (bn if p == prod else parent.last_produced.get(p, s.lib))
                           for p in s.producers}
        s.last_produced[prod] = bn
        s.implied = {p: (parent.plib if p == prod else parent.implied.get(p, s.lib))
                     for p in s.producers}
        s.pending = None
    else:
        s.last_produced[prod] = bn
        s.implied[prod] = parent.plib
    if new_schedule is not None:
        assert not promoted and s.pending is None
        s.pending = (list(new_schedule), bn)
    return s, promoted


def run(genesis, steps, label):
    """steps: list of (parent_key, slot, confirmed, key[, new_schedule]). Prints one row per block."""
    states = {"g": genesis}
    print("### " + label)
    print("| block | on | slot | producer | confirmed | plib | LIB | note |")
    print("|---|---|---|---|---|---|---|---|")
    for st in steps:
        parent_key, slot, confirmed, key = st[:4]
        ns = st[4] if len(st) > 4 else None
        s, promoted = next_state(states[parent_key], slot, confirmed, new_schedule=ns)
        states[key] = s
        note = []
        if promoted:
            note.append("pending schedule becomes active")
        if ns is not None:
            note.append("carries new pending schedule")
        print(f"| {key} (#{s.block_num}) | {parent_key} | {slot} | {s.producer} | {confirmed} | {s.plib} | {s.lib} | {'; '.join(note)} |")
    print()
    return states


def honest_chain(genesis, nblocks, first_slot, watermark_all=True):
    """Every slot filled; each producer confirms every block after its own last block,
    capped at head - LIB (producer_plugin rule)."""
    s = genesis
    wm = {p: genesis.block_num for p in genesis.producers} if watermark_all else {}
    rows = []
    slot = first_slot
    for _ in range(nblocks):
        prod = s.scheduled(slot)
        c = s.block_num - wm[prod] if prod in wm and wm[prod] < s.block_num else 0
        c = min(c, s.block_num - s.lib)
        s, _ = next_state(s, slot, c)
        wm[prod] = s.block_num
        rows.append((s.block_num, slot, prod, c, s.plib, s.lib))
        slot += 1
    return rows


if __name__ == "__main__":
    # Vector 1: N=4 (A,B,C,D), one block per turn, every slot filled, honest confirmations.
    g = HeaderState("ABCD", reps=1, block_num=0, slot=0)
    print("### V1 honest round robin, N=4, reps=1")
    print("| block | slot | producer | confirmed | plib | LIB |")
    print("|---|---|---|---|---|---|")
    for r in honest_chain(g, 14, first_slot=1):
        print("| %d | %d | %s | %d | %d | %d |" % r)
    print()

    # Vector 2: EOSIO issue 2718 scenario with N=3 (A,B,C), reps=1.
    g = HeaderState("ABC", reps=1, block_num=0, slot=2)
    prefix = [("g", 3, 0, "1"), ("1", 4, 1, "2"), ("2", 5, 2, "3"), ("3", 6, 2, "4"),
              ("4", 7, 2, "5"), ("5", 8, 2, "6")]
    fork = [("6", 9, 2, "7a"),     # A on its own side
            ("6", 10, 0, "7b"),    # B did not see 7a; B's last block is 5 -> confirms 6? see notes
            ("7b", 11, 1, "8c")]
    # B at slot 10: its watermark is block 5, head is 6 -> confirmed = 1 (block 6).
    fork[1] = ("6", 10, 1, "7b")
    # C at slot 11: watermark 6, head 7b -> confirmed 1.
    honest = [("8c", 12, 1, "9a"),   # A: watermark 7 (7a), head 8 -> confirms only 8c
              ("9a", 13, 2, "10b"),  # B: watermark 7 (7b), head 9
              ("10b", 14, 2, "11c"),
              ("11c", 15, 2, "12a"),
              ("12a", 16, 2, "13b")]
    naive = [("8c", 12, 4, "9a"),    # A confirms back to its last block ON THIS BRANCH (4): votes for 7b too
             ("9a", 13, 2, "10b"),
             ("10b", 14, 2, "11c"),
             ("11c", 15, 2, "12a"),
             ("12a", 16, 2, "13b")]
    run(g, prefix + fork + honest, "V2a issue-2718 case, A discloses (watermark rule)")
    run(g, prefix + fork + naive, "V2b same fork, A over-confirms (accepted by header validation)")

    # Vector 3: schedule change N=4, reps=1: block 5 carries a pending schedule (E replaces D).
    g = HeaderState("ABCD", reps=1, block_num=0, slot=0)
    steps = []
    parent = "g"
    wm = {p: 0 for p in "ABCD"}
    s = g
    states = {"g": g}
    print("### V3 schedule change, N=4 -> {A,B,C,E}; block #5 carries the new pending schedule")
    print("| block | slot | producer | confirmed | plib | LIB | note |")
    print("|---|---|---|---|---|---|---|")
    for slot in range(1, 21):
        prod = s.scheduled(slot)
        wm.setdefault(prod, None)
        c = (s.block_num - wm[prod]) if wm[prod] is not None and wm[prod] < s.block_num else 0
        c = min(c, s.block_num - s.lib)
        ns = list("ABCE") if s.block_num + 1 == 5 else None
        s, promoted = next_state(s, slot, c, new_schedule=ns)
        wm[prod] = s.block_num
        note = "pending set" if ns else ("ACTIVE now (schedule A,B,C,E)" if promoted else "")
        print(f"| {s.block_num} | {slot} | {prod} | {c} | {s.plib} | {s.lib} | {note} |")
    print()

    # Vector 4: N=21, reps=12, honest, every slot filled: steady-state LIB lag.
    names = ["p%02d" % i for i in range(21)]
    g = HeaderState(names, reps=12, block_num=0, slot=0)
    rows = honest_chain(g, 21 * 12 * 4, first_slot=1)
    first_lib = next(r for r in rows if r[5] > 0)
    first_plib = next(r for r in rows if r[4] > 0)
    print("### V4 N=21 reps=12 honest")
    print("first plib>0:", first_plib)
    print("first LIB>0:", first_lib)
    for bn in (252, 253, 500, 756, 1000, 1008):
        r = rows[bn - 1]
        print("block", r[0], "producer", r[2], "confirmed", r[3], "plib", r[4], "lib", r[5], "lag", r[0] - r[5])
    lags = [r[0] - r[5] for r in rows[600:]]
    print("steady lag min/max:", min(lags), max(lags))

    # Single-stage alternative: LIB = highest block B such that blocks in [B, tip] have at least
    # `t` distinct producers (t = floor(2N/3)+1; PoP's own rule uses floor(2N/3)+2).
    def single_stage(chain, t):
        out = []
        for tip in range(len(chain)):
            seen, lib = set(), 0
            for k in range(tip, -1, -1):
                seen.add(chain[k][1])
                if len(seen) >= t:
                    lib = chain[k][0]
                    break
            out.append(lib)
        return out

    print("### V5 single-stage rule")
    v1 = [(r[0], r[2]) for r in honest_chain(HeaderState("ABCD", reps=1), 14, first_slot=1)]
    print("V1 chain, t=3:", list(zip([b for b, _ in v1], single_stage(v1, 3))))
    print("V1 chain, t=4 (PoP floor(2N/3)+2 capped at N):", list(zip([b for b, _ in v1], single_stage(v1, 4))))
    a_side = [(1, "A"), (2, "B"), (3, "C"), (4, "A"), (5, "B"), (6, "C"), (7, "A")]
    b_side = [(1, "A"), (2, "B"), (3, "C"), (4, "A"), (5, "B"), (6, "C"), (7, "B"), (8, "C"),
              (9, "A"), (10, "B"), (11, "C"), (12, "A"), (13, "B")]
    print("V2 7a side, t=3:", single_stage(a_side, 3))
    print("V2 7b side, t=3:", single_stage(b_side, 3))
