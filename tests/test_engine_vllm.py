"""The engine backend against a real vLLM server (its own venv, .venv-vllm, made here when missing) on loopback,
serving the same SmolLM2 weights as Quill's local float32 path. The server is started once for the module and
killed by the last test (mid-answer)."""

import os
import signal
import socket
import threading

import pytest
from app_fixture import free_port

from generators import ContinuationRequest, DecodingConfig, InputError, load
from generators.chat import ChatRequest
from generators.engine import engine_models, load_engine
from generators.engine.client import EngineClient, EngineError
from generators.engine.serve import start_engine

MODEL = "smollm2-135m-instruct"
PROMPTS = ["The capital of France is", "Once upon a time, a fox", "def fibonacci(n):"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """(url, server process): vLLM serving SmolLM2 in float32, started once (~1 min; the venv ~2 min once)."""
    port = free_port()
    log = tmp_path_factory.mktemp("vllm") / "server.log"
    process = start_engine(MODEL, port, log_path=log, threads=2)
    yield f"http://127.0.0.1:{port}", process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def remote(engine):
    return load_engine(MODEL, url=engine[0])


@pytest.fixture(scope="module")
def local():
    return load(f"{MODEL}@fp32")


def test_greedy_through_vllm_equals_local_float32_greedy(remote, local):
    """Same weights in float32: the same tokens, and log-probabilities within 1e-3 nats."""
    config = DecodingConfig(max_new_tokens=24)
    for prompt in PROMPTS:
        ours = local.generate(ContinuationRequest(prompt, config)).decode.best
        theirs = remote.generate(ContinuationRequest(prompt, config)).decode.best
        assert theirs.tokens == [t for t in ours.tokens if t != local.step_model.eos_token_id], prompt
        assert max(abs(a - b) for a, b in zip(ours.token_logprobs, theirs.token_logprobs)) < 1e-3
        assert theirs.text == ours.text


def test_the_engines_top_alternatives_are_the_local_models(remote, local):
    config = DecodingConfig(max_new_tokens=6)
    ours = local.generate(ContinuationRequest(PROMPTS[0], config)).decode.best
    theirs = remote.generate(ContinuationRequest(PROMPTS[0], config)).decode.best
    for step_ours, step_theirs in zip(ours.top_alternatives, theirs.top_alternatives):
        assert [token for token, _ in step_theirs] == [token for token, _ in step_ours]
        assert step_theirs[0][0] in theirs.tokens  # greedy: the chosen token is the top one
    assert theirs.alternative_ids.shape == (6, 5)


def test_chat_through_vllm_equals_local_chat(remote, local):
    request = ChatRequest(({"role": "user", "content": "Name one French city."},),
                          decoding=DecodingConfig(max_new_tokens=20))
    ours, theirs = local.generate_chat(request), remote.generate_chat(request)
    assert theirs.text == ours.text and theirs.text.strip()
    assert theirs.prompt == ours.prompt  # the same template, built here, sent as token ids


def test_the_engine_scores_a_prompt_as_the_local_model_does(remote, local):
    """Compare models' prompt nats/char: from vLLM's prompt log-probabilities, equal to local teacher forcing."""
    from generators.lm_scoring import score_text

    text = "ROMEO:\nBut soft, what light through yonder window breaks? It is the east."
    ours, theirs = score_text(local.step_model, text), remote.score_prompt(text)
    assert theirs.chars == ours.chars
    assert abs(theirs.nats_per_char - ours.nats_per_char) < 1e-4
    from ui.continuation_handlers import _prompt_nats

    assert _prompt_nats(remote, text) == round(theirs.nats_per_char, 4)  # the Compare models column
    assert _prompt_nats(remote, "word " * 2100) == "—"  # beyond the served context: the engine refuses it


def test_streaming_gives_growing_partial_answers_then_a_final_one(remote):
    results = list(remote.stream(ContinuationRequest(PROMPTS[1], DecodingConfig(max_new_tokens=30))))
    assert len(results) >= 10 and not any(r.done for r in results[:-1]) and results[-1].done
    texts = [r.text for r in results]
    assert all(later.startswith(earlier) for earlier, later in zip(texts, texts[1:]))
    assert results[-1].decode.best.finish_reason in ("length", "eos")


def test_seeded_sampling_replays_and_seeds_differ(remote):
    def sample(seed):
        config = DecodingConfig(max_new_tokens=25, do_sample=True, temperature=1.0, top_k=50, seed=seed)
        return remote.generate(ContinuationRequest(PROMPTS[1], config))

    first, again, other = sample(7), sample(7), sample(8)
    assert first.text == again.text and first.decode.seed == 7
    assert first.text != other.text
    drawn = remote.generate(ContinuationRequest(PROMPTS[1], DecodingConfig(max_new_tokens=5, do_sample=True)))
    assert drawn.decode.seed is not None  # a seed is drawn and reported, so the answer can be replayed


def test_beam_search_gives_its_n_best_best_first(remote):
    config = DecodingConfig(max_new_tokens=12, num_beams=4, num_return_sequences=3)
    result = remote.generate(ContinuationRequest(PROMPTS[0], config))
    assert result.done and len(result.hypotheses) == 3
    assert len({tuple(h.tokens) for h in result.hypotheses}) == 3
    assert all(h.finish_reason in ("eos", "length") for h in result.hypotheses)


def test_what_vllm_cannot_do_is_refused_with_the_reason(remote):
    with pytest.raises(InputError, match="no_repeat_ngram_size has no vLLM equivalent"):
        remote.generate(ContinuationRequest(PROMPTS[0], DecodingConfig(no_repeat_ngram_size=3)))
    with pytest.raises(InputError, match="beam search takes no repetition_penalty"):
        remote.generate(ContinuationRequest(PROMPTS[0], DecodingConfig(num_beams=2, repetition_penalty=1.3)))


def test_a_prompt_beyond_the_served_context_gets_the_engines_reason(remote):
    with pytest.raises(EngineError, match=r"refused the request \(400\)"):
        remote.generate(ContinuationRequest("word " * 2100, DecodingConfig(max_new_tokens=4)))
    assert remote.generate(ContinuationRequest("Hello", DecodingConfig(max_new_tokens=2))).text  # still serving


def test_stop_ends_the_answer_and_frees_the_engine(remote):
    seen = []

    def should_stop():
        seen.append(1)
        return len(seen) >= 3

    results = list(remote.stream(ContinuationRequest(PROMPTS[1], DecodingConfig(max_new_tokens=200)), should_stop))
    assert results[-1].done and results[-1].decode.best.finish_reason == "cancelled"
    assert len(results[-1].decode.best.tokens) < 20
    assert remote.generate(ContinuationRequest("Hello", DecodingConfig(max_new_tokens=3))).done


def test_a_silent_engine_times_out_with_a_clear_message():
    """A server that accepts connections and never answers: bounded by the read timeout (and one retry)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        client = EngineClient(f"http://127.0.0.1:{server.getsockname()[1]}", MODEL, read_timeout_s=0.5)
        with pytest.raises(EngineError, match=r"did not answer within 0.5 s"):
            client.complete([1, 2, 3], {"max_tokens": 2})


def test_an_engine_that_is_down_is_said_and_not_offered(monkeypatch):
    down = f"http://127.0.0.1:{free_port()}"
    generator = load_engine(MODEL, url=down)
    assert not generator.available()
    with pytest.raises(EngineError, match="is not answering"):
        generator.generate(ContinuationRequest("Hello", DecodingConfig(max_new_tokens=2)))
    monkeypatch.setenv("QUILL_ENGINE_URL", down)
    monkeypatch.delenv("QUILL_ENGINE_MODELS", raising=False)
    assert engine_models() == [f"engine:{MODEL}"]
    import ui.model_pool
    from ui.model_pool import ModelPool

    for listing in ("bundled_models", "finetuned_models"):  # only the engine model: no local model loads here
        monkeypatch.setattr(ui.model_pool, listing, lambda task=None: [])
    pool = ModelPool.load_all(("continuation",), with_hub=False)
    assert f"engine:{MODEL}" in pool.engines["continuation"]
    assert f"engine:{MODEL}" not in pool.names("continuation")
    with pytest.raises(InputError, match="is not answering now"):
        pool.get("continuation", f"engine:{MODEL}")


@pytest.fixture(scope="module")
def engine_app(engine):
    """(url, pool) of the real app with QUILL_ENGINE_URL pointing at the module's engine."""
    from app_fixture import start_app

    before = os.environ.get("QUILL_ENGINE_URL")
    os.environ["QUILL_ENGINE_URL"] = engine[0]
    try:
        blocks, url, pool = start_app(with_slow_model=False)
    finally:
        if before is None:
            os.environ.pop("QUILL_ENGINE_URL")
        else:
            os.environ["QUILL_ENGINE_URL"] = before
    yield url, pool
    blocks.close()


def test_the_app_serves_an_engine_model_beside_the_local_ones(engine_app):
    """Through gradio_client: the engine model is in the menu while it answers, its answer says where it came from."""
    from gradio_client import Client

    url, pool = engine_app
    assert f"engine:{MODEL}" in pool.names("continuation")
    client = Client(url, verbose=False)
    chat, tokens, _, _, hints, _ = client.predict(
        "The capital of France is", f"engine:{MODEL}", "greedy", 0.8, 40, 0.9, 4, 1, 12, 1.0, 0, "",
        api_name="/continue")
    assert "Paris" in chat[-1]["content"][0]["text"]
    assert "decoded by the vLLM engine at" in hints and len(tokens["data"]) == 12
    local = client.predict("The capital of France is", MODEL, "greedy", 0.8, 40, 0.9, 4, 1, 4, 1.0, 0, "",
                           api_name="/continue")[0]  # the local models go on beside it
    assert local[-1]["content"][0]["text"].strip()


@pytest.mark.browser
def test_a_user_picks_the_engine_model_in_the_browser(chromium, engine_app):
    """The menu a page opens with lists the engine model; its answer streams in and says where it came from."""
    from browser import VIEWPORT, choose_model, last_answer, set_slider_number, table_rows, type_prompt

    url, _ = engine_app
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("#continue-send")
        choose_model(page, f"engine:{MODEL}")
        page.locator("#continue-strategy").get_by_label("greedy", exact=True).check()
        set_slider_number(page, "max_new_tokens", 12)
        type_prompt(page, "The capital of France is")
        page.click("#continue-send")
        page.wait_for_function("() => document.querySelector('#continue-hints').innerText.includes('vLLM engine')")
        assert "Paris" in last_answer(page)
        assert len(table_rows(page, "continue-tokens")) == 12
    finally:
        context.close()


def test_requests_go_to_the_replicas_that_answer(engine):
    """QUILL_ENGINE_URL may name several replicas: one that is down is passed over."""
    down = f"http://127.0.0.1:{free_port()}"
    generator = load_engine(MODEL, url=f"{down},{engine[0]}")
    assert generator.available() and len(generator.client.replicas) == 2
    result = generator.generate(ContinuationRequest("The capital of France is", DecodingConfig(max_new_tokens=3)))
    assert "Paris" in result.text
    assert [r.in_flight for r in generator.client.replicas] == [0, 0]


def test_an_engine_killed_mid_answer_gives_a_clear_message(engine, remote):
    """Last in this module: it kills the server."""
    url, process = engine
    stream = remote.stream(ContinuationRequest(PROMPTS[1], DecodingConfig(max_new_tokens=400)))
    next(stream), next(stream)
    killer = threading.Timer(0.2, lambda: os.killpg(process.pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(EngineError, match="stopped answering mid-answer|is not answering"):
        for _ in stream:
            pass
    killer.join()
    process.wait(timeout=30)
    assert not remote.available()
