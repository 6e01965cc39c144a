;; a procedure with rest arguments called directly and through apply
(define (sum . xs) (let loop ((xs xs) (s 0)) (if (null? xs) s (loop (cdr xs) (+ s (car xs))))))
(define (go2 n r) (if (= n 0) r (go2 (- n 1) (+ r (sum 1 2 3 n) (apply sum (list n n))))))
(display (go2 100000 0)) (newline)
