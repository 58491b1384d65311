"""What checks of more than one category write."""

from __future__ import annotations

CHANGED = """[
    f"{{where}}[{{i}}][{{k!r}}]: {{given['state'][i].get(k)!r}} vs {{v!r}}"
    for i, s in {after}["state"].items() for k, v in s.items() for was in [given["state"][i].get(k)]
    if not (torch.equal(v, was) if isinstance(v, torch.Tensor) and isinstance(was, torch.Tensor) else repr(v) == repr(was))
]"""


TRAIN_ON = """
try:  # train on from the checkpoint
    train(fresh, fresh_params, {m}, {n})
except Exception as error:
    problems.append(f"optimizer.step() after load_state_dict raised {{first_line(error)}}")
"""
