;; rest arguments and case-lambda called from hot loops
(define (pick k . xs) (if (< k 100) (car xs) (list k xs)))
(define (f n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons (pick i i (* 2 i) 'z) acc)))))
(define r (f 150))
(display (list (length r) (car r) (list-ref r 99) (list-ref r 149))) (newline)

(define (count-rest . xs) (length xs))
(define (g n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (count-rest) (count-rest i) (count-rest i i i))))))
(display (g 150)) (newline)

(define h
  (case-lambda
    ((x) (* x 2))
    ((x y) (+ x y))
    ((x y . r) (apply + x y r))))
(define (k n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (h i) (h i 1) (if (< i 75) 0 (h i 1 2 3)))))))
(display (k 150)) (newline)

;; a tail call of a variadic procedure, and map over several lists
(define (total acc . xs) (if (null? xs) acc (+ acc (car xs))))
(define (t n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (total s i)))))
(display (t 300)) (newline)
(define (tail-variadic n) (if (= n 0) 'done (tail-rest (- n 1) n n)))
(define (tail-rest n . xs) (if (= (length xs) 2) (tail-variadic n) 'wrong))
(display (tail-variadic 300)) (newline)
(display (let loop ((i 0) (acc '())) (if (= i 60) (length acc) (loop (+ i 1) (map + (list i 1) (list 2 i)))))) (newline)
(display (let loop ((i 0) (acc 0)) (if (= i 80) acc (loop (+ i 1) (apply + (map (lambda (x y) (* x y)) (list i 1 2) (list 2 i 3))))))) (newline)
