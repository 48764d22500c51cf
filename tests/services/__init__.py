"""The services, models and commands, called directly on both databases."""
