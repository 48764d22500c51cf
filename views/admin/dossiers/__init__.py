"""The dossier screens: the list, the receipt form, the details page and its actions."""
