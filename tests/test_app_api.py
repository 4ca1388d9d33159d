"""The app through gradio_client on loopback: /continue streams, replays by seed, refuses bad input clearly."""

import json
import time

import pytest
from gradio_client import Client

CONTROLS = dict(strategy="sampling", temperature=0.8, top_k=40, top_p=0.9, num_beams=4, num_return=1,
                max_new_tokens=60, repetition_penalty=1.0, no_repeat=0, seed=5)


def args(prompt="ROMEO:\nWhat", model="ngram-shakespeare", **changes):
    values = {**CONTROLS, **changes}
    return (prompt, model, *values.values())


@pytest.fixture(scope="module")
def client(running_app):
    url, _ = running_app
    return Client(url, verbose=False)


def answer_text(outputs) -> str:
    chat = outputs[0]
    content = chat[-1]["content"]
    return content if isinstance(content, str) else "".join(part["text"] for part in content)


def test_continue_streams_partial_answers(client):
    job = client.submit(*args(model="slow-ngram", max_new_tokens=40), api_name="/continue")
    partials = [answer_text(update) for update in job if update and update[0]]
    final = job.result()
    assert len(partials) >= 3
    assert any(len(a) < len(b) for a, b in zip(partials, partials[1:]))  # the answer grows while streaming
    assert answer_text(final).strip()


def test_same_seed_same_text_and_views(client):
    first = client.predict(*args(seed=11), api_name="/continue")
    second = client.predict(*args(seed=11), api_name="/continue")
    other = client.predict(*args(seed=12), api_name="/continue")
    assert answer_text(first) == answer_text(second)
    assert answer_text(first) != answer_text(other)
    tokens = first[1]["data"]
    assert len(tokens) == 60 and all(0 < float(row[2]) <= 1 for row in tokens)
    assert '"seed": 11' in first[3]


def test_settings_json_replays_the_output(client):
    first = client.predict(*args(seed=None), api_name="/continue")
    settings = first[3]
    replay_prompt, replay_model, *controls = client.predict(settings, api_name="/apply_settings")
    again = client.predict(replay_prompt, replay_model, *controls, api_name="/continue")
    assert answer_text(again) == answer_text(first)


def test_beam_search_gives_an_n_best_list_and_a_hint(client):
    out = client.predict(*args(strategy="beam search", num_beams=4, num_return=3, temperature=0.5),
                         api_name="/continue")
    assert len(out[2]["data"]) == 3
    assert "temperature, top_k, top_p and seed have no effect under beam search" in out[4]


def test_compare_runs_every_strategy(client):
    rows = client.predict("To be, or", "ngram-shakespeare", *list(CONTROLS.values())[:-1], 3, api_name="/compare")
    labels = [row[0] for row in rows["data"]]
    assert [label.split(" (")[0] for label in labels] == ["greedy", "sampling", "top-k", "top-p", "beam search"]


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(model="no-such-model"), "no-such-model"),
        (dict(prompt="   "), "empty"),
        (dict(prompt="x" * 30_000), "limit"),
        (dict(max_new_tokens=10**9), "512"),
        (dict(num_beams=10**4, strategy="beam search"), "maximum"),
        (dict(temperature=0), "0.05"),
        (dict(top_p=1.5), "1"),
        (dict(seed=-3), "seed"),
        (dict(seed="abc"), "seed"),
        (dict(strategy="magic"), "magic"),
    ],
)
def test_bad_parameters_get_a_clear_message_fast(client, changes, message):
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        client.predict(*args(**changes), api_name="/continue")
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert time.monotonic() - started < 5


def test_stop_frees_the_worker_within_a_step(running_app):
    url, pool = running_app
    client = Client(url, verbose=False)
    slow = pool.generators["continuation"]["slow-ngram"].step_model
    before = slow.steps
    job = client.submit(*args(model="slow-ngram", max_new_tokens=400), api_name="/continue")
    while slow.steps < before + 10 or len(job.outputs()) < 2:
        time.sleep(0.05)
    client.predict(api_name="/continue_stop")
    stopped_at = slow.steps
    time.sleep(0.5)
    assert slow.steps - stopped_at <= 2  # the decoding loop itself stopped, not only the display
    assert slow.steps - before < 300
    started = time.monotonic()
    out = client.predict(*args(max_new_tokens=20), api_name="/continue")
    assert answer_text(out) and time.monotonic() - started < 5


def test_continue_more_and_ask_again_build_on_the_last_answer(running_app):
    url, _ = running_app
    client = Client(url, verbose=False)  # its own session: the conversation state is per session
    first = client.predict(*args(seed=3, max_new_tokens=30), api_name="/continue")
    chat = first[0]
    controls = list(CONTROLS.values())
    controls[-4], controls[-1] = 30, 4  # max_new_tokens, seed
    more = client.predict("ngram-shakespeare", *controls, history=chat, api_name="/continue_more")
    assert len(more[0]) == 4 and "continue" in str(more[0][2]["content"])
    prompt = json.loads(more[3])["prompt"]
    # the old prompt followed by its answer (the chat display trims the answer's leading space)
    assert prompt.startswith("ROMEO:\nWhat") and prompt.endswith(answer_text(first).strip())
    assert len(prompt) >= len("ROMEO:\nWhat") + len(answer_text(first).strip())
    again = client.predict("ngram-shakespeare", *controls, history=more[0], api_name="/continue_again")
    assert len(again[0]) == 6 and answer_text(again)


def test_continue_more_before_anything_says_so(running_app):
    url, _ = running_app
    client = Client(url, verbose=False)
    with pytest.raises(Exception, match="nothing to build on yet"):
        client.predict("ngram-shakespeare", *CONTROLS.values(), history=[], api_name="/continue_more")
