;; The harness every benchmark ends by calling, after the prelude and a
;; `(define this-scheme "...")` line that bench/run.py puts in front.
;; run-r7rs-benchmark calls THUNK COUNT times, checks the last result with
;; OK?, and reports in the r7rs-benchmarks format: the result, then
;; "Elapsed time: T seconds (T) for NAME" and "+!CSVLINE!+IMPL,NAME,T".
;; A wrong result prints "ERROR: ..." and exits with status 1.

(define (run-r7rs-benchmark name count thunk ok?)
  (let ((start (current-jiffy)))
    (let loop ((i 0) (result #f))
      (if (< i count)
          (loop (+ i 1) (thunk))
          (let ((secs (/ (inexact (- (current-jiffy) start))
                         (inexact (jiffies-per-second)))))
            (cond ((ok? result)
                   (display "Result: ") (write result) (newline)
                   (display "Elapsed time: ") (write secs)
                   (display " seconds (") (write secs) (display ") for ")
                   (display name) (newline)
                   (display "+!CSVLINE!+") (display this-scheme) (display ",")
                   (display name) (display ",") (write secs) (newline))
                  (else
                   (display "ERROR: returned incorrect result: ")
                   (write result) (newline)
                   (exit 1))))))))

;; The usual driver: read COUNT, INPUT and EXPECTED from standard input and
;; time COUNT calls of (RUN INPUT), comparing the result with EXPECTED.
(define (run-with-input name run)
  (let* ((count (read)) (input (read)) (expected (read)))
    (run-r7rs-benchmark name count (lambda () (run input))
                        (lambda (result) (equal? result expected)))))
