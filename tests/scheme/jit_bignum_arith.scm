;; Arithmetic past the fixnum range in hot loops: the trace calls the
;; generic primitive where the operands or the result are bignums or
;; ratnums (a linear congruential generator, factorials, exact division,
;; quotient/remainder/modulo of bignums, bignum and flonum mixed, the
;; negation of the most negative fixnum), and fixnum arithmetic again
;; where the values come back into range.

(define seed 21)
(define (rand)
  (set! seed (modulo (+ (* seed 1103515245) 12345) 2147483648))
  seed)
(define (lcg n)
  (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (rand))))))
(display (lcg 500)) (newline)

(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(define (facts n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc) (loop (+ i 1) (cons (modulo (fact (+ 15 (modulo i 10))) 1000003) acc)))))
(display (facts 60)) (newline)

(define big (expt 10 30))
(define (divisions n)
  (let loop ((i 1) (acc '()))
    (if (> i n)
        (reverse acc)
        (loop (+ i 1)
              (let ((r (list (/ i 3) (quotient big i) (remainder big (+ i 7)) (modulo (- big) (+ i 3))
                             (/ (* big i) big) (+ big 0.5) (* 1.5 big) (- (- (expt 2 62)) i))))
                (if (or (< i 4) (> i 297)) (cons r acc) acc))))))
(for-each (lambda (r) (display r) (newline)) (divisions 300))

;; the sum overflows into a bignum midway, then comes back down
(define (up-and-down n)
  (let loop ((i 0) (x (- (expt 2 60) 1000)) (acc '()))
    (if (= i n)
        (reverse acc)
        (let ((y (if (< i 150) (+ x 13) (- x 17))))
          (loop (+ i 1) y (if (= 0 (modulo i 50)) (cons (list i y (exact? y)) acc) acc))))))
(display (up-and-down 300)) (newline)

(define most-negative (- (expt 2 60)))
(define (negate-all n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (- (if (= i (- n 1)) most-negative i))))))
(display (negate-all 300)) (newline)

;; a non-number at the end of a hot loop of bignum arithmetic
(display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
           (let loop ((i 0) (s big)) (if (= i 300) s (loop (+ i 1) (* s (if (= i 299) 'x 1)))))))
(newline)
