from django import forms
from django.conf import settings

from torsion.web.recordings.protocols import KINDS


class UploadForm(forms.Form):
    """Send a video made with another app or camera (the guided page records in the browser instead)."""

    task = forms.ChoiceField(label="Which task does the video show?", widget=forms.RadioSelect)
    video = forms.FileField(label="Video file", help_text="WebM, MP4, MOV or AVI, up to "
                            f"{settings.TORSION_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [(t.code, t.title) for t in KINDS[kind].tasks]
        self.fields["video"].widget.attrs["accept"] = "video/*"
        if KINDS[kind].media == "audio":
            self.fields["task"].label = "Which task does the recording hold?"
            self.fields["video"].label = "Sound file"
            self.fields["video"].help_text = ("WebM, Ogg, MP3, M4A, WAV or FLAC, up to "
                                              f"{settings.TORSION_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
            self.fields["video"].widget.attrs["accept"] = "audio/*"
