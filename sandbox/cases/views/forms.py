"""Django forms of the case pages: the configured form sections, and one form per action.

A configured form (`ConfigForm`) is built from the bundle's sections at each
request, in the active language. Django converts the posted strings into
values (numbers, dates, yes/no); the case services then validate them against
the configuration and remain the only guard. Errors the services raise are put
back on the form (`apply_error`) so the page shows them next to the fields.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.configuration.conditions import evaluate, fields_named
from sandbox.configuration.runtime import BundleConfig, FieldDef, SectionDef

from ..formdata import MAX_LONG_TEXT, MAX_TEXT, field_options, is_visible
from .display import location_choices

#: Names some services use in error details for a form field of another name.
ERROR_ALIASES = {"recipient": "to_member", "assignee": "to_member"}


def _css(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes, and that shows service errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.add_fields()
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _css(field.widget))

    def add_fields(self) -> None:
        """Add the fields that depend on the configuration (before styling)."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def apply_error(self, exc: SandboxError) -> None:
        """Show a service's error: its message on top, its field errors on the fields."""
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        fields = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
        shown = False
        for key, messages in fields.items():
            name = ERROR_ALIASES.get(key, key)
            if name in self.fields:
                self.add_error(name, [str(m) for m in messages])
                shown = True
        message = str(exc.message)
        if not shown or message not in {str(m) for ms in fields.values() for m in ms}:
            self.add_error(None, message)
        # Real-looking personal data: the trainee confirms it is invented (a tick box).
        self.confirm_invented = exc.code == "possible_real_data"


# --- configured form sections --------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """New documents for an upload field (several at once); the service checks them."""

    def __init__(self, fdef: FieldDef, **kwargs: Any) -> None:
        accept = ",".join(f".{ext}" for ext in fdef.accept)
        attrs = {"multiple": True, **({"accept": accept} if accept else {})}
        kwargs["required"] = False  # documents already stored may satisfy the field
        super().__init__(widget=MultipleFileInput(attrs=attrs), **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [item for item in items if item]


def make_field(fdef: FieldDef, config: BundleConfig,
               members: dict[str, str] | None = None) -> forms.Field:
    """The Django field of a configured field (a subform column too)."""
    common: dict[str, Any] = {
        "label": pick(fdef.label) or fdef.code,
        "help_text": pick(fdef.help),
        # A field hidden by skip logic is not required; the service decides.
        "required": fdef.required and not fdef.show_if and fdef.type != "tick_box"
        and not fdef.readonly,
        "disabled": fdef.readonly,
    }
    if fdef.default is not None and fdef.default not in ("today", "now"):
        common["initial"] = fdef.default
    kind = fdef.type
    if fdef.has_options:
        choices = list(field_options(fdef, config, members).items())
        if kind == "select":
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        if kind == "radio":
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                         **common)
    if kind == "datetime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"], **common)
    if kind == "upload":
        common.pop("initial", None)
        return DocumentsField(fdef, **common)
    if kind == "text":
        return forms.CharField(max_length=MAX_TEXT, **common)
    if kind == "textarea":
        return forms.CharField(max_length=MAX_LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
                               **common)
    if kind == "tick_box":
        return forms.BooleanField(**common)
    if kind == "number":
        return forms.IntegerField(min_value=fdef.min_value, max_value=fdef.max_value, **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               **common)
    if kind == "location":
        return forms.ChoiceField(choices=[("", "—"), *location_choices(config, fdef.admin_level)],
                                 **common)
    if kind == "subform":
        return SubformField(fdef, config, members, **common)
    return forms.CharField(**common)


