;; Flonums in traces: unboxed arithmetic, mixed fixnum/flonum operations,
;; comparisons with NaN and infinities, boxing at exits and at the loop end
;; (many boxes: GC stress), and type changes mid-loop.

(define (sumfp n)
  (let loop ((i 0.) (acc 0.))
    (if (> i n) acc (loop (+ i 1.) (+ acc i)))))
(display (sumfp 200.)) (newline)

;; mixed: fixnum counter, flonum accumulator; exact->inexact of a fixnum
(define (mixed n)
  (let loop ((i 0) (acc 0.5))
    (if (= i n) acc
        (loop (+ i 1) (+ (* acc 0.5) (exact->inexact i) (/ i 4.) (- 3 1.5))))))
(display (mixed 200)) (newline)

;; fixnum vs flonum comparisons, both orders
(define (count-below xs limit)
  (let loop ((xs xs) (n 0))
    (cond ((null? xs) n)
          ((< (car xs) limit) (loop (cdr xs) (+ n 1)))
          (else (loop (cdr xs) n)))))
(define nums (let loop ((i 0) (acc '()))
               (if (= i 60) acc
                   (loop (+ i 1) (cons (if (even? i) (* i 1.5) i) acc)))))
(display (count-below nums 40)) (newline)
(display (count-below nums 40.5)) (newline)

;; NaN and infinities: every comparison the interpreter makes
(define nan (/ 0. 0.))
(define inf (/ 1. 0.))
(define (compare-all xs ys)
  (let loop ((xs xs) (ys ys) (acc '()))
    (if (null? xs) (reverse acc)
        (let ((x (car xs)) (y (car ys)))
          (loop (cdr xs) (cdr ys)
                (cons (cons (< x y) (cons (<= x y) (cons (= x y) (cons (> x y)
                      (cons (>= x y) (cons (not (< x y)) (not (= x y))))))))
                      acc))))))
(define specials (list nan 1. inf (- inf) 0. -0. nan 2.5 1. inf))
(define specials2 (list 1. nan inf inf -0. 0. nan 2.5 3 (- inf)))
(for-each (lambda (r) (display r) (newline))
          (compare-all (append specials specials specials) (append specials2 specials2 specials2)))

;; a loop whose variable turns from fixnum to flonum mid-way (guard exits)
(define (grow n)
  (let loop ((i 0) (x 1))
    (if (= i n) x
        (loop (+ i 1) (if (= i 25) (+ x 0.25) (* x 1))))))
(display (grow 50)) (newline)

;; many boxes: results kept in a list (allocation in the trace)
(define (flo-list n)
  (let loop ((i 0) (x 0.) (acc '()))
    (if (= i n) acc
        (loop (+ i 1) (+ x 0.1) (cons (* x x) acc)))))
(define fl (flo-list 600))
(display (length fl)) (newline)
(display (car fl)) (newline)
(display (list-ref fl 300)) (newline)

;; division by zero on flonums is IEEE; on fixnums an error (not traced here)
(define (divs n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc)
        (loop (+ i 1) (cons (/ (- i 2.) (- i 2)) acc)))))
(display (divs 20)) (newline)

;; eq? on a flonum made in the trace stays eq? to itself
(define (self-eq n)
  (let loop ((i 0) (x 0.5) (k 0))
    (if (= i n) k
        (let ((y (* x 1.)))
          (loop (+ i 1) y (if (eq? y y) (+ k 1) k))))))
(display (self-eq 100)) (newline)

;; exact->inexact and inexact of flonums and fixnums
(define (conv n)
  (let loop ((i 0) (acc 0.))
    (if (= i n) acc
        (loop (+ i 1) (+ acc (exact->inexact i) (inexact (* i 0.5)))))))
(display (conv 100)) (newline)

;; fixnums beyond 2^53 compared with a flonum: the interpreter compares
;; exactly, so the trace must not round them (a guard exits instead)
(define (count-equal xs y)
  (let loop ((xs xs) (n 0))
    (if (null? xs) n (loop (cdr xs) (if (= (car xs) y) (+ n 1) n)))))
(define big (expt 2 53))
(define bigs (let loop ((i 0) (acc '()))
               (if (= i 40) acc
                   (loop (+ i 1) (cons (if (< i 30) (- big (* 2 (modulo i 3))) (+ big 1)) acc)))))
(display (count-equal bigs (exact->inexact big))) (newline)
