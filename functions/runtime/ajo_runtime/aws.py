"""AWS clients as every function builds them: bounded timeouts, standard retries,
and the region a resource's ARN names (a secret may live in another region)."""

from __future__ import annotations

CLIENT_CONFIG = {
    "connect_timeout": 2,
    "read_timeout": 10,
    "retries": {"mode": "standard", "total_max_attempts": 4},
}


def region_of(arn: str) -> str | None:
    """`arn:aws:secretsmanager:eu-west-1:...` -> `eu-west-1`; None if not an ARN with one."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None


def client(service: str, region: str | None = None, **config):
    """A boto3 client with CLIENT_CONFIG (overridden by `config`)."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, region_name=region, config=Config(**{**CLIENT_CONFIG, **config}))
