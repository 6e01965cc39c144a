;; call/cc escaping from a helper on half the calls
(define (gen n) (call-with-current-continuation (lambda (k) (if (> n 5) (k n) (+ n 1)))))
(define (go4 n r) (if (= n 0) r (go4 (- n 1) (+ r (gen (modulo n 10))))))
(display (go4 50000 0)) (newline)
