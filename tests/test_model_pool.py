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


def test_a_session_keeps_the_views_of_its_latest_answers_only():
    from generators.limits import MAX_KEPT_ANSWERS
    from ui.chat_shell import keep_answer

    answers = {}
    for index in range(1, 2 * MAX_KEPT_ANSWERS + 2, 2):  # assistant messages sit at odd chat indices
        answers = keep_answer(answers, index, {"text": str(index)})
    assert len(answers) == MAX_KEPT_ANSWERS
    assert min(answers, key=int) == str(2 * MAX_KEPT_ANSWERS + 1 - 2 * (MAX_KEPT_ANSWERS - 1))
    assert answers[max(answers, key=int)] == {"text": str(2 * MAX_KEPT_ANSWERS + 1)}


def test_each_menu_opens_on_its_tasks_default_bundled_model():
    for task, name in registry.DEFAULT_BUNDLED.items():
        infos = registry.bundled_models(task)
        assert infos[0].name == name, [i.name for i in infos]
        assert [i.name for i in infos[1:]] == sorted(i.name for i in infos[1:])


def test_background_loading_lists_the_slow_models_at_once_and_waits_for_them(monkeypatch):
    import threading

    from ui import model_pool

    release = threading.Event()
    real_load = model_pool.load

    def slow_load(name, task=None):
        if name == "smollm2-135m-instruct":
            release.wait(10)
        if name == "smollm2-shakespeare-lora":
            raise RuntimeError("broken adapter")
        return real_load(name, task=task)

    monkeypatch.setattr(model_pool, "load", slow_load)
    pool = ModelPool.load_all(("continuation",), with_hub=False, background=True)
    names = pool.names("continuation")
    assert names[0] == "smollm2-135m-instruct" and "char-lstm-shakespeare" in names  # menu ready, default first
    assert pool.is_loading("continuation", "smollm2-135m-instruct")
    assert pool.get("continuation", "ngram-shakespeare")  # the other models answer meanwhile
    release.set()
    assert pool.get("continuation", "smollm2-135m-instruct").can_chat  # waits for the load, then serves
    assert not pool.is_loading("continuation", "smollm2-135m-instruct")
    with pytest.raises(InputError, match="could not be loaded here: broken adapter"):
        pool.get("continuation", "smollm2-shakespeare-lora")


def test_what_the_menus_need_is_declared_in_each_models_config_as_the_loaded_model_has_it():
    from generators.declared_facts import UNDECLARED, declared_fact

    pool = ModelPool.load_all(("translation", "verse"), with_hub=False)
    checked = 0
    for task, fact in (("translation", "attention_layout"), ("verse", "poets")):
        for name in pool.names(task):
            declared = declared_fact(name, fact)
            if declared is not UNDECLARED:
                assert declared == getattr(pool.get(task, name), fact), (name, fact)
                checked += 1
    assert checked == len(pool.names("translation")) + len(pool.names("verse"))
    assert declared_fact("rnn-attention-en-fr", "attention_layout") is None  # one attention: no menus
    assert declared_fact("gpt2", "poets") is UNDECLARED  # a hub id: only the loaded model knows


def test_the_app_is_built_and_serves_its_menus_before_any_model_has_loaded(monkeypatch):
    import threading

    import app as quill_app
    from ui import model_pool

    release = threading.Event()
    real_load = model_pool.load
    loaded = []

    def blocked_load(name, task=None):
        release.wait(30)
        loaded.append(name)
        return real_load(name, task=task)

    monkeypatch.setattr(model_pool, "load", blocked_load)
    pool = ModelPool.load_all(quill_app.TASKS, with_hub=False, background=True)
    try:
        blocks = quill_app.build_app(pool)  # would wait 30 s if a menu needed a loaded model
        assert not loaded and not release.is_set()
        by_id = {block.elem_id: block for block in blocks.blocks.values() if getattr(block, "elem_id", None)}
        poets = [choice[0] for choice in by_id["verse-muses"].choices]
        assert "Emily Dickinson" in poets and len(poets) == 12
        assert [c[0] for c in by_id["translate-layer"].choices][1:] == ["1", "2", "3"]
        assert pool.is_loading("translation", "transformer-small-en-fr")
    finally:
        release.set()
    assert pool.get("translation", "transformer-small-en-fr").attention_layout == (3, 4)
    queue = [name for _, name in pool.loading]  # in the order the one loading thread takes them
    assert queue.index("ngram-shakespeare") < queue.index("smollm2-135m-instruct")  # the quick ones first
