"""The newsroom's rules as pure functions and data.

Fields, limits, datelines, slugs, links, rendering, diffs, spelling, the workflow table. No SQL, no store.
"""
