;; Multiple values in hot loops: call-with-values and let-values of
;; `values` with 0, 1, 2 and 3 values, floor/, truncate/ and
;; exact-integer-sqrt (the trace calls values, %values->list and the
;; primitives out, tests %values? inline and spreads the list by apply),
;; and a consumer of the wrong arity at the end of a hot loop.

(define (sum-pairs n)
  (let loop ((i 0) (s 0))
    (if (= i n) s
        (call-with-values (lambda () (values i (* 2 i)))
          (lambda (a b) (loop (+ i 1) (+ s a b)))))))
(display (sum-pairs 500)) (newline)

(define (mixed n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (let-values (((q r) (floor/ (- i 250) 7))
                     ((tq tr) (truncate/ (- i 250) 7))
                     ((s rest) (exact-integer-sqrt i))
                     ((x) (values i))
                     (all (values i 'a "b"))
                     (() (values)))
          (loop (+ i 1) (if (= 0 (modulo i 97)) (cons (list q r tq tr s rest x all) acc) acc))))))
(for-each (lambda (r) (write r) (newline)) (mixed 500))

;; the number of values changes from one iteration to the next
(define (count-values n)
  (let loop ((i 0) (s 0))
    (if (= i n) s
        (loop (+ i 1)
              (+ s (call-with-values
                       (lambda () (case (modulo i 4) ((0) (values)) ((1) (values i)) ((2) (values i i)) (else (values 1 2 3))))
                     (lambda args (length args))))))))
(display (count-values 400)) (newline)

;; the last iteration gives the consumer three values for two parameters
(display (guard (e ((error-object? e) (list 'error (error-object-message e))))
           (let loop ((i 0) (s 0))
             (if (= i 300) s
                 (call-with-values (lambda () (if (= i 299) (values 1 2 3) (values i i)))
                   (lambda (a b) (loop (+ i 1) (+ s a b))))))))
(newline)

;; floor/ and truncate/ in the trace: every sign, the most negative fixnum
;; (its quotient by -1 is a bignum; floor/ by 7 passes the fixnum range
;; on the way), and a zero divisor at the end of a hot loop
(define most-negative (- (expt 2 60)))
(define (divisions n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (let* ((x (vector-ref (vector 17 -17 0 5 most-negative most-negative -1) (modulo i 7)))
               (y (vector-ref (vector 5 -5 3 -3 7 -1) (modulo i 6))))
          (let-values (((fq fr) (floor/ x y)) ((tq tr) (truncate/ x y)))
            (loop (+ i 1) (if (> i 257) (cons (list x y fq fr tq tr) acc) acc)))))))
(for-each (lambda (r) (write r) (newline)) (divisions 300))
(display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
           (let loop ((i 0) (s 0))
             (if (= i 300) s
                 (let-values (((q r) (floor/ i (if (= i 299) 0 3)))) (loop (+ i 1) (+ s q r)))))))
(newline)
