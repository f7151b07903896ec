"""Forwards SMS events from S3 (written by Firehose) to each configured target
(Adobe Experience Platform's streaming inlet, AJO's SMS feedback webhook):
each event taken by a target at most once, and kept in S3 when the target
refused it or may not have it (README: Duplicates, Targets)."""
