"""Each claim's check: a plain-torch function, one module per category, named by the claim (``Claim.check``).

A check takes the runs it compares by name (``opt``, ``loaded``, ``fresh``, ``straight``, ``train``,
... : ``compat.run.runs``) and the values its claim's data function gives (``Claim.data``), and returns
the problems it finds, one line each (``compat.catalog.checks.helpers``): nothing where the claim holds.
The property test calls it on the engine's runs; the reproducer prints its source and the helpers it
calls, builds the same runs in plain torch and calls it, so the two cannot drift. A check imports
nothing of this project inside its body.
"""
