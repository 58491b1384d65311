"""The sentences the report quotes as PyTorch's word: in the installed torch exactly from the release each names.

Not claims about torch's behaviour, so nothing is recorded: a quote that is missing from a release
its entry says has it (or present on one before) turns this release's run red, and the entry's
``since`` (or the quote) is what to fix.
"""

from __future__ import annotations

import pytest

from compat.catalog import expectations, versions
from compat.catalog.expectations import Evidence
from compat.run import evidence as quotes

QUOTED: list[Evidence] = sorted(
    {e.evidence for e in expectations.load() if e.evidence is not None and e.evidence.checkable},
    key=lambda e: (e.where, e.quote),
)


@pytest.mark.parametrize("evidence", QUOTED, ids=[f"{e.where}:{e.quote[:30]}" for e in QUOTED])
def test_a_quoted_sentence_is_in_torch_from_the_release_it_names_on(evidence: Evidence) -> None:
    """The sentence an entry quotes is in the source of the object it names from release ``since`` on, not before."""
    installed = versions.release_of(versions.installed())
    expected = versions.at_least(installed, evidence.since)
    assert quotes.quoted(evidence) == expected, (
        f"{evidence.where} on torch {installed} {'lacks' if expected else 'already has'} the quote "
        f"{evidence.quote!r}; its entry says since {evidence.since}"
    )
