"""`python -m newsdesk` (and the frozen build's entry) runs the same command line as the `newsdesk` script.

The guard matters: the site export draws pages in worker processes started
with "spawn", which import this module again without running the command;
`freeze_support` lets those workers start inside a PyInstaller build too.
"""

import multiprocessing

from newsdesk.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
