"""(scheme char): character classes, case mapping, digit values and the
case-insensitive comparisons, on ASCII and non-ASCII characters."""
from __future__ import annotations

from tables import check_errors, check_values

VALUES = [
    ("(map char-alphabetic? (list #\\a #\\Z #\\1 #\\space #\\λ))", "(#t #t #f #f #t)"),
    ("(map char-numeric? (list #\\0 #\\9 #\\a #\\x664))", "(#t #t #f #t)"),
    ("(map char-whitespace? (list #\\space #\\tab #\\newline #\\a #\\x3000))", "(#t #t #t #f #t)"),
    ("(map char-upper-case? (list #\\A #\\a #\\1 #\\Λ))", "(#t #f #f #t)"),
    ("(map char-lower-case? (list #\\A #\\a #\\1 #\\λ))", "(#f #t #f #t)"),
    ("(map digit-value (list #\\3 #\\a #\\x664 #\\0))", "(3 #f 4 0)"),
    ("(list (char-upcase #\\a) (char-upcase #\\1) (char-upcase #\\λ))", "(#\\A #\\1 #\\Λ)"),
    ("(list (char-downcase #\\A) (char-downcase #\\Λ) (char-downcase #\\a))", "(#\\a #\\λ #\\a)"),
    ("(list (char-foldcase #\\A) (char-foldcase #\\Σ) (char-foldcase #\\1))", "(#\\a #\\σ #\\1)"),
    ("(list (char-ci=? #\\a #\\A) (char-ci=? #\\a #\\A #\\b) (char-ci=? #\\x))", "(#t #f #t)"),
    ("(list (char-ci<? #\\a #\\B #\\c) (char-ci<? #\\b #\\A))", "(#t #f)"),
    ("(list (char-ci>? #\\C #\\b #\\A) (char-ci>? #\\a #\\A))", "(#t #f)"),
    ("(list (char-ci<=? #\\a #\\A #\\b) (char-ci<=? #\\b #\\a))", "(#t #f)"),
    ("(list (char-ci>=? #\\b #\\B #\\a) (char-ci>=? #\\a #\\b))", "(#t #f)"),
    ("(list (string-ci=? \"Straße\" \"STRASSE\") (string-ci=? \"abc\" \"ABC\" \"aBc\"))", "(#t #t)"),
    ("(list (string-ci<? \"abc\" \"ABD\") (string-ci<? \"b\" \"A\") (string-ci<? \"\" \"a\"))",
     "(#t #f #t)"),
    ("(list (string-ci>? \"ABD\" \"abc\") (string-ci>? \"a\" \"a\"))", "(#t #f)"),
    ("(list (string-ci<=? \"a\" \"A\" \"b\") (string-ci<=? \"b\" \"a\"))", "(#t #f)"),
    ("(list (string-ci>=? \"B\" \"b\" \"a\") (string-ci>=? \"a\" \"b\"))", "(#t #f)"),
    ("(list (string-upcase \"straße\") (string-upcase \"\"))", '("STRASSE" "")'),
    ("(string-downcase \"ÀB c\")", '"àb c"'),
    ("(list (string-foldcase \"ΣAß\") (string-foldcase \"\"))", '("σass" "")'),
]

ERRORS = [
    ("(char-upcase \"a\")", 'error: char-upcase: not a character: "a"'),
    ("(char-alphabetic? 1)", "error: char-alphabetic?: not a character: 1"),
    ("(digit-value 'a)", "error: digit-value: not a character: a"),
    ("(char-ci=? #\\a 1)", "error: char-ci=?: not a character: 1"),
    ("(string-ci<? \"a\" 'b)", "error: string-ci<?: not a string: b"),
    ("(string-upcase #\\a)", "error: string-upcase: not a string: #\\a"),
    ("(char-downcase)", "error: char-downcase: wrong number of arguments (expected 1, got 0)"),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
