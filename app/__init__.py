"""Loupe: turn a folder of images into a trustworthy image classifier on your own machine."""

__version__ = "0.1.0"
