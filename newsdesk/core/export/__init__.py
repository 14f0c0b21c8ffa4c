"""Web export: article, section and home pages, Atom feeds, a sitemap and ninjs, written incrementally.

`site.export_site` is the entry point for a whole site, `site.export_ninjs`
for IPTC ninjs files and `site.export_preview` for one story's page before it
is published. The command line (`newsdesk export`) and the window both call
these; see `paths` for where each page lives.
"""
