"""The evidence an entry carries: quotes looked up in torch's own source, links that were read (docs/kinds.md)."""

import pytest

from compat.catalog import expectations
from compat.catalog.expectations import Evidence
from compat.run import evidence

ZIP = (
    "When loading from a state_dict, the optimizer will zip the param_group ``params`` (int IDs) and the optimizer "
    "``param_groups`` (actual ``nn.Parameter`` s) in order to match state WITHOUT additional verification."
)
# Links a reviewer found wrong for what they were cited for: never again.
REFUTED = {
    "https://github.com/pytorch/pytorch/issues/60265": "a CosineAnnealingLR formula error fixed in 1.12",
}


def test_a_quote_is_found_in_the_source_of_the_object_it_names_across_line_breaks():
    assert evidence.quoted(Evidence(ZIP, "torch.optim.Optimizer.state_dict", "2.1"))


@pytest.mark.parametrize(
    ("quote", "where"),
    [
        (ZIP.replace("WITHOUT", "WITH"), "torch.optim.Optimizer.state_dict"),  # one word off
        (ZIP, "torch.optim.Optimizer.load_state_dict"),  # another object's source
        (ZIP, "torch.optim.NoSuchOptimizer.state_dict"),  # an object this torch lacks
    ],
)
def test_a_quote_that_is_not_in_the_named_source_is_not_found(quote, where):
    assert not evidence.quoted(Evidence(quote, where, "2.1"))


def test_line_breaks_indentation_and_literal_markup_do_not_count():
    assert evidence.normalized("the ``state_dict``\n        argument") == "the state_dict argument"


def test_every_documented_or_by_design_entry_quotes_torch_and_every_linked_one_says_its_state():
    for entry in expectations.load():
        if entry.kind in expectations.QUOTED:
            assert entry.evidence and entry.evidence.quote, entry.claim
        if entry.upstream:
            assert entry.upstream.state in expectations.STATES, entry.claim
        if entry.kind == "workaround":
            assert entry.claim.endswith(".repaired"), f"{entry.claim}: only the repaired order is our workaround"


def test_no_entry_links_a_report_refuted_for_what_it_was_cited_for():
    for entry in expectations.load():
        assert entry.link not in REFUTED, f"{entry.claim} links {entry.link}: {REFUTED.get(entry.link)}"


def test_no_repaired_finding_is_filed_as_a_pytorch_bug():
    repaired = [e for e in expectations.load() if e.claim.endswith(".repaired")]
    assert repaired
    assert {e.kind for e in repaired if "WeakMethod" not in e.reason} == {"workaround"}
