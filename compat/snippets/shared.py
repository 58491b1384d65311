"""What more than one family of checks writes."""

CHANGED = """[
    f"{{where}}[{{i}}][{{k!r}}]: {{given['state'][i].get(k)!r}} vs {{v!r}}"
    for i, s in {after}["state"].items() for k, v in s.items() for was in [given["state"][i].get(k)]
    if not (torch.equal(v, was) if isinstance(v, torch.Tensor) and isinstance(was, torch.Tensor) else repr(v) == repr(was))
]"""
