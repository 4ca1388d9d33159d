"""The command line on local tiny model directories, its JSON, and its error paths (one line, no traceback)."""

import json
import os
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, stdin=None):
    env = {**os.environ, "HF_HUB_DISABLE_TELEMETRY": "1"}
    env.pop("QUILL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generators", *args], cwd=ROOT, capture_output=True, text=True, env=env,
        input=stdin, timeout=120,
    )


def test_continue_json_has_tokens_scores_and_logprobs(tiny_gpt2_dir):
    done = cli("continue", "--model", str(tiny_gpt2_dir), "--max-new-tokens", "8", "--json", "The quick brown")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert len(out["tokens"]) == 8 and len(out["token_logprobs"]) == 8
    assert out["score"] == pytest.approx(sum(out["token_logprobs"]), abs=1e-4)
    assert all(len(step) == 5 for step in out["top_alternatives"])
    assert out["text"] and out["finish_reason"] == "length"


def test_continue_same_seed_same_text_and_underscore_flags(tiny_gpt2_dir):
    args = ["continue", "--model", str(tiny_gpt2_dir), "--do_sample", "--top_k", "20", "--seed", "7", "--json", "Rain"]
    first, second = cli(*args), cli(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["tokens"] == json.loads(second.stdout)["tokens"]
    assert json.loads(first.stdout)["seed"] == 7


def test_continue_plain_streams_text(tiny_gpt2_dir):
    done = cli("continue", "--model", str(tiny_gpt2_dir), "--max-new-tokens", "5", "A cat")
    assert done.returncode == 0 and done.stdout.strip()


def test_translate_json_has_attention_aligned_with_tokens(tiny_marian_dir):
    done = cli("translate", "--model", str(tiny_marian_dir), "--max-new-tokens", "12", "--json", "The cat sleeps.")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    attention = out["attention"]
    assert len(attention) == len(out["target_tokens"]) == len(out["tokens"])
    assert all(len(row) == len(out["source_tokens"]) for row in attention)
    assert all(abs(sum(row) - 1) < 1e-3 for row in attention)
    assert len(out["n_best"]) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["continue", "--model", "/no/such/dir", "x"], "no model directory"),
        (["continue", "--model", "--temperature"], "error:"),
        (["continue", "--model", "{gpt2}", "--temperature", "0", "--do-sample", "x"], "do_sample=False"),
        (["continue", "--model", "{gpt2}", "--max-new-tokens", "abc", "x"], "invalid int"),
        (["continue", "--model", "{gpt2}", "--top-p", "1.5", "x"], "top_p"),
        (["continue", "--model", "{gpt2}", "--num-beams", "100000", "x"], "num_beams"),
        (["continue", "--model", "{gpt2}", "--seed", "-1", "--do-sample", "x"], "seed"),
        (["translate", "--model", "{gpt2}", "x"], "continuation model"),
        (["translate", "--model", "{marian}", "   "], "empty"),
    ],
)
def test_error_paths_are_one_line(args, message, tiny_gpt2_dir, tiny_marian_dir):
    args = [a.replace("{gpt2}", str(tiny_gpt2_dir)).replace("{marian}", str(tiny_marian_dir)) for a in args]
    done = cli(*args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_unreachable_hub_id_fails_fast_with_a_clear_message():
    started = time.monotonic()
    done = cli("continue", "--model", "someone/not-a-real-model-xyz", "hello")
    assert done.returncode == 2
    assert time.monotonic() - started < 20  # imports included; never transformers' 25 s of retries
    assert "Traceback" not in done.stderr
    assert "hub" in done.stderr


def test_verse_json_gives_each_muses_suggestions_meeting_the_form():
    out = cli("verse", "--model", "verse-poets", "--muses", "John Keats,Emily Dickinson", "--syllables", "8",
              "--seed", "3", "--json", "The morning light is soft and slow")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["task"] == "verse" and result["partner"] == "slow"
    assert set(result["suggestions"]) == {"John Keats", "Emily Dickinson"}
    for found in result["suggestions"].values():
        for s in found:
            assert s["syllables"] == 8 and s["meets_rhyme"] and s["rhyme_letters"].startswith("-")


def test_verse_refuses_an_impossible_count_in_one_line():
    out = cli("verse", "--model", "verse-poets", "--meter", "iambic", "--syllables", "40", "The sea is wide")
    assert out.returncode != 0 and "40 syllables per line is impossible" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
