"""The panel through the test client: screens, access per role and row, sessions, exports."""
