"""Wellled: well-led improvement work for NHS trusts."""

__version__ = "0.1.0"
