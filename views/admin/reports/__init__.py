"""The home page, the dashboard, the reports page and its review."""
