"""The lean decoder's decode step compiled ahead of time and kept in Quill's cache: the default on a CPU.

`python -m generators prepare` traces and compiles the step (one token per row) with
`torch.compile(fullgraph=True).aot_compile` — once for one row (greedy, sampling), once for several (beams, batches)
— and saves both artifacts ($QUILL_CACHE/compiled). At start a background thread loads them in ~2-3 s; decoding is
eager until then, and stays eager (saying why) where they are missing or fail to load. A just-in-time compile
(background_compile.py, QUILL_COMPILE=1) instead held the GIL for ~25 s after start-up, even from the kernel
cache, and recompiled for real shapes, so the first answers waited.

The artifacts are called without dynamo's guards (their check rejects the decoding loop's inference tensors over a
dispatch key), so the caller keeps to what they were traced for, and anything else runs eagerly: one token per row,
no padding, at least 2 positions cached (0 and 1 are specialised), room in the cache for the token (grown first),
contiguous ids. Their file name holds a digest of the decoder's source, torch's version and the network's shape.
Shape asserts are compiled out (`size_asserts`: 640 checks a step, 0.5 ms).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import torch

from . import llama_decoder, packed_linear
from .gguf_package import cache_root

log = logging.getLogger(__name__)

ROWS = {"one": 1, "many": 2}  # the artifacts: traced for 1 row, and for 2 (any number from 2 on)
OPTIONS = {"size_asserts": False}


def artifact_paths(lean) -> dict[str, Path]:
    """Where the artifacts for this network (its precision, shape and the code that runs it) are kept."""
    digest = hashlib.sha256()
    for module in (llama_decoder, packed_linear):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes() + torch.__version__.encode())
    shape = f"{len(lean.layers)}x{lean.heads}x{lean.kv_heads}x{lean.head_dim}x{lean.embed.shape[0]}"
    name = f"lean-llama-{lean.precision}-{shape}-{digest.hexdigest()[:16]}"
    return {kind: cache_root() / "compiled" / f"{name}-{kind}.aot" for kind in ROWS}


def build_artifacts(lean) -> dict[str, Path]:
    """Compiles the decode step of `lean` (a LeanLlama) for one row and for several and saves both (~40 s each on a
    2-core CPU); artifacts already there for this code and shape are kept."""
    from .background_compile import use_quill_inductor_cache

    paths = artifact_paths(lean)
    if all(path.is_file() for path in paths.values()):
        return paths
    use_quill_inductor_cache()
    paths["one"].parent.mkdir(parents=True, exist_ok=True)
    with torch.inference_mode():
        for kind, rows in ROWS.items():
            state = lean.new_state(16, rows=rows)
            state.length = 3  # a position past 0 and 1, which the trace would specialise on
            ids = torch.zeros(rows, 1, dtype=torch.long)
            compiled = torch.compile(lean.forward, fullgraph=True, dynamic=True, options=OPTIONS)
            compiled.aot_compile(((ids, state), {})).save_compiled_function(str(paths[kind]))
    return paths


class PrecompiledStep:
    """`step(ids, state)` through the prepared artifacts where they apply and are loaded, else `eager`."""

    def __init__(self, lean, eager: Callable):
        self.lean, self.eager = lean, eager
        self.compiled: dict[str, Callable] = {}
        self.failure: str | None = None
        self.ready = threading.Event()
        self.paths = artifact_paths(lean)
        if not all(path.is_file() for path in self.paths.values()):
            self.failure = f"not prepared for {lean.precision} (python -m generators prepare compiles the default int4)"
            self.ready.set()
        else:
            threading.Thread(target=self._load, name="quill-load-compiled-step", daemon=True).start()

    def _load(self) -> None:
        try:
            from .background_compile import use_quill_inductor_cache

            use_quill_inductor_cache()
            loaded = {}
            for kind, path in self.paths.items():
                with path.open("rb") as file:
                    function = torch.compiler.load_compiled_function(file, f_globals=vars(llama_decoder))
                function.disable_guard_check()
                loaded[kind] = function
            self.compiled = loaded
        except Exception as error:  # noqa: BLE001 - the eager path serves; the reason is kept and shown
            self.failure = f"{type(error).__name__}: {str(error).strip()[:200]}"
            log.warning("the prepared decode step did not load, decoding stays eager: %s", self.failure)
        finally:
            self.ready.set()

    def __call__(self, ids: torch.Tensor, state) -> torch.Tensor:
        """ids [B, 1] -> log-probs [B, V], as LeanLlama.forward."""
        compiled = self.compiled.get("one" if ids.shape[0] == 1 else "many")
        if compiled is None or state.pad is not None or state.length < 2 or ids.shape[1] != 1:
            return self.eager(ids, state)
        llama_decoder.grow(state, state.length + 1)  # the trace has no room to grow the cache in
        return compiled(self.lean, ids.contiguous(), state)

    @property
    def status(self) -> str:
        """"compiled", "loading" or "eager: why"."""
        if self.compiled:
            return "compiled"
        if not self.ready.is_set():
            return "loading"
        return f"eager: {self.failure}"
