"""The training engine: the article's network, passes and loop in pure NumPy."""
