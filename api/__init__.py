"""The REST API of the domain apps: who sees what (visibility), serializers, filtersets,
viewsets and routers per app. A delivery layer: it imports the apps, no app imports it."""
