"""Chat with an instruction-tuned causal LM: a conversation in, the model's next answer out.

The prompt is the model's own chat template over the system prompt and the conversation; when it would exceed the
token budget, the oldest exchanges (a user turn and its answer) are left out and the result says how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .decoding import DecodingConfig
from .errors import InputError
from .limits import CHAT_TOKEN_BUDGET, MAX_CHAT_MESSAGES, MAX_INPUT_CHARS, MAX_SYSTEM_PROMPT_CHARS
from .requests import check_limits
from .text_input import clean_text

DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly and clearly."
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class ChatRequest:
    """`messages` alternate user / assistant and end on a user turn, or on an assistant answer to go on with
    (`continue_answer`); the system prompt may be empty (the model's template then uses its own default)."""

    messages: tuple[dict, ...]
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    decoding: DecodingConfig = field(default_factory=lambda: DecodingConfig(max_new_tokens=200))
    continue_answer: bool = False
    token_budget: int = CHAT_TOKEN_BUDGET

    def __post_init__(self):
        if not isinstance(self.system_prompt, str):
            raise InputError("the system prompt must be text")
        if len(self.system_prompt) > MAX_SYSTEM_PROMPT_CHARS:
            raise InputError(f"the system prompt has {len(self.system_prompt):,} characters; the limit is "
                             f"{MAX_SYSTEM_PROMPT_CHARS:,}")
        system = clean_text(self.system_prompt, what="system prompt", allow_empty=True).strip()
        messages = tuple(_checked(m, i) for i, m in enumerate(self.messages or ()))
        if not messages:
            raise InputError("the conversation is empty: type a message first")
        if len(messages) > MAX_CHAT_MESSAGES:
            messages = messages[-MAX_CHAT_MESSAGES:]  # far beyond any token budget anyway
            if messages[0]["role"] != "user":
                messages = messages[1:]
        last = "assistant" if self.continue_answer else "user"
        if messages[-1]["role"] != last:
            ending = "an assistant answer to continue" if self.continue_answer else "a user turn"
            raise InputError(f"the conversation must end on {ending}")
        object.__setattr__(self, "system_prompt", system)
        object.__setattr__(self, "messages", messages)
        check_limits(self.decoding)


def _checked(message, index: int) -> dict:
    if not isinstance(message, dict) or message.get("role") not in ROLES or not isinstance(message.get("content"), str):
        raise InputError(f"message {index + 1} must be {{'role': 'user' | 'assistant', 'content': text}}")
    expected = ROLES[index % 2]
    if message["role"] != expected:
        raise InputError(f"message {index + 1} is from the {message['role']}; turns alternate, starting with the user")
    content = clean_text(message["content"], what=f"{message['role']} turn", max_chars=MAX_INPUT_CHARS,
                         allow_empty=message["role"] == "assistant")
    if message["role"] == "user" and not content.strip():
        raise InputError("a user turn is empty: type a message")
    return {"role": message["role"], "content": content}


@dataclass(frozen=True)
class ChatPrompt:
    ids: list[int]  # the templated prompt, ready for decoding
    dropped_exchanges: int  # oldest user turns (with their answers) left out to fit the budget
    budget: int

    @property
    def notes(self) -> list[str]:
        if not self.dropped_exchanges:
            return []
        what = ("the oldest user turn and its answer were" if self.dropped_exchanges == 1
                else f"the oldest {self.dropped_exchanges} user turns and their answers were")
        return [f"{what} left out of the prompt to fit its budget of {self.budget:,} tokens"]


def build_chat_prompt(step_model, request: ChatRequest) -> ChatPrompt:
    """The templated prompt within the token budget (minus room for the answer): oldest exchanges go first."""
    context = getattr(step_model, "max_positions", None) or request.token_budget
    budget = max(1, min(request.token_budget, context - request.decoding.max_new_tokens))
    messages = list(request.messages)
    dropped = 0
    while True:
        ids = step_model.chat_ids(request.system_prompt, messages, request.continue_answer)
        if len(ids) <= budget:
            return ChatPrompt(ids, dropped, budget)
        if len(messages) <= 2 - (not request.continue_answer):  # only the latest turn (and its answer) is left
            raise InputError(f"the latest turn with the system prompt is {len(ids):,} tokens; the prompt budget is "
                             f"{budget:,} (max_new_tokens {request.decoding.max_new_tokens} kept free): shorten it")
        messages = messages[2:]
        dropped += 1
