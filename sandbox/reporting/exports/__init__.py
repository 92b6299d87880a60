"""Case exports: lists of cases as CSV or Excel, one case file as PDF, each in full or
de-identified, each recorded in the event log (see `columns` for what is exported)."""
