"""The real-data guard: real-looking personal data is flagged before it is saved."""
