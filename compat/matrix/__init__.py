"""The matrix: every release in its own venv, and what is built on the runs.

``runner`` drives the releases and the cross-release fixtures, ``merge`` joins result files,
``zoo`` runs the third-party optimizers, ``faults`` injects faults into torch to show the suite
catches them, ``benchmark`` prints the speed figures (kept in bench/ by ``bench_history``) and
``floor`` times the suite's cases as plain torch; ``interpreters`` picks the Python of each release's
venv; ``processes`` runs the children, stops them on SIGINT or SIGTERM, and holds the
one-run-per-checkout lock.
"""
