"""In Chromium: every screen, button and printed form as a person meets it."""
