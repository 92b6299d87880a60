"""Snapshots of a space's rows, and restoring them: the instant reset.

After seeding, every row of the space (members, cases and their records and documents,
tasks, events, injects, messages) is captured as plain values in one pickled blob.
Resetting locks the space's row, deletes the space's rows table by table (one DELETE
each, children first) and inserts the captured rows again with their ids, in one
transaction.
No other space's rows are touched: every statement is filtered by the space.
"""

from __future__ import annotations

import pickle
from typing import Any

from django.db import connection, models, transaction

from sandbox.cases import models as cm
from sandbox.gbv.models import Incident
from sandbox.interop import models as interop
from sandbox.spaces.models import Member, Space
from sandbox.tracing import models as tm

from .models import Inject, Message, Progress, SpaceSeed

#: Parents before children: the order of inserts (deletes run in reverse).
TABLES: list[type[models.Model]] = [
    Member, cm.Case, cm.Document, cm.Service, cm.Referral, cm.Transfer, cm.TransferRequest,
    cm.Approval, cm.FollowUp, cm.Note, cm.Flag, cm.Task, cm.Event, cm.CaseView, Incident, Inject,
    Message, tm.TracingRequest, tm.Trace, tm.TracingMatch, tm.RequestView,
    interop.Partner, interop.OutboxMessage, interop.InboxMessage, Progress,
]
SPACE_FIELDS = ("clock", "case_counter", "event_counter")

_cache: dict[tuple[int, Any], dict[str, Any]] = {}


def capture(space: Space) -> bytes:
    space.refresh_from_db()
    rows = {model._meta.label: [_plain(row) for row in
                                model.objects.filter(space=space).order_by("pk").values()]
            for model in TABLES}
    seed = SpaceSeed.objects.filter(space=space).values("cases").first()
    state = {"space": {f: getattr(space, f) for f in SPACE_FIELDS}, "rows": rows,
             "cases": seed["cases"] if seed else None}
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row that pickles: PostgreSQL gives binary columns (documents) as memoryview."""
    return {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}


def purge(space: Space) -> None:
    """Delete every row of the space's world (not the space, nor anything outside it)."""
    with transaction.atomic():
        for model in reversed(TABLES):
            if model is cm.Event:
                cm.Event.objects.purge_space(space)
                continue
            models.QuerySet(model).filter(space=space)._raw_delete(connection.alias)


def _prepared(state: dict[str, Any]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """INSERT statements and their rows as database values, computed once per snapshot."""
    statements = []
    quote = connection.ops.quote_name
    for model in TABLES:
        rows = state["rows"].get(model._meta.label, [])
        if not rows:
            continue
        fields = model._meta.concrete_fields
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)))
        values = [tuple(f.get_db_prep_save(row[f.attname], connection) for f in fields)
                  for row in rows]
        statements.append((sql, values))
    return statements


def restore(seed: SpaceSeed) -> None:
    """Put the space back exactly as it was seeded.

    The rows go back with plain `executemany` statements, prepared once per snapshot
    and process: no model instances are built, and no value is recomputed on the way
    (an event's real time stays the time it was first written).
    """
    key = (seed.pk, seed.seeded_at, connection.vendor)
    state = _cache.get(key)
    if state is None:
        state = pickle.loads(bytes(seed.snapshot))  # written by capture() above: trusted
        state["statements"] = _prepared(state)
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = state
    space = seed.space
    with transaction.atomic(), connection.cursor() as cursor:
        # The space row first, like every action (cases.services._core.Action) and the
        # clock (engine.advance): one lock order, so no deadlock on PostgreSQL, and no
        # action can write an event between the purge and the counter's restore (which
        # left events numbered beyond the counter: duplicate sequence numbers).
        Space.objects.select_for_update().filter(pk=space.pk).values_list("pk", flat=True).first()
        purge(space)
        for sql, values in state["statements"]:
            cursor.executemany(sql, values)
        Space.objects.filter(pk=space.pk).update(**state["space"])
        if state.get("cases") is not None:
            # Cases that arrived during the exercise are forgotten with their rows.
            SpaceSeed.objects.filter(pk=seed.pk).update(cases=state["cases"])
    for field, value in state["space"].items():
        setattr(space, field, value)


def clone(seed: SpaceSeed, space: Space, trainees: dict[str, Any]) -> SpaceSeed:
    """Copy a seeded world into the new, empty `space`, with new ids (see clone_many)."""
    return clone_many(seed, [(space, trainees)])[0]


