; Recursion and branchy loops: what the JIT turns into up-recursive root
; traces, side traces that return into their caller, down-recursive
; traces and linked chains (see tests/test_jit_link.py).
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display (fib 15)) (newline)

(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))
(display (tak 9 6 3)) (newline)

; a loop whose branch goes each way half the time
(define (alternate n)
  (let loop ((i 0) (a 0) (b 0) (even #t))
    (cond ((= i n) (list a b))
          (even (loop (+ i 1) (+ a i) b #f))
          (else (loop (+ i 1) a (- b i) #t)))))
(display (alternate 300)) (newline)

; non-tail recursion that allocates on the way back up
(define (iota-up n) (if (= n 0) '() (cons n (iota-up (- n 1)))))
(define (sum-list l) (if (null? l) 0 (+ (car l) (sum-list (cdr l)))))
(display (sum-list (iota-up 200))) (newline)
(define (count-up n) (let loop ((k 0) (acc 0)) (if (= k 10) acc (loop (+ k 1) (+ acc (length (iota-up n)))))))
(display (count-up 40)) (newline)

; a type change after many iterations, deep inside linked recursion
(define (sum-tree t) (if (pair? t) (+ (sum-tree (car t)) (sum-tree (cdr t))) (if (null? t) 0 t)))
(define (make-tree d leaf) (if (= d 0) leaf (cons (make-tree (- d 1) leaf) (make-tree (- d 1) leaf))))
(define tree (make-tree 6 1))
(display (sum-tree tree)) (newline)
(display (sum-tree (cons tree (make-tree 3 1.5)))) (newline)
(display (sum-tree (cons tree (make-tree 3 (expt 2 70))))) (newline)

; set! of a global that a linked trace reads
(define step 1)
(define (walk n acc) (if (= n 0) acc (begin (if (= n 150) (set! step 100)) (walk (- n 1) (+ acc step)))))
(display (walk 300 0)) (newline)
(define (depth n) (if (= n 0) step (+ 1 (depth (- n 1)))))
(display (depth 100)) (newline)
(set! step 7)
(display (depth 100)) (newline)

; mutual recursion
(define (ev? n) (if (= n 0) #t (od? (- n 1))))
(define (od? n) (if (= n 0) #f (ev? (- n 1))))
(display (list (ev? 301) (od? 301))) (newline)
(define (ack m n) (cond ((= m 0) (+ n 1)) ((= n 0) (ack (- m 1) 1)) (else (ack (- m 1) (ack m (- n 1))))))
(display (ack 2 3)) (newline)
