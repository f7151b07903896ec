"""The one fake clock of the unit tests: the test moves it by hand (advance), or the
code under test does by sleeping (sleep, which also records each wait)."""

from __future__ import annotations


class Clock:
    def __init__(self, now: float = 1_764_633_600.0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
