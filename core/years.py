"""The span of years the system holds: the one home of the bounds every check uses (the API's
year filters, imports, the bulk write, the database constraints on values)."""

#: The first year anything is held (indicator values; Kolada's series start in the 1990s).
FIRST_YEAR = 1990
#: The last year anything is held.
LAST_YEAR = 2100
