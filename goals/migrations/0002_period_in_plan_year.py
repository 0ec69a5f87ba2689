"""A follow-up period's date lies in its plan's year: kept by triggers (see goals/triggers.py).

The triggers are installed after every `migrate` by a post_migrate handler and dropped
before it, because SQLite rebuilds tables to alter them; this migration only marks the point
in history where the rule began.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
