"""Daily series on the athlete's local days (load, CTL/ATL/TSB, both ACWR forms, monotony
and strain) and the statistics the personal associations use (Fisher, relative risk, Holm).

May import: model, errors, thresholds, features. Nothing above.
"""
