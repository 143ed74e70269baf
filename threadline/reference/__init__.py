"""Reference data that is true of the real world, not of the demo: the region's forces,
policing areas and postcode districts, its prisons and the exporting areas of county
lines (`geography`), and the equivalences of English given names and nicknames
(`names`). Storage seeds from it, search reads it, and the demo builds its region on it.
"""
