"""Concurrent users on loopback: `python -m benchmarks.load [--users 16] [--requests 20]` prints one JSON object.

Starts `app.py` in a subprocess (bundled models, offline), waits until its background model loading is over
(resident memory steady), then runs N users, each its own `gradio_client` Client.
Warm-up: every user sends one request to every endpoint, all users at once (so the sessions exist and the
server has run each endpoint at this concurrency); then, together again, each makes M requests that cycle through
the endpoints (each user starts at a different one, so the mix is even at every moment). Reports per endpoint
the p50/p95 latency and errors of those M, and the server's resident memory after warm-up, at quarters of the
run and at the end. Bounded in count (users × requests) and in time (--deadline seconds for the whole run;
requests not done by then count as errors).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# endpoint -> arguments of one short request (each answers in well under a second on a free CPU)
REQUESTS = {
    "/continue": ("ROMEO:\nWhat light", "ngram-shakespeare", "top-p", 0.8, 40, 0.9, 4, 1, 40, 1.0, 0, "7"),
    "/translate": ("The children are playing in the garden.", "rnn-attention-en-fr", "greedy", 4, 1, 1.0, 48,
                   None, None),
    "/ner": ("Angela Merkel met Emmanuel Macron in Paris on 3 May 2021 to discuss a €2 billion fund.",
             "minilm-ner-conll2003", 1, 0.0, True),
    # free verse, so a user's poem (kept per session) grows by one line a request without completing
    "/verse": ("The river runs beneath the hill", ["Robert Frost"], "free verse", "none", "8", 1, "verse-poets", "3",
               ""),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(port: int, environment: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, **(environment or {}), "QUILL_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1"}
    return subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app exited: {server.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app was not ready within {timeout:.0f} s")


def settle(pid: int, quiet_s: float = 6.0, timeout: float = 180) -> float:
    """Waits until the app's background model loading is over: its resident memory grows by less than 1% over
    `quiet_s` seconds (the app answers HTTP before SmolLM2 and its fine-tunes have loaded). -> seconds waited."""
    started = time.monotonic()
    before = rss_mb(pid)
    while time.monotonic() - started < timeout:
        time.sleep(quiet_s)
        now = rss_mb(pid)
        if now < before * 1.01:
            break
        before = now
    return time.monotonic() - started


@contextlib.contextmanager
def served_app(environment: dict | None = None):
    """(url, server pid) of `app.py` running in a subprocess on a free loopback port, its models loaded, until the
    block ends."""
    port = free_port()
    server = start_server(port, environment)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url, server)
        settle(server.pid)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_user(url: str, user: int, requests: int, deadline: float, endpoints: list[str], records: list,
             warmed: threading.Barrier, calls: dict) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    try:
        for endpoint in endpoints:
            client.predict(*calls[endpoint], api_name=endpoint)
    except Exception as error:  # noqa: BLE001 - a warm-up failure is reported like any other
        records.append(("warm-up", None, f"{type(error).__name__}: {str(error)[:200]}"))
    try:
        warmed.wait(timeout=max(1.0, deadline - time.monotonic()))
    except threading.BrokenBarrierError:
        pass
    for index in range(requests):
        endpoint = endpoints[(user + index) % len(endpoints)]
        if time.monotonic() > deadline:
            records.append((endpoint, None, "deadline passed before the request"))
            continue
        started = time.perf_counter()
        try:
            client.predict(*calls[endpoint], api_name=endpoint)
            records.append((endpoint, time.perf_counter() - started, None))
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            records.append((endpoint, None, f"{type(error).__name__}: {str(error)[:200]}"))


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def run(users: int, requests: int, deadline_s: float, url: str | None = None, server_pid: int | None = None,
        endpoints: list[str] | None = None, calls: dict | None = None) -> dict:
    """The benchmark against a running app at `url` (memory read from `server_pid` when given); `calls` replaces
    the arguments sent to each endpoint (default REQUESTS)."""

    calls = calls or REQUESTS
    endpoints = endpoints or list(calls)
    records: list = []
    deadline = time.monotonic() + deadline_s
    memory: dict[str, float] = {}
    started = [0.0]

    def after_warm_up() -> None:  # run by the barrier's last thread, before any user goes on
        if server_pid:
            memory["after_warmup"] = rss_mb(server_pid)
        started[0] = time.perf_counter()

    warmed = threading.Barrier(users, action=after_warm_up)
    threads = [threading.Thread(target=run_user, args=(url, user, requests, deadline, endpoints, records, warmed, calls))
               for user in range(users)]
    for thread in threads:
        thread.start()
    total = users * requests
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 30:
        done = sum(1 for e, _, _ in records if e != "warm-up")
        for quarter in (1, 2, 3):
            if server_pid and done >= total * quarter / 4 and f"q{quarter}" not in memory:
                memory[f"q{quarter}"] = rss_mb(server_pid)
        time.sleep(0.2)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 30)
    wall = time.perf_counter() - started[0]
    warm_up_errors = [err for e, _, err in records if e == "warm-up"]
    records = [r for r in records if r[0] != "warm-up"]
    report = {"users": users, "requests_per_user": requests, "wall_seconds": round(wall, 1),
              "warm_up_errors": len(warm_up_errors), "first_warm_up_error": warm_up_errors[0] if warm_up_errors else None,
              "endpoints": {}}
    for endpoint in endpoints:
        latencies = [t for e, t, err in records if e == endpoint and err is None]
        errors = [err for e, _, err in records if e == endpoint and err is not None]
        report["endpoints"][endpoint] = {
            "requests": len(latencies) + len(errors), "errors": len(errors), "first_error": errors[0] if errors else None,
            "p50_s": percentile(latencies, 0.5), "p95_s": percentile(latencies, 0.95),
            "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        }
    report["errors"] = sum(v["errors"] for v in report["endpoints"].values()) + len(warm_up_errors)
    report["missing"] = users * requests - len(records)  # users still stuck at the deadline
    if server_pid and "after_warmup" in memory:
        end = rss_mb(server_pid)
        report["server_rss_mb"] = {"after_warmup": round(memory["after_warmup"], 1),
                                   **{k: round(v, 1) for k, v in memory.items() if k.startswith("q")},
                                   "end": round(end, 1)}
        report["memory_growth"] = round(end / memory["after_warmup"] - 1, 4)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=900, help="seconds for the whole run")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 64 and 1 <= args.requests <= 200):
        parser.error("--users must be 1..64 and --requests 1..200")
    with served_app() as (url, pid):
        print(json.dumps(run(args.users, args.requests, args.deadline, url, pid)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
