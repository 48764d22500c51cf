"""Dossiers: receipt, receiving, the workflow and its inputs, timeliness, transfers."""
