"""Benchmarks at 10,000 items per client, each against a baseline measured in the same run.

Targets are ratios, so they hold on any machine. `python -m bench --help` lists the options.
"""
