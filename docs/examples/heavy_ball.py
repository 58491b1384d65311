"""The worked example of docs/extending.md: a small optimizer and the spec that brings it into the suite.

Run the whole suite over it with:  pytest props --spec docs/examples/heavy_ball.py:SPECS
"""

from collections.abc import Callable, Iterable

import torch

from compat import Choice, Floats, OptimizerSpec


class HeavyBall(torch.optim.Optimizer):
    """Gradient descent with heavy-ball momentum; its state is one ``velocity`` buffer per param."""

    def __init__(self, params: Iterable, lr: float = 0.01, momentum: float = 0.9, weight_decay: float = 0.0) -> None:
        if lr < 0 or not 0 <= momentum < 1 or weight_decay < 0:
            raise ValueError(f"invalid lr={lr}, momentum={momentum} or weight_decay={weight_decay}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """Take one step: velocity = momentum * velocity + grad; param -= lr * velocity."""
        loss = None if closure is None else closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.add(p, alpha=group["weight_decay"])
                state = self.state[p]
                if "velocity" not in state:
                    state["velocity"] = torch.zeros_like(p)
                state["velocity"].mul_(group["momentum"]).add_(grad)
                p.add_(state["velocity"], alpha=-group["lr"])
        return loss

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a checkpoint through torch's method, also one of version 1 (its buffer was ``momentum_buffer``)."""
        renamed = {"momentum_buffer": "velocity"}
        state = {i: {renamed.get(k, k): v for k, v in entry.items()} for i, entry in state_dict["state"].items()}
        super().load_state_dict({**state_dict, "state": state})


SPECS = [
    OptimizerSpec(
        target=f"{__name__}.HeavyBall",
        hyperparameters={
            "momentum": Floats(0.0, 0.99),
            "weight_decay": Choice((0.0, 0.01)),
        },
        since="2.0",
    ),
]
