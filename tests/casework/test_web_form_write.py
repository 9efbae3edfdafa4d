"""The pages' one way to post a form: form checks, then the service; its Invalid on the fields."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from casework.errors import Conflict, Invalid
from casework.web.errors import form_write


class _Form(forms.Form):
    title = forms.CharField(max_length=5)
    student_code = forms.CharField(required=False)


def test_it_calls_the_service_with_the_cleaned_data_and_says_it_wrote_even_none() -> None:
    seen: list[dict[str, Any]] = []
    written = form_write(_Form({"title": " ab "}), lambda data: seen.append(data))
    assert written  # the service returned None, and still it wrote
    assert written.value is None
    assert seen == [{"title": "ab", "student_code": ""}]


def test_it_does_not_call_the_service_when_the_form_refuses() -> None:
    called = []
    form = _Form({"title": "far too long"})
    assert form_write(form, lambda data: called.append(data)) is None
    assert called == []
    assert "title" in form.errors


def test_it_puts_the_services_errors_next_to_the_fields_renamed() -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise Invalid({"student": ["No such student."], "held_on": ["Too early."]})

    form = _Form({"title": "ab", "student_code": "X"})
    assert form_write(form, refuse, renamed={"student": "student_code"}) is None
    assert form.errors["student_code"] == ["No such student."]
    # A field the form does not have is the form's own error.
    assert form.non_field_errors() == ["Too early."]


def test_it_lets_a_conflict_through_to_the_page_that_maps_it() -> None:
    def conflict(data: dict[str, Any]) -> None:
        raise Conflict("Not now.")

    with pytest.raises(Conflict):
        form_write(_Form({"title": "ab"}), conflict)
