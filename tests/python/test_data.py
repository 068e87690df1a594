"""analysis.data on the data_requests and storage_ops datasets of a run with a `data:` section
(frames shaped as analysis.trace loads them)."""
import pandas as pd
import pytest

from analysis import data
from analysis import trace as tr


def requests_frame():
    # reason codes: 0 none, 1 no-grant, 2 revoked, 3 bad-signature, 4 replayed
    rows = [(5.1, 3, 0, 42, 1, 1, 0, 0, 0, 0.1, 76, 3),
            (6.2, 3, 0, 42, 0, 0, 0, 1, 0, 0.2, 682, 3),
            (6.3, 4, 0, 42, 0, 0, 0, 1, 0, 0.4, 682, 1),
            (31.0, 3, 0, 42, 1, 2, 0, 0, 0, 0.1, 76, 3),
            (31.1, 4, 0, 42, 1, 2, 0, 0, 0, 0.3, 76, 1),
            (31.2, 4, 0, 42, 1, 3, 0, 0, 0, 0.3, 76, 1)]
    return pd.DataFrame(rows, columns=tr.OPTIONAL_DATASETS["data_requests"])


def ops_frame():
    # op codes: 0 put, 1 get, 2 publish-name, 3 resolve-name
    rows = [(3.0, 0, 0, 1, 7, 2, 17, 65536, 0.3, 0),
            (6.0, 4, 1, 1, 7, 1, 17, 66261, 0.2, 0),
            (7.0, 5, 1, 1, 7, 1, 17, 66261, 0.4, 0),
            (8.0, 6, 1, 1, 7, 2, 17, 66261, 0.6, 0),
            (9.0, 7, 1, 0, 7, 2, 0, 0, 4.0, 7),
            (9.5, 7, 3, 1, 9, 1, 1, 186, 0.05, 0)]
    return pd.DataFrame(rows, columns=tr.OPTIONAL_DATASETS["storage_ops"])


def make_trace(**frames):
    return tr.Trace("mem.h5", {}, frames)


def test_refusals_count_by_reason_and_the_cdf_covers_each_decision():
    req = data.requests(make_trace(data_requests=requests_frame()))
    r = data.refusals_by_reason(req)
    assert r["revoked"] == 2 and r["no-grant"] == 1 and r["bad-signature"] == 1
    xs, ys = data.latency_cdf(req)
    assert list(xs) == [0.2, 0.4]
    assert list(ys) == [0.5, 1.0]
    xs, _ = data.latency_cdf(req, "refused")
    assert len(xs) == 4
    assert set(req["rule"]) == {"best-chain"}


def test_retrieval_by_hops_groups_successful_gets_only():
    ops = data.storage_ops(make_trace(storage_ops=ops_frame()))
    by = data.retrieval_by_hops(ops)
    assert by.loc[1, "count"] == 2 and by.loc[1, "mean_ms"] == pytest.approx(300)
    assert by.loc[2, "count"] == 1  # the failed get is left out
    assert data.retrieval_by_hops(ops, "resolve-name").loc[1, "count"] == 1
    with pytest.raises(ValueError):
        data.retrieval_by_hops(ops, "put")


def test_unknown_codes_name_the_dataset_field_and_row():
    bad = requests_frame()
    bad.loc[2, "reason"] = 77
    with pytest.raises(data.DataError, match=r"data_requests: field reason row 2: code 77"):
        data.requests(make_trace(data_requests=bad))
    ops = ops_frame()
    ops.loc[0, "op"] = 9
    with pytest.raises(data.DataError, match=r"storage_ops: field op row 0"):
        data.storage_ops(make_trace(storage_ops=ops))


def test_a_trace_without_the_datasets_gives_empty_frames_and_no_images(tmp_path):
    t = make_trace()
    assert not data.has_data(t)
    assert len(data.requests(t)) == 0 and len(data.storage_ops(t)) == 0
    assert data.write_images(t, str(tmp_path)) == []


def test_images_are_written_when_the_trace_has_them(tmp_path):
    t = make_trace(data_requests=requests_frame(), storage_ops=ops_frame())
    paths = data.write_images(t, str(tmp_path), subtitle="test")
    names = sorted(p.rsplit("/", 1)[1] for p in paths)
    assert names == ["data_refusals.png", "data_request_latency.png",
                     "storage_retrieval_hops.png"]
    for p in paths:
        with open(p, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
