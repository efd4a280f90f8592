"""What people type: cramp events (``cramps.csv`` and ``cramp add``), the athlete profile and
goals (``athlete.toml``), and time expressions (``--when``, ``--since``).

May import: model, errors, thresholds, csvsafe. Nothing above.
"""
