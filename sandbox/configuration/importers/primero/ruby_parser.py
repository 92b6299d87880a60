"""Read the literal subset of Ruby that Primero's seed files are written in.

`RubyReader(text, path, hook).read()` evaluates a seed file statement by
statement: local variables assigned a literal (and used later), hashes
(`key:`, `'key' =>`, `:sym =>`), arrays, strings (adjacent ones joined, `\\`
continuations), `%w[]`/`%i[]`, symbols, numbers, true/false/nil, constants from
a known table (`Permission::READ`), value methods that change nothing here
(`.freeze`, `.with_indifferent_access`, `.map(&:with_indifferent_access)`,
`.join`), and method calls, which are handed to `hook` (the seed reader decides
what `FormSection.create_or_update!(...)` or `Field.new(...)` means).

Anything else is not guessed at: the statement (or, inside an array, the one
element) is reported as `PATH:LINE: cannot read ...` and reading goes on. Top-level
statements of seed files start in column 0, which is where reading resumes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .ruby_lexer import Token, tokenize
from .values import Arr, Call, Obj, SourceProblem

#: Methods that return their receiver unchanged as far as configuration data goes.
PASS_THROUGH = frozenset(
    {
        "freeze",
        "with_indifferent_access",
        "to_h",
        "to_a",
        "dup",
        "clone",
        "uniq",
        "flatten",
        "symbolize_keys",
        "stringify_keys",
        "deep_stringify_keys",
        "deep_symbolize_keys",
        "to_s",
        "to_sym",
        "strip",
        "compact",
    }
)
OPENERS = {"(": ")", "[": "]", "{": "}"}
SILENT_STATEMENTS = frozenset({"puts", "require", "require_relative", "p", "print", "pp"})


@dataclass
class BlockPass:
    """`&:symbol` or `&method(:name)` passed to a method."""

    name: str


class ParseError(Exception):
    def __init__(self, token: Token, message: str, reported: bool = False) -> None:
        super().__init__(message)
        self.token = token
        self.reported = reported


Hook = Callable[[Call], Any]


class RubyReader:
    """Evaluates one seed file; every unread part becomes a `SourceProblem`."""

    def __init__(self, text: str, path: str, hook: Hook, constants: Callable[[str], Any]) -> None:
        self.tokens = tokenize(text)
        self.path = path
        self.hook = hook
        self.constants = constants
        self.pos = 0
        self.locals: dict[str, Any] = {}
        self.problems: list[SourceProblem] = []

    # -- token helpers --------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def is_op(self, value: str, token: Token | None = None) -> bool:
        token = token or self.tok
        return token.kind == "op" and token.value == value

    def next(self) -> Token:
        token = self.tok
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def expect_op(self, value: str) -> Token:
        self.skip_nl()
        if not self.is_op(value):
            raise ParseError(self.tok, f"expected '{value}', found {describe(self.tok)}")
        return self.next()

    def skip_nl(self) -> None:
        while self.tok.kind == "nl" or self.is_op(";"):
            self.next()

    def problem(self, token: Token, message: str) -> None:
        self.problems.append(SourceProblem(self.path, token.line, f"cannot read: {message}"))

    # -- statements -----------------------------------------------------------------

    def read(self) -> list[SourceProblem]:
        while True:
            self.skip_nl()
            if self.tok.kind == "eof":
                return self.problems
            start = self.tok
            try:
                self.statement()
            except ParseError as exc:
                if not exc.reported:
                    self.problem(exc.token, str(exc))
                self.resync(max(exc.token.line, start.line))

    def statement(self) -> None:
        tok = self.tok
        if tok.kind == "ident" and tok.value == "def":
            self.skip_definition()
            return
        if tok.kind == "ident" and tok.value in SILENT_STATEMENTS:
            self.skip_statement()
            return
        if tok.kind == "ident" and self.is_op("=", self.peek()):
            self.next()
            self.next()
            self.skip_nl()
            self.locals[str(tok.value)] = self.expr()
        else:
            self.expr()
        if self.tok.kind not in ("nl", "eof") and not self.is_op(";"):
            raise ParseError(self.tok, f"unexpected {describe(self.tok)}")

    def skip_definition(self) -> None:
        """Skip `def ... end` (helpers of the seed file; calls to them reach the hook)."""
        start = self.tok
        self.next()
        while self.tok.kind != "eof":
            if self.tok.kind == "ident" and self.tok.value == "end" and self.tok.col == 0:
                self.next()
                return
            self.next()
        raise ParseError(start, "a 'def' without its 'end'")

    def skip_statement(self) -> None:
        depth = 0
        while self.tok.kind != "eof":
            if self.tok.kind == "op" and self.tok.value in OPENERS:
                depth += 1
            elif self.tok.kind == "op" and self.tok.value in OPENERS.values():
                depth -= 1
            elif self.tok.kind == "nl" and depth <= 0:
                return
            self.next()

    def resync(self, line: int) -> None:
        """Go on at the next statement: a token in column 0 on a later line."""
        while self.tok.kind != "eof":
            tok = self.tok
            if tok.line > line and tok.col == 0 and tok.kind != "nl":
                closer = (tok.kind == "op" and tok.value in (")", "]", "}")) or (
                    tok.kind == "ident" and tok.value == "end"
                )
                if not closer:
                    return
                line = tok.line
            self.next()

    # -- expressions ----------------------------------------------------------------

    def expr(self) -> Any:
        value = self.unary()
        while self.is_op("+") or self.is_op("..") or self.is_op("...") or self.is_op("?"):
            op = self.next()
            if op.value != "+":
                raise ParseError(op, f"'{op.value}' expressions are not configuration data")
            self.skip_nl()
            right = self.unary()
            if isinstance(value, str) and isinstance(right, str):
                value = value + right
            elif isinstance(value, Arr) and isinstance(right, Arr):
                joined = Arr(value.line)  # a new array: `a + b` leaves `a` as it was
                for part in (value, right):
                    for index, item in enumerate(part):
                        joined.add(item, part.line_of(index))
                value = joined
            else:
                raise ParseError(op, "'+' of values other than strings or arrays")
        return value

    def unary(self) -> Any:
        if self.is_op("-") and self.peek().kind == "num":
            self.next()
            return -self.next().value  # type: ignore[operator]
        return self.postfix(self.primary())

    def primary(self) -> Any:
        tok = self.tok
        if tok.kind == "str":
            self.next()
            text = str(tok.value)
            while self.tok.kind == "str":  # 'a' 'b' and 'a' \ newline 'b' are one string
                text += str(self.next().value)
            return text
        if tok.kind in ("num", "sym"):
            self.next()
            return tok.value
        if tok.kind == "words":
            self.next()
            _symbols, words = tok.value  # type: ignore[misc]
            arr = Arr(tok.line)
            for word in words:
                arr.add(word, tok.line)
            return arr
        if tok.kind == "ident":
            return self.identifier()
        if tok.kind == "const":
            return self.constant()
        if self.is_op("["):
            return self.array()
        if self.is_op("{"):
            return self.hash()
        if self.is_op("("):
            self.next()
            self.skip_nl()
            value = self.expr()
            self.expect_op(")")
            return value
        if tok.kind == "other" and len(str(tok.value)) > 1:
            raise ParseError(tok, str(tok.value))
        raise ParseError(tok, f"unexpected {describe(tok)}")

    def identifier(self) -> Any:
        tok = self.next()
        name = str(tok.value)
        if name in ("true", "false", "nil"):
            return {"true": True, "false": False, "nil": None}[name]
        if self.is_op("(") and self.tok.line == tok.line and self.tok.col == tok.col + len(name):
            return self.hook(Call("", name, self.arguments(), tok.line))
        if name in self.locals:
            return self.locals[name]
        raise ParseError(tok, f"unknown name '{name}'")

    def constant(self) -> Any:
        tok = self.next()
        path = str(tok.value)
        while self.is_op("::") and self.peek().kind == "const":
            self.next()
            path += "::" + str(self.next().value)
        if self.is_op("."):
            self.next()
            method = self.next()
            if method.kind not in ("ident", "const", "label"):
                raise ParseError(method, f"unexpected {describe(method)} after '{path}.'")
            if method.kind == "label":  # `Foo.bar:` cannot be a call
                raise ParseError(method, f"unexpected '{method.value}:'")
            args = self.arguments() if self.is_op("(") else []
            self.no_block()
            return self.hook(Call(path, str(method.value), args, tok.line))
        value = self.constants(path)
        if value is None:
            raise ParseError(tok, f"unknown constant '{path}'")
        return value

    def postfix(self, value: Any) -> Any:
        while True:
            if self.tok.kind == "nl" and self.is_op(".", self.peek()):
                self.next()  # a method chain continued on the next line
            if not (self.is_op(".") or self.is_op("&.")):
                return value
            self.next()
            method = self.next()
            if method.kind not in ("ident", "const"):
                raise ParseError(method, f"unexpected {describe(method)} after '.'")
            args = self.arguments() if self.is_op("(") else []
            self.no_block()
            value = self.apply(value, str(method.value), args, method)

    def no_block(self) -> None:
        if (self.is_op("{") and self.is_op("|", self.peek())) or (
            self.tok.kind == "ident" and self.tok.value == "do"
        ):
            raise ParseError(self.tok, "a block (code) is not configuration data")

    def apply(self, value: Any, name: str, args: list[Any], tok: Token) -> Any:
        if name in PASS_THROUGH and not args:
            if name == "compact" and isinstance(value, Arr):
                kept = Arr(value.line)
                for index, item in enumerate(value):
                    if item is not None:
                        kept.add(item, value.line_of(index))
                return kept
            return value
        if (
            name in ("map", "each")
            and len(args) == 1
            and isinstance(args[0], BlockPass)
            and (args[0].name in PASS_THROUGH or name == "each")
        ):
            return value  # `.each(&:save!)` stores what was built: the data is unchanged
        if name == "join" and isinstance(value, Arr) and all(isinstance(v, str) for v in value):
            separator = args[0] if args and isinstance(args[0], str) else ""
            return separator.join(value)
        raise ParseError(tok, f"the method '{name}' is not configuration data")

    # -- literals -------------------------------------------------------------------

    def array(self) -> Arr:
        open_tok = self.next()
        arr = Arr(open_tok.line)
        while True:
            self.skip_nl()
            if self.is_op("]"):
                self.next()
                return arr
            start = self.pos
            line = self.tok.line
            try:
                arr.add(self.expr(), line)
            except ParseError as exc:
                if exc.reported:
                    raise
                self.problem(exc.token, str(exc))
                if not self.skip_element(start):
                    raise ParseError(exc.token, str(exc), reported=True) from None
            self.skip_nl()
            if self.is_op(","):
                self.next()
            elif not self.is_op("]"):
                raise ParseError(self.tok, f"expected ',' or ']', found {describe(self.tok)}")

    def skip_element(self, start: int) -> bool:
        """After an unreadable array element: move to its ',' or the array's ']'."""
        self.pos = start
        depth = 0
        first = True
        while self.tok.kind != "eof":
            tok = self.tok
            if (
                tok.col == 0
                and tok.kind != "nl"
                and not first
                and not (depth == 0 and tok.kind == "op" and tok.value == "]")
            ):
                return False  # a new statement: the array itself is broken
            first = False
            if tok.kind == "op" and tok.value in OPENERS:
                depth += 1
            elif tok.kind == "op" and tok.value in OPENERS.values():
                if depth == 0:
                    return tok.value == "]"
                depth -= 1
            elif tok.kind == "op" and tok.value == "," and depth == 0:
                return True
            self.next()
        return False

    def hash(self) -> Obj:
        open_tok = self.next()
        if self.is_op("|"):
            raise ParseError(open_tok, "a block (code) is not configuration data")
        obj = Obj(open_tok.line)
        self.entries(obj, "}")
        self.expect_op("}")
        return obj

    def entries(self, obj: Obj, closer: str, positional: list[Any] | None = None) -> None:
        """Hash entries (and, for call arguments, positional values) up to `closer`."""
        while True:
            self.skip_nl()
            if self.is_op(closer):
                return
            tok = self.tok
            if tok.kind == "label":
                self.next()
                if self.is_op(",") or self.is_op(closer):  # `fields:,` is `fields: fields`
                    if str(tok.value) not in self.locals:
                        raise ParseError(tok, f"unknown name '{tok.value}'")
                    obj.put(str(tok.value), self.locals[str(tok.value)], tok.line)
                else:
                    self.skip_nl()
                    obj.put(str(tok.value), self.expr(), tok.line)
            elif self.is_op("**"):
                self.next()
                merged = self.expr()
                if not isinstance(merged, Obj):
                    raise ParseError(tok, "'**' of something other than a hash")
                for key, value in merged.items():
                    obj.put(key, value, merged.line_of(key))
            elif self.is_op("&") and positional is not None:
                self.next()
                block = self.next()
                if block.kind == "sym":
                    positional.append(BlockPass(str(block.value)))
                elif block.kind == "ident" and block.value == "method":
                    args = self.arguments()
                    positional.append(BlockPass(str(args[0]) if args else "method"))
                else:
                    raise ParseError(block, f"unexpected {describe(block)} after '&'")
            else:
                key = self.expr()
                self.skip_nl()
                if self.is_op("=>"):
                    self.next()
                    self.skip_nl()
                    if not isinstance(key, (str, int, float, bool)) and key is not None:
                        raise ParseError(tok, "a hash key that is not a string, symbol or number")
                    obj.put(str(key), self.expr(), tok.line)
                elif positional is not None and not obj:
                    positional.append(key)
                else:
                    raise ParseError(self.tok, f"expected '=>', found {describe(self.tok)}")
            self.skip_nl()
            if self.is_op(","):
                self.next()
            elif not self.is_op(closer):
                raise ParseError(self.tok, f"expected ',' or '{closer}', found {describe(self.tok)}")

    def arguments(self) -> list[Any]:
        open_tok = self.expect_op("(")
        positional: list[Any] = []
        kwargs = Obj(open_tok.line)
        self.entries(kwargs, ")", positional)
        self.expect_op(")")
        if kwargs:
            kwargs.line = min(kwargs.key_lines.values())
            positional.append(kwargs)
        return positional


def describe(tok: Token) -> str:
    if tok.kind == "eof":
        return "the end of the file"
    if tok.kind == "nl":
        return "the end of the line"
    if tok.kind in ("str", "label"):
        return f"'{tok.value}'" if tok.kind == "str" else f"'{tok.value}:'"
    if tok.kind == "words":
        return "a %w[] list"
    return f"'{tok.value}'"
