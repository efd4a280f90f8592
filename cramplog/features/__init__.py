"""Per-session numbers computed from a stream and the athlete's profile: load (TRIMP,
session-RPE, fallback), descent and steep-downhill distance from smoothed elevation, heat
minutes, pace; and the key the stored features are cached under.

May import: model, errors, thresholds, and ``ingest.geo`` for distances. Nothing above.
"""
