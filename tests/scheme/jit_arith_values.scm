;; +, - and * called as procedures (through map and apply, with two or
;; more arguments) in hot loops: fixnums, flonums, mixed, a product that
;; overflows into a bignum, and a non-number at the end of a hot loop.
(define (f n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc)
        (loop (+ i 1) (let ((r (list (map + (list i 1.5) (list 2 i)) (map - (list i) (list 0.25)) (map * (list i (* i 1000000000)) (list i (* i 1000000000))) (apply + (list i 2 0.5 3)) (apply - i '(3)))))
                        (if (or (< i 5) (> i 295)) (cons r acc) acc))))))
(display (f 300)) (newline)
(define (g xs ys) (map + xs ys))
(display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
           (let loop ((i 0) (s '())) (if (= i 300) s (loop (+ i 1) (g (list i 1 (if (= i 299) 'x 2)) (list 1 2 3)))))))
(newline)