def _stored(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


class SubformWidget(forms.Widget):
    """Reads the rows of a subform posted as `field__<row>__<column>`."""

    def __init__(self, columns: tuple[FieldDef, ...]) -> None:
        super().__init__()
        self.columns = columns

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[dict[str, Any]]:
        prefix = f"{name}__"
        indexes = set()
        for key in data:
            index, sep, _column = key[len(prefix):].partition("__") if key.startswith(prefix) \
                else ("", "", "")
            if sep and index.isdigit():
                indexes.add(int(index))
        rows = []
        for index in sorted(indexes):
            row: dict[str, Any] = {}
            for column in self.columns:
                key = f"{name}__{index}__{column.code}"
                if column.type == "multi_select":
                    row[column.code] = data.getlist(key) if hasattr(data, "getlist") \
                        else data.get(key, [])
                else:
                    row[column.code] = data.get(key)
            rows.append(row)
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class SubformField(forms.Field):
    """Repeating rows; each column is converted by its own Django field."""

    def __init__(self, fdef: FieldDef, config: BundleConfig, members: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        self.fdef = fdef
        self.columns = [(col, make_field(col, config, members)) for col in fdef.columns
                        if col.stores_value and not col.hidden]
        super().__init__(widget=SubformWidget(fdef.columns), **kwargs)

    def clean(self, value: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        errors: list[str] = []
        for number, raw in enumerate(value or [], start=1):
            if all(_blank(v) for v in raw.values()):
                continue  # an empty row added by mistake is not an error
            row: dict[str, Any] = {}
            for column, field in self.columns:
                try:
                    cleaned = field.clean(raw.get(column.code))
                except forms.ValidationError as exc:
                    for message in exc.messages:
                        errors.append(gettext("Row %(row)d, %(field)s: %(message)s") % {
                            "row": number, "field": field.label, "message": message})
                    continue
                if not (cleaned is None or cleaned == "" or cleaned == []):
                    row[column.code] = _stored(cleaned)
            rows.append(row)
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not rows:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return rows


def form_members(space: Any, sections: list[SectionDef]) -> dict[str, str]:
    """The choices of `users` fields (the space's members), read only when the form has one."""
    from ..services import member_options

    if any(f.options_from == "users" for sec in sections for field in sec.fields
           for f in (field, *field.columns)):
        return member_options(space)
    return {}


def shown(fdef: FieldDef) -> bool:
    """Is the field on the form at all? Hidden fields never are; separators are headings."""
    return not fdef.hidden and fdef.stores_value


class ConfigForm(BootstrapForm):
    """The fields of one or more configured form sections.

    Fields the configuration hides are left out (the service keeps their values);
    read-only ones are shown disabled and never sent; separators are headings.
    A field on two of the sections appears once, under the first.
    """

    def __init__(self, *args: Any, sections: list[SectionDef], config: BundleConfig,
                 context: dict[str, Any] | None = None, members: dict[str, str] | None = None,
                 uploads: bool = True, now: dt.datetime | None = None, **kwargs: Any) -> None:
        self.sections = sections
        self.config = config
        self.context = context or {}
        self.members = members or {}
        #: The space's clock, for the `today` / `now` defaults of a new record's form.
        self.now = now
        #: False where documents cannot be added (a page whose service takes no files).
        self.uploads = uploads
        self.defs: dict[str, FieldDef] = {}
        for section in sections:
            for fdef in section.fields:
                if shown(fdef) and (uploads or fdef.type != "upload"):
                    self.defs.setdefault(fdef.code, fdef)
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for code, fdef in self.defs.items():
            self.fields[code] = make_field(fdef, self.config, self.members)
            if self.now is not None and fdef.default == "today" and fdef.type == "date":
                self.fields[code].initial = self.now.date()
            elif self.now is not None and fdef.default == "now" and fdef.type == "datetime":
                self.fields[code].initial = self.now.replace(tzinfo=None, second=0, microsecond=0)

    def _sent(self) -> list[FieldDef]:
        """The fields whose values go to the service (users may not change the others)."""
        return [f for f in self.defs.values() if not f.readonly and f.type != "upload"]

    def service_data(self) -> dict[str, Any]:
        """Every field of the form, cleaned: an emptied field clears the stored value.
        Upload fields send the documents kept (the boxes left ticked)."""
        data: dict[str, Any] = {}
        for fdef in self._sent():
            value = self.cleaned_data.get(fdef.code)
            data[fdef.code] = bool(value) if fdef.type == "tick_box" else _stored(value)
        for fdef in self.defs.values():
            if fdef.type == "upload" and not fdef.readonly and hasattr(self.data, "getlist"):
                kept = set(self.data.getlist(f"{fdef.code}__keep"))
                data[fdef.code] = [d for d in self.context.get(fdef.code) or []
                                   if isinstance(d, dict) and d.get("id") in kept]
        return data

    def files_data(self) -> dict[str, list[Any]]:
        """New documents per upload field."""
        return {f.code: self.cleaned_data.get(f.code) or [] for f in self.defs.values()
                if f.type == "upload" and self.cleaned_data.get(f.code)}

    def current_values(self) -> dict[str, Any]:
        values = dict(self.context)
        for code, fdef in self.defs.items():
            if fdef.type == "upload":
                continue
            value = self[code].value()
            # An unticked box is saved as "no": skip logic sees it as the browser does.
            values[code] = bool(value) if fdef.type == "tick_box" else _typed(fdef, value)
        return values

    def layout(self) -> list[dict[str, Any]]:
        """What the template needs, section by section and field by field."""
        values = self.current_values()
        placed: set[str] = set()
        blocks = []
        for section in self.sections:
            items = []
            for fdef in section.fields:
                if fdef.type == "separator":
                    items.append({"def": fdef, "type": "separator", "label": pick(fdef.label),
                                  "help": pick(fdef.help), "hidden": not is_visible(fdef, values),
                                  **show_if_attrs(fdef, self.defs, values)})
                elif fdef.code in self.defs and fdef.code not in placed:
                    placed.add(fdef.code)
                    items.append(self._item(fdef, values))
            blocks.append({"section": section, "items": items})
        return blocks

    def _item(self, fdef: FieldDef, values: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {"def": fdef, "bf": self[fdef.code], "type": fdef.type,
                                "required": fdef.required and not fdef.readonly,
                                "help": pick(fdef.help), "readonly": fdef.readonly,
                                "hidden": not is_visible(fdef, values)}
        item.update(show_if_attrs(fdef, self.defs, values))
        if fdef.type == "upload":
            item["documents"] = [d for d in self.context.get(fdef.code) or [] if isinstance(d, dict)]
        if fdef.type == "subform":
            item["subform"] = self._subform(fdef, values.get(fdef.code) or [])
        return item

    def _subform(self, fdef: FieldDef, rows: list[dict[str, Any]]) -> dict[str, Any]:
        field = self.fields[fdef.code]
        assert isinstance(field, SubformField)
        if not rows and fdef.required:
            rows = [{}]
        return {
            "columns": [{"def": col, "label": f.label, "required": col.required}
                        for col, f in field.columns],
            "rows": [self._row(field, fdef.code, str(i), row) for i, row in enumerate(rows)],
            "template": self._row(field, fdef.code, "__prefix__", {}),
            "next_index": len(rows),
        }

    @staticmethod
    def _row(field: SubformField, code: str, index: str, row: dict[str, Any]) -> list[SafeString]:
        cells = []
        for column, cfield in field.columns:
            name = f"{code}__{index}__{column.code}"
            widget = cfield.widget
            if isinstance(widget, forms.RadioSelect):
                # In a table cell a drop-down reads better than a row of radio buttons.
                widget = forms.Select(choices=[("", "—"), *cfield.choices])  # type: ignore[attr-defined]
            attrs = {"id": f"id_{name}", "class": _css(widget)}
            if isinstance(widget, forms.Select):
                attrs["class"] += " form-select-sm"
            elif not isinstance(widget, forms.CheckboxInput | forms.RadioSelect
                                | forms.CheckboxSelectMultiple):
                attrs["class"] += " form-control-sm"
            if column.readonly:
                attrs["disabled"] = True
            html = widget.render(name, row.get(column.code), attrs=attrs)
            # Each input has its own label: read with the input (the column's header is not
            # always), and shown above it when a phone stacks the row as a card.
            html = format_html('<label class="subform-cell-label" for="{}">{}</label>{}',
                               attrs["id"], cfield.label, html)
            if column.show_if:
                columns = {c.code: c for c, _f in field.columns}
                cond = show_if_attrs(column, columns, row, prefix=f"{code}__{index}__")
                cells.append(format_html(
                    '<div class="subform-cell{}" data-show-if="{}">{}</div>',
                    " field-hidden" if not is_visible(column, row) else "", cond["show_if"], html))
            else:
                cells.append(format_html('<div class="subform-cell">{}</div>', html))
        return cells


def _typed(fdef: FieldDef, value: Any) -> Any:
    """A posted string as skip logic compares it (numbers as numbers)."""
    if fdef.type == "number" and isinstance(value, str) and value.strip():
        try:
            return int(value)
        except ValueError:
            return value
    return value


def _bind(cond: dict[str, Any], on_form: dict[str, FieldDef], values: dict[str, Any]) -> dict[str, Any]:
    """The condition with every test of a field not on this form replaced by its result
    (`{"const": true}`): such a value cannot change here, and is not sent to the browser
    (it may be a field the configuration hides)."""
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        return {key: [_bind(c, on_form, values) for c in cond[key]]}
    if "not" in cond:
        return {"not": _bind(cond["not"], on_form, values)}
    if cond.get("field") in on_form:
        return dict(cond)
    return {"const": evaluate(cond, values)}


def show_if_attrs(fdef: FieldDef, on_form: dict[str, FieldDef], values: dict[str, Any], *,
                  prefix: str = "") -> dict[str, str]:
    """What casework.js reads to show or hide a field (skip logic), as JSON:
    `cond` (the condition, as `conditions.evaluate` reads it, with the tests of fields
    not on the form already decided), `types` (the type of each field it names, to
    read inputs alike) and `prefix` (of input names, for subform rows)."""
    cond = fdef.show_if
    if not cond:
        return {"show_if": ""}
    types = {name: on_form[name].type for name in fields_named(cond) if name in on_form}
    return {"show_if": json.dumps({"cond": _bind(cond, on_form, values), "types": types,
                                   "prefix": prefix})}
