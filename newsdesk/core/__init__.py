"""The newsroom's rules and data, with no Qt: the window and the command line both call this."""
