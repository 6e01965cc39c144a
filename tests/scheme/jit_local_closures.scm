;; Calls and returns through closures that are not globals: a local
;; procedure is a new closure at every call of its parent, so traces guard
;; the function of a callee (and of the caller a return goes back to), not
;; its identity, and read free variables from the closure that runs.

;; a local recursive procedure with a free variable, new at every call
(define (scaled-range-sum k)
  (define (range lo hi) (if (> lo hi) '() (cons (* k lo) (range (+ lo 1) hi))))
  (define (sum l acc) (if (null? l) acc (sum (cdr l) (+ acc (car l)))))
  (sum (range 1 20) 0))
(define (sum-ranges i acc)
  (if (= i 300) acc (sum-ranges (+ i 1) (+ acc (scaled-range-sum i)))))
(display (sum-ranges 0 0)) (newline)

;; non-tail recursion through a fresh closure per outer call
(define (scaled-fib s)
  (define (f n) (if (< n 2) (* s n) (+ (f (- n 1)) (f (- n 2)))))
  f)
(define (sum-fibs i acc)
  (if (= i 40) acc (sum-fibs (+ i 1) (+ acc ((scaled-fib i) 12)))))
(display (sum-fibs 0 0)) (newline)

;; every level of the recursion a different closure of one lambda: returns
;; go back into frames of other closures of the same function
(define (adder k) (lambda (x) (if (= x 0) k (+ 1 ((adder (+ k 1)) (- x 1))))))
(define (sum-adders i acc)
  (if (= i 200) acc (sum-adders (+ i 1) (+ acc ((adder i) (modulo i 17))))))
(display (sum-adders 0 0)) (newline)

;; one call site, different functions: the function guard fails and the
;; trace leaves for the right one
(define (apply-n f n acc) (if (= n 0) acc (apply-n f (- n 1) (+ acc (f n)))))
(define (twice x) (* 2 x))
(define (square x) (* x x))
(define (sum-applications i acc)
  (if (= i 30)
      acc
      (sum-applications (+ i 1)
                        (+ acc (apply-n (case (modulo i 3)
                                          ((0) twice)
                                          ((1) square)
                                          (else (lambda (x) (+ x i))))
                                        200 0)))))
(display (sum-applications 0 0)) (newline)
