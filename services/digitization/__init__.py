"""Digitized dossiers (Circular 01/2023): files per document, storage, signing, reuse, figures."""
