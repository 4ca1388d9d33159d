"""Cold start: seconds to import gradio, torch and transformers vs seconds until the app answers HTTP 200.

    python -m benchmarks.cold_start [--command ".venv/bin/python app.py"] [--port PORT] [--repeats 3]

Each repeat runs both in fresh processes from the repository root; the app gets GRADIO_SERVER_PORT, is polled
at http://127.0.0.1:PORT/ every 0.1 s and is stopped (its process group) as soon as it answers. Prints one JSON
line: the medians, every run, and `ready_over_import` (how much longer the app takes than the bare imports).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = "import gradio, torch, transformers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_seconds(python: str) -> float:
    started = time.perf_counter()
    subprocess.run([python, "-c", IMPORTS], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def ready_seconds(command: list[str], port: int, timeout: float) -> float:
    """Starts `command`, polls until http://127.0.0.1:port/ answers 200, then stops it."""
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port)}
    url = f"http://127.0.0.1:{port}/"
    log = tempfile.TemporaryFile()  # not a pipe: a chatty app must never block on a full one
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace").strip().splitlines()[-1:]
                raise SystemExit(f"error: '{shlex.join(command)}' exited with {process.returncode}: {tail}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise SystemExit(f"error: no HTTP 200 from {url} within {timeout:.0f} s")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=".venv/bin/python", help="interpreter for the bare imports")
    parser.add_argument("--command", default=".venv/bin/python app.py", help="starts the app (from the repo root)")
    parser.add_argument("--port", type=int, help="default: a free port")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the app")
    args = parser.parse_args(argv)
    command = shlex.split(args.command)
    port = args.port or free_port()

    imports, ready = [], []
    for _ in range(args.repeats):
        imports.append(import_seconds(args.python))
        ready.append(ready_seconds(command, port, args.timeout))
    imports_median, ready_median = statistics.median(imports), statistics.median(ready)
    print(json.dumps({
        "case": "cold_start",
        "import_seconds": round(imports_median, 3),
        "app_ready_seconds": round(ready_median, 3),
        "ready_over_import": round(ready_median / imports_median, 3),
        "import_runs": [round(s, 3) for s in imports],
        "ready_runs": [round(s, 3) for s in ready],
        "command": args.command,
        "imports": IMPORTS,
    }))


if __name__ == "__main__":
    sys.exit(main())
