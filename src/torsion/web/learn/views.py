from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from torsion.clinical import classification as cls
from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.learn import content
from torsion.web.learn.diagnosis import confirm_diagnosis, current_diagnosis, save_diagnosis
from torsion.web.learn.forms import ClassificationForm, ConfirmForm
from torsion.web.learn.models import DiagnosisSummary, Organisation


def index(request):
    query = request.GET.get("q", "").strip()[:200]
    # A word the pages never use is taken as a typing mistake for the closest word they do use.
    corrected = content.corrected_query(query) if query else None
    hits = content.search(corrected or query) if query else None
    return render(request, "learn/index.html", {
        "title": "Learn about dystonia",
        "sections": content.pages_by_section(),
        "query": query,
        "corrected": corrected,
        "hits": hits,
    })


def page(request, slug: str):
    found = content.get_page(slug)
    if found is None:
        raise Http404("No such page.")
    siblings = [p for p in content.all_pages() if p.section == found.section]
    context = {"title": found.title, "page": found, "siblings": siblings}
    if slug == "support-organisations":
        context["organisations"] = Organisation.objects.filter(listed=True)
    return render(request, "learn/page.html", context)


def _wizard(request, *, form: ClassificationForm, action: str, title: str, save_patient=None, extra=None):
    result = getattr(form, "classification", None)
    context = {
        "title": title,
        "form": form,
        "action": action,
        "result": result.to_dict() if result is not None else None,
        "facts_json": json.dumps(form.facts()) if result is not None else "",
        "save_patient": save_patient,
        **(extra or {}),
    }
    return render(request, "learn/classify.html", context)


@require_http_methods(["GET", "POST"])
def classify(request):
    """The public classification assistant. Signed-in patients may save the result to their record."""
    for_clinician = request.user.is_authenticated and request.user.is_clinician
    form = ClassificationForm(request.POST if request.method == "POST" else None,
                              audience="clinician" if for_clinician else "patient", findings=False)
    if request.method == "POST":
        form.is_valid()
    patient = getattr(request.user, "patient", None) if request.user.is_authenticated else None
    return _wizard(request, form=form, action=request.path, title="Classification assistant", save_patient=patient,
                   extra={"for_clinician": for_clinician})


@patient_view(Access.EDIT)
@require_POST
def diagnosis_save(request, patient_id: int):
    try:
        facts = json.loads(request.POST.get("facts", ""))
        summary = save_diagnosis(request.patient, facts, by=request.user)
    except (json.JSONDecodeError, cls.ClassificationInputError):
        messages.error(request, "That classification could not be saved; please go through the assistant again.")
        return redirect("learn:classify")
    messages.success(request, f"Saved as your diagnosis summary: {summary}.")
    return redirect("learn:diagnosis", patient_id=patient_id)


@patient_view(Access.VIEW)
def diagnosis(request, patient_id: int):
    summaries = DiagnosisSummary.objects.filter(patient=request.patient).select_related("saved_by", "confirmed_by")
    return render(request, "learn/diagnosis.html", {
        "title": "Diagnosis summary",
        "record_section": "diagnosis",
        "current": current_diagnosis(request.patient),
        "history": summaries[1:20],
        "confirm_form": ConfirmForm(),
        "is_clinician": request.user.is_clinician,
    })


@patient_view(Access.EDIT)
@require_POST
def diagnosis_confirm(request, patient_id: int, summary_id: int):
    if not request.user.is_clinician:
        raise Http404("Only a clinician can confirm a diagnosis.")
    summary = get_patient_object(request.user, DiagnosisSummary, summary_id, Access.EDIT, patient=request.patient)
    if summary != current_diagnosis(request.patient):
        messages.error(request, "Only the current diagnosis summary can be confirmed.")
        return redirect("learn:diagnosis", patient_id=patient_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return render(request, "learn/diagnosis.html", {"title": "Diagnosis summary", "record_section": "diagnosis", "current": summary,
                                                        "confirm_form": form, "is_clinician": True})
    confirm_diagnosis(summary, by=request.user, note=form.cleaned_data["note"],
                      findings=form.cleaned_data["examination_findings"])
    messages.success(request, "Diagnosis summary confirmed.")
    return redirect("learn:diagnosis", patient_id=patient_id)


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def diagnosis_correct(request, patient_id: int, summary_id: int | None = None):
    """The assistant prefilled with a saved summary (or empty, for a first one); saving keeps the old one.

    A clinician sees the questions worded about the patient, with a field for their examination findings.
    """
    summary = None if summary_id is None else get_patient_object(request.user, DiagnosisSummary, summary_id,
                                                                 Access.EDIT, patient=request.patient)
    audience = "clinician" if request.user.is_clinician else "patient"
    if request.method == "POST":
        form = ClassificationForm(request.POST, audience=audience)
        if form.is_valid() and request.POST.get("confirm_save"):
            saved = save_diagnosis(request.patient, form.facts(), by=request.user, replaces=summary,
                                   findings=form.cleaned_data.get("examination_findings", ""))
            messages.success(request, f"Diagnosis summary saved: {saved}.")
            return redirect("learn:diagnosis", patient_id=patient_id)
    else:
        initial = ClassificationForm.initial_from_facts(summary.facts) if summary else {}
        if summary is not None:
            initial["examination_findings"] = summary.examination_findings
        form = ClassificationForm(initial=initial, audience=audience)
    title = "Correct the diagnosis summary" if summary else "Enter a diagnosis summary"
    return _wizard(request, form=form, action=request.path, title=title,
                   extra={"correcting": summary, "editing": True, "for_clinician": audience == "clinician"})
