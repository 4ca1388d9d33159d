"""Every model the app offers, loaded once at start-up; the menus can only name these.

With `background=True` (the app), every model loads in one background thread while the server starts, so it is
ready at once: the quick ones first (menu order), then the slow ones (SmolLM2 and its fine-tunes). The menus are
built from what each model's config declares (generators.declared_facts); a request for a model still loading
waits for it (the Continuation tab shows "loading"), and one that failed to load gets its reason.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from generators import bundled_models, hub_models, load
from generators.declared_facts import UNDECLARED, declared_fact, local_config
from generators.engine import engine_models, load_engine
from generators.errors import InputError
from generators.hub import hub_reachable
from generators.micro_batching import BatchingGenerator
from generators.registry import finetuned_models

log = logging.getLogger(__name__)
# seconds to load each (a 135 M-parameter model and its fine-tunes): loaded last
SLOW_ARCHS = ("gguf_package", "lora", "poet_lora")
LOAD_WAIT_SECONDS = 300


@dataclass
class ModelPool:
    generators: dict[str, dict[str, object]] = field(default_factory=dict)  # task -> name -> generator
    unavailable: dict[str, dict[str, str]] = field(default_factory=dict)  # task -> name -> reason
    loading: dict[tuple[str, str], Future] = field(default_factory=dict)  # (task, name) -> its background load
    order: dict[str, list[str]] = field(default_factory=dict)  # task -> menu order
    batching: bool = True  # requests for one model from several users decode together (micro_batching)
    batched: dict[tuple[str, str], BatchingGenerator] = field(default_factory=dict)
    # task -> name -> a generator served by an inference engine (engine:<model>): offered while the engine answers
    engines: dict[str, dict[str, object]] = field(default_factory=dict)
    _batched_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load_all(cls, tasks: tuple[str, ...], with_hub: bool = True, background: bool = False,
                 batching: bool = True) -> ModelPool:
        pool = cls(batching=batching)
        deferred = []  # (task, name): loaded in the background (background=True)
        # The hub probe (a TCP connect: up to 2 s offline) runs while the local models are listed (or load).
        probe = threading.Thread(target=hub_reachable, name="quill-hub-probe", daemon=True)
        if with_hub:
            probe.start()
        for task in tasks:
            pool.generators[task] = {}
            pool.unavailable[task] = {}
            pool.order[task] = []
            for info in bundled_models(task) + finetuned_models(task):
                pool._add(task, info, background, deferred)
        for name in engine_models():
            if "continuation" in tasks:
                try:
                    pool.engines.setdefault("continuation", {})[name] = load_engine(name)
                except Exception as error:  # noqa: BLE001 - a misconfigured engine must not stop the app
                    pool.unavailable["continuation"][name] = str(error).splitlines()[0]
        if with_hub:
            probe.join()
            for task in tasks:
                for info in hub_models(task):
                    pool._add(task, info, background, deferred)
        if deferred:
            # One thread: transformers imports its modules lazily, and two threads importing at once can fail
            # ("cannot import name 'AutoConfig'"). The quick local models first, so every tab answers within seconds.
            deferred.sort(key=lambda task_name: _load_rank(task_name[1]))
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quill-load")
            for task, name in deferred:
                pool.loading[(task, name)] = executor.submit(load, name, task=task)
            executor.shutdown(wait=False)
        return pool

    def _add(self, task: str, info, background: bool, deferred: list) -> None:
        if not info.available:
            self.unavailable[task][info.name] = info.reason
            return
        if background:
            deferred.append((task, info.name))
            self.order[task].append(info.name)
            return
        try:
            self.generators[task][info.name] = load(info.name, task=task)
            self.order[task].append(info.name)
        except Exception as error:  # noqa: BLE001 - one broken model must not stop the app
            log.warning("could not load %s: %s", info.name, error)
            self.unavailable[task][info.name] = str(error).splitlines()[0]

    def names(self, task: str) -> list[str]:
        """The models a menu offers now: the local ones, then each engine model while its engine answers."""
        engines = [name for name, generator in self.engines.get(task, {}).items() if generator.available()]
        return [*self._local_names(task), *engines]

    def _local_names(self, task: str) -> list[str]:
        """The models loaded (or loading) in this process: known without asking any engine."""
        ordered = self.order.get(task, [])
        return [*ordered, *(n for n in self.generators.get(task, {}) if n not in ordered)]

    def is_loading(self, task: str, name: str) -> bool:
        future = self.loading.get((task, name))
        return future is not None and not future.done()

    def get(self, task: str, name: str):
        engine = self.engines.get(task, {}).get(name) if isinstance(name, str) else None
        if engine is not None:  # the engine batches concurrent requests itself
            if not engine.available():
                raise InputError(f"{name}: the vLLM engine at {engine.client.url} is not answering now (an "
                                 "engine model is offered only while it does); choose a local model")
            return engine
        if not isinstance(name, str) or name not in self._local_names(task):  # (no engine health check here)
            known = ", ".join(self.names(task)) or "none"
            raise InputError(f"unknown model {str(name)[:80]!r}; choose one of: {known}") from None
        future = self.loading.get((task, name))
        if future is not None and name not in self.generators[task]:
            try:
                self.generators[task][name] = future.result(timeout=LOAD_WAIT_SECONDS)
            except Exception as error:  # noqa: BLE001 - said to the user, the app goes on
                raise InputError(f"{name} could not be loaded here: {str(error).splitlines()[0]}") from None
        generator = self.generators[task][name]
        return self._batching(task, name, generator) if self.batching else generator

    def _batching(self, task: str, name: str, generator) -> BatchingGenerator:
        """The generator behind its micro-batchers (made once per model; remade if the model was replaced)."""
        with self._batched_lock:
            wrapped = self.batched.get((task, name))
            if wrapped is None or wrapped.generator is not generator:
                wrapped = self.batched[(task, name)] = BatchingGenerator(generator)
            return wrapped

    def fact(self, task: str, name: str, fact: str):
        """A model's `fact` ("attention_layout", "poets"): from its config when it says, else from the loaded model."""
        value = declared_fact(name, fact) if name in self._local_names(task) else UNDECLARED
        return getattr(self.get(task, name), fact) if value is UNDECLARED else value

    def unavailable_note(self, task: str) -> str:
        missing = self.unavailable.get(task, {})
        if not missing:
            return ""
        return "Unavailable here: " + "; ".join(f"{name} ({reason})" for name, reason in missing.items())


def _load_rank(name: str) -> int:
    """0: a bundled or fine-tuned model quick to load; 1: one that takes seconds (SLOW_ARCHS); 2: a hub download."""
    config = local_config(name)
    if config is None:
        return 2
    return 1 if config.get("quill_arch") in SLOW_ARCHS else 0
