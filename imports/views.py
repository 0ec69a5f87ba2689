"""The import pages: upload → preview (new / changed / unchanged rows, every problem) → confirm.

The confirm step runs the same plan again and writes it in one transaction. It is one request:
atomicity means the whole file commits or nothing does, so it cannot be split into requests
that each commit a chunk. The page shows a progress indicator while the request runs; at the
measured speed (see bench/import_bench.py) the row limit is imported in well under a minute.
"""

import contextlib
import secrets
import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _sv

from core.formats import ImportFileError, read_table

SESSION_KEY = "pending_imports"
PENDING_MAX_AGE = 3600
PREVIEW_LIMIT = 500


#: Uploaded files wait for their confirmation here, in the file storage that every app server
#: shares (the session, which names them, is in the database): a preview made through one
#: server can be confirmed through another. Names start with the upload's Unix time.
PREVIEW_FOLDER = "import-previews"


def preview_name(now: float) -> str:
    return f"{PREVIEW_FOLDER}/{int(now)}-{secrets.token_hex(16)}"


def _sweep(now: float):
    """Remove every user's previews older than PENDING_MAX_AGE: a preview nobody confirmed
    (the session ended, the tab was closed) would otherwise stay in the storage."""
    try:
        _folders, files = default_storage.listdir(PREVIEW_FOLDER)
    except (OSError, NotImplementedError):
        return
    for name in files:
        stamp = name.split("-", 1)[0]
        if stamp.isdigit() and now - int(stamp) > PENDING_MAX_AGE:
            with contextlib.suppress(OSError):
                default_storage.delete(f"{PREVIEW_FOLDER}/{name}")


def _store(request, page, data: bytes, digest: str, options: dict, name: str, kind: str) -> str:
    pending = request.session.get(SESSION_KEY, {})
    now = time.time()
    for token, entry in list(pending.items()):
        if now - entry.get("at", 0) > PENDING_MAX_AGE:
            _discard(pending.pop(token))
    _sweep(now)
    path = default_storage.save(preview_name(now), ContentFile(data))
    token = secrets.token_urlsafe(16)
    pending[token] = {
        "page": page,
        "path": path,
        "digest": digest,
        "options": options,
        "name": name,
        "kind": kind,
        "at": now,
    }
    request.session[SESSION_KEY] = pending
    return token


def _discard(entry):
    with contextlib.suppress(OSError, KeyError):
        default_storage.delete(entry["path"])


def _summary(result) -> str:
    return _sv("%(new)s nya, %(changed)s ändrade och %(unchanged)s oförändrade rader.") % {
        "new": len(result.new_rows),
        "changed": len(result.changed_rows),
        "unchanged": result.unchanged_count,
    }


def import_page(
    request,
    *,
    model_admin,
    page: str,
    title,
    form_class,
    make_resource,
    read=read_table,
    done_url: str,
    intro="",
):
    """Serve one import page (GET form, POST file → preview, POST token → confirm)."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "intro": intro,
        "done_url": done_url,
        "preview_limit": PREVIEW_LIMIT,
    }
    form = form_class(user=request.user)
    result = None
    token = request.POST.get("confirm_token")
    if request.method == "POST" and token:
        pending = request.session.get(SESSION_KEY, {})
        entry = pending.get(token)
        if entry is None or entry["page"] != page:
            messages.error(request, _sv("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
            return HttpResponseRedirect(request.path)
        try:
            with default_storage.open(entry["path"], "rb") as handle:
                data = handle.read()
        except (OSError, FileNotFoundError):
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
            messages.error(request, _sv("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
            return HttpResponseRedirect(request.path)
        table = read(data)
        resource = make_resource(request.user, **entry["options"])
        result = resource.import_data(
            table.as_dataset(), dry_run=False, user=request.user, expected_digest=entry["digest"]
        )
        result.file_kind = entry["kind"]
        if result.written:
            _discard(pending.pop(token))
            request.session[SESSION_KEY] = pending
            messages.success(
                request, _sv("Importen är klar: %(summary)s") % {"summary": _summary(result)}
            )
            return HttpResponseRedirect(done_url)
        if result.stale:
            messages.warning(
                request,
                _sv(
                    "Uppgifterna har ändrats sedan förhandsgranskningen; inget sparades. "
                    "Granska den nya förhandsgranskningen och bekräfta igen."
                ),
            )
            result = resource.import_data(table.as_dataset(), dry_run=True, user=request.user)
            result.file_kind = entry["kind"]
            if not result.problems:
                entry["digest"] = result.digest
                entry["at"] = time.time()
                request.session[SESSION_KEY] = pending
                context["confirm_token"] = token
        else:
            _discard(pending.pop(token))
            request.session[SESSION_KEY] = pending
        context["file_name"] = entry["name"]
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = upload.read()
            try:
                table = read(data)
            except ImportFileError as exc:
                form.add_error("import_file", str(exc))
            else:
                resource = make_resource(request.user, **form.options())
                result = resource.import_data(table.as_dataset(), dry_run=True, user=request.user)
                result.file_kind = table.kind
                context["file_name"] = upload.name
                if not result.problems:
                    context["confirm_token"] = _store(
                        request, page, data, result.digest, form.options(), upload.name, table.kind
                    )
    context["form"] = form
    context["result"] = result
    if result is not None:
        context["summary"] = _summary(result)
        context["shown_new"] = result.new_rows[:PREVIEW_LIMIT]
        context["shown_changed"] = result.changed_rows[:PREVIEW_LIMIT]
        context["shown_problems"] = [str(p) for p in result.problems[:PREVIEW_LIMIT]]
        context["hidden_problems"] = max(0, len(result.problems) - PREVIEW_LIMIT)
        context["row_count"] = result.change_count
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "imports/import.html", context)
