"""The import pipeline: walk the paths, skip files already stored (by content hash), parse
the rest in worker processes, localise times, merge duplicate sessions, and store each file
with its features in one transaction.

May import: model, errors, thresholds, csvsafe, ingest, features, journal, store.
"""
