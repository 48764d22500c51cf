"""The Flask-Admin adapter: secured bases, list rows, filters, exports, forms, pickers."""
