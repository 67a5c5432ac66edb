"""NumPy's classic C-API in hpyapi's declaration language (issue 10, item 6).

translate.py reads the installed numpy headers and classifies and
translates every slot; cgen.py writes the test API's C sources from that;
expect.py computes what each generated entry must return; report.py writes
docs/numpy-coverage.md.  tests/test_numpy_api.py builds and calls it all.
"""
