"""`make demo`: the module's main job on one machine, offline.

1. starts moto (AWS's control plane) and a loopback stand-in for the SMS API,
   both on 127.0.0.1;
2. applies demo/ (the module in existing-identity mode for End User Messaging
   SMS, which moto does not serve) and prints its outputs, AJO's custom action
   among them;
3. sends one AJO-shaped request through the deployed path: authorizer and send
   function from their deployed zips with their deployed configuration, which
   queue it (queued delivery, the default); then the dispatcher, from the same
   zip, takes it off the queue the way Lambda's event source mapping would and
   sends it; a one-time code goes direct. The SMS API answering is the loopback
   stand-in, NOT a real send;
4. destroys everything and checks nothing is left.

Run from the repository root with the test harness on the path (the stand-ins live
there): `PYTHONPATH=tests .venv/bin/python scripts/demo.py`.
"""

from __future__ import annotations

import json
import sys
import time

from harness import REPO
from harness.iac import Deployment
from harness.loopback_sms import LoopbackSmsApi
from harness.moto_server import moto_server
from harness.request_path import RequestPath


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def show(label: str, value) -> None:
    print(f"{label}: {json.dumps(value, indent=2)}", flush=True)


def show_sends(sms: LoopbackSmsApi) -> None:
    sent = sms.sends()
    print(f"SMS API stand-in received {len(sent)} SendTextMessage call(s):")
    for call in sent:
        body = call.body
        print(
            f"  to {body.get('DestinationPhoneNumber')} from "
            f"{body.get('OriginationIdentity')} via configuration set "
            f"{body.get('ConfigurationSetName')} context {body.get('Context')}"
        )


def main() -> int:
    started = time.monotonic()
    with moto_server() as aws_url, LoopbackSmsApi() as sms:
        step(f"local AWS (moto) on {aws_url}; SMS API stand-in on {sms.url} (no real SMS is sent)")
        deployment = Deployment(REPO / "demo", aws_url, echo=True)
        try:
            step("deploy demo/ (the module, End User Messaging resources in existing mode)")
            deployment.init()
            deployment.apply()
            outputs = deployment.outputs()["module"]
            addresses = deployment.state_addresses()
            print(f"{len(addresses)} objects in state (resources and data sources)", flush=True)
            step("outputs for AJO")
            for name in (
                "api_endpoint_url", "auth_header_name", "api_key_read_command",
                "delivery_transactional_queue_url", "delivery_redrive_command",
            ):  # fmt: skip
                print(f"{name} = {outputs[name]}")
            show("ajo_custom_action", outputs["ajo_custom_action"])

            step("one AJO request through the deployed path: accepted and queued")
            path = RequestPath(outputs, aws_url, sms.url)
            request = {
                "destinationNumber": "(415) 555-0100",
                "message": "Your Acme code is 123456",
                "idempotencyKey": "demo-journey-v1-profile-42-step-1",
                "context": {"journeyId": "demo-journey", "profileId": "42"},
            }
            show("request", request)
            response = path.call(request)
            show("response status", response["statusCode"])
            show("response body", json.loads(response["body"]))
            print(f"SMS API stand-in calls so far: {len(sms.sends())}")

            step("the dispatcher drains the queues (deployed zip, paced at delivery.mps)")
            print(f"records dispatched: {path.dispatch()}")
            show_sends(sms)

            step("the same request again (an AJO retry): replayed, not sent twice")
            replay = path.call(request)
            show("response body", json.loads(replay["body"]))
            print(f"records dispatched: {path.dispatch()}")
            print(f"SMS API stand-in calls so far: {len(sms.sends())}")

            step('a one-time code with "delivery": "direct": sent before the answer')
            otp = {
                "destinationNumber": "+14155550100",
                "message": "Your Acme code is 654321",
                "idempotencyKey": "demo-otp-profile-42",
                "delivery": "direct",
            }
            direct = path.call(otp)
            show("response status", direct["statusCode"])
            show("response body", json.loads(direct["body"]))
            show_sends(sms)

            step("a wrong API key")
            show("response", path.call(request, token="not-the-key"))  # noqa: S106
        finally:
            step("destroy")
            deployment.destroy()
            left = deployment.state_addresses()
            print(f"resources left in state: {len(left)}")
            deployment.cleanup()
    print(f"\ndemo finished in {time.monotonic() - started:.0f} s")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
