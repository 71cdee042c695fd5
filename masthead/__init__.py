"""Masthead: publishing, reader funding and reader discussion for independent newsrooms."""

__version__ = "0.1.0"
