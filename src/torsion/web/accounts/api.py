from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    patient_id: int | None
    clinician_id: int | None


@router.get("/me", response=MeOut, summary="The signed-in account")
def me(request):
    user = request.user
    return MeOut(
        username=user.username,
        name=user.shown_name,
        role=user.role,
        patient_id=user.patient.pk if hasattr(user, "patient") else None,
        clinician_id=user.clinician.pk if hasattr(user, "clinician") else None,
    )
