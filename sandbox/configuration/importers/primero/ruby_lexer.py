"""Tokens of the Ruby subset that Primero's seed files use.

Primero's configuration seeds (`db/configuration/**.rb`) are Ruby programs, but
they only build literals: hashes, arrays, strings, symbols, numbers, and calls
such as `Field.new({...})`. Running Ruby is not an option here (and would run
whatever the file says), so this lexer reads exactly that subset and marks
anything else as an `other` token, which the parser turns into a report entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDENT_START = re.compile(r"[A-Za-z_]")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[!?]?")
NUMBER = re.compile(r"\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?")
PUNCT = (
    "**",
    "::",
    "=>",
    "==",
    "...",
    "..",
    "&.",
    "||",
    "&&",
    "<<",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "=",
    "|",
    "&",
    ";",
    "+",
    "-",
    "*",
    "?",
    "!",
    "<",
    ">",
    ":",
)
CLOSERS = {"(": ")", "[": "]", "{": "}", "<": ">"}
ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "s": " ",
    "0": "\0",
    "e": "\x1b",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


@dataclass
class Token:
    kind: str  # str, num, sym, label, ident, const, words, op, nl, other, eof
    value: object
    line: int
    col: int
    #: For strings: True when no white space separates it from the previous token.
    interpolated: bool = False


class LexError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def tokenize(text: str) -> list[Token]:
    """Every token of `text`; never raises.

    Unknown characters become `other` tokens; an unclosed string ends the tokens
    with an `other` token carrying the message, so what came before still counts.
    """
    lexer = _Lexer(text)
    try:
        return lexer.run()
    except LexError as exc:
        lexer.tokens.append(Token("other", str(exc), exc.line, 0))
        lexer.tokens.append(Token("nl", None, exc.line, 0))
        lexer.tokens.append(Token("eof", None, exc.line, 0))
        return lexer.tokens


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []

    def add(
        self, kind: str, value: object, start: int, line: int | None = None, interpolated: bool = False
    ) -> None:
        line = self.line if line is None else line
        col = start - self.line_start if line == self.line else 1
        self.tokens.append(Token(kind, value, line, max(col, 0), interpolated))

    def run(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            start = self.pos
            if ch == "\n":
                self.add("nl", None, start)
                self._newline(start)
                self.pos += 1
            elif ch in " \t\r":
                self.pos += 1
            elif ch == "\\" and text.startswith("\n", self.pos + 1):
                # Line continuation: the statement goes on.
                self.pos += 2
                self._newline(self.pos - 1)
            elif ch == "#":
                while self.pos < len(text) and text[self.pos] != "\n":
                    self.pos += 1
            elif text.startswith("=begin", self.pos) and (start == self.line_start):
                end = text.find("\n=end", self.pos)
                end = len(text) if end < 0 else end + 5
                self._advance_lines(end)
            elif ch in "'\"":
                self._string(ch)
            elif (
                ch == "%"
                and self.pos + 2 < len(text)
                and text[self.pos + 1] in "wiWI"
                and text[self.pos + 2] in "[({<"
            ):
                self._words()
            elif ch == ":" and self.pos + 1 < len(text) and text[self.pos + 1] in "'\"":
                self.pos += 1
                line = self.line
                value = self._read_quoted(text[self.pos])
                self.add("sym", value, start, line)
            elif (
                ch == ":"
                and self.pos + 1 < len(text)
                and IDENT_START.match(text[self.pos + 1])
                and not (
                    self.tokens
                    and self.tokens[-1].kind in ("ident", "const")
                    and self.tokens[-1].line == self.line
                    and start > 0
                    and text[start - 1] not in " \t(,[{"
                )
            ):
                match = IDENT.match(text, self.pos + 1)
                assert match is not None
                self.pos = match.end()
                self.add("sym", match.group(), start)
            elif ch.isdigit():
                match = NUMBER.match(text, self.pos)
                assert match is not None
                raw = match.group().replace("_", "")
                self.pos = match.end()
                self.add("num", float(raw) if ("." in raw or "e" in raw.lower()) else int(raw), start)
            elif IDENT_START.match(ch):
                match = IDENT.match(text, self.pos)
                assert match is not None
                word = match.group()
                self.pos = match.end()
                # `key: value` (a label), but not `A::B`.
                if (
                    self.pos < len(text)
                    and text[self.pos] == ":"
                    and not text.startswith("::", self.pos)
                    and not word.endswith(("?", "!"))
                ):
                    self.pos += 1
                    self.add("label", word, start)
                else:
                    self.add("const" if word[0].isupper() else "ident", word, start)
            else:
                for punct in PUNCT:
                    if text.startswith(punct, self.pos):
                        self.pos += len(punct)
                        self.add("op", punct, start)
                        break
                else:
                    self.pos += 1
                    self.add("other", ch, start)
        self.add("nl", None, self.pos)
        self.add("eof", None, self.pos)
        return self.tokens

    def _newline(self, at: int) -> None:
        self.line += 1
        self.line_start = at + 1

    def _advance_lines(self, end: int) -> None:
        while self.pos < end:
            if self.text[self.pos] == "\n":
                self._newline(self.pos)
            self.pos += 1

    def _string(self, quote: str) -> None:
        start, line = self.pos, self.line
        glued = bool(self.tokens) and start > 0 and self.text[start - 1] not in " \t\n(,[{=>"
        value = self._read_quoted(quote)
        # `'key': value` is a label too.
        if (
            self.pos < len(self.text)
            and self.text[self.pos] == ":"
            and not self.text.startswith("::", self.pos)
        ):
            self.pos += 1
            self.add("label", value, start, line)
            return
        self.add("str", value, start, line, interpolated=glued)

    def _read_quoted(self, quote: str) -> str:
        """Read a quoted string starting at the quote; keeps `#{...}` as written."""
        text = self.text
        start_line = self.line
        self.pos += 1
        out: list[str] = []
        while True:
            if self.pos >= len(text):
                raise LexError(start_line, "a string is not closed")
            ch = text[self.pos]
            if ch == quote:
                self.pos += 1
                return "".join(out)
            if ch == "\n":
                self._newline(self.pos)
            if ch == "\\" and self.pos + 1 < len(text):
                nxt = text[self.pos + 1]
                if quote == "'":
                    out.append(nxt if nxt in "\\'" else "\\" + nxt)
                elif nxt == "u" and text.startswith("{", self.pos + 2):
                    end = text.index("}", self.pos)
                    out.append("".join(chr(int(h, 16)) for h in text[self.pos + 3 : end].split()))
                    self.pos = end + 1
                    continue
                elif nxt == "u":
                    out.append(chr(int(text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                elif nxt == "\n":
                    self._newline(self.pos + 1)
                else:
                    out.append(ESCAPES.get(nxt, nxt))
                self.pos += 2
                continue
            out.append(ch)
            self.pos += 1

    def _words(self) -> None:
        start, line = self.pos, self.line
        symbols = self.text[self.pos + 1] in "iI"
        opener = self.text[self.pos + 2]
        closer = CLOSERS[opener]
        end = self.text.find(closer, self.pos + 3)
        if end < 0:
            raise LexError(line, f"a %w{opener}...{closer} list is not closed")
        body = self.text[self.pos + 3 : end]
        self._advance_lines(end + 1)
        self.add("words", (symbols, body.split()), start, line)
