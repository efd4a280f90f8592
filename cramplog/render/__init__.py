"""Renderers: turn results into text (table, JSON, CSV, Markdown, HTML, JUnit). No printing."""
