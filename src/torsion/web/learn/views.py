from django.http import Http404
from django.shortcuts import render

from torsion.web.learn import content
from torsion.web.learn.models import Organisation


def index(request):
    query = request.GET.get("q", "").strip()[:200]
    hits = content.search(query) if query else None
    return render(request, "learn/index.html", {
        "title": "Learn about dystonia",
        "sections": content.pages_by_section(),
        "query": query,
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
