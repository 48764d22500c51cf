"""Scale, concurrency and outages: statement counts, locks, two servers, real faults."""
