"""CanonSim analysis: loading run outputs and plotting them. Run with Debian's /usr/bin/python3.

    import analysis
    t = analysis.load("out/run.h5")     # dict of DataFrames, one per dataset; t.meta attributes
"""


def load(path):
    """The trace at `path` as a dict of pandas DataFrames plus `.meta` (see analysis.trace)."""
    from analysis import trace  # imported on use: `python -m analysis.x` stays light

    return trace.load(path)
