"""A target: where the forwarder delivers each event, each exactly once on its
own. Every target has its own checkpoints and kept events (its prefixes), so
one that fails never makes another post an event again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .outcome import BatchOutcome


@dataclass(frozen=True)
class Prefixes:
    checkpoint: str
    rejected: str
    unknown: str

    def all(self) -> tuple[str, str, str]:
        return (self.checkpoint, self.rejected, self.unknown)


class NotForwardable(Exception):
    """The event cannot be turned into this target's message: kept as a
    reject with `reason` (never silently dropped)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    def send(self, messages: dict[int, dict], deadline: float) -> BatchOutcome:
        """Deliver `messages` (index -> message); never raises."""


@dataclass(frozen=True)
class Target:
    name: str
    prefixes: Prefixes
    # event -> message; None: not for this target (finished, not posted);
    # raises NotForwardable.
    message: Callable[[dict], dict | None]
    sender: Sender
    request_overhead: int = 0  # bytes a request adds around its messages
