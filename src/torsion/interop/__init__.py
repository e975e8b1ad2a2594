"""Exchange with other systems: HL7 FHIR R4 (pure Python, no web imports)."""
