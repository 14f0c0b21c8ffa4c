"""The main window's frame: the window, its menu bar and docks."""
