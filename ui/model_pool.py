"""Every model the app offers, loaded once at start-up; the menus can only name these."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from generators import bundled_models, hub_models, load
from generators.registry import finetuned_models
from generators.errors import InputError

log = logging.getLogger(__name__)


@dataclass
class ModelPool:
    generators: dict[str, dict[str, object]] = field(default_factory=dict)  # task -> name -> generator
    unavailable: dict[str, dict[str, str]] = field(default_factory=dict)  # task -> name -> reason

    @classmethod
    def load_all(cls, tasks: tuple[str, ...], with_hub: bool = True) -> ModelPool:
        pool = cls()
        for task in tasks:
            pool.generators[task] = {}
            pool.unavailable[task] = {}
            infos = bundled_models(task) + finetuned_models(task) + (hub_models(task) if with_hub else [])
            for info in infos:
                if not info.available:
                    pool.unavailable[task][info.name] = info.reason
                    continue
                try:
                    pool.generators[task][info.name] = load(info.name, task=task)
                except Exception as error:  # noqa: BLE001 - one broken model must not stop the app
                    log.warning("could not load %s: %s", info.name, error)
                    pool.unavailable[task][info.name] = str(error).splitlines()[0]
        return pool

    def names(self, task: str) -> list[str]:
        return list(self.generators.get(task, {}))

    def get(self, task: str, name: str):
        try:
            return self.generators[task][name]
        except (KeyError, TypeError):
            known = ", ".join(self.names(task)) or "none"
            raise InputError(f"unknown model {str(name)[:80]!r}; choose one of: {known}") from None

    def unavailable_note(self, task: str) -> str:
        missing = self.unavailable.get(task, {})
        if not missing:
            return ""
        return "Unavailable here: " + "; ".join(f"{name} ({reason})" for name, reason in missing.items())
