"""Forwards SMS delivery events from S3 (written by Firehose) to Adobe
Experience Platform's streaming inlet: each event stored by AEP at most once,
and kept in S3 when AEP refused it or may not have it (README: Duplicates)."""
