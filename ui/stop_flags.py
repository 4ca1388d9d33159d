"""Per-session stop flags: the Stop button (or closing the page) sets one, the decoding loop checks it every step.

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
"""

import threading

import gradio as gr


class StopFlags:
    def __init__(self):
        self._flags: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def arm(self, session: str) -> threading.Event:
        """A fresh, unset flag for this session's next run (replacing any earlier one)."""
        flag = threading.Event()
        with self._lock:
            self._flags[session] = flag
        return flag

    def stop(self, session: str) -> None:
        with self._lock:
            flag = self._flags.get(session)
        if flag is not None:
            flag.set()

    def stop_request(self, request: gr.Request) -> None:
        """For `Blocks.unload`: the page of this request's session was closed."""
        self.stop(getattr(request, "session_hash", None) or "anonymous")

    def release(self, session: str, flag: threading.Event) -> None:
        with self._lock:
            if self._flags.get(session) is flag:
                del self._flags[session]
