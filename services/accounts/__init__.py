"""Accounts: signing in, passwords, users and roles; every account rule, whichever door calls it."""
