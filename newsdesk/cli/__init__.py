"""The command line: the same core as the window, for scripts and automation.

Each command group lives in its own module with a `register(commands, parents)`
function. Modules import `newsdesk.core` inside their handlers so that
`newsdesk --version` and `--help` stay instant, and none of them imports Qt.
"""
