"""Random Scheme programs for differential tests of the JIT: each is the
same small prelude, one to three functions of a few shapes (a loop with
an accumulator, a loop building and trimming a list, a non-tail
recursion, a list walk that skips an element after each even one) whose
bodies are random expressions, and a main loop calling
them with random arguments often enough that traces form.

Why: the programs in tests/scheme are written to test what their authors
thought of. Random ones mix fixnums that overflow into bignums, flonums,
non-numbers, lists, vectors, assigned variables, calls through
closures and `apply`, `map` over two lists, `memv` and `sqrt` in
combinations nobody wrote by hand, and send traces down
paths their recordings never saw. The helpers in the prelude are total
(they check their arguments), so most programs run to the end; one that
raises an error is still compared, message and location included.

`walk(seed)` makes a second family, aimed at side traces of peeled loops:
one list walk that takes one or two steps according to a random test of
the element, over lists of mostly one element with another every few and
a random last one, called 90 times with errors caught (their messages
and irritants printed). Taking (cdr next) where next may be '() is what
exposed a body copy's tag that only the next iteration proved
(tests/scheme/jit_peeled_tags.scm): on that code, 9 of seeds 1-200
failed under the JIT (none of the 12 `make test` runs; `make sweep`'s 200
include them).

`program(seed)` and `walk(seed)` are deterministic: a failing seed is a
reproducible test.
"""
from __future__ import annotations

import random

PRELUDE = """\
(define (quotient* x y)
  (if (and (exact-integer? x) (exact-integer? y) (not (= y 0))) (quotient x y) x))
(define (inexact* x) (if (exact? x) (exact->inexact x) x))
(define (even?* x) (and (exact-integer? x) (even? x)))
(define (len* l) (if (list? l) (length l) 0))
(define (sum* l)
  (let loop ((l l) (s 0)) (if (pair? l) (loop (cdr l) (if (number? (car l)) (+ s (car l)) s)) s)))
(define (nth* l k)
  (let loop ((l l) (k (if (exact-integer? k) (abs k) 0)))
    (cond ((null? l) 0) ((= k 0) (car l)) (else (loop (cdr l) (- k 1))))))
(define (clip x)
  (cond ((and (exact-integer? x) (> (abs x) 1000000000000)) (quotient x 1000))
        ((and (inexact? x) (> (abs x) 1e15)) 1.0)
        (else x)))
(define vec (make-vector 10 1))
(define (vref* k) (vector-ref vec (if (exact-integer? k) (modulo k 10) 0)))
(define (vset!* k x) (vector-set! vec (if (exact-integer? k) (modulo k 10) 3) (if (number? x) (clip x) 0)))
(define (+* x y) (if (and (number? x) (number? y)) (+ x y) 0))
(define (max* x y) (if (and (real? x) (real? y)) (max x y) 0))
(define ops (vector (lambda (x y) (+* x y)) (lambda (x y) (if (number? x) (* x 2) 0))
                    (lambda (x y) y) max*))
(define (pick k) (vector-ref ops (if (exact-integer? k) (modulo k 3) 3)))
(define (code* x) (if (exact-integer? x) (char->integer (string-ref "hawk-py!" (modulo x 8))) 0))
(define (iota* n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))
(define (sqrt* x) (if (real? x) (sqrt (abs x)) 0))
"""

# leaves: the variables in scope and these constants (fixnums near the
# fixnum limit, whose sums and products overflow into bignums; flonums)
CONSTANTS = ("0", "1", "2", "3", "-1", "7", "100", "1.5", "-2.5", "0.0",
             "4611686018427387900", "1000000007")

# expressions: a format with one {} per subexpression
FORMS = (
    "(+ {} {})", "(- {} {})", "(* {} {})", "(abs {})", "(max {} {})",
    "(quotient* {} {})", "(inexact* {})",
    "(if (< {} {}) {} {})", "(if (= {} {}) {} {})", "(if (even?* {}) {} {})",
    "(let ((t {})) (if (number? t) (+ t 1) 0))",
    "(len* lst)", "(sum* lst)", "(nth* lst {})",
    "(vref* {})", "(begin (vset!* {} {}) {})", "((pick {}) {} {})", "(code* {})",
    "(let ((box 0)) (set! box {}) (+* box {}))",
    "(apply +* (list {} {}))", "(apply (pick {}) {} (list {}))", "(sqrt* {})",
    "(if (memv {} '(0 1 3 x 1.5)) {} {})", "(sum* (map +* (list {} 1) (list 2 {})))",
)

