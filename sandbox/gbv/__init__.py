"""The GBV module (GBVIMS+): the incident record of a survivor's case, and the
de-identified incident data (the Incident Recorder export and monthly statistics).

The survivor's case itself is a case of the `gbv` module of the case system
(`sandbox.cases`), configured in the bundle; this package adds what a case does not
have: the incident, classified by the GBVIMS rules, kept apart from identity.
"""
