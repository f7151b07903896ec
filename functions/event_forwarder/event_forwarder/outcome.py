"""What a target's sender says about a batch of messages: the one result
shape every target answers with (AEP's inlet, the AJO feedback webhook)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rejection:
    status: int | None
    message: str


@dataclass
class BatchOutcome:
    accepted: list[int] = field(default_factory=list)
    rejected: dict[int, Rejection] = field(default_factory=dict)
    unknown: dict[int, Rejection] = field(default_factory=dict)  # maybe stored: never re-posted
    unresolved: list[int] = field(default_factory=list)  # surely not stored: retried later
    failure: str | None = None  # why some are unresolved
    too_large: bool = False  # 413: the unresolved ones must be split
    attempts: int = 0  # requests made
