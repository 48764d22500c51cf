"""The citizen's rating of a dossier: keys, recording, follow-ups of the disliked ones."""
