;; vector-map and map over two lists (map calls apply)
(define (go3 n r) (if (= n 0) r (go3 (- n 1) (+ r (vector-ref (vector-map (lambda (x) (* x 2)) #(1 2 3)) 2) (length (map + '(1 2) '(3 4)))))))
(display (go3 50000 0)) (newline)
