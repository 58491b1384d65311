"""Real checkpoints, written on the CPU in seconds by each framework's own code, and what resuming them does.

The builders train a tiny model (``nn.Linear(4, 2)`` on 16 fixed samples, batches of 4 in order) a
few steps with the framework's own trainer and save through the framework's own code: transformers'
``Trainer``, a Lightning ``Trainer`` with ``ModelCheckpoint``, accelerate's ``save_state``. The files
a plain script writes are in tests/plain_checkpoints.py.

The ground-truth functions resume from those checkpoints with the same framework and return what
happened (bitwise equality with the uninterrupted run, the lr each step ran with, the error a resume
stopped with), for ``tests/test_frameworks.py`` to hold ``python -m compat check`` to. Frameworks are
imported inside the functions, so this module loads without the ``frameworks`` extra.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

SAMPLES = 16
BATCH = 4
STEPS_PER_EPOCH = SAMPLES // BATCH
LR = 0.1

HF_MAX_STEPS = 6
HF_SAVE_STEPS = 3  # inside the first epoch: the Trainer skips the batches it consumed when it resumes
HF_WARMUP_STEPS = 2

# Lightning restarts the epoch of a dataloader without state_dict (it warns "your dataloader is not
# resumable"), so a checkpoint is written at an epoch's end, where the resumed batches are the same.
ONECYCLE_TOTAL_STEPS = 2 * STEPS_PER_EPOCH
ONECYCLE_SAVE_EVERY = STEPS_PER_EPOCH

# accelerate's load_state brings back the model, optimizer, scheduler and RNG, not the place in a plain
# dataloader: the state is saved at an epoch's end, so the resumed run sees the batches it would have.
ACCELERATE_STEPS = STEPS_PER_EPOCH


class Samples(torch.utils.data.Dataset):
    """16 fixed samples of 4 features with a class label, as the dicts a Trainer feeds to ``forward``."""

    def __init__(self) -> None:
        generator = torch.Generator().manual_seed(0)
        self.x = torch.randn(SAMPLES, 4, generator=generator)
        self.labels = torch.randint(0, 2, (SAMPLES,), generator=generator)

    def __len__(self) -> int:
        return SAMPLES

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {"x": self.x[index], "labels": self.labels[index]}


def batches() -> torch.utils.data.DataLoader:
    """Return the samples in batches of 4, in order: every run sees the same batches."""
    return torch.utils.data.DataLoader(Samples(), batch_size=BATCH)


class TinyClassifier(nn.Module):
    """``nn.Linear(4, 2)`` returning its logits and, given labels, the cross-entropy loss (what a Trainer reads)."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        logits = self.linear(x)
        if labels is None:
            return {"logits": logits}
        return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}


def seeded_classifier() -> TinyClassifier:
    """Return the classifier every run starts from (seed 0)."""
    torch.manual_seed(0)
    return TinyClassifier()


@dataclass(frozen=True)
class Run:
    """How a training run ended: its parameters, the lr each optimizer step ran with, or the error it stopped with."""

    params: dict[str, torch.Tensor]
    lrs: dict[int, float] = field(default_factory=dict)  # step (1-based) -> lr of the first param group
    error: str | None = None  # "ValueError: ..." when the run raised

    def same_params(self, other: Run) -> bool:
        """Return whether both runs ended with bitwise equal parameters."""
        return self.params.keys() == other.params.keys() and all(
            torch.equal(value, other.params[name]) for name, value in self.params.items()
        )


