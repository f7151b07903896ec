"""API-key TOKEN authorizer for the AJO SMS endpoint (logging, settings and AWS
clients from the shared ajo_runtime).

The handler module stays thin; everything testable lives here:
- `config`      environment variables read once at cold start
- `keys`        the accepted keys, fetched from Secrets Manager and cached with a TTL
- `policy`      the IAM policy document API Gateway expects back
- `authorizer`  the decision: token in, policy out or `Unauthorized`
"""
