"""Shared machinery that knows no domain: API base classes, conditional GET and caching,
pagination, renderers, optimistic form locking, spreadsheet cells and file formats, charts
and text formatting. Nothing here imports an app of the project; apps pass in what is
theirs (class attributes, registries). The import-linter contract in pyproject.toml keeps
it so."""
