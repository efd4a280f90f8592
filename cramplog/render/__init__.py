"""Renderers: turn analysis outcomes into text (table, JSON, CSV, Markdown, HTML, JUnit).
Pure functions that return strings; nothing here prints or exits.

May import everything below it (analysis and lower). Never cli.
"""
