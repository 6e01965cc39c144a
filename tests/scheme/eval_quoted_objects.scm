;; eval of code that quotes heap objects with no written form (a closure,
;; a record): the compiled code's constants are those objects themselves,
;; which the collector moves; the code must keep seeing them.
(import (scheme base) (scheme cxr) (scheme write) (scheme eval))

(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(define (adder n) (lambda (x) (+ x n)))
(define add5 (adder 5))
(define pt (make-point 3 4))
;; add5 is a constant of its own; pt sits inside a quoted list
(define get (eval (list 'lambda '() (list 'list (list 'quote add5) (list 'quote (list pt))))
                  (environment '(scheme base))))

(define (churn)                          ; ~5 MB of garbage: a collection even without GC stress
  (let loop ((i 0)) (when (< i 6) (make-vector 100000 i) (loop (+ i 1)))))

(let loop ((i 0))
  (when (< i 5)
    (churn)
    (let ((r (get)))
      (display (eq? (car r) add5)) (display " ")
      (display (eq? (caadr r) pt)) (display " ")
      (display ((car r) i)) (display " ")
      (display (+ (point-x (caadr r)) (point-y (caadr r)))) (newline))
    (loop (+ i 1))))
