"""Server-rendered pages of the case system, inside one space: /spaces/<space>/...

Each view resolves the member (404 outside their spaces), reads through
`sandbox.cases.selectors` and writes only by calling `sandbox.cases.services`.
"""
