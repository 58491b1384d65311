"""What checks of more than one category write."""

from __future__ import annotations

TRAIN_ON = """
try:  # train on from the checkpoint
    train(fresh, fresh_params, {m}, {n})
except Exception as error:
    problems.append(f"optimizer.step() after load_state_dict raised {{first_line(error)}}")
"""
