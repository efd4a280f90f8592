"""What people type: cramp events (``cramps.csv`` and ``cramp add``), the athlete profile and
goals (``athlete.toml``), time expressions (``--when``, ``--since``), and the journal: those
files kept beside the store (``files.py``).

May import: model, errors, thresholds, csvsafe. Nothing above.
"""
