#!/usr/bin/env python3
"""Lists the Rust functions longer than a limit, for the rule "no function over 150 lines".

Usage: python3 tools/long-functions.py [LIMIT] [PATH...]

LIMIT defaults to 150. Without PATHs, every `crates/*/src/**/*.rs` of the tree is read; a
PATH may be a file or a directory (read recursively). Runs from anywhere: paths are taken
relative to the tree's root and printed that way, one function a line, as
`LINES PATH:LINE NAME`.

A function's length counts its lines from the one holding `fn` to the one holding its
closing brace, both included (doc comments and attributes above it are not counted). Braces
inside comments, string, byte-string, raw-string and character literals are ignored. A
function nested in another counts towards the outer one and is not listed on its own.

Exit status: 0 when no function is over the limit, 1 when one is, 2 on a usage error.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FN = re.compile(
    r"\s*(?:pub(?:\([^)]*\))?\s+)?"
    r"(?:(?:const|async|unsafe|default|safe)\s+)*"
    r'(?:extern\s+(?:"[^"]*"\s+)?)?'
    r"fn\s+(\w+)"
)


def code_only(text):
    """Returns the lines of `text` with comments and literals blanked to spaces.

    Quotes stay, so line and column numbers, and `extern "C"`, are kept.
    """
    out = []
    i, n = 0, len(text)
    depth = 0  # block comment nesting
    while i < n:
        c = text[i]
        if depth:
            if text.startswith("/*", i):
                depth += 1
                out.append("  ")
                i += 2
            elif text.startswith("*/", i):
                depth -= 1
                out.append("  ")
                i += 2
            else:
                out.append(c if c == "\n" else " ")
                i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth = 1
            out.append("  ")
            i += 2
        elif raw := raw_string_start(text, i):
            end = '"' + raw.group(1)
            j = text.find(end, raw.end())
            j = n if j < 0 else j + len(end)
            out.append(blank(text[i:j], keep=raw.end() - i))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(blank(text[i:j], keep=1))
            i = j
        elif c == "'":
            # A character literal ('x', '\n', '\u{7b}'), else a lifetime or a label.
            lit = re.match(r"'(?:\\(?:u\{[0-9a-fA-F_]*\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'", text[i:])
            if lit:
                out.append(blank(lit.group(0), keep=1))
                i += lit.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out).split("\n")


RAW = re.compile(r'b?r(#*)"')


def raw_string_start(text, i):
    """The match of a raw (byte) string's opening `r#"` at `i`, if one starts there."""
    if text[i] not in "br" or (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
        return None
    return RAW.match(text, i)


def blank(s, keep):
    """Keeps the first `keep` characters and the last quote of a literal, blanks the rest."""
    body = "".join(ch if ch == "\n" else " " for ch in s[keep:-1])
    return s[:keep] + body + s[-1:] if len(s) > keep else s


def long_functions(path, limit):
    """Yields (lines, line number, name) for each function in `path` over `limit` lines."""
    lines = code_only(path.read_text(encoding="utf-8"))
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < len(lines):
            for ch in lines[j]:
                if ch == "{":
                    depth += 1
                    started = True
                elif ch == "}":
                    depth -= 1
            if started and depth == 0:
                break
            if not started and lines[j].rstrip().endswith(";"):
                break  # a declaration without a body, as in a trait
            j += 1
        count = j - i + 1
        if started and count > limit:
            yield count, i + 1, m.group(1)
        i = j + 1 if started else i + 1


def sources(args):
    """The .rs files named by `args` (files or directories), or the crates' src trees."""
    if not args:
        return sorted(ROOT.glob("crates/*/src/**/*.rs"))
    files = []
    for a in args:
        p = Path(a) if Path(a).is_absolute() else Path.cwd() / a
        if not p.exists():
            p = ROOT / a
        if p.is_dir():
            files.extend(sorted(p.rglob("*.rs")))
        elif p.is_file():
            files.append(p)
        else:
            print(f"long-functions: no such file or directory: {a}", file=sys.stderr)
            sys.exit(2)
    return files


def main(argv):
    """Prints the long functions; returns the exit status."""
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    limit = 150
    if argv and argv[0].isdigit():
        limit = int(argv[0])
        argv = argv[1:]
    elif argv and argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found = False
    for path in sources(argv):
        try:
            shown = path.resolve().relative_to(ROOT)
        except ValueError:
            shown = path
        for count, line, name in long_functions(path, limit):
            print(f"{count:5} {shown}:{line} {name}")
            found = True
    return 1 if found else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # the output piped into `head`, say: the list was over the limit
        sys.stderr.close()
        sys.exit(1)
