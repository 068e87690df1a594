"""`canonsim run --netanim --flowmon` on a short 802.11s mesh (tests/scenarios/mesh-visual.yaml,
run by ctest's make-mesh-visual-trace with a packet window of 5 to 6 s, and once more without the
tools by make-mesh-visual-plain-trace): the NetAnim file is XML that holds every node, their
movement and packets only inside the window; the FlowMonitor file holds a flow for every peer
connection that carried blocks; and neither tool changes the run. Without the ctest environment
these tests are skipped."""

import os
import xml.etree.ElementTree as ET

import pytest

from analysis import flowmon, trace

WINDOW = (5.0, 6.0)


def _path(var):
    value = os.environ.get(var)
    if not value:
        pytest.skip(f"{var} not set: run through ctest")
    return value


@pytest.fixture(scope="module")
def run():
    return trace.load(_path("CANONSIM_MESH_VISUAL_TRACE"))


def test_the_netanim_file_is_xml_with_every_node_its_movement_and_windowed_packets(run):
    root = ET.parse(_path("CANONSIM_MESH_VISUAL_NETANIM")).getroot()
    assert root.tag == "anim"
    nodes = {int(n.get("id")) for n in root.iter("node")}
    assert nodes == set(range(int(run.meta["nodes"])))
    # The nodes walk: position updates after the animation starts, for every node.
    moves = [u for u in root.iter("nu") if u.get("p") == "p"]
    assert {int(u.get("id")) for u in moves} == nodes
    assert max(float(u.get("t")) for u in moves) > WINDOW[1]
    # Radio packets (transmissions and receptions), none before the window or long after it.
    sent = [float(p.get("fbTx")) for p in root.iter("pr")]
    received = [float(p.get("fbRx")) for p in root.iter("wpr")]
    assert sent and received
    assert WINDOW[0] <= min(sent) and max(sent) <= WINDOW[1] + 0.011
    # The file starts at the window, where the node positions are those of the trace's
    # positions at the nearest CZR epoch give or take the walk (2 m/s).
    first = {int(n.get("id")): float(n.get("locX")) for n in root.iter("node")}
    start = run["positions"][run["positions"].epoch == 0].set_index("node")["x"]
    assert all(abs(first[n] - start[n]) <= 2.0 * WINDOW[0] + 1e-6 for n in nodes)


def test_the_flowmon_file_holds_a_flow_for_every_connection_that_carried_blocks(run):
    flows = flowmon.load(_path("CANONSIM_MESH_VISUAL_FLOWMON"))
    nodes = int(run.meta["nodes"])
    assert flows.src_node.between(0, nodes - 1).all() and flows.dst_node.between(0, nodes - 1).all()
    pairs = {frozenset(p) for p in zip(flows.src_node, flows.dst_node)}
    arrivals = run["block_arrivals"]
    peers = arrivals[arrivals.from_node != arrivals.node]
    carried = {frozenset(p) for p in zip(peers.from_node, peers.node)}
    assert carried and carried <= pairs
    assert flows.rx_bytes.sum() > 0
    assert (flows.rx_packets <= flows.tx_packets).all()
    assert ((flows.loss >= 0) & (flows.loss <= 1)).all()


def test_the_tools_do_not_change_the_run(run):
    plain = trace.load(_path("CANONSIM_MESH_VISUAL_PLAIN_TRACE"))
    for name in trace.DATASETS:
        if name != "positions":
            assert run[name].equals(plain[name]), name
    # NetAnim reads the mobility models more often, and ns-3's constant-velocity helper adds the
    # distance moved at every read: positions may differ in the last bits of a double.
    positions, others = run["positions"], plain["positions"]
    assert positions[["time", "epoch", "node"]].equals(others[["time", "epoch", "node"]])
    assert (positions[["x", "y"]] - others[["x", "y"]]).abs().max().max() < 1e-9
