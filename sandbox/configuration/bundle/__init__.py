"""Configuration bundles: their schema, validator and loader."""
