"""The kinds of torch refusal that a claim owns (NOTE: [refusals a claim owns] in compat.run.engine).

Kept apart from the engine so that the catalog (and the matrix driver that reads it) imports without torch.
"""

WEIGHTS_ONLY = "weights_only"  # torch.load refusing a checkpoint under weights_only=True
LOAD_STATE_DICT = "load_state_dict"  # load_state_dict refusing the subject's own checkpoint
SAVE = "save"  # torch.save refusing to write the checkpoint (CyclicLR's WeakMethod on 1.13, a lambda up to 2.1)
