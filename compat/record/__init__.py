"""Recording: the pytest plugin, its result files, and the reproducers.

``plugin`` runs every claim's test per subject and records each outcome through ``recorder``;
``script`` and ``steps`` print a case as a plain-torch reproducer, ``repro`` writes it, and
``verify`` runs it on a release.
"""
