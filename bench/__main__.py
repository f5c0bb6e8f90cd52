"""`make bench` runs this: every case at 10,000 items per client (see bench/run.py)."""

from bench.run import main

raise SystemExit(main())
