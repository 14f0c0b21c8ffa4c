"""The application shell: QApplication start-up, the single-instance guard, identity and platform glue."""
