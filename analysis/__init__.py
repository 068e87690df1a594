"""CanonSim analysis: loading run outputs and plotting them. Run with Debian's /usr/bin/python3."""
