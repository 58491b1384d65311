"""Optimizers broken on purpose, each with a spec: the suite must name what they lose (--spec)."""

import fractions

import torch

from compat import Choice, OptimizerSpec


class Momentum(torch.optim.Optimizer):
    """Plain momentum SGD with one ``buffer`` per param."""

    def __init__(self, params, lr=0.01, momentum=0.9):
        if lr < 0:
            raise ValueError(f"invalid lr {lr}")
        super().__init__(params, {"lr": lr, "momentum": momentum})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                state["buffer"] = state.get("buffer", torch.zeros_like(p)).mul(group["momentum"]).add(p.grad)
                p.add_(state["buffer"], alpha=-group["lr"])


class DropsBuffer(Momentum):
    """Its state_dict leaves the momentum buffer out."""

    def state_dict(self):
        saved = super().state_dict()
        saved["state"] = {i: {k: v for k, v in entry.items() if k != "buffer"} for i, entry in saved["state"].items()}
        return saved


class DropsBufferOnLoad(Momentum):
    """Its load_state_dict goes through torch's, then drops the momentum buffer it loaded."""

    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)
        for entry in self.state.values():
            entry.pop("buffer", None)


class IgnoresSavedLr(Momentum):
    """Its load_state_dict keeps the constructor's lr instead of the saved one."""

    def load_state_dict(self, state_dict):
        lrs = [group["lr"] for group in self.param_groups]
        super().load_state_dict(state_dict)
        for group, lr in zip(self.param_groups, lrs, strict=True):
            group["lr"] = lr


class RefusesToLoad(Momentum):
    """Its load_state_dict raises, whatever it is given."""

    def load_state_dict(self, state_dict):
        raise RuntimeError("RefusesToLoad cannot be restored")


class KeepsAFraction(Momentum):
    """Its state_dict holds a fractions.Fraction, which torch.load(weights_only=True) refuses to unpickle."""

    def state_dict(self):
        return {**super().state_dict(), "warmup": fractions.Fraction(1, 10)}


class FixedStep(torch.optim.Optimizer):
    """Steps by ``step_size`` against the gradient's sign: its groups hold no lr (the one given is ignored)."""

    def __init__(self, params, lr=None, step_size=0.01):
        super().__init__(params, {"step_size": step_size})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad.sign(), alpha=-group["step_size"])


class PairsParams(Momentum):
    """Moves each param of a pair by its partner's gradient, as LoRA-factor optimizers pair theirs: same sizes only."""

    @torch.no_grad()
    def step(self, closure=None):
        if closure is not None:
            with torch.enable_grad():
                closure()
        for group in self.param_groups:
            for a, b in zip(group["params"][::2], group["params"][1::2], strict=False):
                if a.grad is not None and b.grad is not None:
                    a.add_(b.grad.reshape(a.shape), alpha=-group["lr"])


def _spec(cls: type) -> OptimizerSpec:
    return OptimizerSpec(target=f"{__name__}.{cls.__name__}", hyperparameters={"momentum": Choice((0.5, 0.9))})


DROPS_BUFFER = _spec(DropsBuffer)
DROPS_BUFFER_ON_LOAD = _spec(DropsBufferOnLoad)
IGNORES_SAVED_LR = _spec(IgnoresSavedLr)
REFUSES_TO_LOAD = _spec(RefusesToLoad)
KEEPS_A_FRACTION = _spec(KeepsAFraction)
PAIRS_PARAMS = _spec(PairsParams)
FIXED_STEP = OptimizerSpec(target=f"{__name__}.FixedStep", hyperparameters={"step_size": Choice((0.01, 0.1))})
NOT_A_SPEC = Momentum
MISSING_CLASS = OptimizerSpec(target=f"{__name__}.NoSuchOptimizer", hyperparameters={})
INVALID_SPACE = OptimizerSpec(target=f"{__name__}.Momentum", hyperparameters={"lr": Choice((0.1, -1.0))})
