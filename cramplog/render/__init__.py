"""Renderers: turn analysis outcomes into text (table, JSON, CSV, Markdown, HTML, JUnit).
Pure functions that return strings; nothing here prints or exits.

Split by format: each format's module renders the whole ``analyze`` output in that format,
team summary included (``table`` with ``sparkline`` for the terminal, ``markdown``,
``json_out``, ``csv_out``, ``junit``, and ``html`` with its ``html_*`` parts and ``svg_*``
charts). ``report_text`` holds the plain phrases the terminal and Markdown reports share;
``activities`` renders the ``activities`` listing in its formats.

May import everything below it (analysis and lower). Never cli.
"""
