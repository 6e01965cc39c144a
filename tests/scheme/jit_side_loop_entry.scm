;; A side trace that starts inside an inlined call (even?*, entered from
;; the list walk's first call site) reaches its own start again through
;; the other call site, whose sum of two bignums used to abort the
;; recording. It must not loop back there: the caller's link word its
;; parent stored as a constant is another one in the new frame, and the
;; loop returned to the wrong caller (an internal error). It ends in the
;; interpreter instead (found by random program 24).

(define (even?* x) (and (exact-integer? x) (even? x)))
(define big 4611686018427387900)

(define (f0 a lst)
  (let loop ((l lst) (acc 0.0) (i 0))
    (if (null? l)
        acc
        (let ((next (cdr l)))
          (if (even?* (car l))
              (loop (cdr next) (exact->inexact i) (+ i 1))
              (loop next (max (if (even?* (+ big big)) (abs a) 5) 3) (+ i 1)))))))

(define (iota* n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))

(define (main k)
  (let rep ((j 0) (res '()))
    (if (= j k) (reverse res) (rep (+ j 1) (cons (list (f0 1 (iota* 7)) (f0 2 (iota* 9))) res)))))
(write (list-tail (main 200) 197))
(newline)
