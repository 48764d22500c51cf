"""Vietnamese ground rules as pure functions: text folding, addresses, ID and phone formats.

No database and no Flask: everything above may import this package, and it imports nothing
of the project's.
"""
