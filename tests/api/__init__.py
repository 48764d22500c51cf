"""The JSON API, as an integrating system and an attacker meet it."""
