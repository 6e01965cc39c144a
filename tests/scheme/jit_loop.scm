;; Peeled loops (hawk.jit.loopopt): values carried around a loop in
;; registers, PHI moves at the back edge (swaps and rotations), exits from
;; the loop body that rebuild boxed flonums, type changes and overflow of
;; carried values, loads and stores in the body, allocation in the body.

;; swap and rotate: cycles of PHI moves, words and doubles
(define (swap n)
  (let loop ((i 0) (a 1) (b 2))
    (if (= i n) (list a b) (loop (+ i 1) b a))))
(write (swap 101)) (newline)
(define (rotate n)
  (let loop ((i 0) (x 1.5) (y 2.5) (z 3.5) (w 0))
    (if (= i n) (list x y z w) (loop (+ i 1) y z (+ x 1.) (+ w i)))))
(write (rotate 100)) (newline)

;; a carried flonum that turns into a fixnum, then back
(define (turn n)
  (let loop ((i 0) (x 0.5) (acc 0))
    (if (= i n) (list x acc)
        (loop (+ i 1)
              (cond ((< i 40) (* x 1.25)) ((< i 80) i) (else (+ i 0.5)))
              (+ acc (if (exact? x) x 1))))))
(write (turn 120)) (newline)

;; a carried fixnum that overflows into a bignum inside the body
(define (grow n)
  (let loop ((i 0) (x 1))
    (if (= i n) x (loop (+ i 1) (+ x x)))))
(write (grow 70)) (newline)
(write (grow 200)) (newline)

;; exits from the body at every iteration count around the hot threshold
(define (sum-to n)
  (let loop ((i 0.) (acc 0.) (prod 1.))
    (if (> i n) (list i acc prod) (loop (+ i 1.) (+ acc (/ 1. (+ i 1.))) (* prod 1.01)))))
(let loop ((n 0))
  (when (< n 30)
    (write (sum-to n))
    (newline)
    (loop (+ n 1))))

;; a branch in the body taken every third iteration (side traces from
;; body exits, linking back to the loop)
(define (branchy n)
  (let loop ((i 0) (a 0.) (b 0) (c '()))
    (cond ((= i n) (list a b (length c)))
          ((= 0 (remainder i 3)) (loop (+ i 1) (- a 0.75) (+ b i) (cons a c)))
          (else (loop (+ i 1) (+ a 0.5) b c)))))
(write (branchy 1000)) (newline)

;; loads and stores in the body: a vector read and written in place
(define (prefix-sums! v)
  (let loop ((k 1))
    (when (< k (vector-length v))
      (vector-set! v k (+ (vector-ref v k) (vector-ref v (- k 1))))
      (loop (+ k 1)))))
(define v (make-vector 50 1))
(prefix-sums! v)
(write v) (newline)
(define fv (make-vector 40 0.5))
(prefix-sums! fv)
(write (vector-ref fv 39)) (newline)

;; a flonum carried unchanged and consed every iteration (boxed in the body)
(define (repeat x n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons x acc)))))
(let ((xs (repeat 2.5 100)))
  (write (list (length xs) (apply + xs) (car xs))) (newline))
(define (box-each n)
  (let loop ((i 0) (x 0.) (acc '()))
    (if (= i n) (list (length acc) (car acc) x (apply + acc))
        (loop (+ i 1) (+ x 0.25) (cons x acc)))))
(write (box-each 500)) (newline)

;; a carried string index and char accumulation
(define (count-char s c)
  (let loop ((k 0) (n 0))
    (if (= k (string-length s)) n
        (loop (+ k 1) (if (char=? (string-ref s k) c) (+ n 1) n)))))
(write (count-char (make-string 300 #\a) #\a)) (newline)

;; the escape-time loop of mbrot over a few points
(define (escape cr ci limit)
  (let loop ((zr 0.) (zi 0.) (k 0))
    (if (or (= k limit) (> (+ (* zr zr) (* zi zi)) 4.))
        k
        (loop (+ (- (* zr zr) (* zi zi)) cr) (+ (* 2. (* zr zi)) ci) (+ k 1)))))
(write (map (lambda (c) (escape (car c) (cdr c) 200))
            '((0. . 0.) (-1. . 0.25) (0.3 . 0.5) (-0.75 . 0.1) (0.25 . 0.) (-2. . 0.) (1. . 1.))))
(newline)
