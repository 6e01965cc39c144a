;; tak: the Takeuchi function; deep non-tail recursion with three arguments.
;; Input: count, (x y z), expected (tak x y z).

(define (tak x y z)
  (if (< y x)
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))
      z))

(run-with-input "tak" (lambda (xyz) (apply tak xyz)))
