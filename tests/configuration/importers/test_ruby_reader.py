"""The Ruby seed reader: the literal subset of Ruby that Primero's seed files use."""

from __future__ import annotations

from typing import Any

from sandbox.configuration.importers.primero.ruby_parser import RubyReader
from sandbox.configuration.importers.primero.seed import constant, read_seed_text
from sandbox.configuration.importers.primero.values import Arr, Call, Obj, PrimeroSource


def evaluate(text: str) -> tuple[dict[str, Any], list[Call], list[str]]:
    calls: list[Call] = []

    def hook(call: Call) -> Any:
        calls.append(call)
        return call.kwargs() if call.method == "new" else call

    reader = RubyReader(text, "x.rb", hook, constant)
    problems = reader.read()
    return reader.locals, calls, [f"{p.path}:{p.line}: {p.message}" for p in problems]


def test_hash_key_styles_and_literals() -> None:
    local, _, problems = evaluate(
        "h = { a: 1, 'b' => 'two', :c => :three, \"d\" => -4.5, 'e': true, f: false, g: nil, h: 1_000 }\n"
    )
    assert problems == []
    assert local["h"] == {
        "a": 1,
        "b": "two",
        "c": "three",
        "d": -4.5,
        "e": True,
        "f": False,
        "g": None,
        "h": 1000,
    }


def test_strings_escapes_concatenation_and_words() -> None:
    local, _, problems = evaluate(
        's = "tab\\there \\"quoted\\" \\u00e9"\n'
        "t = 'it\\'s' ' joined' \\\n"
        "    ' over lines'\n"
        "w = %w[one two\n three]\n"
        "i = %i[a b]\n"
        "u = ['x', \"#{File.dirname(__FILE__)}/y\"]\n"
    )
    assert problems == []
    assert local["s"] == 'tab\there "quoted" é'
    assert local["t"] == "it's joined over lines"
    assert local["w"] == ["one", "two", "three"]
    assert local["i"] == ["a", "b"]
    assert local["u"][1] == "#{File.dirname(__FILE__)}/y"


def test_local_variables_freeze_comments_and_pass_through_methods() -> None:
    local, _, problems = evaluate(
        "# a comment\n"
        "base = [{ id: 'a', display_text: 'A' }].map(&:with_indifferent_access).freeze # trailing\n"
        "more = base + [{ id: 'b', display_text: 'B' }.with_indifferent_access]\n"
        "text = ['x', 'y'].join(\"\\n\")\n"
        "fields = [1]\n"
        "shorthand = { fields:, other: base }\n"
    )
    assert problems == []
    assert [o["id"] for o in local["more"]] == ["a", "b"]
    assert len(local["base"]) == 1  # `+` made a new array
    assert local["text"] == "x\ny"
    assert local["shorthand"]["fields"] == [1]
    assert local["shorthand"]["other"] is local["base"]


def test_calls_go_to_the_hook_with_their_lines() -> None:
    local, calls, problems = evaluate(
        "fields = [\n"
        "  Field.new('name' => 'a',\n"
        "            'type' => 'text_field'),\n"
        "  Field.new({ 'name' => 'b' })\n"
        "]\n"
        "Thing.create_or_update!(unique_id: 'x', list: FormSection.where(unique_id: %w[a b]), "
        "m: [PrimeroModule.cp])\n"
    )
    assert problems == []
    assert [c.line for c in calls if c.method == "new"] == [2, 4]
    assert local["fields"][0]["type"] == "text_field"
    assert isinstance(local["fields"], Arr) and local["fields"].line_of(1) == 4
    created = calls[-1]
    assert (created.receiver, created.method, created.line) == ("Thing", "create_or_update!", 6)
    where = created.kwargs()["list"]
    assert isinstance(where, Call) and where.kwargs()["unique_id"] == ["a", "b"]


def test_constants_known_and_by_primero_convention() -> None:
    local, _, problems = evaluate(
        "a = [Permission::READ, Permission::EXPORT_EXCEL, Permission::REQUEST_APPROVAL_CASE_PLAN, "
        "Record::STATUS_OPEN]\n"
        "b = Unknown::THING\n"
    )
    assert local["a"] == ["read", "export_xls", "request_approval_case_plan", "open"]
    assert problems == ["x.rb:2: cannot read: unknown constant 'Unknown::THING'"]


def test_lines_of_keys_and_items() -> None:
    local, _, _ = evaluate("h = {\n  a: 1,\n\n  b: [\n    'x',\n    'y'\n  ]\n}\n")
    obj = local["h"]
    assert isinstance(obj, Obj)
    assert (obj.line, obj.line_of("a"), obj.line_of("b")) == (1, 2, 4)
    assert obj["b"].line_of(1) == 6


def test_an_unreadable_array_item_is_reported_and_the_others_kept() -> None:
    local, _, problems = evaluate(
        "list = [\n"
        "  { id: 'a' },\n"
        "  { id: 'b', when: 1..5 },\n"
        "  { id: 'c', code: items.map { |i| i * 2 } },\n"
        "  { id: 'd' }\n"
        "]\n"
        "after = 'still read'\n"
    )
    assert [item["id"] for item in local["list"]] == ["a", "d"]
    assert local["after"] == "still read"
    assert problems == [
        "x.rb:3: cannot read: '..' expressions are not configuration data",
        "x.rb:4: cannot read: unknown name 'items'",
    ]


def test_an_unreadable_statement_is_reported_and_reading_goes_on() -> None:
    local, _, problems = evaluate(
        "def helper(hash)\n  Role.create_or_update!(hash)\nend\n"
        "first = 1\n"
        "if first\n  puts 'x'\nend\n"
        "thing.logo.attach(io: File.open('x'))\n"
        "broken = { a: }\n"
        "last = [1,\n  2]\n"
    )
    assert local["first"] == 1 and local["last"] == [1, 2]
    assert "broken" not in local
    assert [p.split(": ", 1)[0] for p in problems] == ["x.rb:5", "x.rb:8", "x.rb:9"]


def test_an_unclosed_string_keeps_what_came_before() -> None:
    local, _, problems = evaluate("a = 'fine'\nb = 'not closed\n")
    assert local["a"] == "fine"
    assert problems == ["x.rb:2: cannot read: a string is not closed"]


def test_seed_text_creates_items_of_each_kind() -> None:
    source = PrimeroSource()
    read_seed_text(
        "Lookup.create_or_update!(unique_id: 'lookup-x', name_en: 'X', lookup_values_en: [{ id: 'a' }])\n"
        "f = FormSection.create_or_update!(unique_id: 'form_x', fields: [Field.new('name' => 'a')])\n"
        "create_or_update_role(unique_id: 'role-x',\n"
        "                      permissions: [Permission.new(resource: 'case', actions: [])])\n"
        "Report.create_or_update!(unique_id: 'r')\n",
        "seed.rb",
        source,
    )
    assert [(i.kind, i.line) for i in source.items] == [("lookup", 1), ("form_section", 2), ("role", 3)]
    assert source.items[1].data["fields"][0]["name"] == "a"
    assert source.skipped == [("Report", "seed.rb", 5)]
    assert source.problems == []
