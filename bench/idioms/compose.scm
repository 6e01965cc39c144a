;; apply in a recursive compose: closures made and called through apply
(define (compose . fs) (if (null? fs) (lambda (x) x) (lambda (x) ((car fs) ((apply compose (cdr fs)) x)))))
(define inc (lambda (x) (+ x 1)))
(define (go n r) (if (= n 0) r (go (- n 1) ((compose inc inc inc) r))))
(display (go 100000 0)) (newline)
