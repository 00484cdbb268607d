"""The web app's "New paper" form (issue 12), without Flask: a kind's schema as form
fields, posted fields as the input dict the model validates, and the live figures.

- ``form_fields(kind, lang)``: the fields (``FormField``: name, label, help, example,
  widget, required, default, choices, sub-fields), walked from the kind's JSON Schema and
  labelled from its label table (docgen.model.labels); ``roster_choices(profile, day)``:
  the members the paper may name on its date, with their status.
- ``initial_values(kind, profile, day, previous, settings)``: what a new form starts
  from, prefilled as ``docgen form`` prefills (``authoring.form.form_values``).
- ``data_from_form(kind, pairs)``: posted (name, value) pairs → the input dict;
  ``form_pairs(kind, data)`` / ``flat_values(kind, data)``: the inverse, to show a filed
  input or a saved draft. Posted names (``webform_data`` has the details): ``chair``;
  ``vote.for`` in a group; ``tasks[3].content`` in a row (numbers only order the rows,
  gaps are fine, empty rows are dropped); ``agenda[0]`` for a line of text; one name
  repeated for several members or topics (``exempt_present=m20&exempt_present=m09``);
  ``on`` for a ticked checkbox.
- ``check_form(kind, data, profile, settings, lang)``: the model's validation
  (``parse_input``), problems by field in the CLI's words; ``live_figures(...)``: the
  sitting's attendance and votes as the user ticks and types, computed by the model.

Library code: no web framework, no printing, nothing raised for what a user typed.
"""

from __future__ import annotations

from docgen.authoring.webform_check import (
    FieldMessage,
    Figures,
    FormCheck,
    VoteFigures,
    check_form,
    field_name,
    live_figures,
)
from docgen.authoring.webform_data import data_from_form, flat_values, form_pairs, initial_values
from docgen.authoring.webform_fields import WIDGETS, Choice, FormField, form_fields, roster_choices

__all__ = [
    "WIDGETS", "Choice", "FieldMessage", "Figures", "FormCheck", "FormField", "VoteFigures", "check_form",
    "data_from_form", "field_name", "flat_values", "form_fields", "form_pairs", "initial_values", "live_figures",
    "roster_choices",
]
