"""Lambda entry point of the API-key TOKEN authorizer (logic in ajo_authorizer)."""

from ajo_authorizer import app

# Built once per execution environment: config, client and a warm key cache.
_authorize = app.build()


def handler(event, context):
    return _authorize(event, getattr(context, "aws_request_id", None))
