"""Recording: the pytest plugin, its result files, and the reproducers.

``plugin`` runs every claim's test per subject (its options in ``options``) and records each outcome
through ``recorder``; ``failures`` shapes how a violated claim reads in pytest's output;
``script`` and ``steps`` print a case as a plain-torch reproducer, ``repro`` writes it, and
``verify`` runs it on a release.
"""
