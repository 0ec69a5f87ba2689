"""Building blocks of the read-only REST API shared by the apps' `api/` packages.

Caching (ETag/Last-Modified), pagination, the CSV renderer, filter types, the base viewset
and the OpenAPI post-processing live here; each app keeps its own serializers, views, urls
and filtersets, and `config/api_urls.py` collects them under `/api/v1/`.
"""
