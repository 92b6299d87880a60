"""Scenario files: their schema, parser and checks against a configuration."""
