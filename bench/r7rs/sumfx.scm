;; sumfx: a tight fixnum loop, the sum of 0..n; the input n is the scale.
;; Input: count, n, expected n(n+1)/2.

(define (sumfx n)
  (let loop ((i 0) (acc 0))
    (if (> i n)
        acc
        (loop (+ i 1) (+ acc i)))))

(run-with-input "sumfx" sumfx)
