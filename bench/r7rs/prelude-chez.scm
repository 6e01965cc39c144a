;; Prepended by bench/run.py for Chez Scheme 9.5, whose --script top level
;; is (chezscheme) rather than R7RS: only (scheme time) is missing there.
(define (jiffies-per-second) 1000000000)
(define (current-jiffy)
  (let ((t (current-time 'time-monotonic)))
    (+ (* (time-second t) 1000000000) (time-nanosecond t))))
