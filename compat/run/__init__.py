"""Running one case on the installed torch: build, train, save, load, train on, compare.

``engine`` runs the optimizer's round trip and ``scheduling`` the scheduler's; ``differ`` says
what differs; ``checks`` raises a claim's violation; ``loading`` and ``savers`` build the loads a
state dict was not made for; ``crossversion`` reads the fixtures other releases saved;
``examples`` holds the pinned examples; ``conditions`` measures what a violation needs; ``formats``
describes the keys and step type of a saved state. ``probe`` measures what the installed torch
accepts and ``anatomy`` what a subject's optimizer holds, from which ``applicability`` says whether a
claim applies; ``extensions`` trains the specs from outside the package before the suite runs them.
"""
