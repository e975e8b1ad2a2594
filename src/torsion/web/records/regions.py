"""Body regions as the web forms show them (codes and labels come from the clinical library)."""

from torsion.clinical.regions import REGIONS

REGION_CHOICES: list[tuple[str, str]] = [(region.code, region.label) for region in REGIONS.values()]
REGION_LABELS: dict[str, str] = dict(REGION_CHOICES)
