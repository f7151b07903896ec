"""The one failure a step raises: the SQS message fails and comes back (after
maxReceiveCount it waits in the DLQ), and the steps already done stay done."""

from __future__ import annotations


class StepFailed(Exception):
    """`reason` is a code fit for a log line: no number, no message text, no secret.
    `permanent`: retrying cannot help (a refusal, the deployment's setup); logged as an
    error for the operator, the message still fails so the DLQ keeps it."""

    def __init__(self, step: str, reason: str, permanent: bool = False):
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason
        self.permanent = permanent
