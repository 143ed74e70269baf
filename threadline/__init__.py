"""Threadline: hold, grade, connect and routinely share what is known about serious and
organised crime across a region's police forces and partner agencies."""

__version__ = "0.1.0"
