"""Concurrent users of an engine-served model, through the app, with 1 and 2 vLLM replicas behind it:
`python -m benchmarks.engine_load [--engines 1 2] [--users 8] [--requests 6]` prints one JSON line per replica count.

Each replica is a vLLM server (generators/engine/serve.py) on this machine's cores split between them; the app is
`app.py` with QUILL_ENGINE_URL naming every replica (each request goes to the least busy one). The users send
`/continue` requests to `engine:smollm2-135m-instruct` (greedy, 32 new tokens), as benchmarks.load does.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

from benchmarks.load import free_port, run, served_app

MODEL = "smollm2-135m-instruct"
CALL = ("The history of the printing press", f"engine:{MODEL}", "greedy", 0.8, 40, 0.9, 4, 1, 32, 1.0, 0, "")


def measure(engines: int, users: int, requests: int, deadline_s: float) -> dict:
    from generators.engine.serve import start_engine

    threads = max(1, (os.cpu_count() or 1) // engines)
    logs = Path(tempfile.mkdtemp(prefix="quill-engines-"))
    servers, ports = [], []
    try:
        for index in range(engines):
            ports.append(free_port())
            servers.append(start_engine(MODEL, ports[-1], log_path=logs / f"vllm-{index}.log", threads=threads))
        urls = ",".join(f"http://127.0.0.1:{port}" for port in ports)
        with served_app({"QUILL_ENGINE_URL": urls}) as (url, pid):  # its own local models loaded (settled)
            report = run(users, requests, deadline_s, url, pid, calls={"/continue": CALL})
        return {"engines": engines, "threads_per_engine": threads, **report}
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--requests", type=int, default=6)
    parser.add_argument("--deadline", type=float, default=900)
    args = parser.parse_args(argv)
    for engines in args.engines:
        print(json.dumps(measure(engines, args.users, args.requests, args.deadline)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
