"""Chat mode and the model comparison through gradio_client on loopback, with the real SmolLM2 from PyPI."""

import json

import pytest
from gradio_client import Client

MODEL = "smollm2-135m-instruct"
SYSTEM = "You are a helpful assistant."


def chat_args(message, max_new_tokens=8, system=SYSTEM, model=MODEL, strategy="greedy", **changes):
    controls = dict(strategy=strategy, temperature=0.8, top_k=40, top_p=0.9, num_beams=2, num_return=1,
                    max_new_tokens=max_new_tokens, repetition_penalty=1.0, no_repeat=0, seed="1")
    controls.update(changes)
    return (message, model, *controls.values(), "chat", system)


def text_of(message) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part["text"] for part in content)


@pytest.fixture
def client(running_app):
    url, _ = running_app
    return Client(url, verbose=False)  # a fresh session, so a fresh conversation


def test_a_second_turn_sees_the_first_and_its_answer(client):
    first = client.predict(*chat_args("My name is Ada."), api_name="/continue")
    answer = text_of(first[0][-1])
    assert answer.strip()
    second = client.predict(*chat_args("What is my name?"), history=first[0], api_name="/continue")
    assert [m["role"] for m in second[0]] == ["user", "assistant"] * 2  # the display, as the client sent it
    settings = json.loads(second[3])
    assert settings["mode"] == "chat" and settings["system_prompt"] == SYSTEM
    sent = settings["messages"]
    assert [m["content"] for m in sent[::2]] == ["My name is Ada.", "What is my name?"]
    assert sent[1]["content"].strip() == answer.strip()  # the first answer went into the second prompt


def test_ask_again_replaces_the_last_answer_and_continue_extends_it(client):
    client.predict(*chat_args("Name a colour."), api_name="/continue")
    controls = chat_args("")[2:]
    again = client.predict(MODEL, *controls, api_name="/continue_again")
    sent = json.loads(again[3])["messages"]
    assert [m["role"] for m in sent] == ["user"] and sent[0]["content"] == "Name a colour."
    more = client.predict(MODEL, *controls, api_name="/continue_more")
    going_on = json.loads(more[3])
    assert going_on["continue_answer"] and going_on["messages"][-1]["role"] == "assistant"
    assert going_on["messages"][-1]["content"].strip() == text_of(again[0][-1]).strip()


def test_settings_replay_a_chat_answer(client):
    client.predict(*chat_args("Say hello."), api_name="/continue")
    second = client.predict(*chat_args("Now say goodbye.", strategy="top-p", seed="9"), api_name="/continue")
    values = client.predict(second[3], api_name="/apply_settings")
    message, model, *controls = values
    assert message == "Now say goodbye." and model == MODEL and controls[-2:] == ["chat", SYSTEM]
    replay = client.predict(message, model, *controls, api_name="/continue")  # the conversation was restored
    assert text_of(replay[0][-1]) == text_of(second[0][-1])
    assert json.loads(replay[3])["messages"] == json.loads(second[3])["messages"]


def test_markup_in_a_turn_and_in_the_system_prompt_is_text(client):
    payload = "<img src=x onerror=alert(1)><b>hi</b>"
    out = client.predict(*chat_args(payload, system=payload), api_name="/continue")
    shown = text_of(out[0][0])
    assert "<img" not in shown and "&lt;img" in shown


@pytest.mark.parametrize("changes, message", [
    (dict(system="x" * 100_000), "4,000"),
    (dict(message="   "), "empty"),
    (dict(model="ngram-shakespeare"), "no chat template"),
    (dict(max_new_tokens=10**9), "512"),
])
def test_bad_chat_input_gets_a_message_and_keeps_the_history(client, changes, message):
    client.predict(*chat_args("Remember the word apple."), api_name="/continue")
    args = dict(message="Hello", system=SYSTEM, model=MODEL, max_new_tokens=8)
    args.update(changes)
    with pytest.raises(Exception, match=message) as caught:
        client.predict(*chat_args(args.pop("message"), **args), api_name="/continue")
    assert "Traceback" not in str(caught.value)
    after = client.predict(*chat_args("Which word?"), api_name="/continue")
    sent = json.loads(after[3])["messages"]
    assert sent[0]["content"] == "Remember the word apple." and len(sent) == 3  # nothing was lost


def test_an_unknown_mode_is_refused_by_name(client):
    with pytest.raises(Exception, match="Mode"):
        client.predict("hi", MODEL, "greedy", 0.8, 40, 0.9, 2, 1, 8, 1.0, 0, "1", "telepathy", SYSTEM,
                       api_name="/continue")


def test_compare_models_runs_every_continuation_model(client, running_app):
    _, pool = running_app
    rows = client.predict("The sea is calm and the", "greedy", 0.8, 40, 0.9, 2, 1, 10, 1.0, 0, "1",
                          api_name="/compare_models")["data"]
    assert [row[0] for row in rows] == pool.names("continuation")
    by_model = {row[0]: row for row in rows}
    for name in (MODEL, "char-lstm-shakespeare", "ngram-shakespeare"):
        text, prompt_nats, answer_logprob = by_model[name][1:]
        assert text.strip() and float(prompt_nats) > 0 and float(answer_logprob) <= 0
    assert float(by_model[MODEL][2]) < float(by_model["ngram-shakespeare"][2])  # modern English, known better


def test_compare_models_refuses_an_empty_prompt(client):
    with pytest.raises(Exception, match="empty"):
        client.predict("  ", "greedy", 0.8, 40, 0.9, 2, 1, 10, 1.0, 0, "1", api_name="/compare_models")
