"""Reporting: the daily facts, the figures of a period, the review, the tracking book, queues."""
