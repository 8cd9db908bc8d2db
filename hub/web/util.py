"""Small helpers shared by the web views."""
import hashlib
from pathlib import Path
from typing import NamedTuple

from flask import abort, flash, request, url_for
from markupsafe import Markup, escape


class KimPicker(NamedTuple):
    """The KIMs a share or a pass-on may go to: the directory (hub.kims.service.directory) but
    the `exclude`d ids (the sending KIM)."""
    directory: object
    exclude: frozenset = frozenset()


def _kept(directory, key, build):
    """What a page builds from the directory (hub.kims.service.directory), kept with it for the
    next page that shows the same: the directory is public, and a changed one is a new one. At
    most 64 (one per KIM seen, a few forms shown again with ticks)."""
    html = directory.built.get(key)
    if html is None:
        html = build()
        if len(directory.built) < 64:
            directory.built[key] = html
    return html


def kim_checkboxes(picker, chosen):
    """A share form's KIMs, one checkbox each in a fieldset per kecamatan: the HTML the template
    wrote, built here (a network's 500 KIMs took a Jinja loop ~5 ms of every item page) and
    kept (_kept). `chosen`: the slugs ticked (a refused form shown again)."""
    chosen = frozenset(chosen or ())

    def build():
        out = []
        for kecamatan, kims in picker.directory.groups:
            shown = [k for k in kims if k.id not in picker.exclude]
            if not shown:
                continue
            out.append(f'<fieldset class="kim-group"><legend>{escape(kecamatan)}</legend>')
            out += [f'<label class="check"><input type="checkbox" name="kims" value="{escape(k.slug)}"'
                    f'{" checked" if k.slug in chosen else ""}> {escape(k.name)}</label>\n' for k in shown]
            out.append("</fieldset>")
        return Markup("".join(out))
    return _kept(picker.directory, ("checkboxes", picker.exclude, chosen), build)


def select_options(pairs, chosen):
    """<option>s of a list a page filters by, one per (value, label), the one whose value is
    `chosen` selected: the HTML a Jinja loop wrote, built here."""
    return Markup("".join(f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(label)}'
                          "</option>" for value, label in pairs))


def kim_options(directory, exclude_id, chosen):
    """<option>s of every KIM but one, by name (an inbox's filter by the KIM on the other side:
    500 in a network), kept (_kept) as kim_checkboxes keeps its own."""
    return _kept(directory, ("options", exclude_id, chosen), lambda: select_options(
        ((k.slug, k.name) for k in directory.by_name if k.id != exclude_id), chosen))


def page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100000))
    except ValueError:
        return 1


def refused(exc, form=None, aliases=None):
    """A service's refusal in a page: what it had begun is rolled back; a refusal of access or
    of a thing that is not there is the error page (403, 404); any other is shown on the form
    (beside the field it names, `aliases` mapping the service's field names to the form's)
    and its status returned, the same as the API's: 422 for an invalid input, 409 for a
    conflict, 429 for too many tries."""
    from ..extensions import db
    db.session.rollback()
    if exc.status in (403, 404):
        abort(exc.status)
    if form is not None:
        apply_domain_error(form, exc, aliases)
    return exc.status


def form_status(form) -> int:
    """The status of a page showing a form: 200, or for a refused one the status the API gives
    the same refusal (the service's, e.g. 409 for a conflict; 422 for input the form refused)."""
    if not form.errors:
        return 200
    return getattr(form, "refused_with", None) or 422


def apply_domain_error(form, exc, aliases=None):
    """Show a service's error beside the field it names, or as a message at the top."""
    form.refused_with = exc.status
    name = (aliases or {}).get(exc.field, exc.field)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc.message)]
    else:
        flash(str(exc.message), "error")
        form.form_errors.append(str(exc.message))


def page_url(page: int) -> str:
    """The current page's URL with its query string, at another page number."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def static_digests(folder):
    """{relative path: short content hash} for every file under static/, computed at start-up."""
    root = Path(folder)
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            for path in root.rglob("*") if path.is_file()}
