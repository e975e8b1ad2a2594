from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_POST

from torsion.web.accounts.forms import ApiTokenForm, ProfileForm, SignUpForm
from torsion.web.accounts.models import ApiToken
from torsion.web.accounts.tokens import create_token


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Torsion. Your account is ready.")
        return redirect("core:dashboard")
    return render(request, "accounts/signup.html", {"form": form})


def _profile_page(request, *, form=None, token_form=None, new_key=None):
    return render(request, "accounts/profile.html", {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "new_key": new_key,
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    return _profile_page(request, form=form)


@login_required
@require_POST
def token_create(request):
    token_form = ApiTokenForm(request.POST)
    if not token_form.is_valid():
        return _profile_page(request, token_form=token_form)
    token, key = create_token(request.user, token_form.cleaned_data["name"])
    messages.success(request, f"API key “{token.name}” made. Copy it now: it is shown only once.")
    return _profile_page(request, new_key=key)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("No such key.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, f"API key “{token.name}” no longer works.")
    return redirect("accounts:profile")
