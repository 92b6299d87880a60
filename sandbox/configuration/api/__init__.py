"""Read-only API of the configuration: /api/v1/config/<bundle>/..."""
