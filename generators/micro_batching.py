"""Requests for one generator that arrive close together decode together (for concurrent users of the app).

A `MicroBatcher` owns one worker thread. A caller's `stream(request, should_stop)` puts the request in a waiting
list and then reads its own results; the worker takes every request waiting (up to `max_batch_size`, after a
short `window_s` for the stragglers), runs them through the generator's batch method (`stream_batch`, or
`generate_batch` for generators that do not stream) and hands each caller its own partial and final results.
Each request keeps its own stop check: stopping one user's request ends that row, not the batch. A request
that makes the batch fail is retried alone, so only it gets the error.

`BatchingGenerator` wraps a generator with one batcher per method, keeping the generator's interface: the app's
handlers call `stream`/`generate` as before.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_BATCH = 16
DEFAULT_WINDOW_S = 0.005
# batches computing at once, over every model (the others wait): one per core by default; QUILL_CONCURRENT_BATCHES
# overrides (benchmarks.load here: 2 -> 56 s, 1 -> 61 s but lower p95 for verse, 4 -> 76 s)
CONCURRENT_BATCHES = int(os.environ.get("QUILL_CONCURRENT_BATCHES", 0)) or max(1, os.cpu_count() or 1)
_compute_slots = threading.BoundedSemaphore(CONCURRENT_BATCHES)


@dataclass(eq=False)
class _Ticket:
    """One caller's request and the newest result the worker has for it."""

    request: Any
    should_stop: Callable[[], bool] | None
    result: Any = None
    version: int = 0
    done: bool = False
    error: BaseException | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, result: Any = None, done: bool = False, error: BaseException | None = None) -> None:
        with self.changed:
            if error is not None:
                self.error = error
            else:
                self.result = result
                self.version += 1
            self.done = done or error is not None
            self.changed.notify_all()

    def results(self) -> Iterator[Any]:
        """Every new result until the last (a caller slower than the decoder skips the ones it missed)."""
        seen = 0
        while True:
            with self.changed:
                while self.version == seen and not self.done:
                    self.changed.wait()
                if self.error is not None:
                    raise self.error
                fresh, seen, done = self.version != seen, self.version, self.done
                result = self.result
            if fresh:
                yield result
            if done:
                return


class MicroBatcher:
    """`run_batch(requests, stops)` yields lists of results (one per request; the last list final), or returns one
    list when `streams=False`."""

    def __init__(self, run_batch: Callable, streams: bool, name: str, max_batch_size: int = DEFAULT_MAX_BATCH,
                 window_s: float = DEFAULT_WINDOW_S):
        if max_batch_size < 1:
            raise ValueError("max_batch_size must be >= 1")
        self.run_batch = run_batch
        self.streams = streams
        self.max_batch_size = max_batch_size
        self.window_s = window_s
        self.batch_sizes: list[int] = []  # every batch the worker ran (what the tests and benchmarks read)
        self._waiting: list[_Ticket] = []
        self._arrived = threading.Condition()
        self._worker = threading.Thread(target=self._work, name=f"quill-batch-{name}", daemon=True)
        self._worker.start()

    def stream(self, request, should_stop: Callable[[], bool] | None = None) -> Iterator[Any]:
        ticket = _Ticket(request, should_stop)
        with self._arrived:
            self._waiting.append(ticket)
            self._arrived.notify()
        yield from ticket.results()

    def generate(self, request, should_stop: Callable[[], bool] | None = None):
        results = collections.deque(self.stream(request, should_stop), maxlen=1)  # only the last one counts
        return results[0] if results else None

    def _take(self) -> list[_Ticket]:
        with self._arrived:
            while not self._waiting:
                self._arrived.wait()
        time.sleep(self.window_s)  # requests sent at the same moment arrive within a few milliseconds
        with self._arrived:
            batch, self._waiting = self._waiting[: self.max_batch_size], self._waiting[self.max_batch_size :]
        return batch

    def _work(self) -> None:
        while True:
            batch = self._take()
            self.batch_sizes.append(len(batch))
            with _compute_slots:
                try:
                    self._run(batch)
                except Exception:  # noqa: BLE001 - one request's failure must not fail the others: each alone
                    for ticket in batch:
                        if not ticket.done:
                            self._run_alone(ticket)

    def _run(self, batch: list[_Ticket]) -> None:
        requests = [t.request for t in batch]
        stops = [t.should_stop for t in batch]
        if not self.streams:
            for ticket, result in zip(batch, self.run_batch(requests, stops)):
                ticket.publish(result, done=True)
            return
        last = None
        for results in self.run_batch(requests, stops):
            last = results
            for ticket, result in zip(batch, results):
                if not ticket.done:
                    ticket.publish(result, done=bool(getattr(result, "done", False)))
        for ticket, result in zip(batch, last or []):
            if not ticket.done:
                ticket.publish(result, done=True)

    def _run_alone(self, ticket: _Ticket) -> None:
        try:
            self._run([ticket])
        except Exception as error:  # noqa: BLE001 - handed to its caller, raised in its thread
            ticket.publish(error=error)


class BatchingGenerator:
    """A generator whose `stream`/`generate` (and chat) calls from many threads are decoded in micro-batches; any
    other attribute is the wrapped generator's."""

    def __init__(self, generator, max_batch_size: int = DEFAULT_MAX_BATCH, window_s: float = DEFAULT_WINDOW_S):
        self.generator = generator
        self.batchers: dict[str, MicroBatcher] = {}
        kinds = {"stream": ("stream_batch", True), "generate": ("generate_batch", False),
                 "stream_chat": ("stream_chat_batch", True)}
        for method, (batch_method, streams) in kinds.items():
            run = getattr(generator, batch_method, None)
            if run is not None:
                self.batchers[method] = MicroBatcher(
                    lambda requests, stops, run=run: run(requests, should_stop=stops), streams,
                    f"{getattr(generator, 'name', 'model')}-{method}", max_batch_size, window_s)

    def __getattr__(self, name: str):
        return getattr(self.generator, name)

    def stream(self, request, should_stop=None):
        batcher = self.batchers.get("stream")
        return batcher.stream(request, should_stop) if batcher else self.generator.stream(request, should_stop)

    def generate(self, request, should_stop=None):
        batcher = self.batchers.get("generate")
        if batcher is not None:
            return batcher.generate(request, should_stop)
        if "stream" in self.batchers:
            return self.batchers["stream"].generate(request, should_stop)
        return self.generator.generate(request, should_stop)

    def stream_chat(self, request, should_stop=None):
        batcher = self.batchers.get("stream_chat")
        if batcher is None:
            return self.generator.stream_chat(request, should_stop)
        return batcher.stream(request, should_stop)
