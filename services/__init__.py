"""The domain: plain functions over models, raising typed errors from services.errors."""
