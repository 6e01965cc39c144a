(import (scheme base) (scheme write))

(cond-expand
  ((and r7rs (library (scheme base)) (not (library (no such library))))
   (define where "top level"))
  (else (define where "nowhere")))
(display where) (newline)

(define (kind)
  (cond-expand
    ((or no-such-feature hawk) (define k 'hawk))
    (else (define k 'other)))
  k)
(display (kind)) (newline)

(display (cond-expand (ratios (/ 1 3)) (else 0.333))) (newline)
(display (cond-expand ((library (lib stack)) "lib stack is available") (else "no lib stack")))
(newline)
(display (cond-expand (no-such-feature 'yes) (else 'no))) (newline)
(display (memq 'r7rs (features))) (newline)
