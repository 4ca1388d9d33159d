"""The app's model pool: bundled models load at start-up; hub models offline are listed as unavailable, with why."""

import pytest

from generators import InputError, registry
from ui.model_pool import ModelPool


def test_offline_hub_models_are_unavailable_with_a_reason(monkeypatch):
    monkeypatch.setattr(registry, "hub_reachable", lambda: False)
    pool = ModelPool.load_all(("continuation",), with_hub=True)
    assert {"char-lstm-shakespeare", "ngram-shakespeare"} <= set(pool.names("continuation"))
    assert not {"gpt2", "distilgpt2"} & set(pool.names("continuation"))
    note = pool.unavailable_note("continuation")
    assert "gpt2" in note and "unreachable" in note


def test_the_menu_can_only_name_loaded_models():
    pool = ModelPool.load_all(("continuation",), with_hub=False)
    with pytest.raises(InputError, match="unknown model"):
        pool.get("continuation", "../../etc/passwd")
