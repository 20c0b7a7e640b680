"""Benchmarks (issue 7): `make bench` runs them all; they never run in `make test`."""
