"""What every function needs, written once; scripts/build_zip.py copies this
package into each function's zip, so it imports as `ajo_runtime` there.

- `jsonlog`   one JSON object per log line, with the request ID
- `http`      one POST on the standard library, telling "not sent" from "answer lost"
- `backoff`   exponential backoff with jitter, honouring Retry-After; the wait between
              two attempts of a request, within the invocation's deadline
- `aws`       boto3 clients with bounded timeouts and retries; the region of an ARN;
              a failed call's error code
- `masking`   phone numbers as they may be logged
- `settings`  environment variables parsed into checked values
- `metrics`   CloudWatch Embedded Metric Format members for a log line
- `header_secret` a webhook's shared secret from Secrets Manager, cached, re-read on 401
- `sqs_batch` an SQS-triggered invocation's deadline, its partial-batch loop; the
              misconfigured handler
"""
