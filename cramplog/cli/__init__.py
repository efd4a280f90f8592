"""The command-line interface: the only layer that reads argv, prints, and exits.

May import everything below it.
"""
