"""The audit trail: who has seen or changed a patient's record, when, and through what."""
