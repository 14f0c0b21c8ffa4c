"""The Qt window: a thin client of newsdesk.core."""
