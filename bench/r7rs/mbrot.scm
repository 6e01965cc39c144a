;; mbrot: escape-time iteration of z <- z^2 + c over a grid of points in
;; [-2, 0.5] x [-1.25, 1.25]; flonum arithmetic in a nested loop.
;; Input: count, (size max-iterations), expected total iterations.

(define (escape-count cr ci limit)
  (let loop ((zr 0.) (zi 0.) (k 0))
    (if (or (= k limit) (> (+ (* zr zr) (* zi zi)) 4.))
        k
        (loop (+ (- (* zr zr) (* zi zi)) cr)
              (+ (* 2. (* zr zi)) ci)
              (+ k 1)))))

(define (mbrot size limit)
  (let ((step-r (/ 2.5 (inexact size)))
        (step-i (/ 2.5 (inexact size))))
    (let rows ((y 0) (total 0))
      (if (= y size)
          total
          (let ((ci (+ -1.25 (* step-i (inexact y)))))
            (let cols ((x 0) (total total))
              (if (= x size)
                  (rows (+ y 1) total)
                  (cols (+ x 1)
                        (+ total (escape-count (+ -2. (* step-r (inexact x))) ci limit))))))))))

(run-with-input "mbrot" (lambda (args) (apply mbrot args)))
