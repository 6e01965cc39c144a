;; fib: doubly recursive Fibonacci; non-tail calls and fixnum arithmetic.
;; Input: count, n, expected (fib n).

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(run-with-input "fib" fib)
