"""SRFI 69 hash tables: each procedure's normal, edge and error cases, and
eq?/eqv?-keyed tables staying correct when collections move their keys."""
from __future__ import annotations

import pytest

from conftest import run_scheme


def out(program: str, stress: int = 0) -> str:
    result = run_scheme(program, stress=stress)
    assert result.status == 0, result.err
    return result.out


def error(program: str) -> str:
    result = run_scheme(program)
    assert result.status == 1 and result.err.startswith("<test>:"), result.err
    return result.err


@pytest.mark.parametrize("equiv, key, same_key, other_key", [
    ("equal?", "(list 1 \"a\" #(2.5))", "(list 1 \"a\" #(2.5))", "(list 1 \"a\" #(2))"),
    ("eqv?", "(expt 10 30)", "(expt 10 30)", "(+ 1 (expt 10 30))"),
    ("eqv?", "1.5", "(/ 3.0 2)", "3/2"),
    ("eq?", "'sym", "(string->symbol \"sym\")", "'other"),
    ("string=?", "\"Key\"", "(string #\\K #\\e #\\y)", "\"key\""),
    ("string-ci=?", "\"Key\"", "\"kEY\"", "\"keys\""),
])
def test_lookup_by_each_equivalence(equiv, key, same_key, other_key):
    assert out(f"""
      (define t (make-hash-table {equiv}))
      (hash-table-set! t {key} 'v)
      (write (list (hash-table-ref/default t {same_key} 'none)
                   (hash-table-ref/default t {other_key} 'none)
                   (hash-table-exists? t {same_key}) (hash-table-size t)))""") == "(v none #t 1)"


def test_eq_table_distinguishes_equal_structures():
    assert out("""
      (define t (make-hash-table eq?))
      (define a (list 1)) (hash-table-set! t a 1)
      (write (list (hash-table-ref/default t a 0) (hash-table-ref/default t (list 1) 0)))""") \
        == "(1 0)"


def test_default_table_is_equal_and_basic_operations():
    assert out("""
      (define t (make-hash-table))
      (hash-table-set! t "a" 1) (hash-table-set! t "b" 2) (hash-table-set! t "a" 3)
      (write (list (hash-table? t) (hash-table? 5) (hash-table-size t)
                   (hash-table-ref t "a") (hash-table-ref t "zz" (lambda () 'missing))
                   (hash-table-ref t "b" (lambda () 'missing) (lambda (v) (* v 10)))))
      (hash-table-delete! t "a") (hash-table-delete! t "not there")
      (write (list (hash-table->alist t) (hash-table-keys t) (hash-table-values t)))""") \
        == '(#t #f 2 3 missing 20)((("b" . 2)) ("b") (2))'


def test_update_walk_fold_copy_clear():
    assert out("""
      (define t (make-hash-table eqv?))
      (hash-table-update!/default t 'n (lambda (x) (+ x 1)) 10)
      (hash-table-update! t 'n (lambda (x) (* x 2)))
      (hash-table-update! t 'm (lambda (x) (+ x 1)) (lambda () 0))
      (define sum 0)
      (hash-table-walk t (lambda (k v) (set! sum (+ sum v))))
      (define c (hash-table-copy t))
      (hash-table-clear! t)
      (write (list sum (hash-table-fold c (lambda (k v acc) (+ v acc)) 0)
                   (hash-table-size t) (hash-table-size c) (hash-table-ref/default c 'n 0)))""") \
        == "(23 23 0 2 22)"


def test_alist_to_hash_table_first_association_wins():
    assert out("""
      (define t (alist->hash-table '((a . 1) (b . 2) (a . 3)) eq?))
      (write (list (hash-table-ref t 'a) (hash-table-ref t 'b) (hash-table-size t)))""") \
        == "(1 2 2)"


def test_delete_keeps_the_other_entries():
    assert out("""
      (define t (make-hash-table eqv?))
      (do ((i 0 (+ i 1))) ((= i 50)) (hash-table-set! t i (* i i)))
      (do ((i 0 (+ i 2))) ((>= i 50)) (hash-table-delete! t i))
      (define ok #t)
      (do ((i 0 (+ i 1))) ((= i 50))
        (if (not (equal? (hash-table-ref/default t i #f) (if (odd? i) (* i i) #f)))
            (set! ok #f)))
      (write (list ok (hash-table-size t)))""") == "(#t 25)"


