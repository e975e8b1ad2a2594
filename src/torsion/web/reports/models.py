"""Points a patient writes down to raise at their next visit; the visit report lists the open ones."""

from __future__ import annotations

from django.db import models


class VisitQuestion(models.Model):
    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="visit_questions")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    discussed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text
