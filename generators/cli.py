"""`python -m generators {continue,translate,chat,ner,verse,models,prepare,engine-serve}`: the library from a shell, with --json
output."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields

from .command_line import OneLineParser, report_errors
from .decoding import DecodingConfig
from .errors import ModelUnavailable
from .requests import translation_decoding

_FLAG_TYPES = {"max_new_tokens": int, "top_k": int, "num_beams": int, "num_return_sequences": int,
               "no_repeat_ngram_size": int, "seed": int, "temperature": float, "top_p": float,
               "length_penalty": float, "repetition_penalty": float}


def _early_stopping(value: str):
    choices = {"true": True, "false": False, "never": "never"}
    if value.lower() not in choices:
        raise argparse.ArgumentTypeError("use true, false or never")
    return choices[value.lower()]


def _add_decoding_flags(parser: argparse.ArgumentParser, defaults: DecodingConfig) -> None:
    group = parser.add_argument_group("decoding (names as in transformers.GenerationConfig)")
    for name, kind in _FLAG_TYPES.items():
        group.add_argument(f"--{name.replace('_', '-')}", f"--{name}", dest=name, type=kind,
                           default=getattr(defaults, name))
    group.add_argument("--do-sample", "--do_sample", dest="do_sample", action="store_true")
    group.add_argument("--early-stopping", "--early_stopping", dest="early_stopping", type=_early_stopping,
                       default=defaults.early_stopping)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m generators", description="Quill generators from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name, text_name, defaults in (
        ("continue", "prompt", DecodingConfig()),
        ("translate", "text", translation_decoding()),
    ):
        command = commands.add_parser(name, help=f"{name} a {text_name}")
        command.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
        command.add_argument("--json", action="store_true", help="print one JSON object")
        command.add_argument("--device", default="cpu")
        _add_decoding_flags(command, defaults)
        if name == "translate":
            command.add_argument("--no-stand-ins", dest="stand_ins", action="store_false",
                                 help="send rare names and numbers to the model as they are")
            command.add_argument("--whole-sentences", dest="clauses", action="store_false",
                                 help="translate a long sentence whole, not clause by clause")
        command.add_argument("text", metavar=text_name, help=f"the {text_name} ('-' reads standard input)")
    ner = commands.add_parser("ner", help="find named entities (and numbers) in a text")
    ner.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
    ner.add_argument("--json", action="store_true", help="print one JSON object: entities, notes")
    ner.add_argument("--device", default="cpu")
    ner.add_argument("--num-beams", "--num_beams", dest="num_beams", type=int, default=1)
    ner.add_argument("--threshold", type=float, default=0.0, help="drop entities scored below this")
    ner.add_argument("--no-rules", dest="rules", action="store_false", help="no numeric rule layer")
    ner.add_argument("text", help="the text ('-' reads standard input)")
    chat = commands.add_parser("chat", help="one chat turn with a chat model (its chat template)")
    chat.add_argument("--model", required=True, help="a chat model, e.g. smollm2-135m-instruct")
    chat.add_argument("--system", default=None, help="the system prompt (default: Quill's; '' = the model's own)")
    chat.add_argument("--json", action="store_true", help="print one JSON object")
    chat.add_argument("--device", default="cpu")
    _add_decoding_flags(chat, DecodingConfig())
    chat.add_argument("text", metavar="message", help="your message ('-' reads standard input)")
    verse = commands.add_parser("verse", help="the next line of a poem from poet muses (syllables, rhyme, meter)")
    verse.add_argument("--model", default="verse-smollm2-poets", help="a verse model (default: %(default)s)")
    verse.add_argument("--muses", default="John Keats", help="comma-separated poets, 1 to 3")
    verse.add_argument("--form", default="quatrain", choices=["couplet", "quatrain", "free verse"])
    verse.add_argument("--scheme", default="AABB", choices=["AABB", "ABAB", "ABBA", "ABCB", "none"])
    verse.add_argument("--syllables", default="10", help="syllables per line, or 'any'")
    verse.add_argument("--meter", default="none", choices=["none", "iambic"])
    verse.add_argument("--suggestions", type=int, default=2, help="suggestions per muse")
    verse.add_argument("--seed", type=int, default=None)
    verse.add_argument("--json", action="store_true", help="print one JSON object: suggestions per muse, notes")
    verse.add_argument("lines", nargs="+", help="the poem so far, one argument per line ('-' reads standard input)")
    engine = commands.add_parser("engine-serve", help="start vLLM's OpenAI-compatible server on a model (its own "
                                 "venv, .venv-vllm, made once); the app uses it with QUILL_ENGINE_URL")
    engine.add_argument("--model", default="smollm2-135m-instruct", help="a Quill causal model (default: %(default)s)")
    engine.add_argument("--host", default="127.0.0.1")
    engine.add_argument("--port", type=int, default=8000)
    engine.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    engine.add_argument("--compile", dest="compile_step", action="store_true",
                        help="let vLLM torch.compile its step (5-8 minutes at start on a CPU, faster after)")
    commands.add_parser("models", help="list the models and whether they can be used here")
    commands.add_parser("prepare", help="convert the models that ship in PyPI wheels (SmolLM2) into Quill's cache and compile their decode step")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "ner":
        return report_errors(lambda: _run_ner(args))
    if args.command == "verse":
        return report_errors(lambda: _run_verse(args))
    if args.command == "prepare":
        return report_errors(_prepare)
    if args.command == "engine-serve":
        from .engine.serve import serve

        return report_errors(lambda: serve(args.model, args.port, args.host, args.dtype, args.compile_step))
    return report_errors(_list_models if args.command == "models" else lambda: _run(args))


def _prepare() -> int:
    import json as json_

    from .models.gguf_package import ensure_converted
    from .registry import ASSETS, bundled_models, load

    for info in bundled_models("continuation"):
        if "@" in info.name:  # a precision variant of a model listed before it
            continue
        config = json_.loads((ASSETS / info.name / "config.json").read_text())
        if config.get("quill_arch") == "gguf_package":
            print(f"{info.name}: {ensure_converted(config)}", flush=True)
            step_model = load(info.name).step_model  # its default on a CPU: the lean int4 decoder
            if hasattr(step_model, "source_network"):  # the lean decoder: its decode step compiled ahead of time
                from .models.llama_decoder import LeanLlamaStepModel
                from .models.precompiled_step import build_artifacts

                print(f"{info.name}: compiling the decode step ahead of time (a few minutes once)...", flush=True)
                try:
                    for path in build_artifacts(step_model.model).values():
                        print(f"{info.name}: {path}", flush=True)
                except Exception as error:  # noqa: BLE001 - no C++ compiler: the app decodes eagerly, and says so
                    print(f"{info.name}: not compiled, decoding stays eager: {type(error).__name__}: {error}",
                          flush=True)
                # and the kernel cache of the just-in-time compile (QUILL_COMPILE=1), so that it takes ~15 s
                compiled = LeanLlamaStepModel(step_model.source_network, step_model.tokenizer, step_model.precision,
                                              compile_steps=True).compiled_step
                compiled.ready.wait()
                print(f"{info.name}: just-in-time decode step {compiled.status}", flush=True)
    return 0


def _list_models() -> int:
    from .registry import TASKS, bundled_models, finetuned_models, hub_models

    for task in TASKS:
        for info in [*bundled_models(task), *finetuned_models(task), *hub_models(task)]:
            state = "available" if info.available else f"unavailable: {info.reason}"
            print(f"{task:13} {info.source:8} {info.name:40} {state}")
    from .engine import engine_models, engine_url, load_engine

    for name in engine_models():  # named by QUILL_ENGINE_URL / QUILL_ENGINE_MODELS
        state = "available" if load_engine(name).available() else f"unavailable: no answer from {engine_url()}"
        print(f"{'continuation':13} {'engine':8} {name:40} {state}")
    return 0


def _run(args) -> int:
    from .chat import DEFAULT_SYSTEM_PROMPT, ChatRequest
    from .registry import load
    from .requests import ContinuationRequest, TranslationRequest

    config = DecodingConfig(**{f.name: getattr(args, f.name) for f in fields(DecodingConfig)})
    text = sys.stdin.read() if args.text == "-" else args.text
    task = "translation" if args.command == "translate" else "continuation"
    generator = load(args.model, task=task, device=args.device)
    if args.command == "chat":
        system = DEFAULT_SYSTEM_PROMPT if args.system is None else args.system
        request = ChatRequest(({"role": "user", "content": text},), system, config)
        if not generator.can_chat:
            raise ModelUnavailable(f"'{args.model}' has no chat template; use: python -m generators continue")
        generate, stream = generator.generate_chat, generator.stream_chat
    else:
        request = (ContinuationRequest(text, config) if task == "continuation"
                   else TranslationRequest(text, config, stand_ins=args.stand_ins, clauses=args.clauses))
        generate, stream = generator.generate, generator.stream
    if args.json:
        print(json.dumps(_as_json(generator, generate(request)), ensure_ascii=False))
        return 0
    if config.strategy == "beam":  # the best beam can change: print the final text only
        print(generate(request).text)
        return 0
    printed = ""
    for partial in stream(request):
        text = partial.text
        if text.startswith(printed):
            sys.stdout.write(text[len(printed):])
            sys.stdout.flush()
            printed = text
    print()
    return 0


def _run_ner(args) -> int:
    from .ner import NERRequest
    from .registry import load

    text = sys.stdin.read() if args.text == "-" else args.text
    request = NERRequest(text, DecodingConfig(num_beams=args.num_beams), rules=args.rules, threshold=args.threshold)
    result = load(args.model, task="ner", device=args.device).generate(request)
    if args.json:
        print(json.dumps({"model": args.model, "task": "ner", **result.as_json()}, ensure_ascii=False))
        return 0
    for entity in result.entities:
        print(f"{entity['start']:>6} {entity['end']:>6}  {entity['label']:9} {entity['score']:.3f}  {entity['text']}")
    for note in result.notes:
        print(f"note: {note}")
    return 0


def _run_verse(args) -> int:
    from dataclasses import asdict

    from .registry import load
    from .verse import VerseRequest

    lines = sys.stdin.read().splitlines() if args.lines == ["-"] else args.lines
    request = VerseRequest(tuple(m.strip() for m in args.muses.split(",") if m.strip()), tuple(lines), args.form,
                           args.scheme, args.syllables, args.suggestions, args.seed, args.meter)
    result = load(args.model, task="verse").generate(request)
    if args.json:
        print(json.dumps({"model": args.model, "task": "verse", "partner": request.partner,
                          "suggestions": {poet: [asdict(s) for s in found]
                                          for poet, found in result.suggestions.items()},
                          "notes": result.notes, "seconds": round(result.seconds, 3)}, ensure_ascii=False))
        return 0
    for poet, found in result.suggestions.items():
        for s in found:
            print(f"{poet}: {s.text}  ({s.syllables} syllables, rhyme {s.rhyme_letters or '?'})")
    for note in result.notes:
        print(f"note: {note}")
    return 0


def _as_json(generator, result) -> dict:
    best = result.decode.best
    out = {
        "model": generator.name,
        "task": generator.task,
        "text": best.text,
        "tokens": best.tokens,
        "token_strings": result.target_tokens if generator.task == "translation" else result.token_strings,
        "score": best.score,
        "token_logprobs": best.token_logprobs,
        "top_alternatives": [[[i, lp] for i, lp in step] for step in best.top_alternatives],
        "finish_reason": best.finish_reason,
        "seed": result.decode.seed,
        "notes": result.decode.notes,
        "n_best": [{"text": h.text, "tokens": h.tokens, "score": h.score} for h in result.hypotheses],
    }
    if generator.task == "translation":
        attention = result.attention()
        out["source_tokens"] = result.source_tokens
        out["target_tokens"] = result.target_tokens
        out["attention"] = None if attention is None else [[round(v, 5) for v in row] for row in attention.tolist()]
    return out
