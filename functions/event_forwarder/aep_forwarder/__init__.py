"""Forwards SMS delivery events from S3 (written by Firehose) to Adobe
Experience Platform's streaming inlet, exactly once per event as far as the
forwarder can tell (see forwarder.py for the checkpoint protocol)."""
