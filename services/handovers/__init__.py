"""Handovers: the batches between the post office and the departments, and reading their log."""
