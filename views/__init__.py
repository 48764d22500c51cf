"""Web layer: the Flask-Admin panel, the JSON API and the public pages."""
