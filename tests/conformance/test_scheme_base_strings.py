"""(scheme base), characters, strings and symbols: construction, access,
mutation, copying with start/end ranges, comparisons, conversions."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tables import check_errors, check_values

PRELUDE = '(define s (make-string 3 #\\a)) (define t (string-copy "hello"))'

VALUES = [
    ("(list (char? #\\a) (char? \"a\") (char->integer #\\A) (integer->char 955) (char->integer #\\x10FFFF))",
     "(#t #f 65 #\\λ 1114111)"),
    ("(list (char=? #\\a #\\a #\\a) (char<? #\\a #\\b #\\c) (char>? #\\b #\\a) (char<=? #\\a #\\a #\\b)"
     " (char>=? #\\a #\\b))", "(#t #t #t #t #f)"),
    ("(list (string? \"\") (string? #\\a) (string #\\a #\\b) (string) (make-string 2 #\\x))",
     '(#t #f "ab" "" "xx")'),
    ("(list (string-length \"\") (string-length \"λx\") (string-ref \"λx\" 0))", "(0 2 #\\λ)"),
    ("(begin (string-set! s 1 #\\b) s)", '"aba"'),
    ("(list (substring \"hello\" 1 3) (substring \"hello\" 5 5) (string-append) (string-append \"a\" \"\" \"bc\"))",
     '("el" "" "" "abc")'),
    ("(list (string-copy \"abc\" 1) (string-copy \"abc\" 0 2) (string-copy \"\"))", '("bc" "ab" "")'),
    ("(begin (string-copy! t 1 \"EL\") t)", '"hELlo"'),
    ("(let ((x (string-copy \"abcde\"))) (string-copy! x 1 x 0 3) x)", '"aabce"'),
    ("(let ((x (string-copy \"abc\"))) (string-fill! x #\\z) (string-fill! t #\\- 3) (list x t))",
     '("zzz" "hEL--")'),
    ("(list (string=? \"a\" \"a\" \"a\") (string<? \"a\" \"b\" \"c\") (string<? \"ab\" \"a\") (string>? \"b\" \"a\")"
     " (string<=? \"\" \"\") (string>=? \"a\" \"b\"))", "(#t #t #f #t #t #f)"),
    ("(list (string->list \"abc\") (string->list \"abc\" 1) (string->list \"abc\" 1 2) (list->string '(#\\x #\\y)))",
     '((#\\a #\\b #\\c) (#\\b #\\c) (#\\b) "xy")'),
    ("(list (string->vector \"ab\") (string->vector \"abc\" 2) (vector->string #(#\\q #\\r)) (vector->string #(#\\a #\\b) 1))",
     '(#(#\\a #\\b) #(#\\c) "qr" "b")'),
    ("(list (string-map char-upcase \"abc\") (string-map (lambda (a b) (if (char<? a b) a b)) \"adc\" \"bbbb\"))",
     '("ABC" "abb")'),
    ("(let ((n 0)) (string-for-each (lambda (c d) (set! n (+ n (char->integer c) (char->integer d)))) \"ab\" \"\\x1;\\x1;x\") n)",
     "197"),
    ("(list (string->utf8 \"λa\") (string->utf8 \"abc\" 1) (utf8->string #u8(206 187 98)) (utf8->string #u8(97 98 99) 1 2))",
     '(#u8(206 187 97) #u8(98 99) "λb" "b")'),
    ("(list (symbol? 'a) (symbol? \"a\") (symbol->string 'abc) (string->symbol \"with space\") (symbol=? 'a 'a 'a) (symbol=? 'a 'b))",
     '(#t #f "abc" |with space| #t #f)'),
    ("(eq? (string->symbol \"xyz\") 'xyz)", "#t"),
]

ERRORS = [
    ("(string-ref \"abc\" 3)", 'error: string-ref: index out of range: 3 "abc"'),
    ("(string-ref 'abc 0)", "error: string-ref: not a string: abc"),
    ("(string-set! (make-string 1) 0 1)", "error: string-set!: not a character: 1"),
    ("(substring \"abc\" 2 1)", 'error: substring: bad range: 2 1'),
    ("(string-copy \"abc\" 4)", 'error: string-copy: bad range: 4'),
    ("(string-append \"a\" 'b)", "error: string-append: not a string: b"),
    ("(make-string -1)", "error: make-string: not a non-negative exact integer: -1"),
    ("(integer->char 55296)", "error: integer->char: not a Unicode scalar value: 55296"),
    ("(char->integer \"a\")", 'error: char->integer: not a character: "a"'),
    ("(char<? #\\a 'b)", "error: char<?: not a character: b"),
    ("(string=? \"a\" 1)", "error: string=?: not a string: 1"),
    ("(list->string '(1))", "error: list->string: not a character: 1"),
    ("(symbol->string \"s\")", 'error: symbol->string: not a symbol: "s"'),
    ("(string->symbol 's)", "error: string->symbol: not a string: s"),
    ("(utf8->string #u8(255))", "error: utf8->string: invalid UTF-8: #u8(255)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)


# ---- property: string procedures agree with Python's str ---------------------------------

def _literal(s: str) -> str:
    """A Scheme string literal for any text (every character as a hex escape)."""
    return '"' + "".join(f"\\x{ord(c):x};" for c in s) + '"'


@settings(max_examples=6, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=4), st.integers(0, 12),
                          st.integers(0, 12)), min_size=1, max_size=25))
def test_string_procedures_agree_with_python(cases):
    """One program per batch: length, case mapping, substring, append and
    ordering of random Unicode strings, each compared with what Python's str
    gives for the same text."""
    checks = []
    for s, t, i, j in cases:
        i, j = sorted((min(i, len(s)), min(j, len(s))))
        checks.append((
            f"(let ((s {_literal(s)}) (t {_literal(t)}))"
            f" (list (string-length s) (string=? (string-upcase s) {_literal(s.upper())})"
            f" (string=? (string-downcase s) {_literal(s.lower())})"
            f" (string=? (string-foldcase s) {_literal(s.casefold())})"
            f" (string=? (substring s {i} {j}) {_literal(s[i:j])})"
            f" (string=? (string-append s t) {_literal(s + t)}) (string<? s t) (string=? s t)"
            f" (length (string->list s))))",
            f"({len(s)} #t #t #t #t #t {'#t' if s < t else '#f'} {'#t' if s == t else '#f'}"
            f" {len(s)})"))
    check_values(checks)
