"""Reads the ns-3 FlowMonitor statistics that `canonsim run --flowmon PATH` writes (the XML of
FlowMonitor::SerializeToXmlFile, plus a CanonSimNodes element naming the node of every IPv4
address; model/ns3/ns3-visual-output.h).

    from analysis import flowmon
    flows = flowmon.load("out/run-flows.xml")     # one row per flow (one TCP direction)
    print("\\n".join(flowmon.summary_lines(flows)))

Columns: flow, src_node, dst_node (-1 when the address is not a node's), src, dst, src_port,
dst_port, protocol, tx_packets, rx_packets, tx_bytes, rx_bytes, lost_packets, first_tx_s,
last_rx_s, throughput_bps (received bits over first transmission to last reception), delay_mean_s
and jitter_mean_s (per received packet), loss (lost over sent packets). A file that is missing,
not XML or not FlowMonitor output raises FlowmonError with one line naming the file.
"""

import os
import xml.etree.ElementTree as ET

import pandas as pd

COLUMNS = (
    "flow", "src_node", "dst_node", "src", "dst", "src_port", "dst_port", "protocol",
    "tx_packets", "rx_packets", "tx_bytes", "rx_bytes", "lost_packets", "first_tx_s",
    "last_rx_s", "throughput_bps", "delay_mean_s", "jitter_mean_s", "loss",
)
TOP_FLOWS = 10


class FlowmonError(Exception):
    """A FlowMonitor file that cannot be used; str() is one line naming the file."""


def _seconds(path, text):
    """ns-3 Time as FlowMonitor writes it ("+1.5e+10ns") -> seconds."""
    if not text.endswith("ns"):
        raise FlowmonError(f"{path}: a time without the ns unit: {text!r}")
    try:
        return float(text[:-2]) / 1e9
    except ValueError:
        raise FlowmonError(f"{path}: not a time: {text!r}") from None


def _number(path, element, name, default=None):
    """An integer attribute of a Flow (or Node) element."""
    value = element.get(name)
    what = f"{element.tag} {element.get('flowId', element.get('id'))}"
    if value is None:
        if default is not None:
            return default
        raise FlowmonError(f"{path}: {what} has no {name}")
    try:
        return int(value)
    except ValueError:
        raise FlowmonError(f"{path}: {what}: {name} is not a number: {value!r}") from None


def _parse(path):
    if not os.path.isfile(path):
        raise FlowmonError(f"{path}: no such file")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise FlowmonError(f"{path}: not an XML file: {e}") from None
    if root.tag != "FlowMonitor" or root.find("FlowStats") is None:
        raise FlowmonError(f"{path}: not FlowMonitor output (no FlowMonitor/FlowStats)")
    return root


def _stats_row(path, flow):
    """The numbers of one FlowStats/Flow element."""
    rx_packets = _number(path, flow, "rxPackets")
    tx_packets = _number(path, flow, "txPackets")
    rx_bytes = _number(path, flow, "rxBytes")
    first_tx = _seconds(path, flow.get("timeFirstTxPacket", ""))
    last_rx = _seconds(path, flow.get("timeLastRxPacket", ""))
    span = last_rx - first_tx
    return {
        "tx_packets": tx_packets, "rx_packets": rx_packets,
        "tx_bytes": _number(path, flow, "txBytes"), "rx_bytes": rx_bytes,
        "lost_packets": _number(path, flow, "lostPackets"),
        "first_tx_s": first_tx, "last_rx_s": last_rx,
        "throughput_bps": rx_bytes * 8 / span if rx_packets and span > 0 else 0.0,
        "delay_mean_s": (_seconds(path, flow.get("delaySum", "")) / rx_packets
                         if rx_packets else float("nan")),
        "jitter_mean_s": (_seconds(path, flow.get("jitterSum", "")) / (rx_packets - 1)
                          if rx_packets > 1 else float("nan")),
        "loss": _number(path, flow, "lostPackets") / tx_packets if tx_packets else 0.0,
    }


def load(path):
    """The flows of the FlowMonitor file at `path` as a DataFrame (columns: COLUMNS)."""
    path = os.fspath(path)
    root = _parse(path)
    node_of = {n.get("address"): _number(path, n, "id") for n in root.iter("Node")
               if n.get("address") is not None}
    classes = {}
    for flow in root.findall("Ipv4FlowClassifier/Flow"):
        classes[flow.get("flowId")] = flow
    rows = []
    for flow in root.findall("FlowStats/Flow"):
        flow_id = flow.get("flowId")
        c = classes.get(flow_id)
        if c is None:
            raise FlowmonError(f"{path}: flow {flow_id} is not in the Ipv4FlowClassifier")
        row = {"flow": _number(path, flow, "flowId"), "src": c.get("sourceAddress"),
               "dst": c.get("destinationAddress"),
               "src_port": _number(path, c, "sourcePort", 0),
               "dst_port": _number(path, c, "destinationPort", 0),
               "protocol": _number(path, c, "protocol", 0)}
        row["src_node"] = node_of.get(row["src"], -1)
        row["dst_node"] = node_of.get(row["dst"], -1)
        row.update(_stats_row(path, flow))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def summary_lines(flows, top=TOP_FLOWS):
    """Text lines: totals over every flow, then the `top` flows by bytes received."""
    if flows.empty:
        return ["flows (FlowMonitor): none"]
    received = flows[flows.rx_packets > 0]
    delay = (received.delay_mean_s * received.rx_packets).sum() / max(received.rx_packets.sum(), 1)
    lines = [
        f"flows (FlowMonitor): {len(flows)} flows, {int(flows.tx_bytes.sum())} bytes sent, "
        f"{int(flows.rx_bytes.sum())} received; mean delay {delay:.4f} s; "
        f"lost {int(flows.lost_packets.sum())} of {int(flows.tx_packets.sum())} packets "
        f"({flows.lost_packets.sum() / max(flows.tx_packets.sum(), 1):.2%})",
        f"  top {min(top, len(flows))} flows by bytes received:",
        "    flow  from -> to      bytes rx   throughput   mean delay   loss",
    ]
    for _, f in flows.sort_values(["rx_bytes", "flow"], ascending=[False, True]).head(top).iterrows():
        ends = f"{_end(f.src_node, f.src)} -> {_end(f.dst_node, f.dst)}"
        delay_text = "-" if pd.isna(f.delay_mean_s) else f"{f.delay_mean_s:.4f} s"
        lines.append(f"    {f.flow:>4}  {ends:<14} {int(f.rx_bytes):>9}  "
                     f"{f.throughput_bps / 1e3:>8.1f} kb/s  {delay_text:>10}  {f.loss:>5.1%}")
    return lines


def _end(node, address):
    return f"node {node}" if node >= 0 else address
