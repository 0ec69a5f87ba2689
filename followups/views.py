"""The follow-up workbench: one page per period where staff write every follow-up text."""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from access import policy
from access.choices import Action
from core.safeinput.text import check_text
from goals.models import FollowUpPeriod

from . import selectors, services, workflow
from .forms import ENTRY_FIELDS, FollowUpEntryForm


def _initial(row):
    current = row.current
    return {
        "text": current.text if current else "",
        "forecast": current.forecast if current else "",
        "fulfilment": current.fulfilment_id if current else None,
        "status": current.status if current else "",
        "joint": list(row.joint_keys),
    }


def _entry(row, form, coverable):
    """The fields this editor changed, with their values as the page showed them; the items
    to write jointly with when the editor changed them (None for a key not in the plan)."""
    edited = form.edited_fields()
    coverage = coverage_base = None
    if form.joint_edited():
        coverage = [coverable.get(key) for key in form.cleaned_data["joint"]]
        coverage_base = form.joint_rendered()
    return services.FollowUpEntry(
        kind=row.kind,
        subject=row.subject,
        values={ENTRY_FIELDS[name]: form.cleaned_data.get(name) for name in edited},
        base={ENTRY_FIELDS[name]: form.rendered(name) for name in edited},
        coverage=coverage,
        coverage_base=coverage_base,
    )


@login_required
def workbench(request, period_id):
    """Show every subject of the period with its text box; save all changed rows in one POST.

    Readers of the board see the page read-only; editors of the board write while the
    period is open.
    """
    try:
        period = selectors.period_get(period_id=period_id)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The follow-up period does not exist.")) from None
    board_id = period.plan.board_id
    if not policy.can(request.user, Action.VIEW_DRAFT, board_id):
        raise PermissionDenied
    may_edit = policy.can(request.user, Action.EDIT_FOLLOW_UP, board_id)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    area_id = _int_param(request.GET.get("area"))
    responsible_id = (
        request.user.pk if request.GET.get("mina") else _int_param(request.GET.get("ansvarig"))
    )
    bench = selectors.workbench_get(period=period, area_id=area_id, responsible_id=responsible_id)
    levels = bench.fulfilment_levels
    data = request.POST if request.method == "POST" else None
    forms = {
        row.key: FollowUpEntryForm(
            data,
            prefix=row.key,
            kind=row.kind,
            levels=levels,
            joint_choices=row.joint_choices,
            initial=_initial(row),
        )
        for row in bench.rows
    }
    status = 200
    conflicts = {}
    if request.method == "POST":
        if all(form.is_valid() for form in forms.values()):
            entries = [
                _entry(row, form, bench.coverable)
                for row in bench.rows
                if (form := forms[row.key]).has_changed()
            ]
            try:
                for entry in entries:
                    if entry.coverage is not None and None in entry.coverage:
                        raise services.FollowUpSaveError(
                            errors={
                                entry.key: [
                                    _("A joint follow-up covers only items of the same board goal.")
                                ]
                            }
                        )
                saved = services.follow_ups_save(period=period, entries=entries, user=request.user)
            except services.FollowUpSaveError as exc:
                conflicts = exc.conflicts
                for key, errors in exc.errors.items():
                    for error in errors:
                        forms[key].add_error(None, error)
                for key in exc.conflicts:
                    forms[key].add_error(
                        None,
                        _(
                            "Someone else has changed this follow-up since you opened the "
                            "page. Compare your text with the saved one and save again."
                        ),
                    )
                messages.error(
                    request, exc.message or _("Nothing was saved. Correct the errors below.")
                )
                status = 409 if exc.conflicts and not exc.errors else 400
            else:
                if saved:
                    labels = ", ".join(_row_label(f) for f in saved)
                    messages.success(
                        request,
                        ngettext(
                            "Saved %(count)d follow-up: %(labels)s",
                            "Saved %(count)d follow-ups: %(labels)s",
                            len(saved),
                        )
                        % {"count": len(saved), "labels": labels},
                    )
                else:
                    messages.info(request, _("No changes to save."))
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Nothing was saved. Correct the errors below."))
            status = 400

    for key, current in conflicts.items():
        # Both texts on screen; saving again keeps what the editor chose (see rebase()).
        saved = (
            {name: getattr(current, name) for name in services.EDITABLE_FIELDS} if current else {}
        )
        if current is not None:
            saved["coverage"] = services.coverage_keys(current)
        forms[key].rebase(saved)
    context = {
        **admin.site.each_context(request),
        "title": _("Follow-up %(period)s") % {"period": period},
        "bench": bench,
        "period": period,
        "plan": period.plan,
        "rows": [
            (section, [(row, forms[row.key], conflicts.get(row.key)) for row in section.rows])
            for section in bench.sections
        ],
        "has_conflicts": bool(conflicts),
        "editable": may_edit and period.is_open,
        "may_edit": may_edit,
        "mine": bool(request.GET.get("mina")),
        "responsible_name": _responsible_name(bench),
    }
    return render(request, "followups/workbench.html", context, status=status)


def _int_param(value):
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _responsible_name(bench):
    """The filtered person's name, as the rows know them (no query)."""
    if bench.responsible_id is None:
        return ""
    for row in bench.rows:
        for user in row.responsibles:
            if user.pk == bench.responsible_id:
                return user.get_full_name() or user.username
    return ""


@login_required
@require_POST
def mark_ready(request, period_id):
    """Mark one written follow-up of the period "klar" (ready=1) or not (ready=0)."""
    try:
        period = selectors.period_get(period_id=period_id)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The follow-up period does not exist.")) from None
    if not policy.can(request.user, Action.VIEW_DRAFT, period.plan.board_id):
        raise PermissionDenied
    ready = "unready" not in request.POST
    key = request.POST.get("subject" if ready else "unready", "")
    kind, _sep, subject_id = key.partition("-")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("followups:workbench", args=[period.pk])
    try:
        services.follow_up_mark_ready(
            period=period,
            kind=kind,
            subject_id=_int_param(subject_id) or 0,
            user=request.user,
            ready=ready,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(target)
    messages.success(
        request,
        _("The follow-up is marked ready.") if ready else _("The follow-up is no longer ready."),
    )
    return redirect(f"{target}#{kind}-{subject_id}")


def _row_label(follow_up):
    subject = follow_up.subject
    number = getattr(subject, "number", "")
    if number:
        return number
    text = str(subject)
    return text if len(text) <= 40 else text[:39] + "…"


@login_required
def period_status(request, period_id):
    """The period's workflow: its steps so far and the buttons this user may press."""
    try:
        period = selectors.period_get(period_id=period_id)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The follow-up period does not exist.")) from None
    if not policy.can(request.user, Action.VIEW_DRAFT, period.plan.board_id):
        raise PermissionDenied
    errors = []
    status = 200
    if request.method == "POST":
        try:
            for name, label in (("transition", "transition"), ("reason", _("reason"))):
                check_text(request.POST.get(name, ""), label)
            workflow.period_transition(
                period=period,
                transition=request.POST.get("transition", ""),
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(
                request,
                _("The period now has the status: %(status)s.")
                % {"status": period.get_status_display()},
            )
            return redirect("followups:period_status", period_id=period.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Workflow %(period)s") % {"period": period},
        "period": period,
        "plan": period.plan,
        "steps": period.transitions.select_related("user"),
        "available": workflow.transitions_available(period=period, user=request.user),
        "published": workflow.period_published(period=period),
        "errors": errors,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "followups/period_status.html", context, status=status)
