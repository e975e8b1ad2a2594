from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from torsion.web.audit.recorder import note_many
from torsion.web.clinic import summary

PAGE_SIZE = 100


@login_required
def patients(request):
    """The clinician's patients: everyone who has granted them access, and only them."""
    clinician = getattr(request.user, "clinician", None)
    if clinician is None:
        raise Http404("This page is for clinicians.")
    query = request.GET.get("q", "").strip()[:100]
    key = request.GET.get("sort", "name")
    if key not in summary.SORTS:
        key = "name"
    descending = request.GET.get("dir") == "desc"
    rows = summary.sort(summary.search(summary.rows_for(clinician), query), key, descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    note_many(request.user, [row.patient for row in page.object_list], "Patient list: summary")
    headings = []
    for code, (label, _) in summary.SORTS.items():
        current = code == key
        next_dir = "asc" if current and descending else ("desc" if current else "asc")
        headings.append({
            "code": code, "label": label,
            "aria_sort": ("descending" if descending else "ascending") if current else None,
            "url": "?" + urlencode({k: v for k, v in {"q": query, "sort": code, "dir": next_dir}.items() if v}),
        })
    base = {k: v for k, v in {"q": query, "sort": key, "dir": "desc" if descending else ""}.items() if v}
    return render(request, "clinic/patients.html", {
        "title": "My patients",
        "page": page,
        "total": len(rows),
        "query": query,
        "headings": headings,
        "sort": key,
        "descending": descending,
        "pager_query": urlencode(base) + "&" if base else "",
    })
