"""One athlete's analysis and what is built on it: the rules run over the daily series, the
context of each logged cramp, personal associations, goal readiness, the team view, and the
outcome cache that lets a warm run skip all of it.

May import: model, errors, thresholds, csvsafe, ingest, features, journal, store, importer,
metrics, rules. Never render or cli.
"""
