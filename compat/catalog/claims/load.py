"""Claims about what load_state_dict checks, matches and leaves alone."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.load.rejects-group-mismatch",
        statement="load_state_dict raises ValueError when the number of param groups, or of params "
        "in a group, differs from the saved one.",
        category="load",
        check="load.rejects_group_mismatch",
        data="loading.other_groups",
    ),
    Claim(
        id="optimizer.load.matches-by-identity",
        statement="Permuting same-shaped params between save and load does not swap their state.",
        category="load",
        needs=(LAYOUT,),
        check="load.matches_by_identity",
        data="loading.twin_positions",
    ),
    Claim(
        id="optimizer.load.validates-hyperparameters",
        statement="load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr).",
        category="load",
        needs=(LAYOUT,),
        check="load.validates_hyperparameters",
        data="loading.rejected",
    ),
    Claim(
        id="optimizer.load.leaves-argument-intact",
        statement="load_state_dict does not mutate the dict it is given.",
        category="load",
        check="load.leaves_argument_intact",
    ),
    Claim(
        id="optimizer.load.does-not-alias-argument",
        statement="Training after load_state_dict leaves the loaded dict's tensors unchanged "
        "(the optimizer does not keep the caller's tensors as its state).",
        category="load",
        check="load.does_not_alias_argument",
    ),
    Claim(
        id="optimizer.load.atomic",
        statement="A load_state_dict that raises (another class's checkpoint, a group of another size) leaves the "
        "optimizer as it was: param_groups and state unchanged, and it steps on exactly as an untouched twin.",
        category="load",
        needs=(LAYOUT,),
        check="load.atomic",
        data="savers.foreign_saver",
    ),
    Claim(
        id="optimizer.load.rejects-shape-mismatch",
        statement="State saved for params of other shapes (same groups, same param counts) is refused by "
        "load_state_dict, not left to fail at the first step() or to train on silently.",
        category="load",
        needs=(LAYOUT,),
        check="load.rejects_shape_mismatch",
        data="loading.shapes_tried",
    ),
    Claim(
        id="optimizer.load.across-classes",
        statement="A checkpoint of another optimizer class, one a user switching class would load (AdamW into "
        "Adam, Adam into AdamW or SGD, SGD or RMSprop into Adam, ...), is refused by load_state_dict, or the "
        "loading optimizer trains on from it exactly as the saving class would (params bitwise).",
        category="load",
        applies=applicability.has_partner,
        check="load.across_classes",
        data="savers.partner_savers",
    ),
)