# function bodies: {body} is a random expression over a, b, lst, i, acc
SHAPES = (
    """(define ({name} a b lst)
  (let loop ((i 0) (acc {init}))
    (if (>= i {n}) acc (loop (+ i 1) (clip {body})))))""",
    """(define ({name} a b lst)
  (let loop ((i 0) (acc '()))
    (if (>= i {n})
        (sum* acc)
        (loop (+ i 1) (if (< (len* acc) {keep}) (cons (clip (let ((acc i)) {body})) acc) (cdr acc))))))""",
    """(define ({name} a b lst)
  (let rec ((i {n}))
    (if (<= i 0) 0 (+ (clip (let ((acc i)) {body})) (clip (rec (- i 1)))))))""",
    # a list walk that takes two steps at even elements: (cdr next) of a
    # list ending in an even element raises
    """(define ({name} a b lst)
  (let loop ((l lst) (acc {init}) (i 0))
    (if (null? l)
        acc
        (let ((next (cdr l)))
          (if (even?* (car l))
              (loop (cdr next) (clip {body}) (+ i 1))
              (loop next (clip {body2}) (+ i 1)))))))""",
)

ARGUMENT_LISTS = ("'()", "'(1 2 3)", "(list 1.5 2 -3)", "(iota* 7)", "'(10 x 20)", "(iota* 30)",
                  "(iota* 41)", "'(1 1 1 1 2 1 1 1 1 1 1 2 1 1 1 1 1 1 2)")


def expression(r: random.Random, depth: int, names: list[str]) -> str:
    if depth <= 0 or r.random() < 0.25:
        return r.choice(names + list(CONSTANTS))
    form = r.choice(FORMS)
    return form.format(*(expression(r, depth - 1, names) for _ in range(form.count("{}"))))


def program(seed: int) -> str:
    r = random.Random(seed)
    functions = [r.choice(SHAPES).format(name=f"f{k}", init=r.choice(CONSTANTS), n=r.randint(5, 100),
                                         keep=r.randint(3, 40),
                                         body=expression(r, 3, ["a", "b", "i", "acc"]),
                                         body2=expression(r, 3, ["a", "b", "i", "acc"]))
                 for k in range(r.randint(1, 3))]
    calls = " ".join(f"(f{r.randrange(len(functions))} {r.choice(CONSTANTS)} {r.choice(CONSTANTS)}"
                     f" {r.choice(ARGUMENT_LISTS)})" for _ in range(r.randint(2, 5)))
    main = f"""(define (main k)
  (let rep ((j 0) (res '()))
    (if (= j k) (reverse res) (rep (+ j 1) (cons (list {calls}) res)))))
(write (list-tail (main 40) 37))
(newline)"""
    return "\n".join([PRELUDE, *functions, main])


# walk(): the element test, the two steps, the accumulator updates
WALK_TESTS = ("(odd? x)", "(< x 5)", "(= x 1)", "(even? x)", "(> x 2)")
WALK_STEPS = ("(cdr next)", "next", "(if (pair? next) (cdr next) next)", "(cddr l)")
WALK_UPDATES = ("(+ acc 1)", "(+ acc x)", "(* acc 2)", "(- acc x)", "(+ acc 10)")


def walk(seed: int) -> str:
    r = random.Random(seed)
    period = r.randint(2, 9)
    lists = " ".join(f"(mk {r.randint(3, 50)} {period + k % 3} {r.choice((1, 2, 3, 6))})"
                     for k in range(r.randint(3, 6)))
    return f"""(define (mk n period last)
  (let loop ((i n) (acc (list last)))
    (if (= i 0) acc (loop (- i 1) (cons (if (= 0 (modulo i period)) 6 1) acc)))))
(define (f l)
  (let loop ((l l) (acc 0))
    (if (null? l)
        acc
        (let* ((x (car l)) (next (cdr l)))
          (if {r.choice(WALK_TESTS)}
              (loop {r.choice(WALK_STEPS)} {r.choice(WALK_UPDATES)})
              (loop {r.choice(WALK_STEPS)} {r.choice(WALK_UPDATES)}))))))
(define (try l)
  (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
    (f l)))
(define lists (vector {lists}))
(define n (vector-length lists))
(let rep ((i 0) (acc '()))
  (if (= i 90)
      (begin (write (reverse acc)) (newline))
      (let ((v (try (vector-ref lists (modulo i n)))))
        (rep (+ i 1) (if (< i 12) (cons v acc) acc)))))
"""
