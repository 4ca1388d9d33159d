"""The Verse tab through gradio_client on loopback: two muses answer a first line, accepting a suggestion
completes a couplet, markup stays text, and the library's refusals reach the writer as they are worded."""

import html
from pathlib import Path

import pytest
from gradio_client import Client

MODEL = "verse-poets"
MUSES = ["Emily Dickinson", "John Keats"]
FIRST = "The morning light is soft and slow"


def args(message=FIRST, muses=MUSES, form="couplet", scheme="AABB", syllables="8", suggestions=1, model=MODEL,
         seed="7", title="", meter=None):
    chosen = () if meter is None else (meter,)  # left out: the tab's default (none)
    return (message, muses, form, scheme, syllables, suggestions, model, seed, title, *chosen)


@pytest.fixture
def client(running_app):
    """A fresh session (its own poem) for each test."""
    url, _ = running_app
    return Client(url, verbose=False)


def text_of(message) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part["text"] for part in content)


def test_two_muses_answer_and_accepting_completes_the_couplet(client):
    chat, choices, poem, status, path, _ = client.predict(*args(), api_name="/verse")
    assert chat[0]["role"] == "user" and html.unescape(text_of(chat[0])) == FIRST
    answers = [html.unescape(text_of(m)) for m in chat[1:] if m["role"] == "assistant"]
    for poet in MUSES:
        assert any(a.startswith(f"{poet}:") and "syllables" in a and "rhyme -" in a for a in answers), answers
    labels = [label for label, _ in choices["choices"]]
    assert labels and {label.split(": ", 1)[0] for label in labels} == set(MUSES)
    assert choices["value"] == labels[0]
    assert poem == FIRST and "line 2 of 2" in status
    assert Path(path).read_text(encoding="utf-8").strip() == FIRST

    chosen = labels[-1]
    chat, choices, poem, status, path, _ = client.predict(chosen, *args(title="Morning")[1:],
                                                          api_name="/verse_accept")
    lines = poem.split("\n")
    assert lines == [FIRST, chosen.split(": ", 1)[1]]
    assert "complete" in status and choices["choices"] == []
    assert Path(path).read_text(encoding="utf-8") == "Morning\n\n" + poem + "\n"
    with pytest.raises(Exception, match="complete"):  # the form is full: no third line
        client.predict(*args(message="And then the evening came to stay"), api_name="/verse")


def test_ask_again_asks_for_the_same_line(client):
    settings = args(muses=["William Blake"], form="quatrain", scheme="ABAB", syllables="any")
    _, choices, poem, status, _, _ = client.predict(*settings, api_name="/verse")
    assert "line 2 of 4" in status
    chat, again, poem_again, status, _, _ = client.predict(*settings[1:], api_name="/verse_again")
    assert poem_again == poem == FIRST and "line 2 of 4" in status
    assert [m["role"] for m in chat][-1] == "assistant" and again["choices"]
    assert all(label.startswith("William Blake: ") for label, _ in again["choices"])


def test_markup_in_a_line_stays_text(client):
    line = "<b>The</b> morning light is soft and slow"
    chat, *_ = client.predict(*args(message=line, muses=["Walt Whitman"], syllables="any", scheme="none"),
                              api_name="/verse")
    shown = text_of(chat[0])
    assert "<b>" not in shown and "&lt;b&gt;The&lt;/b&gt;" in shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(message="   "), "the first line is empty"),
        (dict(message="Здравствуй, утро, тихий свет"), "does not read as English"),
        (dict(syllables="40"), "40 syllables per line is impossible"),
        (dict(muses=[]), r"choose 1 to 3 muses \(got 0\)"),
        (dict(muses=MUSES + ["Walt Whitman", "William Blake"]), r"choose 1 to 3 muses \(got 4\)"),
        (dict(seed="abc"), "the seed must be a whole number"),
        (dict(model="../../etc/passwd"), "unknown model|not in the list of choices"),
    ],
)
def test_bad_requests_get_the_librarys_message(client, changes, message):
    with pytest.raises(Exception, match=message):
        client.predict(*args(**changes), api_name="/verse")


def test_accept_without_suggestions_is_refused(client):
    with pytest.raises(Exception, match="not in the list of choices|not one of the latest suggestions"):
        client.predict("Emily Dickinson: anything", *args()[1:], api_name="/verse_accept")


def test_the_smollm2_poet_writes_planned_rhymes_in_meter(client):
    """The tab's default model: every suggestion shown has the syllables, the rhyme and (asked for) the meter."""
    chat, choices, poem, status, _, _ = client.predict(
        *args(model="verse-smollm2-poets", syllables="10", suggestions=2, seed="3", meter="iambic"),
        api_name="/verse")
    answers = [html.unescape(text_of(m)) for m in chat[1:] if m["role"] == "assistant"]
    suggestions = [a for a in answers if a.split(":", 1)[0] in MUSES]
    assert len(suggestions) == 2, answers
    lines = [label.split(": ", 1)[1] for label, _ in choices["choices"]]
    assert lines, status
    for answer in suggestions:
        for fact in [x for x in answer.split("\n") if "syllables" in x]:
            assert "10 syllables" in fact and "(rhymes with 'slow')" in fact and "iambic" in fact, fact
            assert "breaks" not in fact and ", as in " in fact
