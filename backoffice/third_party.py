"""Swedish for the installed third-party apps the admin shows (axes, knox, django-tasks,
django-import-export, django-simple-history).

None of them ships a Swedish catalogue. Where a package passes its text through gettext, the
Swedish is in our own catalogue (locale/sv, which Django reads first); the msgids are listed
here so that makemessages keeps them. What a package never translates (knox's field names,
the apps' names) gets a translated label when the admin starts (`apply_labels`): labels are
not part of the migration state (a field's migration keeps the verbose name it was declared
with, a model's Meta its original options), so no third-party migration changes.
"""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

#: Texts the packages translate themselves, with the msgids they use (Swedish in locale/sv).
PACKAGE_MSGIDS = (
    # django-axes: models and admin
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Locked Out"),
    # django-tasks (database backend)
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    # django-import-export: templates, forms and admin (the export button has its own
    # template, admin/import_export/export.html: Django translates "Submit" as "Lämna in")
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Select all"),
    gettext_noop("Resource"),
    gettext_noop("File to import"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    # django-simple-history: the history pages
    gettext_noop("Object"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Revert"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Change History"),
    gettext_noop("Close"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("You may edit it again below"),
)

#: App names (the admin index's headings); the packages give English or none.
APP_NAMES = {
    "axes": _("Login lockouts"),
    "knox": _("API tokens"),
    "django_tasks_database": _("Background jobs"),
    "import_export": _("Import and export (engine)"),
    "simple_history": _("Change history (engine)"),
    "django_tasks": _("Background jobs (engine)"),
    "django_filters": _("Filters"),
    "rest_framework": _("REST API"),
    "corsheaders": _("Cross-origin requests"),
    "csp": _("Content security policy"),
    "drf_spectacular": _("API description"),
    "drf_spectacular_sidecar": _("API description (files)"),
    "mozilla_django_oidc": _("Single sign-on"),
}

#: Models and fields whose names the packages never translate: (app, model) → (singular,
#: plural, {field: label}).
MODEL_LABELS = {
    ("knox", "authtoken"): (
        _("API token"),
        _("API tokens"),
        {
            "digest": _("fingerprint"),
            "token_key": _("token start"),
            "user": _("user"),
            "created": _("created"),
            "expiry": _("expires"),
        },
    ),
}


def apply_labels():
    """Give the third-party apps and models their Swedish names (called from ready())."""
    for label, name in APP_NAMES.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    for (app_label, model_name), (singular, plural, fields) in MODEL_LABELS.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for name, text in fields.items():
            model._meta.get_field(name).verbose_name = text
    # django-simple-history names its models "historical <name>" without translating it.
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and hasattr(model, "history_id"):
            name = instance_type._meta.verbose_name
            model._meta.verbose_name = format_lazy(_("history of {name}"), name=name)
            model._meta.verbose_name_plural = format_lazy(_("history of {name}"), name=name)
