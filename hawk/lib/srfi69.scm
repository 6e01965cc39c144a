;;; SRFI 69 hash tables: the procedures that take procedures. The tables
;;; themselves and everything else are primitives (hawk/vm/prims/hashtables.py).
;;; A table supports the equivalences below, each with its own hash; a
;;; hash function argument is accepted and not needed.

(define %hash-table-kinds
  (list (cons eq? 'eq) (cons eqv? 'eqv) (cons equal? 'equal)
        (cons string=? 'string) (cons string-ci=? 'string-ci)))

(define (make-hash-table . args)
  (let ((kind (if (pair? args) (assq (car args) %hash-table-kinds) '(#f . equal))))
    (if (not kind)
        (error "make-hash-table: unsupported equivalence (eq? eqv? equal? string=? string-ci=?)"
               (car args)))
    (%make-hash-table (cdr kind))))

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
