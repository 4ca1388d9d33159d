"""The Entities tab through gradio_client: /ner answers with a chat turn, highlights and a table whose offsets
index the input; the threshold filters; bad input gets a clear message; hostile text stays text."""

import time

import pytest
from gradio_client import Client

from generators.limits import MAX_NER_INPUT_CHARS

MODEL = "minilm-ner-conll2003"
TEXT = "Angela Merkel met Emmanuel Macron in Paris on Monday; Siemens shares rose 3.5% to $120."


@pytest.fixture(scope="module")
def client(running_app):
    url, pool = running_app
    assert pool.names("ner")[0] == MODEL  # the default model is the bundled fine-tuned encoder
    return Client(url, verbose=False)


def tag(client, text, model=MODEL, num_beams=1, threshold=0.0, rules=True):
    return client.predict(text, model, num_beams, threshold, rules, api_name="/ner")


def test_ner_finds_people_places_and_numbers(client):
    chat, highlighted, table, notes = tag(client, TEXT)
    rows = table["data"]
    found = {(row[0], row[1]) for row in rows}
    assert {("Angela Merkel", "PER"), ("Emmanuel Macron", "PER"), ("Paris", "LOC")} <= found
    assert {("3.5%", "PERCENT"), ("$120", "MONEY"), ("Monday", "DATE")} <= found
    for text, _label, score, start, end in rows:
        assert TEXT[int(start) : int(end)] == text and 0 < float(score) <= 1
    assert "PER" in chat[-1]["content"] if isinstance(chat[-1]["content"], str) else True
    assert "".join(seg["token"] for seg in highlighted) == TEXT  # highlights cover the text exactly once


def test_beam_and_threshold(client):
    _, _, all_rows, _ = tag(client, TEXT, num_beams=4)
    _, _, high, notes = tag(client, TEXT, num_beams=4, threshold=0.999)
    assert len(high["data"]) < len(all_rows["data"])
    assert all(float(row[2]) >= 0.999 for row in high["data"])
    assert "below the confidence threshold" in notes


def test_empty_text_and_unknown_model_get_clear_messages_fast(client):
    for args, message in (((" ",), "empty"), (("Paris", "no-such-model"), "not in the list of choices|unknown model")):
        started = time.monotonic()
        with pytest.raises(Exception, match=message):
            tag(client, *args)
        assert time.monotonic() - started < 5


def test_hostile_text_is_escaped_in_the_chat(client):
    hostile = "<img src=x onerror=alert(1)> <script>alert(2)</script> Reuters in London"
    chat, highlighted, _, _ = tag(client, hostile)
    user = chat[-2]["content"]
    user = user if isinstance(user, str) else "".join(part["text"] for part in user)
    assert "&lt;img src=x" in user and "<img" not in user
    assert "".join(seg["token"] for seg in highlighted) == hostile  # the highlight gets the raw characters


def test_long_text_is_cut_with_a_note(client, monkeypatch):
    import generators.ner as ner

    limit = MAX_NER_INPUT_CHARS // 10  # the same code path as at the real limit, at a tenth of the time
    monkeypatch.setattr(ner, "MAX_NER_INPUT_CHARS", limit)
    sentence = "Paris is in France. "
    text = sentence * (limit // len(sentence) + 50)
    _, highlighted, table, notes = tag(client, text, rules=False)
    assert f"the limit is {limit:,}" in notes
    assert len("".join(seg["token"] for seg in highlighted)) <= limit
    assert len(table["data"]) > limit // 20
