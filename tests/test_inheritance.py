"""Which classes run a method of torch's: inherited unchanged, or reached through super() from an override."""

import torch

from compat.catalog.inheritance import runs

BASE = torch.optim.Optimizer


class Unchanged(torch.optim.SGD):
    pass


class ThroughSuper(torch.optim.SGD):
    def load_state_dict(self, state_dict):
        super().load_state_dict({**state_dict})


class ThroughOldSuper(torch.optim.SGD):
    def load_state_dict(self, state_dict):
        super(ThroughOldSuper, self).load_state_dict(state_dict)  # noqa: UP008 (the spelling Python 2 code has)


class ThroughTheBaseByName(torch.optim.SGD):
    def load_state_dict(self, state_dict):
        torch.optim.Optimizer.load_state_dict(self, state_dict)


class Replaced(torch.optim.SGD):
    def load_state_dict(self, state_dict):
        self.param_groups[0]["lr"] = state_dict["param_groups"][0]["lr"]


class BelowAReplacement(Replaced):
    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)


class CallsAnotherMethodOfSuper(torch.optim.SGD):
    def load_state_dict(self, state_dict):
        super().state_dict()


def test_a_class_runs_torchs_method_unchanged_or_through_super_at_every_override():
    assert runs(Unchanged, BASE, "load_state_dict")
    assert runs(ThroughSuper, BASE, "load_state_dict")
    assert runs(ThroughOldSuper, BASE, "load_state_dict")
    assert runs(ThroughTheBaseByName, BASE, "load_state_dict")
    assert runs(Replaced, BASE, "state_dict")  # only load_state_dict is replaced


def test_a_replacement_anywhere_along_the_mro_or_another_super_method_does_not_count():
    assert not runs(Replaced, BASE, "load_state_dict")
    assert not runs(BelowAReplacement, BASE, "load_state_dict")
    assert not runs(CallsAnotherMethodOfSuper, BASE, "load_state_dict")


def test_an_override_whose_source_cannot_be_read_does_not_count():
    made = {}
    exec("def load_state_dict(self, state_dict):\n    super().load_state_dict(state_dict)\n", made)
    unreadable = type("Unreadable", (torch.optim.SGD,), {"load_state_dict": made["load_state_dict"]})
    assert not runs(unreadable, BASE, "load_state_dict")
