"""Decoding photographs (Pillow): reading what comes in, making what the export writes."""
