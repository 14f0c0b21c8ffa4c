"""Services over a store: stories, users, locks, revisions, comments, sections, settings, dictionaries."""
