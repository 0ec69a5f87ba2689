"""Hostile-input guards that know no domain: text that a database cannot store, JSON nested
deeper than any real document, numbers that are not finite.

Every input path (forms, workbench, import cells, API bodies and parameters, search and
filters) asks these functions, so that such input is refused with a Swedish message naming
the field instead of reaching PostgreSQL (which raises on NUL) or the JSON decoder (which
recurses).
"""