def clone_many(seed: SpaceSeed, targets: list[tuple[Space, dict[str, Any]]]) -> list[SpaceSeed]:
    """Copy a seeded world into each new, empty space of `targets`, with new ids.

    Seeding 40 spaces of one exercise through the services would replay every action 40
    times; copying the rows of the first one is much faster and gives the same world. All
    the spaces are copied together, as the reset restores one: every row is converted to
    database values once (not once per copy), new ids are taken for all the copies at once,
    and one `_insert` per table inserts them (COPY on PostgreSQL); each copy's own snapshot (for its resets)
    is written from the rows inserted, not read back. Foreign keys between the copied tables
    are mapped to the new ids; trainees (role reference -> user) are bound to their members.
    """
    if not targets:
        return []
    state = pickle.loads(bytes(seed.snapshot))  # written by capture() above: trusted
    mappings: list[dict[type[models.Model], dict[int, int]]] = [{} for _ in targets]
    copied: list[dict[str, list[dict[str, Any]]]] = [{} for _ in targets]
    with transaction.atomic(), connection.cursor() as cursor:
        # A write first: on SQLite it takes the database's write lock, so the ids read
        # below stay free until the commit (PostgreSQL takes them from the sequences).
        Space.objects.filter(pk__in=[space.pk for space, _t in targets]).update(**state["space"])
        for space, _trainees in targets:
            for field, value in state["space"].items():
                setattr(space, field, value)
        for model in TABLES:
            rows = state["rows"].get(model._meta.label, [])
            if not rows:
                continue
            fields = model._meta.concrete_fields
            names = [f.attname for f in fields]
            prepared = [[f.get_db_prep_save(row[f.attname], connection) for f in fields]
                        for row in rows]
            fks = [(names.index(f.attname), f.attname, f.related_model) for f in fields
                   if f.is_relation and f.related_model in TABLES]
            pk_at, space_at = names.index("id"), names.index("space_id")
            ids = iter(_new_ids(cursor, model, len(rows) * len(targets)))
            values = []
            for index, (space, trainees) in enumerate(targets):
                mapping = mappings[index].setdefault(model, {})
                for row, db_row in zip(rows, prepared, strict=True):
                    new_pk = next(ids)
                    mapping[row["id"]] = new_pk
                    copy, db_copy = dict(row), list(db_row)
                    copy["id"] = db_copy[pk_at] = new_pk
                    copy["space_id"] = db_copy[space_at] = space.pk
                    for at, attname, related in fks:
                        if row[attname] is not None:
                            copy[attname] = db_copy[at] = mappings[index].get(related, {}).get(
                                row[attname])
                    if model is Member and row.get("ref") in trainees:
                        user = trainees[row["ref"]]
                        copy["user_id"] = db_copy[names.index("user_id")] = user.pk
                        copy["name"] = db_copy[names.index("name")] = user.display_name
                    values.append(tuple(db_copy))
                    copied[index].setdefault(model._meta.label, []).append(copy)
            _insert(cursor, model, fields, values)
        seeds = []
        for index, (space, _trainees) in enumerate(targets):
            members = mappings[index].get(Member, {})
            cases = mappings[index].get(cm.Case, {})
            case_map = {ref: cases[pk] for ref, pk in seed.cases.items() if pk in cases}
            own = {"space": dict(state["space"]), "cases": case_map,
                   "rows": {model._meta.label: copied[index].get(model._meta.label, [])
                            for model in TABLES}}
            seeds.append(SpaceSeed(
                space=space, scenario_id=seed.scenario_id, scenario_version=seed.scenario_version,
                scenario_path=seed.scenario_path, scenario_data=seed.scenario_data,
                scenario_sha256=seed.scenario_sha256, seed=seed.seed,
                roles={ref: members[pk] for ref, pk in seed.roles.items() if pk in members},
                cases=case_map, seeded_events=seed.seeded_events,
                snapshot=pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL)))
        SpaceSeed.objects.bulk_create(seeds)
    return seeds


def _insert(cursor: Any, model: type[models.Model], fields: Any, values: list[tuple[Any, ...]]) -> None:
    """Insert `values` (database values, in the order of `fields`) into `model`'s table: on
    PostgreSQL with COPY (one stream for all the rows: 200 copies of a world are some
    36,000 rows, which one INSERT each took seconds to send), elsewhere one
    `executemany`."""
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                       values)


def _new_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    """`count` unused primary keys of `model`'s table, in increasing order."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, count])
        return sorted(row[0] for row in cursor.fetchall())
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
    highest = cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        # AUTOINCREMENT never reuses an id, not even a deleted row's: start past both.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
        highest = max(highest, used[0] if used else 0)
    return list(range(highest + 1, highest + 1 + count))
