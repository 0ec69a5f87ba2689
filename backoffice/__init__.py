"""The Django admin of the domain apps: the site, and each app's model admins, inlines and
import/export buttons. A delivery layer: it imports the apps, no app imports it."""
