"""Importers: turn another system's configuration into a configuration bundle.

Each importer lives in its own package (`primero/`) and writes a bundle in the
format of `sandbox.configuration.bundle`, plus an import report of every step
that could not keep the source's meaning exactly (`report.py`).
"""
