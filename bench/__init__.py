"""Benchmarks: each ``bench/*.py`` module with a ``main()`` is run by ``python -m bench``."""
