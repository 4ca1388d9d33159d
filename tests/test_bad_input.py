"""The bad-input matrix, sent straight through gradio_client to every endpoint: each case gets an answer or a
clear message (never a traceback), and the server keeps serving afterwards."""

import json

import httpx
import pytest
from gradio_client import Client
from test_translation_app import args as translate_args
from test_verse_app import args as verse_args

from benchmarks.bad_input import TEXTS

CONTINUE = ("ROMEO:", "ngram-shakespeare", "greedy", 0.8, 40, 0.9, 4, 1, 20, 1.0, 0, "")
NER = ("x", "minilm-ner-conll2003", 1, 0.0, True)
ENDPOINTS = {
    "/continue": lambda text: (text, *CONTINUE[1:]),
    "/translate": lambda text: translate_args(text=text, strategy="greedy", max_new_tokens=20),
    "/ner": lambda text: (text, *NER[1:]),
    "/verse": lambda text: verse_args(message=text),
}
# A clear refusal is allowed (and expected for these); every other case must be answered.
REFUSALS = {"empty": "empty", "whitespace": "empty", "100k": "limit"}
# The muses write English verse: a first line that does not read as English is refused, saying so.
REFUSALS_BY_ENDPOINT = {"/verse": {**REFUSALS, "right to left": "english", "not english": "english"}}


@pytest.fixture(scope="module")
def client(running_app):
    url, _ = running_app
    return Client(url, verbose=False)


@pytest.mark.parametrize("case", list(TEXTS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_answers_or_refuses_clearly(client, running_app, endpoint, case):
    arguments = ENDPOINTS[endpoint](TEXTS[case])
    if endpoint == "/verse":  # a verse session remembers its poem: each case starts a new one
        client = Client(running_app[0], verbose=False)
    refusals = REFUSALS_BY_ENDPOINT.get(endpoint, REFUSALS)
    try:
        outputs = client.predict(*arguments, api_name=endpoint)
    except Exception as error:  # noqa: BLE001 - the message is what is checked
        message = str(error)
        assert "Traceback" not in message and len(message) < 400, message
        assert case.lower() in refusals, f"{endpoint} refused {case!r}: {message}"
        assert refusals[case.lower()] in message.lower(), message
        return
    if endpoint == "/ner" and case == "100k":
        return  # NER tags long text up to its documented cut (MAX_NER_INPUT_CHARS) and says so
    assert case.lower() not in refusals or endpoint == "/ner" and case == "whitespace", f"{endpoint} accepted {case!r}"
    assert outputs[0][-1]["role"] == "assistant"


@pytest.mark.parametrize(
    ("endpoint", "arguments", "message"),
    [
        ("/continue", ("ROMEO:", "ngram-shakespeare", "greedy", 0.8, 40, 0.9, 4, 1, 10**9, 1.0, 0, ""), "max_new_tokens: .*maximum"),
        ("/continue", ("ROMEO:", "ngram-shakespeare", "beam search", 0.8, 40, 0.9, 10**4, 1, 20, 1.0, 0, ""),
         "num_beams: .*maximum"),
        ("/continue", ("ROMEO:", "ngram-shakespeare", "sampling", 0.0, 40, 0.9, 4, 1, 20, 1.0, 0, ""), "temperature: .*minimum"),
        ("/continue", ("ROMEO:", "ngram-shakespeare", "top-p", 0.8, 40, 1.5, 4, 1, 20, 1.0, 0, ""), "top_p: .*maximum"),
        ("/continue", ("ROMEO:", "ngram-shakespeare", "sampling", 0.8, 40, 0.9, 4, 1, 20, 1.0, 0, "-5"), "seed"),
        ("/continue", ("ROMEO:", "no-such-model", "greedy", 0.8, 40, 0.9, 4, 1, 20, 1.0, 0, ""), "Model: .*choices"),
        ("/translate", translate_args(max_new_tokens=10**9), "max_new_tokens: .*maximum"),
        ("/translate", translate_args(num_beams=10**4), "num_beams: .*maximum"),
        ("/translate", translate_args(model="no-such-model"), "Model: .*choices"),
        ("/ner", ("Paris", "no-such-model", 1, 0.0, True), "Model: .*choices"),
        ("/ner", ("Paris", "minilm-ner-conll2003", 10**4, 0.0, True), "num_beams: .*maximum"),
        ("/verse", verse_args(syllables="100"), "syllables"),
        ("/verse", verse_args(suggestions=10**4), "Suggestions per muse: .*maximum"),
        ("/verse", verse_args(model="no-such-model"), "Model: .*choices"),
        ("/verse", verse_args(seed="-5"), "seed"),
    ],
)
def test_absurd_parameters_get_a_clear_message(client, endpoint, arguments, message):
    with pytest.raises(Exception, match=f"(?i){message}"):
        client.predict(*arguments, api_name=endpoint)


# what a raw call adds after the visible arguments: the session's states (chat and answers; poem and chat)
SESSION_INPUTS = {"/continue": ["continue text", "", [], {}, []], "/translate": [[], {}], "/ner": [[], {}], "/verse": ["none", [], []]}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_lone_surrogates_sent_as_raw_json_are_answered(running_app, endpoint):
    """gradio_client cannot even encode lone surrogates, so they go as JSON escapes over plain HTTP."""
    url, _ = running_app
    text = "The night is \ud800 long and \udfff still" if endpoint == "/verse" else "Hello \ud800 world \udfff"
    arguments = [*ENDPOINTS[endpoint](text), *SESSION_INPUTS[endpoint]]
    body = json.dumps({"data": arguments})  # ASCII JSON: the surrogates travel as "\\ud800" escapes
    assert "\\ud800" in body
    name = endpoint.strip("/")
    with httpx.Client(base_url=url, timeout=60) as http:
        event_id = http.post(f"gradio_api/call/{name}", content=body,
                             headers={"Content-Type": "application/json"}).json()["event_id"]
        stream = http.get(f"gradio_api/call/{name}/{event_id}").text
    assert "event: complete" in stream and "event: error" not in stream, stream[-500:]


def test_the_server_still_serves_after_the_matrix(client):
    outputs = client.predict(*ENDPOINTS["/translate"]("I like tea."), api_name="/translate")
    assert outputs[0][-1]["content"]
