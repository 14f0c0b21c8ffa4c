"""Tests of the importers (a package, so its module names never clash with tests elsewhere)."""
