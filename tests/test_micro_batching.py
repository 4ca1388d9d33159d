"""Micro-batching for concurrent users: requests arriving together decode as one batch, each caller gets its own
result (equal to its request decoded alone), its own stop, and its own error."""

from __future__ import annotations

import html
import threading

import pytest
from gradio_client import Client

from generators import DecodingConfig, TranslationRequest, load
from generators.micro_batching import BatchingGenerator, MicroBatcher


def run_together(calls):
    """Runs each zero-argument call in its own thread, all released at once; their outcomes in order."""
    outcomes = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(index, call):
        gate.wait()
        try:
            outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcomes[index] = ("error", error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


class Doubler:
    """A batch generator that doubles numbers and refuses negative ones (failing the whole batch)."""

    def __init__(self):
        self.batches = []

    def generate_batch(self, requests, should_stop=None):
        self.batches.append(list(requests))
        if any(r < 0 for r in requests):
            raise ValueError(f"negative request in {requests}")
        return [2 * r for r in requests]


def test_requests_arriving_together_share_a_batch_and_get_their_own_answers():
    doubler = Doubler()
    batcher = MicroBatcher(doubler.generate_batch, streams=False, name="doubler", window_s=0.05)
    outcomes = run_together([lambda n=n: batcher.generate(n) for n in range(8)])
    assert outcomes == [("ok", 2 * n) for n in range(8)]
    assert max(batcher.batch_sizes) > 1 and sum(batcher.batch_sizes) == 8


def test_a_request_that_fails_its_batch_gets_the_error_alone():
    doubler = Doubler()
    batcher = MicroBatcher(doubler.generate_batch, streams=False, name="doubler", window_s=0.05)
    outcomes = run_together([lambda n=n: batcher.generate(n) for n in (1, -5, 3, 4)])
    assert outcomes[0] == ("ok", 2) and outcomes[2] == ("ok", 6) and outcomes[3] == ("ok", 8)
    kind, error = outcomes[1]
    assert kind == "error" and isinstance(error, ValueError) and "[-5]" in str(error)


def test_a_batcher_keeps_serving_after_a_failure():
    batcher = MicroBatcher(Doubler().generate_batch, streams=False, name="doubler", window_s=0.0)
    with pytest.raises(ValueError):
        batcher.generate(-1)
    assert batcher.generate(21) == 42


SOURCES = ["The train leaves at seven.", "Where is my umbrella?", "We are going to the beach tomorrow.",
           "Hello.", "My brother lives in a small house near the river."]


@pytest.fixture(scope="module")
def translator():
    return load("rnn-attention-en-fr", task="translation")


def test_concurrent_translations_equal_each_alone(translator):
    config = DecodingConfig(max_new_tokens=40, num_beams=3, num_return_sequences=2)
    requests = [TranslationRequest(text, config) for text in SOURCES]
    alone = [translator.generate(r) for r in requests]
    batching = BatchingGenerator(translator, window_s=0.05)
    streamed = run_together([lambda r=r: list(batching.stream(r)) for r in requests])
    for (kind, partials), expected in zip(streamed, alone):
        assert kind == "ok" and partials[-1].done and all(not p.done for p in partials[:-1])
        final = partials[-1]
        assert [h.tokens for h in final.hypotheses] == [h.tokens for h in expected.hypotheses]
        assert final.attention().shape == expected.attention().shape
    assert max(batching.batchers["stream"].batch_sizes) > 1


def test_stopping_one_user_ends_only_that_request(translator):
    config = DecodingConfig(max_new_tokens=40, num_beams=2)
    requests = [TranslationRequest(text, config) for text in SOURCES[:3]]
    alone = [translator.generate(r).text for r in requests]
    batching = BatchingGenerator(translator, window_s=0.05)
    calls = {"n": 0}

    def stop_after_two_steps():
        calls["n"] += 1
        return calls["n"] > 2

    stops = [None, stop_after_two_steps, None]
    outcomes = run_together([lambda r=r, s=s: batching.generate(r, should_stop=s) for r, s in zip(requests, stops)])
    results = [result for _, result in outcomes]
    assert results[1].decode.best.finish_reason == "cancelled" and results[1].decode.steps == 2
    assert [results[0].text, results[2].text] == [alone[0], alone[2]]


def test_the_app_answers_concurrent_users_each_their_own(running_app):
    url, pool = running_app
    texts = SOURCES[:4]
    expected = [pool.get("translation", "rnn-attention-en-fr").generator.generate(
        TranslationRequest(t, DecodingConfig(max_new_tokens=48))).text for t in texts]
    clients = [Client(url, verbose=False) for _ in texts]

    def ask(client, text):
        chat, *_ = client.predict(text, "rnn-attention-en-fr", "greedy", 4, 1, 1.0, 48, None, None,
                                  api_name="/translate")
        content = chat[-1]["content"]
        return html.unescape(content if isinstance(content, str) else "".join(p["text"] for p in content))

    outcomes = run_together([lambda c=c, t=t: ask(c, t) for c, t in zip(clients, texts)])
    assert [o for _, o in outcomes] == expected
