"""`python -m newsdesk` runs the same command line as the `newsdesk` script."""

from newsdesk.cli.main import main

raise SystemExit(main())
