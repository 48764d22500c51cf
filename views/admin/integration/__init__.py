"""The integration screens: the outbox and the national portal's code mappings."""
