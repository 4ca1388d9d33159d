"""A function compiled with torch.compile in a background thread: calls run it eagerly until the compiled version
is ready (or for good, with the reason kept, where compiling fails: no C++ compiler, an unsupported op).

Inductor's caches live in Quill's cache folder ($QUILL_CACHE/inductor), so a later process reuses the compiled
kernels (a first compile of SmolLM2's decode step takes ~100 s on a 2-core CPU; from the cache, ~15 s).
`python -m generators prepare` compiles once at install.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


def use_quill_inductor_cache() -> None:
    from .gguf_package import cache_root

    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(cache_root() / "inductor"))


class BackgroundCompiled:
    def __init__(self, fn: Callable, warm_up: Callable[[Callable], None], name: str = "decode step"):
        """`warm_up(compiled)` calls the compiled function on every input shape it should be ready for."""
        self.eager = fn
        self.compiled: Callable | None = None
        self.failure: str | None = None
        self.name = name
        self.ready = threading.Event()
        self._warm_up = warm_up
        self.thread = threading.Thread(target=self._compile, name=f"quill-compile-{name}", daemon=True)
        self.thread.start()

    def _compile(self) -> None:
        try:
            import torch

            use_quill_inductor_cache()
            compiled = torch.compile(self.eager, dynamic=True)
            self._warm_up(compiled)
            self.compiled = compiled
        except Exception as error:  # noqa: BLE001 - the eager path serves; the reason is kept and shown
            self.failure = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200]}" if str(error) \
                else type(error).__name__
            log.warning("torch.compile of the %s failed, decoding stays eager: %s", self.name, self.failure)
        finally:
            self.ready.set()

    def __call__(self, *args, **kwargs):
        return (self.compiled or self.eager)(*args, **kwargs)

    @property
    def status(self) -> str:
        """"compiled", "compiling" or "eager (why)"."""
        if self.compiled is not None:
            return "compiled"
        if not self.ready.is_set():
            return "compiling"
        return f"eager: {self.failure}"
