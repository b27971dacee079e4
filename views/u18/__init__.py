"""U18 follow-up: cases, their actions and consents, and the case and consent forms."""
