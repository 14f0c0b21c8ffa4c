"""The docks beside the editor: budget, metadata, related links, preview."""
