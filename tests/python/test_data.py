"""analysis.data on records shaped as the scenarios in scenarios/data/ write them."""
import pytest

from analysis import data

REQUESTS = """time_s,requester,stream,decision,reason,latency_s,bytes,readable
5.1,3,42,refused,not-registered,0.1,76,0
6.2,3,42,served,none,0.2,682,1
6.3,4,42,served,none,0.4,682,1
31.0,3,42,refused,revoked,0.1,76,0
31.1,4,42,refused,revoked,0.3,76,0
"""

OPS = """seed,topology,chunking,op,ok,lookup_hops,network_hops,latency_ms,bytes,blocks,reason
1,grid,fixed,put,1,2,0,300,65536,17,
1,grid,fixed,get,1,1,4,200,66261,17,
1,grid,fixed,get,1,1,6,400,66261,17,
1,grid,fixed,get,1,2,9,600,66261,17,
1,grid,fixed,get,0,2,0,4000,0,0,no provider delivered
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_refusals_count_by_reason_and_the_cdf_covers_served_requests(tmp_path):
    req = data.load_requests(write(tmp_path, "req.csv", REQUESTS))
    r = data.refusals_by_reason(req)
    assert r["revoked"] == 2 and r["not-registered"] == 1
    xs, ys = data.latency_cdf(req)
    assert list(xs) == [0.2, 0.4]
    assert list(ys) == [0.5, 1.0]


def test_retrieval_by_hops_groups_successful_gets_only(tmp_path):
    ops = data.load_storage_ops(write(tmp_path, "ops.csv", OPS))
    by = data.retrieval_by_hops(ops, "lookup_hops")
    assert by.loc[1, "count"] == 2 and by.loc[1, "mean_ms"] == 300
    assert by.loc[2, "count"] == 1  # the failed get is left out
    with pytest.raises(ValueError):
        data.retrieval_by_hops(ops, "bytes")


def test_bad_files_name_the_file_and_column(tmp_path):
    with pytest.raises(data.DataError, match="missing column"):
        data.load_requests(write(tmp_path, "a.csv", "time_s,requester\n1,2\n"))
    bad = REQUESTS.replace("0.2,682", "fast,682")
    with pytest.raises(data.DataError, match=r"b.csv:3: column latency_s"):
        data.load_requests(write(tmp_path, "b.csv", bad))
    with pytest.raises(data.DataError, match="is not served or refused"):
        data.load_requests(write(tmp_path, "c.csv", REQUESTS.replace("served,none", "maybe,none")))
    with pytest.raises(data.DataError, match="cannot read"):
        data.load_requests(tmp_path / "absent.csv")
