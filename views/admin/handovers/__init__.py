"""The handover screens: the log, the queue with its scanner, sending and confirming."""
