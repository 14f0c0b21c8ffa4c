"""Newsdesk: a desktop newsroom editor.

Importing this package must stay cheap: the command line and the window both
start here, and start-up time is won or lost on imports.
"""

__version__ = "0.1.0"
APP_NAME = "Newsdesk"
APP_ID = "newsdesk"
ORGANISATION = "Newsdesk"
