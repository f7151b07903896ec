"""Lambda entry point of the SMS send function (handler.handler).

Settings, AWS clients and phone metadata are set up once here, at cold start; each
invocation only validates, sends and answers. The logic lives in the ajo_sms_send package.
"""

import os

from ajo_sms_send.app import create_app

_APP = create_app(os.environ)


def handler(event, context):
    """API Gateway REST proxy event (payload 1.0) -> proxy response, per CONTRACT.md."""
    return _APP.handle(event, context)
