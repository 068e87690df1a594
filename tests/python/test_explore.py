"""analysis.explore on small traces written by conftest.make_trace: the chain layout, the page's
data, links between pages, and bad input. The real-browser test is test_explore_browser.py."""

import json
import os
import re
import subprocess
import sys

import pandas as pd

from analysis import explore, trace
from conftest import HASH_BASE, NODES, REPO_ROOT, make_trace


def run_explore(*args):
    return subprocess.run([sys.executable, "-m", "analysis.explore", *map(str, args)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)


def page_data(page):
    """window.CANON of a written page."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    blob = re.search(r"<script>window\.CANON = (.*?);</script>", text, re.S).group(1)
    return json.loads(blob.replace("<\\/", "</")), text


def blocks_frame(rows):
    """(hash, parent, height, slot, time) rows as a blocks_produced-like frame."""
    return pd.DataFrame(rows, columns=["hash", "parent", "height", "slot", "time"])


def test_forks_get_their_own_lanes_and_the_main_chain_lane_zero():
    # Main chain 1-2-3-4-5; a fork 3a-4a from 2; a competing 4c from 3 while 4a holds lane 1.
    blocks = blocks_frame([
        (1, 0, 1, 1, 1.0), (2, 1, 2, 2, 2.0), (3, 2, 3, 3, 3.0), (4, 3, 4, 4, 4.0),
        (5, 4, 5, 5, 5.0), (31, 2, 3, 3, 3.1), (41, 31, 4, 4, 4.1), (43, 3, 4, 4, 4.2),
        (61, 41, 5, 6, 6.1),
    ])
    main = explore.main_chain(blocks)
    assert main == {1, 2, 3, 4, 5}
    lanes = explore.fork_lanes(blocks, main)
    assert [lanes[h] for h in (1, 2, 3, 4, 5)] == [0] * 5
    assert lanes[31] == lanes[41] == 1
    assert lanes[43] == 2  # lane 1 is busy at slot 4
    assert lanes[61] == 1  # continues its parent's lane


def test_the_main_chain_ends_at_the_highest_block_and_hashes_stay_exact():
    big = HASH_BASE + 7  # above 2**63: must not pass through a float
    blocks = blocks_frame([(big, 0, 1, 1, 1.0), (big + 1, big, 2, 2, 2.0),
                           (big + 2, big, 2, 3, 2.5)])
    assert explore.main_chain(blocks) == {big, big + 1}


def test_a_block_without_a_production_record_is_drawn_on_its_inferred_parent(tmp_path):
    # An adversary's block (an equivocator's second): accepted by nodes, never "produced".
    t = trace.load(make_trace(tmp_path / "run.h5"))
    arrivals = t["block_arrivals"]
    extra = arrivals[arrivals["hash"] == HASH_BASE + 2].copy()
    extra["hash"] = HASH_BASE + 77
    t["block_arrivals"] = pd.concat([arrivals, extra], ignore_index=True)
    blocks = explore.chain_table(t).set_index("hash")
    assert len(blocks) == t["blocks_produced"]["hash"].nunique() + 1
    assert not blocks.loc[HASH_BASE + 77, "recorded"]
    assert blocks.loc[HASH_BASE + 77, "parent"] == HASH_BASE + 1  # irreversible at height 2
    assert blocks.loc[HASH_BASE + 77, "lane"] > 0


def test_drop_reasons_fall_into_categories_without_numbers_and_hashes():
    assert explore.reason_category("block 1a2b3c4d: invalid: slot 12") == \
        "block #: invalid: slot #"
    assert explore.reason_category("duplicate block") == "duplicate block"


def test_a_page_holds_every_block_transaction_and_event_and_needs_no_network(tmp_path):
    path = make_trace(tmp_path / "run.h5")
    assert run_explore(path, "--out", tmp_path / "pages").returncode == 0
    data, text = page_data(tmp_path / "pages" / "run.html")
    t = trace.load(path)
    assert sorted(data["blocks"]["hash"]) == sorted(
        explore.hex_id(h) for h in t["blocks_produced"]["hash"].unique())
    assert len(data["transactions"]["tx"]) == len(t["transactions"])
    assert data["transactions"]["leftOut"] == 0
    # The plotly bundle is inline; nothing is fetched (no script or style from elsewhere).
    assert "plotly.js v" in text
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", text)
    # The first block's arrivals: every node, the producer's own 0.01 s after the slot start.
    first = data["arrivals"]["delay"][:data["arrivals"]["offsets"][1]]
    assert len(first) == NODES and min(first) == 0.01


def test_a_transaction_in_two_competing_blocks_lists_both_inclusions(tmp_path):
    data, _ = page_data(explore.write_pages([make_trace(tmp_path / "run.h5")],
                                            tmp_path / "pages")[0])
    txs = data["transactions"]
    events = [e for tx, e in zip(txs["tx"], txs["event"]) if tx == explore.hex_id(2)]
    assert events == ["submitted", "included", "included"]


def test_pages_of_several_runs_link_each_other_and_the_reports_beside_them(tmp_path):
    a = make_trace(tmp_path / "a.h5")
    b = make_trace(tmp_path / "b.h5")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "summary.md").write_text("# report\n")
    pages = explore.write_pages([a, b], tmp_path / "explore")
    _, text = page_data(pages[0])
    assert 'href="b.html"' in text
    assert 'href="../report/summary.md"' in text
    _, text = page_data(pages[1])
    assert 'href="a.html"' in text


def test_the_network_uses_radio_positions_when_the_trace_has_them(tmp_path):
    t = trace.load(make_trace(tmp_path / "run.h5"))
    fig, note, _ = explore.network_figure(t)
    assert "radio positions" in note
    # Epoch 1: conftest's positions at the end of epoch 1; the links are czr_links' star.
    nodes = fig.frames[0].data[1]
    assert list(nodes.x) == [10.0 * n + 1 for n in range(NODES)]
    assert sum(x is None for x in fig.frames[0].data[0].x) == NODES - 1
    wired = trace.load(make_trace(tmp_path / "wired.h5"))
    wired["positions"] = wired["positions"].iloc[0:0]
    _, note, coords = explore.network_figure(wired)
    assert "layout" in note and len(coords[0]) == NODES


def test_an_unusable_trace_is_one_line_and_exit_code_1(tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_text("not a trace")
    done = run_explore(bad, "--out", tmp_path / "pages")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and str(bad) in done.stderr
    assert not os.path.exists(tmp_path / "pages" / "bad.html")
