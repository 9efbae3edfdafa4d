"""Web views of the people side. The task page completes a task through the same service as
the API, so the web and the API answer alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from casework.errors import Conflict, Forbidden, Invalid, NotFound
from casework.models import Function


class TriageForm(forms.Form):
    summary = forms.CharField(label=_("Summary for the office meeting"), widget=forms.Textarea)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=[(1, _("High")), (2, _("Medium")), (3, _("Low"))],
    )
    recommended_functions = forms.MultipleChoiceField(
        label=_("Recommended functions"),
        choices=Function.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea)


class TaskExecuteView(View):
    """Complete a task you hold (viewflow routes its task pages here)."""

    template_name = "workflows/task_execute.html"

    def _terms(self, request: HttpRequest, task_pk: int) -> Any:
        from workflows import selectors

        try:
            return selectors.task_get_for_user(request.user, task_pk)
        except NotFound:
            raise Http404 from None

    def _form_class(self, terms: Any) -> type[forms.Form]:
        return TriageForm if terms.name == "triage" else NoteForm

    def get(self, request: HttpRequest, *args: Any, task_pk: int, **kwargs: Any) -> HttpResponse:
        terms = self._terms(request, task_pk)
        if terms.task.owner_id != request.user.pk:
            raise PermissionDenied
        form = self._form_class(terms)()
        return render(request, self.template_name, {"terms": terms, "form": form})

    def post(self, request: HttpRequest, *args: Any, task_pk: int, **kwargs: Any) -> HttpResponse:
        from workflows import services

        terms = self._terms(request, task_pk)
        form = self._form_class(terms)(request.POST)
        if form.is_valid():
            try:
                services.task_complete(terms=terms, actor=request.user, result=form.cleaned_data)
            except Forbidden:
                raise PermissionDenied from None
            except Invalid as invalid:
                for field, messages in invalid.fields.items():
                    form.add_error(field if field in form.fields else None, messages)
            except Conflict as conflict:
                form.add_error(None, conflict.detail)
                return render(
                    request, self.template_name, {"terms": terms, "form": form}, status=409
                )
            else:
                return HttpResponseRedirect(request.GET.get("next") or "/")
        return render(request, self.template_name, {"terms": terms, "form": form}, status=400)
