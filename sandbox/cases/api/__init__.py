"""The REST API of the case system, /api/v1/spaces/<slug>/..., thin over the services
(writes) and the selectors (reads).

- `views.py`: spaces, members, case list and registration, detail, form sections,
  the duplicate search, events and the work lists;
- `actions.py`: one endpoint per action, on a case or on a record;
- `bodies.py`: the request bodies; `serializers.py`: the answers;
- `base.py`: the space-scoped base view; `lookups.py`: reads the selectors lack.
"""
