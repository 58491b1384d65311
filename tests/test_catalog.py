"""One source of truth per fact: claims, the registry, supported releases and their mirrors."""

import configparser
import importlib
import inspect
import re
from pathlib import Path

import pytest

from compat.catalog import claims, expectations, schedulers, specs, versions
from compat.catalog.optimizers import OptimizerSpec
from compat.run import crossversion, runs

ROOT = Path(__file__).resolve().parent.parent


def props_claims():
    """Return {claim id: test name} for every property test in props/."""
    found = {}
    for path in sorted((ROOT / "props").glob("test_*.py")):
        module = importlib.import_module(f"props.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "claim":
                    assert mark.args[0] not in found, f"{mark.args[0]} is checked by two tests"
                    found[mark.args[0]] = f"{path.stem}::{name}"
    return found


def test_every_live_claim_has_exactly_one_property_test():
    assert set(props_claims()) == {c.id for c in claims.live()}


def test_every_claim_lives_in_the_module_of_its_category_and_names_a_plain_check():
    for claim in claims.live():
        module = importlib.import_module(f"compat.catalog.claims.{claim.category}")
        assert claim in module.CLAIMS, claim.id
        check = runs.check_function(claim)
        assert check.__module__.startswith("compat.catalog.checks."), claim.id
        given = crossversion.Fixture if claim.category == "crossversion" else runs.Runs
        assert runs.data_function(claim) is not None or all(
            hasattr(given, name) or name == "order" for name in runs.parameters(check)
        ), f"{claim.id}: {check.__name__} takes a value no data function gives"


def test_every_claim_test_lives_in_the_file_of_its_category():
    for claim_id, test in props_claims().items():
        assert test.startswith(f"test_{claims.get(claim_id).category}::"), test


def test_every_claim_test_states_its_claim_in_its_docstring():
    for path in sorted((ROOT / "props").glob("test_*.py")):
        module = importlib.import_module(f"props.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("test_"):
                assert (function.__doc__ or "").strip(), f"{path.stem}::{name} has no docstring"


def test_claim_ids_are_unique_and_well_formed():
    ids = [c.id for c in claims.CATALOG.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z0-9_-]+)+", i) for i in ids), ids


def test_the_issue_named_claims_are_all_in_the_catalog():
    named = (
        "optimizer.state_dict.roundtrip",
        "optimizer.hyperparameters.restored",
        "optimizer.flags.restored",
        "optimizer.state.restored",
        "optimizer.state.dtype-follows-param",
        "optimizer.state.device-follows-param",
        "optimizer.resume.bitwise",
        "optimizer.lr.tensor.preserved",
        "optimizer.load.rejects-group-mismatch",
        "optimizer.load.matches-by-identity",
        "optimizer.load.validates-hyperparameters",
        "optimizer.load.leaves-argument-intact",
        "optimizer.state_dict.weights_only",
        "optimizer.state_dict.mmap",
        "optimizer.state_dict.legacy-format",
        "optimizer.load.no-grad-params",
        "answer.lr-in-state-dict",
        "answer.lr-not-in-per-param-state",
        "answer.fresh-optimizer-uses-constructor-lr",
        "device.cuda.optimizer.state_dict.roundtrip",
        "device.cuda.optimizer.resume.bitwise",
        "device.cuda-to-cpu.state-on-cpu",
        "device.cpu-to-cuda.state-on-cuda",
    )
    assert set(named) <= set(claims.CATALOG)


def test_an_unknown_claim_suggests_the_closest_ids():
    with pytest.raises(claims.UnknownClaim, match=r"unknown claim 'optimizer\.lr\.saved'; did you mean optimizer\."):
        claims.get("optimizer.lr.saved")


def test_supported_releases_are_sorted_and_unique():
    parsed = [versions.release(v) for v in versions.SUPPORTED]
    assert parsed == sorted(set(parsed))


@pytest.mark.parametrize("bad", ["2.99", "0.4", "banana", ""])
def test_an_unknown_release_is_one_error_listing_the_supported_ones(bad):
    with pytest.raises(versions.UnknownRelease) as raised:
        versions.supported(bad)
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(("unknown torch release", "malformed torch release"))


def test_the_tox_env_list_equals_the_supported_releases():
    tox = configparser.ConfigParser()
    tox.read(ROOT / "tox.ini")
    listed = re.fullmatch(r"torch\{(.*)\}", tox["tox"]["env_list"].strip()).group(1).split(",")
    assert listed == list(versions.SUPPORTED), "tox.ini env_list must equal compat.catalog.versions.SUPPORTED"
    pins = re.findall(r"torch([\d.]+): torch==([\d.]+)\.\*", tox["testenv"]["deps"])
    assert [a for a, _ in pins] == [b for _, b in pins] == list(versions.SUPPORTED)
    # a tox run writes the file the matrix writes for that release (results/2.15-cpu.json), so it replaces that run
    named = re.findall(r"torch([\d.]+): RELEASE = ([\d.]+)", tox["testenv"]["setenv"])
    assert [a for a, _ in named] == [b for _, b in named] == list(versions.SUPPORTED)
    assert "results/{env:RELEASE}-cpu.json" in tox["testenv"]["commands"]


def test_registering_a_second_spec_for_a_target_is_an_error():
    with pytest.raises(specs.RegistryError, match=r"torch\.optim\.SGD is already registered"):
        specs.register(specs.get("SGD"))


def test_registering_something_that_is_not_a_spec_is_an_error():
    with pytest.raises(specs.RegistryError, match="takes an OptimizerSpec, got dict"):
        specs.register({"target": "my.Optimizer"})


def test_an_unknown_optimizer_lists_the_registered_ones():
    with pytest.raises(specs.RegistryError, match=r"unknown optimizer 'Adamm'; registered: .*torch.optim.Adam,"):
        specs.get("Adamm")


def test_an_absent_class_is_not_applicable_with_a_reason():
    ghost = OptimizerSpec(target="torch.optim.NoSuchOptimizer", hyperparameters={})
    assert ghost.absent_because(versions.installed()).startswith("torch.optim.NoSuchOptimizer cannot be imported")
    future = OptimizerSpec(target="torch.optim.SGD", hyperparameters={}, since="2.99")
    assert future.absent_because("2.6.0") == "torch.optim.SGD is new in torch 2.99"


def test_every_known_violation_names_registered_subjects():
    registered = set(specs.specs()) | set(schedulers.specs())
    for entry in expectations.load():
        for pattern in entry.subjects:
            assert any(re.fullmatch(pattern.replace(".", r"\.").replace("*", ".*"), t) for t in registered), pattern


def test_the_restore_orders_the_engine_runs_are_the_ones_the_catalog_lists():
    from compat.run import scheduling

    assert scheduling.ORDERS == schedulers.RESTORE_ORDERS