def _parameters(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def _error_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"


# --- transformers' Trainer ----------------------------------------------------------------------------


def hf_trainer_checkpoint(folder: Path, *, max_steps: int = HF_MAX_STEPS, save_steps: int = HF_SAVE_STEPS) -> Path:
    """Train with transformers' Trainer to ``max_steps``, saving every ``save_steps``; return the first checkpoint.

    The Trainer's defaults pick the optimizer (transformers 5 with torch >= 2.8: ``adamw_torch_fused``,
    an AdamW with fused=True, on the CPU too) and the schedule (``linear``: a LambdaLR whose lr_lambda is
    a functools.partial, here with ``warmup_steps``). The returned ``checkpoint-N/`` holds
    optimizer.pt, scheduler.pt, trainer_state.json, rng_state.pth and the model.
    """
    hf_train(folder, max_steps=max_steps, save_steps=save_steps)
    return folder / f"checkpoint-{save_steps}"


def hf_train(folder: Path, *, max_steps: int, save_steps: int | None = None, resume_from: Path | None = None) -> Run:
    """Return the run of transformers' Trainer (its defaults, a linear warm-up) to ``max_steps``, outputs in ``folder``.

    ``save_steps`` None saves nothing; ``resume_from`` a checkpoint-N folder resumes it with
    ``trainer.train(resume_from_checkpoint=...)``.
    """
    from transformers import Trainer, TrainingArguments

    arguments = TrainingArguments(
        output_dir=str(folder),
        max_steps=max_steps,
        per_device_train_batch_size=BATCH,
        learning_rate=LR,
        warmup_steps=HF_WARMUP_STEPS,
        save_strategy="steps" if save_steps else "no",
        save_steps=save_steps or HF_SAVE_STEPS,  # as saved: a resume warns of a save_steps that differs
        logging_strategy="no",
        report_to=[],  # no tracker: nothing leaves the machine
        use_cpu=True,
        seed=0,
        disable_tqdm=True,
    )
    recorder = _hf_lr_recorder()
    trainer = Trainer(model=seeded_classifier(), args=arguments, train_dataset=Samples(), callbacks=[recorder])
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    return Run(_parameters(trainer.model), dict(recorder.lrs))


def _hf_lr_recorder() -> Any:
    """Return a TrainerCallback whose ``lrs`` maps each optimizer step to the lr it runs with."""
    from transformers import TrainerCallback

    class LrRecorder(TrainerCallback):
        def __init__(self) -> None:
            self.lrs: dict[int, float] = {}

        def on_step_begin(self, args: Any, state: Any, control: Any, optimizer: Any = None, **kwargs: Any) -> None:
            self.lrs[state.global_step + 1] = float(optimizer.param_groups[0]["lr"])

    return LrRecorder()


def hf_default_optimizer() -> str:
    """Return the ``optim`` the installed transformers' TrainingArguments picks by default."""
    from transformers import TrainingArguments

    return str(TrainingArguments(output_dir="unused", report_to=[], use_cpu=True).optim.value)


@dataclass(frozen=True)
class HfTruth:
    """What resuming a Trainer checkpoint-N did, with the max_steps it was saved with and with twice that."""

    saved_at: int  # trainer_state.json's global_step
    max_steps: int  # trainer_state.json's max_steps
    resumed_bitwise: bool  # same max_steps: final params bitwise those of the uninterrupted run
    saved_lr_lambdas: list[Any]  # scheduler.pt's lr_lambdas, as written
    longer_lrs: dict[int, float]  # resumed with twice max_steps: the lr each step ran with
    longer_schedule: dict[int, float]  # the lr each step of an uninterrupted run with twice max_steps uses
    saved_schedule: dict[int, float]  # the same for the saved max_steps

    @property
    def follows_new_schedule(self) -> bool:
        """Return whether the longer resume ran the longer schedule's lrs (after its first step) and not the saved.

        The first step after the load runs with the lr the checkpoint's param groups hold; each later one
        with what scheduler.step() computed.
        """
        later = [step for step in self.longer_lrs if step > self.saved_at + 1]
        return (
            bool(later)
            and all(self.longer_lrs[step] == self.longer_schedule[step] for step in later)
            and any(self.longer_lrs[step] != self.saved_schedule.get(step) for step in later)
        )


def hf_ground_truth(checkpoint: Path, scratch: Path) -> HfTruth:
    """Return what the Trainer does resuming ``checkpoint`` (runs written under ``scratch``)."""
    state = json.loads((checkpoint / "trainer_state.json").read_text(encoding="utf-8"))
    saved_at, max_steps = state["global_step"], state["max_steps"]
    uninterrupted = hf_train(scratch / "uninterrupted", max_steps=max_steps)
    resumed = hf_train(scratch / "resumed", max_steps=max_steps, resume_from=checkpoint)
    longer = hf_train(scratch / "longer", max_steps=2 * max_steps, resume_from=checkpoint)
    longer_uninterrupted = hf_train(scratch / "longer-uninterrupted", max_steps=2 * max_steps)
    scheduler = torch.load(checkpoint / "scheduler.pt", weights_only=True)
    return HfTruth(
        saved_at=saved_at,
        max_steps=max_steps,
        resumed_bitwise=resumed.same_params(uninterrupted),
        saved_lr_lambdas=list(scheduler["lr_lambdas"]),
        longer_lrs=longer.lrs,
        longer_schedule=longer_uninterrupted.lrs,
        saved_schedule=uninterrupted.lrs,
    )


# --- Lightning ----------------------------------------------------------------------------------------


def lightning_onecycle_checkpoint(
    folder: Path, *, total_steps: int = ONECYCLE_TOTAL_STEPS, save_every: int = ONECYCLE_SAVE_EVERY
) -> Path:
    """Train a LightningModule (SGD, OneCycleLR stepped per step) to ``total_steps``; return its first ``.ckpt``.

    ``ModelCheckpoint(every_n_train_steps=save_every, save_top_k=-1)`` writes ``onecycle-step=N.ckpt``
    in ``folder`` every ``save_every`` steps.
    """
    lightning_train(folder, total_steps=total_steps, max_steps=total_steps, save_every=save_every)
    return folder / f"onecycle-step={save_every}.ckpt"


def lightning_train(
    folder: Path, *, total_steps: int, max_steps: int, save_every: int | None = None, resume_from: Path | None = None
) -> tuple[Run, Any]:
    """Return the run of a Lightning Trainer to ``max_steps`` with OneCycleLR(total_steps), and its scheduler.

    The error a resume stops with is the run's ``error``, not raised.
    """
    import pytorch_lightning as pl
    from pytorch_lightning.callbacks import ModelCheckpoint

    checkpoints = (
        [ModelCheckpoint(dirpath=folder, filename="onecycle-{step}", every_n_train_steps=save_every, save_top_k=-1)]
        if save_every
        else []
    )
    trainer = pl.Trainer(
        accelerator="cpu",
        max_steps=max_steps,
        default_root_dir=folder,
        callbacks=checkpoints,
        enable_checkpointing=bool(save_every),
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    module = _onecycle_module(total_steps)
    try:
        trainer.fit(module, batches(), ckpt_path=str(resume_from) if resume_from else None)
    except ValueError as error:
        return Run(_parameters(module), error=_error_line(error)), None
    return Run(_parameters(module)), trainer.lr_scheduler_configs[0].scheduler


def _onecycle_module(total_steps: int) -> Any:
    """Return a LightningModule around the classifier: SGD(momentum) and OneCycleLR(total_steps) per step."""
    import pytorch_lightning as pl

    class OneCycleClassifier(pl.LightningModule):
        def __init__(self, total_steps: int) -> None:
            super().__init__()
            self.save_hyperparameters()
            self.classifier = seeded_classifier()

        def training_step(self, batch: dict[str, torch.Tensor], index: int) -> torch.Tensor:
            return self.classifier(**batch)["loss"]

        def configure_optimizers(self) -> dict[str, Any]:
            optimizer = torch.optim.SGD(self.parameters(), lr=LR, momentum=0.9)
            scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=LR, total_steps=self.hparams.total_steps)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

    return OneCycleClassifier(total_steps)


@dataclass(frozen=True)
class LightningTruth:
    """What resuming a OneCycleLR ``.ckpt`` did: with the same code, and with code passing a larger total_steps."""

    resumed_bitwise: bool  # same total_steps and max_steps: final params bitwise those of the uninterrupted run
    larger_error: str | None  # total_steps and max_steps doubled: the error the resume stopped with
    total_steps_after_load: int  # total_steps doubled, max_steps not: what the loaded scheduler holds


def lightning_ground_truth(
    checkpoint: Path, scratch: Path, *, total_steps: int = ONECYCLE_TOTAL_STEPS
) -> LightningTruth:
    """Return what Lightning does resuming ``checkpoint`` written by a run with ``total_steps``."""
    uninterrupted, _ = lightning_train(scratch / "uninterrupted", total_steps=total_steps, max_steps=total_steps)
    resumed, _ = lightning_train(
        scratch / "resumed", total_steps=total_steps, max_steps=total_steps, resume_from=checkpoint
    )
    larger, _ = lightning_train(
        scratch / "larger", total_steps=2 * total_steps, max_steps=2 * total_steps, resume_from=checkpoint
    )
    _, loaded = lightning_train(
        scratch / "larger-total", total_steps=2 * total_steps, max_steps=total_steps, resume_from=checkpoint
    )
    return LightningTruth(
        resumed_bitwise=resumed.error is None and resumed.same_params(uninterrupted),
        larger_error=larger.error,
        total_steps_after_load=loaded.total_steps,
    )


# --- accelerate ---------------------------------------------------------------------------------------


def accelerate_state_folder(folder: Path, *, steps: int = ACCELERATE_STEPS) -> Path:
    """Train with accelerate (CPU; AdamW; LinearLR warm-up) ``steps`` steps, ``accelerator.save_state(folder)``.

    Return ``folder``: accelerate 1.x writes model.safetensors, optimizer.bin, scheduler.bin and
    random_states_0.pkl there.
    """
    training = _accelerate_training()
    _accelerate_steps(training, steps)
    training[0].save_state(str(folder))
    return folder


def _accelerate_training() -> tuple[Any, nn.Module, Any, Any, Any]:
    """Return (accelerator, model, optimizer, dataloader, scheduler), prepared on the CPU from seed 0."""
    from accelerate import Accelerator

    accelerator = Accelerator(cpu=True)
    model = seeded_classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=STEPS_PER_EPOCH)
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, batches(), scheduler)
    return accelerator, model, optimizer, loader, scheduler


def _accelerate_steps(training: tuple[Any, nn.Module, Any, Any, Any], steps: int) -> None:
    accelerator, model, optimizer, loader, scheduler = training
    done = 0
    while done < steps:
        for batch in loader:
            accelerator.backward(model(**batch)["loss"])
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            done += 1
            if done == steps:
                return


def accelerate_resume_is_bitwise(folder: Path, *, steps: int = ACCELERATE_STEPS) -> bool:
    """Return whether ``load_state(folder)`` and ``steps`` more steps end bitwise where an uninterrupted run does."""
    uninterrupted = _accelerate_training()
    _accelerate_steps(uninterrupted, 2 * steps)
    resumed = _accelerate_training()
    resumed[0].load_state(str(folder))
    _accelerate_steps(resumed, steps)
    return Run(_parameters(resumed[1])).same_params(Run(_parameters(uninterrupted[1])))
