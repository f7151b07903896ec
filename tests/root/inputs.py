"""Inputs the root plan tests share: the smallest valid configuration.

A module, not conftest.py: tests use them at import time (in parametrize
lists and `**BASE`), and conftest.py is not meant to be imported.
"""

ACCOUNT = "123456789012"
POOL = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:pool/pool-0123456789abcdef0123456789abcdef"
# One existing pool to send from, queued delivery at 3 message parts/s.
BASE = {
    "name": "ajo-sms",
    "sms": {"origination_identities": {"pool_arns": [POOL]}},
    "delivery": {"mps": 3},
}
