"""Benchmark parts behind `python -m search bench`: workload, peers, load, scale.

Nothing here runs at request time; `search.bench` puts the parts together and prints
the table. The load generator and the live-server helper are also used by the tests
(tests/test_load.py, tests/test_robustness.py), always on 127.0.0.1 and bounded in
requests and seconds.
"""
