"""Loading is safe: weights only from safetensors (a pickle is never unpickled), remote code never runs, and the
app's menus name only the models loaded at start-up."""

import json
import pickle

import pytest
from tiny_models import byte_level_tokenizer, tiny_gpt2

from generators import load
from generators.errors import QuillError


class _Boom:
    """Unpickling this writes a marker file: proof that a pickle was loaded."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _gpt2_folder(folder):
    tiny_gpt2().save_pretrained(folder)  # safetensors
    byte_level_tokenizer().save_pretrained(folder)
    return folder


def test_a_pickled_checkpoint_is_refused_and_never_unpickled(tmp_path):
    folder = _gpt2_folder(tmp_path / "pickled")
    (folder / "model.safetensors").unlink()
    marker = tmp_path / "unpickled"
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Boom(marker)))
    with pytest.raises(QuillError, match="safetensors"):
        load(str(folder))
    assert not marker.exists()


def test_remote_code_named_by_a_config_never_runs(tmp_path):
    folder = _gpt2_folder(tmp_path / "remote")
    marker = tmp_path / "remote-code-ran"
    (folder / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoConfig": "evil.Config", "AutoModelForCausalLM": "evil.Model"}
    (folder / "config.json").write_text(json.dumps(config))
    try:
        load(str(folder))  # transformers' own GPT-2 class, or a refusal: either way evil.py is not imported
    except QuillError:
        pass
    assert not marker.exists()


def test_the_app_menus_refuse_paths_and_hub_ids(running_app, tmp_path):
    from gradio_client import Client

    folder = _gpt2_folder(tmp_path / "local")
    client = Client(running_app[0], verbose=False)
    for spec in (str(folder), "gpt2", "bundled:ngram-shakespeare", "../assets/models/ngram-shakespeare"):
        with pytest.raises(Exception, match="Model: .*choices"):
            client.predict(spec[:200], spec, "greedy", 0.8, 40, 0.9, 4, 1, 5, 1.0, 0, "", api_name="/continue")
