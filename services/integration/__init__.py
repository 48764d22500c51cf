"""Talking to the systems around the panel: the outbox, its workers and its sinks."""
