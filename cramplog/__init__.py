"""cramplog: relate muscle-cramp events to the training patterns that came before them."""

__version__ = "0.1.0"
