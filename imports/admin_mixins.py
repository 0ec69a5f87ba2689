"""django-import-export in the admin, with the project's rules.

Permissions come from access.policy (Action.IMPORT / Action.EXPORT per board), exports hold
only rows of boards the user may export, and imports go through the preview → confirm page
of imports.views (every problem listed, nothing saved unless every row is valid).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from access import policy
from access.choices import Action
from core.formats import EXPORT_FORMATS, XLSXFormat

from .forms import KoladaUploadForm, UploadForm, WideExportForm
from .kolada import read_kolada
from .views import import_page


class BoardImportExportMixin(ImportExportMixin):
    """Import and export for an admin of a board-owned model (after BoardScopedAdminMixin)."""

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    skip_admin_log = True  # the change history (simple-history) records every imported change
    export_form_class = ExportForm

    def get_import_formats(self):
        return [XLSXFormat]

    def get_export_formats(self):
        return EXPORT_FORMATS

    def has_import_permission(self, request):
        return bool(policy.board_ids(request.user, Action.IMPORT))

    def has_export_permission(self, request):
        return bool(policy.board_ids(request.user, Action.EXPORT))

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        return policy.filter_by_board(
            super().get_export_queryset(request), request.user, Action.EXPORT
        )

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """Native values for every format: our formats escape text and keep numbers numbers."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        kwargs.pop("encoding", None)
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-").lower()
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _changelist_url(self):
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")

    def import_action(self, request, **kwargs):
        classes = self.get_import_resource_classes(request)
        resource_class = classes[0]
        return import_page(
            request,
            model_admin=self,
            page=f"{self.model._meta.label_lower}:{resource_class.__name__}",
            title=_("Import %(name)s") % {"name": resource_class.get_display_name().lower()},
            form_class=UploadForm,
            make_resource=lambda user, **options: resource_class(user=user, **options),
            done_url=self._changelist_url(),
            intro=_("Columns: %(columns)s.")
            % {"columns": ", ".join(resource_class().column_names())},
        )

    def process_import(self, request, **kwargs):
        return self.import_action(request, **kwargs)


class IndicatorValueImportExportMixin(BoardImportExportMixin):
    """Indicator values, plus the report's wide table (import and export) and Kolada files."""

    import_export_change_list_template = "imports/change_list_indicatorvalue.html"
    wide_resource_class = None
    kolada_resource_class = None

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-wide/", wrap(self.import_wide_view), name="{}_{}_import_wide".format(*info)
            ),
            path(
                "export-wide/", wrap(self.export_wide_view), name="{}_{}_export_wide".format(*info)
            ),
            path(
                "import-kolada/",
                wrap(self.import_kolada_view),
                name="{}_{}_import_kolada".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_wide_view(self, request):
        resource_class = self.wide_resource_class
        return import_page(
            request,
            model_admin=self,
            page="indicators.indicatorvalue:wide",
            title=_("Import the indicator table (as in the year-end report)"),
            form_class=UploadForm,
            make_resource=lambda user, **options: resource_class(user=user),
            done_url=self._changelist_url(),
            intro=_(
                "Columns: Nämnd, Indikator, Uppdelning, one column per year (e.g. 2017, 2018, "
                "2019), Målvärde and Slag. Empty cells change nothing."
            ),
        )

    def import_kolada_view(self, request):
        from goals.models import Board

        resource_class = self.kolada_resource_class

        def make(user, board=None):
            chosen = Board.objects.filter(pk=board).first() if board else None
            return resource_class(user=user, board=chosen)

        return import_page(
            request,
            model_admin=self,
            page="indicators.indicatorvalue:kolada",
            title=_("Import values from Kolada"),
            form_class=KoladaUploadForm,
            make_resource=make,
            read=read_kolada,
            done_url=self._changelist_url(),
            intro=_(
                "Values go to the indicators whose Kolada KPI matches, on the boards of the "
                "municipality with that code. Unknown KPIs and municipalities are listed."
            ),
        )

    def export_wide_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = WideExportForm(
            request.POST or None,
            user=request.user,
            initial={
                "year": timezone.localdate().year - 1,
                "format": "0",
            },
        )
        if request.method == "POST" and form.is_valid():
            board, year = form.cleaned_data["board"], form.cleaned_data["year"]
            if not policy.can(request.user, Action.EXPORT, board.pk):
                raise PermissionDenied
            file_format = EXPORT_FORMATS[int(form.cleaned_data["format"])]()
            headers, rows = self.wide_resource_class(user=request.user).export_table(
                [board], [year - 2, year - 1, year]
            )
            response = HttpResponse(
                file_format.write(headers, rows), content_type=file_format.get_content_type()
            )
            response["Content-Disposition"] = (
                f'attachment; filename="indikatortabell-{year}.{file_format.get_extension()}"'
            )
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Export the indicator table (as in the year-end report)"),
            "form": form,
        }
        return TemplateResponse(request, "imports/export_wide.html", context)
