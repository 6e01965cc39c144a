;;; SRFI 69 hash tables: the procedures that take procedures. The tables
;;; themselves and everything else are primitives (hawk/vm/prims/hashtables.py).
;;; A table supports the equivalences below, each with its own hash; a
;;; hash function argument is accepted and not needed.

;;; Each supported equivalence, the kind the primitive table is made of, and
;;; the hash function that table uses (what hash-table-hash-function answers:
;;; a hash function given to make-hash-table is not the one in use).
(define %hash-table-kinds
  (list (list eq? 'eq hash-by-identity) (list eqv? 'eqv hash-by-identity)
        (list equal? 'equal hash) (list string=? 'string string-hash)
        (list string-ci=? 'string-ci string-ci-hash)))

(define (make-hash-table . args)
  (let ((kind (if (pair? args) (assq (car args) %hash-table-kinds) (assq equal? %hash-table-kinds))))
    (if (not kind)
        (error "make-hash-table: unsupported equivalence (eq? eqv? equal? string=? string-ci=?)"
               (car args)))
    (%make-hash-table (cadr kind))))

(define (%hash-table-kind-entry table)
  (let ((kind (%hash-table-kind table)))
    (let loop ((kinds %hash-table-kinds))
      (if (eq? (cadar kinds) kind) (car kinds) (loop (cdr kinds))))))

(define (hash-table-equivalence-function table)
  (car (%hash-table-kind-entry table)))

(define (hash-table-hash-function table)
  (caddr (%hash-table-kind-entry table)))

(define %absent (list 'absent))

(define (hash-table-ref table key . thunk+success)
  (let ((value (hash-table-ref/default table key %absent)))
    (cond ((not (eq? value %absent))
           (if (and (pair? thunk+success) (pair? (cdr thunk+success)))
               ((cadr thunk+success) value)
               value))
          ((pair? thunk+success) ((car thunk+success)))
          (else (error "hash-table-ref: no such key" key)))))

(define (hash-table-update! table key proc . thunk)
  (hash-table-set! table key (proc (apply hash-table-ref table key thunk))))

(define (hash-table-update!/default table key proc default)
  (hash-table-set! table key (proc (hash-table-ref/default table key default))))

(define (hash-table-walk table proc)
  (for-each (lambda (entry) (proc (car entry) (cdr entry))) (hash-table->alist table)))

(define (hash-table-fold table kons knil)
  (let loop ((entries (hash-table->alist table)) (acc knil))
    (if (null? entries)
        acc
        (loop (cdr entries) (kons (caar entries) (cdar entries) acc)))))

;; The first association of a key wins, so insert from the last one.
(define (alist->hash-table alist . args)
  (let ((table (apply make-hash-table args)))
    (for-each (lambda (entry) (hash-table-set! table (car entry) (cdr entry)))
              (reverse alist))
    table))
