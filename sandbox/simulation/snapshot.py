"""Snapshots of a space's rows, and restoring them: the instant reset.

After seeding, every row of the space (members, cases and their records and documents,
tasks, events, injects, messages) is captured as plain values in one pickled blob.
Resetting locks the space's row, deletes the space's rows table by table (one DELETE
each, children first) and inserts the captured rows again with their ids, in one
transaction.
No other space's rows are touched: every statement is filtered by the space.

A copy of a seeded world (an exercise's other spaces, see clone_many) does not carry the
rows again: its world's snapshot is kept once (`SeededWorld`), and the copy's records its
ids per table, in the order of the world's rows, and its members bound to trainees; its
rows are the world's with those ids.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

from django.db import connection, models, transaction

from sandbox.cases import models as cm
from sandbox.gbv.models import Incident
from sandbox.interop import models as interop
from sandbox.spaces.models import Member, Space
from sandbox.tracing import models as tm

from .models import Inject, Message, Progress, SeededWorld, SpaceSeed

#: Parents before children: the order of inserts (deletes run in reverse).
TABLES: list[type[models.Model]] = [
    Member, cm.Case, cm.Document, cm.Service, cm.Referral, cm.Transfer, cm.TransferRequest,
    cm.Approval, cm.FollowUp, cm.Note, cm.Flag, cm.Task, cm.Event, cm.CaseView, Incident, Inject,
    Message, tm.TracingRequest, tm.Trace, tm.TracingMatch, tm.RequestView,
    interop.Partner, interop.OutboxMessage, interop.InboxMessage, Progress,
]
SPACE_FIELDS = ("clock", "case_counter", "event_counter")

_cache: dict[tuple[int, Any], dict[str, Any]] = {}
_worlds: dict[tuple[int, Any, str], dict[str, Any]] = {}


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


class _Table:
    """One table of a snapshot, ready to insert: its rows as database values (converted once
    per snapshot and process, then patched per copy) and its INSERT statement."""

    def __init__(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        quote = connection.ops.quote_name
        self.model, self.label = model, model._meta.label
        self.fields = model._meta.concrete_fields
        names = [f.attname for f in self.fields]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)))
        self.ids = [row["id"] for row in rows]
        self.plain = [[row[name] for name in names] for row in rows]
        self.values = [tuple(_dumped(f.get_db_prep_save(row[f.attname], connection))
                             for f in self.fields) for row in rows]
        self.names = names
        self.pk_at, self.space_at = names.index("id"), names.index("space_id")
        self.fks = [(names.index(f.attname), f.related_model) for f in self.fields
                    if f.is_relation and f.related_model in TABLES]
        self.member_at = (names.index("user_id"), names.index("name")) if model is Member else None

    def copied(self, rows: list[Any], space_id: int, ids: dict[type[models.Model], dict[int, int]],
               members: dict[int, tuple[int | None, str]]) -> list[tuple[Any, ...]]:
        """`rows` (this table's, as `plain` or `values`) as a copy's: new ids, its space,
        foreign keys mapped to its rows (`ids`: table -> the template's id -> the copy's),
        members bound to their users (`members`: row index -> user id and name)."""
        new_ids = ids[self.model]
        result = []
        for index, row in enumerate(rows):
            copy = list(row)
            copy[self.pk_at], copy[self.space_at] = new_ids[self.ids[index]], space_id
            for at, related in self.fks:
                if copy[at] is not None:
                    copy[at] = ids.get(related, {}).get(copy[at])
            if self.member_at is not None and index in members:
                copy[self.member_at[0]], copy[self.member_at[1]] = members[index]
            result.append(tuple(copy))
        return result


def _dumped(value: Any) -> Any:
    """A JSON value for PostgreSQL with its text made now, once for all the copies (psycopg
    would dump it again for every row it is sent in)."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        if isinstance(value, Jsonb):
            return Jsonb(value.dumps(value.obj) if value.dumps else json.dumps(value.obj),
                         dumps=_as_is)
    return value


def _as_is(text: Any) -> Any:
    return text


def _tables(state: dict[str, Any]) -> list[_Table]:
    """The snapshot's tables that have rows, parents first (computed once per snapshot)."""
    if "tables" not in state:
        state["tables"] = [_Table(model, state["rows"][model._meta.label]) for model in TABLES
                           if state["rows"].get(model._meta.label)]
    return state["tables"]


def _world(world_id: int) -> dict[str, Any]:
    """The snapshot of a shared world (a template's rows), unpickled once per process."""
    created_at = SeededWorld.objects.filter(pk=world_id).values_list("created_at", flat=True).get()
    key = (world_id, created_at, connection.vendor)
    if key not in _worlds:
        blob = SeededWorld.objects.filter(pk=world_id).values_list("snapshot", flat=True).get()
        if len(_worlds) > 16:
            _worlds.clear()
        _worlds[key] = pickle.loads(bytes(blob))  # written by capture() above: trusted
    return _worlds[key]


def _is_copy(state: dict[str, Any]) -> bool:
    return "ids" in state


def _mapping(world: dict[str, Any], copy: dict[str, Any]) -> dict[type[models.Model], dict[int, int]]:
    """A copy's ids: table -> the world's id -> the copy's."""
    return {table.model: dict(zip(table.ids, copy["ids"][table.label], strict=True))
            for table in _tables(world)}


def state_of(seed: SpaceSeed) -> dict[str, Any]:
    """A seed's snapshot as `capture` gives it (`space`, `rows`, `cases`), a copy's rebuilt
    from its world's."""
    state = pickle.loads(bytes(seed.snapshot))  # written by capture() or clone_many(): trusted
    if not _is_copy(state):
        return state
    world = _world(seed.world_id)  # type: ignore[arg-type]
    ids = _mapping(world, state)
    rows: dict[str, list[dict[str, Any]]] = {model._meta.label: [] for model in TABLES}
    for table in _tables(world):
        rows[table.label] = [dict(zip(table.names, row, strict=True)) for row in
                             table.copied(table.plain, seed.space_id, ids, state["members"])]
    return {"space": state["space"], "rows": rows, "cases": state["cases"]}


def _restoring(seed: SpaceSeed) -> dict[str, Any]:
    """What restoring the seed's space needs: its counters, cases and INSERT statements."""
    state = pickle.loads(bytes(seed.snapshot))  # written by capture() or clone_many(): trusted
    if not _is_copy(state):
        state["statements"] = [(t.sql, t.values) for t in _tables(state)]
        return state
    world = _world(seed.world_id)  # type: ignore[arg-type]
    ids = _mapping(world, state)
    state["statements"] = [(t.sql, t.copied(t.values, seed.space_id, ids, state["members"]))
                           for t in _tables(world)]
    return state


def restore(seed: SpaceSeed) -> None:
    """Put the space back exactly as it was seeded.

    The rows go back with plain `executemany` statements, prepared once per snapshot
    and process: no model instances are built, and no value is recomputed on the way
    (an event's real time stays the time it was first written). A copy's rows are its
    world's, with the copy's ids.
    """
    key = (seed.pk, seed.seeded_at, connection.vendor)
    state = _cache.get(key)
    if state is None:
        state = _restoring(seed)
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


def shared_world(seed: SpaceSeed) -> SeededWorld:
    """The world the seed's copies share: the seed's own, or made now from its snapshot
    (a template's: the one seeded through the services)."""
    if seed.world_id is not None:
        return SeededWorld.objects.defer("snapshot", "scenario_data").get(pk=seed.world_id)
    world = SeededWorld.objects.create(snapshot=bytes(seed.snapshot), scenario_data=seed.scenario_data,
                                       scenario_sha256=seed.scenario_sha256)
    seed.world = world
    SpaceSeed.objects.filter(pk=seed.pk).update(world=world)
    return world


def clone_many(seed: SpaceSeed, targets: list[tuple[Space, dict[str, Any]]]) -> list[SpaceSeed]:
    """Copy a seeded world into each new, empty space of `targets`, with new ids.

    Seeding 40 spaces of one exercise through the services would replay every action 40
    times; copying the rows of the first one is much faster and gives the same world. All
    the spaces are copied together, as the reset restores one: every row is converted to
    database values once (not once per copy), new ids are taken for all the copies at once,
    and one `_insert` per table inserts them (COPY on PostgreSQL). Foreign keys between the
    copied tables are mapped to the new ids; trainees (role reference -> user) are bound to
    their members.

    The template's snapshot and scenario are kept once, in a `SeededWorld` shared by the
    copies (and kept when the template space is deleted); each copy's seed records only
    what differs: its ids per table (in the order of the world's rows) and its members bound
    to trainees. The copy of a copy is a copy of the same world.
    """
    if not targets:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # A write first: on SQLite it takes the database's write lock, so the ids read
        # below stay free until the commit (PostgreSQL takes them from the sequences).
        source = pickle.loads(bytes(seed.snapshot))  # written by capture() or clone_many()
        Space.objects.filter(pk__in=[space.pk for space, _t in targets]).update(**source["space"])
        for space, _trainees in targets:
            for field, value in source["space"].items():
                setattr(space, field, value)
        world = shared_world(seed)
        state = _world(world.pk)
        tables = _tables(state)
        if _is_copy(source):
            # The source's ids are the world's for the copies: the same rows, in the same order.
            origin = {model: {pk: world_pk for world_pk, pk in pairs.items()}
                      for model, pairs in _mapping(state, source).items()}
            members = source["members"]
        else:
            origin, members = {}, {}
        fresh = {table.model: _new_ids(cursor, table.model, len(table.ids) * len(targets))
                 for table in tables}
        copies = []
        for n, (space, trainees) in enumerate(targets):
            ids = {table.model: dict(zip(table.ids, fresh[table.model][n * len(table.ids):],
                                         strict=False)) for table in tables}
            bound = dict(members)
            for table in tables:
                if table.model is Member:
                    refs = table.names.index("ref")
                    for index, row in enumerate(table.plain):
                        if row[refs] in trainees:
                            user = trainees[row[refs]]
                            bound[index] = (user.pk, user.display_name)
            copies.append((space, ids, bound))
        for table in tables:
            values = [row for space, ids, bound in copies
                      for row in table.copied(table.values, space.pk, ids, bound)]
            _insert(cursor, table.model, table.fields, values)
        own_scenario = {} if seed.scenario_sha256 == world.scenario_sha256 else seed.scenario_data
        seeds = []
        for space, ids, bound in copies:
            cases = _mapped(seed.cases, ids.get(cm.Case, {}), origin.get(cm.Case, {}))
            own = {"space": dict(source["space"]), "cases": cases, "members": bound,
                   "ids": {table.label: [ids[table.model][pk] for pk in table.ids] for table in tables}}
            seeds.append(SpaceSeed(
                space=space, world=world, scenario_id=seed.scenario_id,
                scenario_version=seed.scenario_version, scenario_path=seed.scenario_path,
                scenario_data=own_scenario, scenario_sha256=seed.scenario_sha256, seed=seed.seed,
                roles=_mapped(seed.roles, ids.get(Member, {}), origin.get(Member, {})),
                cases=cases, seeded_events=seed.seeded_events,
                snapshot=pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL)))
        SpaceSeed.objects.bulk_create(seeds)
    return seeds


def _mapped(refs: dict[str, int], ids: dict[int, int], origin: dict[int, int]) -> dict[str, int]:
    """References (name -> the source's id) to a copy's rows: through the world's id (`origin`,
    when the source is itself a copy) to the copy's (`ids`)."""
    result = {}
    for ref, pk in refs.items():
        new = ids.get(origin.get(pk, pk))
        if new is not None:
            result[ref] = new
    return result


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
