"""Is the Hugging Face hub reachable? Probed once per process, quickly, so offline loads fail in seconds."""

from __future__ import annotations

import functools
import os
import socket

HUB_HOST = "huggingface.co"


@functools.lru_cache(maxsize=1)
def hub_reachable(timeout: float = 2.0) -> bool:
    """One TCP connection attempt; when it fails, HF_HUB_OFFLINE=1 so nothing later retries for 25 s."""
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        return False
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        os.environ["HF_HUB_OFFLINE"] = "1"
        return False