def test_hash_functions():
    assert out("""
      (write (list (= (hash (list 1 "a")) (hash (list 1 "a")))
                   (< (hash 'x 10) 10) (< (string-hash "abc" 7) 7)
                   (= (string-ci-hash "ABC") (string-ci-hash "abc"))
                   (= (hash-by-identity 'a) (hash-by-identity 'a))
                   (exact-integer? (hash (let ((l (list 1))) (set-cdr! l l) l)))))""") \
        == "(#t #t #t #t #t #t)"


@pytest.mark.parametrize("program, message", [
    ("(hash-table-set! 5 1 2)", "hash-table-set!: not a hash table"),
    ("(hash-table-ref/default '() 1 2)", "hash-table-ref/default: not a hash table"),
    ("(hash-table-size (vector))", "hash-table-size: not a hash table"),
    ("(hash-table-ref (make-hash-table) 'k)", "hash-table-ref: no such key"),
    ("(hash-table-update! (make-hash-table) 'k (lambda (x) x))", "hash-table-ref: no such key"),
    ("(hash-table-set! (make-hash-table string=?) 'k 1)", "hash-table-set!: not a string"),
    ("(make-hash-table =)", "make-hash-table: unsupported equivalence"),
    ("(string-hash 5)", "string-hash: not a string"),
    ("(hash 1 0)", "hash: bound must be positive"),
    ("(hash-table-walk 5 list)", "hash-table->alist: not a hash table"),
])
def test_errors(program, message):
    assert message in error(program)


def test_eq_keys_survive_moving_collections():
    # stress 1 collects at every safepoint, so every key moves between
    # insertions and lookups; the table must rebuild its address index
    program = """
      (define t (make-hash-table eq?))
      (define keys (list-tabulate 60 (lambda (i) (cons i i))))
      (for-each (lambda (k) (hash-table-set! t k (car k))) keys)
      (define garbage (make-vector 100 0))
      (define found (count (lambda (k) (eqv? (hash-table-ref/default t k #f) (car k))) keys))
      (hash-table-delete! t (car keys))
      (write (list found (hash-table-size t) (hash-table-exists? t (car keys))
                   (every (lambda (k) (hash-table-exists? t k)) (cdr keys))
                   (hash-table-exists? t (cons 1 1))))"""
    result = run_scheme(program, stress=1)
    assert result.status == 0, result.err
    assert result.out == "(60 59 #f #t #f)"


def test_address_index_is_rebuilt_after_a_collection():
    from hawk.driver import make_vm
    from hawk.vm.prims.hashtables import HashTable
    vm = make_vm()
    table = HashTable(vm.heap, "eq")
    keys = [vm.data.cons(i << 3, 0) for i in range(10)]
    for i, k in enumerate(keys):
        table.set(vm, "t", k, i << 3)
    vm.roots.extend(keys)           # keep the keys alive, and let the GC move them
    vm.heap.collect(0)
    moved = vm.roots[-10:]
    assert moved != keys
    assert [table.get(vm, "t", k, -1) for k in moved] == [i << 3 for i in range(10)]
    del vm.roots[-10:]



def test_merge_and_the_equivalence_and_hash_accessors():
    assert out("""
      (define a (make-hash-table string-ci=?))
      (define b (make-hash-table string-ci=?))
      (hash-table-set! a "x" 1) (hash-table-set! b "X" 2) (hash-table-set! b "y" 3)
      (write (list (eq? (hash-table-merge! a b) a) (hash-table-ref a "x") (hash-table-size a)
                   (hash-table-size b) (hash-table-size (hash-table-merge! b b))))
      (define (accessors t equiv hash)
        (list (eq? (hash-table-equivalence-function t) equiv)
              (eq? (hash-table-hash-function t) hash)))
      (write (list (accessors a string-ci=? string-ci-hash)
                   (accessors (make-hash-table) equal? hash)
                   (accessors (make-hash-table eqv?) eqv? hash-by-identity)
                   (accessors (make-hash-table string=?) string=? string-hash)))""") \
        == "(#t 2 2 2 2)((#t #t) (#t #t) (#t #t) (#t #t))"
    assert "hash-table-merge!: not a hash table: 5" in error(
        "(hash-table-merge! (make-hash-table) 5)")
