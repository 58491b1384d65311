"""What is checked: the claims with their checks, and the subjects they are checked on.

The claims (``claims/``, one module per category) and when they apply; the optimizer and
scheduler specs and their constructor spaces (``specs``, ``optimizers``, ``schedulers``,
``space``, ``extensions``); the known violations (``expected_outcomes.toml``, read by
``expectations``); the releases (``versions``); the case a test draws (``case``).
"""
