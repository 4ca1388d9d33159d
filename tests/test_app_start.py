"""`python app.py` as a user starts it: it answers HTTP at once while its models load in the background, and the
first requests, sent straight away, wait for their model and are answered (none fails)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from gradio_client import Client

from tests.app_fixture import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_the_app_serves_at_once_and_its_first_requests_wait_for_their_models():
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "QUILL_OFFLINE": "1"}
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "app.py exited"
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "no HTTP 200 within 120 s"
            time.sleep(0.2)
        client = Client(url, verbose=False)
        _, _, table, _ = client.predict("Angela Merkel visited Paris.", "minilm-ner-conll2003", 1, 0.0, True,
                                        api_name="/ner")
        assert {(row[0], row[1]) for row in table["data"]} >= {("Angela Merkel", "PER"), ("Paris", "LOC")}
        controls = ("greedy", 0.8, 40, 0.9, 2, 1, 4, 1.0, 0, "1")
        chat, *_ = client.predict("Once upon a time", "smollm2-135m-instruct", *controls, "continue text", "",
                                  api_name="/continue")
        content = chat[-1]["content"]
        text = content if isinstance(content, str) else "".join(part["text"] for part in content)
        assert text.strip() and "loading" not in text  # waited for SmolLM2, then answered
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
