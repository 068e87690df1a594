"""analysis.flowmon on small FlowMonitor files written here, bad files, and seeded random damage
to a good one (every outcome is a table or a FlowmonError, never another exception); and
analysis.report --flowmon."""

import random
import subprocess
import sys

import pytest

from analysis import flowmon, report
from conftest import REPO_ROOT, make_trace

GOOD = """<?xml version="1.0" ?>
<FlowMonitor>
  <FlowStats>
    <Flow flowId="1" timeFirstTxPacket="+1e+09ns" timeFirstRxPacket="+1.01e+09ns"
      timeLastTxPacket="+3e+09ns" timeLastRxPacket="+3e+09ns" delaySum="+4e+07ns"
      jitterSum="+3e+06ns" lastDelay="+1e+07ns" txBytes="5000" rxBytes="4000" txPackets="5"
      rxPackets="4" lostPackets="1" timesForwarded="0">
    </Flow>
    <Flow flowId="2" timeFirstTxPacket="+2e+09ns" timeFirstRxPacket="+0ns"
      timeLastTxPacket="+2e+09ns" timeLastRxPacket="+0ns" delaySum="+0ns" jitterSum="+0ns"
      lastDelay="+0ns" txBytes="60" rxBytes="0" txPackets="1" rxPackets="0" lostPackets="1"
      timesForwarded="0">
    </Flow>
  </FlowStats>
  <Ipv4FlowClassifier>
    <Flow flowId="1" sourceAddress="10.0.0.1" destinationAddress="10.0.0.2" protocol="6"
      sourcePort="49153" destinationPort="9735" />
    <Flow flowId="2" sourceAddress="10.0.0.2" destinationAddress="10.9.9.9" protocol="6"
      sourcePort="49154" destinationPort="9735" />
  </Ipv4FlowClassifier>
  <CanonSimNodes>
    <Node id="0" address="10.0.0.1" />
    <Node id="1" address="10.0.0.2" />
  </CanonSimNodes>
</FlowMonitor>
"""


def write(tmp_path, text, name="flows.xml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_flows_read_as_node_pairs_with_throughput_delay_and_loss(tmp_path):
    flows = flowmon.load(write(tmp_path, GOOD)).set_index("flow")
    one = flows.loc[1]
    assert (one.src_node, one.dst_node) == (0, 1)
    assert one.throughput_bps == pytest.approx(4000 * 8 / 2.0)
    assert one.delay_mean_s == pytest.approx(0.01)
    assert one.jitter_mean_s == pytest.approx(0.001)
    assert one.loss == pytest.approx(0.2)
    assert flows.loc[2].dst_node == -1  # an address no node holds
    text = "\n".join(flowmon.summary_lines(flows.reset_index()))
    assert "2 flows" in text and "node 0 -> node 1" in text


@pytest.mark.parametrize("text, problem", [
    ("not xml at all <", "not an XML file"),
    ("<anim></anim>", "not FlowMonitor output"),
    (GOOD.replace('<Flow flowId="2" sourceAddress', '<Flow flowId="7" sourceAddress'),
     "flow 2 is not in the Ipv4FlowClassifier"),
    (GOOD.replace('rxBytes="4000"', 'rxBytes="many"'), "rxBytes is not a number"),
    (GOOD.replace('delaySum="+4e+07ns"', 'delaySum="+4e+07"'), "a time without the ns unit"),
])
def test_a_bad_file_is_one_error_naming_it(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(flowmon.FlowmonError) as e:
        flowmon.load(path)
    assert str(path) in str(e.value) and problem in str(e.value)
    with pytest.raises(flowmon.FlowmonError, match="no such file"):
        flowmon.load(tmp_path / "missing.xml")


def test_random_damage_gives_a_table_or_a_flowmon_error(tmp_path):
    rng = random.Random(20)
    for i in range(300):
        data = bytearray(GOOD.encode())
        for _ in range(rng.randint(1, 6)):
            k = rng.randrange(len(data))
            action = rng.randrange(3)
            if action == 0:
                data[k] = rng.randrange(256)
            elif action == 1:
                del data[k:k + rng.randint(1, 40)]
            else:
                data[k:k] = bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 8)))
        path = tmp_path / f"damaged-{i}.xml"
        path.write_bytes(bytes(data))
        try:
            flowmon.load(path)
        except flowmon.FlowmonError:
            pass


def test_the_report_adds_the_flows_and_refuses_a_bad_file(tmp_path):
    trace_path = make_trace(tmp_path / "run.h5")
    flows = write(tmp_path, GOOD)
    summary = report.write_report(str(trace_path), str(tmp_path / "report"), flowmon=str(flows))
    assert "flows (FlowMonitor): 2 flows" in summary
    assert "flows (FlowMonitor): 2 flows" in (tmp_path / "report" / "summary.txt").read_text()
    assert (tmp_path / "report" / "flows.csv").exists()
    bad = write(tmp_path, "<x/>", "bad.xml")
    done = subprocess.run([sys.executable, "-m", "analysis.report", str(trace_path), "--flowmon",
                           str(bad), "--out", str(tmp_path / "report2")],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and str(bad) in done.stderr and done.stderr.count("\n") == 1
