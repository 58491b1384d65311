"""Claims about checkpoints on CUDA and across devices (run where a GPU is)."""

from __future__ import annotations

from compat.catalog.claims import Claim

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="device.cuda.optimizer.state_dict.roundtrip",
        statement="On CUDA, the loaded optimizer state dict equals the saved one.",
        category="device",
        device="cuda",
        check="state_dict.roundtrip",
    ),
    Claim(
        id="device.cuda.optimizer.resume.bitwise",
        statement="On CUDA, N steps, save, load, M steps equals N+M uninterrupted steps bitwise.",
        category="device",
        device="cuda",
        check="resume.bitwise",
    ),
    Claim(
        id="device.cuda-to-cpu.state-on-cpu",
        statement="State saved on CUDA and loaded into CPU params (map_location='cpu' or a callable) lives on the CPU.",
        category="device",
        device="cuda-to-cpu",
        check="state.device_follows_param",
    ),
    Claim(
        id="device.cpu-to-cuda.state-on-cuda",
        statement="State saved on the CPU and loaded into CUDA params lives on CUDA "
        "(step on the CPU unless capturable or fused).",
        category="device",
        device="cpu-to-cuda",
        check="state.device_follows_param",
    ),
)
