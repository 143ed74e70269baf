"""Disruptions: what was done against a group, county line, person or threat theme, and what came of it.

Recorded with the 4P strand, a claimed grade (major, moderate, minor) and its rationale,
tactics, date, force and lead; validated or regraded by a supervisor; court outcomes follow
each arrest and charge to conviction and sentence.
"""
