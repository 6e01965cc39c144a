;; sqrt in hot loops: inline (sqrtsd) on flonums that are >= 0 or -0.0,
;; a call of the primitive on negative flonums (complex roots), NaN and
;; exact numbers (exact roots), in the same loop as the inline ones.
(define (f xs n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc)
        (loop (+ i 1) (let ((x (vector-ref xs (modulo i (vector-length xs))))) (if (< i 9) (cons (sqrt x) acc) (begin (sqrt x) acc)))))))
(display (f (vector 4.0 2.0 0.0 -0.0 1e300 +inf.0) 300)) (newline)
(display (f (vector 4.0 2.0 -4.0 +nan.0 9 2 1/4 -9) 300)) (newline)
(display (let loop ((i 0) (s 0.0)) (if (= i 1000) s (loop (+ i 1) (+ s (sqrt (* 1.0 i))))))) (newline)
