"""Feature controllers that add menu actions and run work: export, import, workflow, spelling, locking."""
