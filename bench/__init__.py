"""Benchmarks of the briefing-site generator at 100, 1,000 and 10,000 briefings.

Run with `make bench` or `.venv/bin/python -m bench [--sizes 100,1000]`; results go to
bench/out/results.json and a table on standard output. Never run as a test: timings on
this machine are noisy. See bench/README.md.
"""
