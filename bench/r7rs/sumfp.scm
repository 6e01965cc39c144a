;; sumfp: the sumfx loop on flonums (exact below 2^53, so the result is
;; the same float everywhere). Input: count, n, expected n(n+1)/2 as a flonum.

(define (sumfp n)
  (let ((limit (inexact n)))
    (let loop ((i 0.) (acc 0.))
      (if (> i limit)
          acc
          (loop (+ i 1.) (+ acc i))))))

(run-with-input "sumfp" sumfp)
