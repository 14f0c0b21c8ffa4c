"""Dialogs and tool windows: about, sign-in, spelling, review."""
