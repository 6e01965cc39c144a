;; apply in hot loops (the recorder spreads the list: each pair guarded,
;; the end guarded to be '()): of closures with fixed and rest parameters,
;; of primitives, of apply itself, in tail position; lists whose length
;; changes from one iteration to the next; flonum arguments; a list longer
;; than a trace spreads; and an improper list, a non-list and a
;; non-procedure at the end of a hot loop, which must raise the
;; interpreter's errors.

(define (add3 a b c) (+ a (* 2 b) (* 3 c)))
(define (sum . xs) (let loop ((xs xs) (s 0)) (if (null? xs) s (loop (cdr xs) (+ s (car xs))))))
(define (head-and-count x . rest) (+ x (length rest)))

(define (fixed n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply add3 i (list 1 2)) (apply add3 (list i i i)))))))
(display (fixed 300)) (newline)

(define (rest n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply sum 1 2 (list i 3)) (apply head-and-count i '()))))))
(display (rest 300)) (newline)

(define (prims n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (if (< i 6)
                  (cons (list (apply + i (list 1 2)) (apply max (list i 3 1)) (apply list 'a (list i))
                              (apply vector (list i i)))
                        acc)
                  (begin (apply + (list i i)) acc))))))
(display (prims 200)) (newline)

;; the list is 0, 1, 2, 3 elements long in turn, and its elements change type
(define shapes (vector '() '(1) '(1 2) '(1 2 3) '(1.5 2) '(x y)))
(define (count-args . xs) (length xs))
(define (shape-loop n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply count-args i (vector-ref shapes (modulo i 6))))))))
(display (shape-loop 600)) (newline)

;; flonums: a raw double as a fixed argument, doubles in the list
(define (fl n)
  (let loop ((i 0) (x 0.5))
    (if (= i n) x (loop (+ i 1) (apply (lambda (a b c) (+ (* a 0.5) b (* c 0.25))) x (list 1.0 (exact->inexact i)))))))
(display (fl 300)) (newline)

;; apply of apply, and apply in tail position of a self-call
(define (nested n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply apply add3 i (list (list 1 2))))))))
(display (nested 300)) (newline)
(define (countdown n acc) (if (= n 0) acc (apply countdown (list (- n 1) (+ acc n)))))
(display (countdown 5000 0)) (newline)

;; map over two lists calls apply on every element
(define (maps n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply + (map * (list i 2 3) (list 4 5 i))))))))
(display (maps 300)) (newline)

;; a list longer than a trace spreads (the recording gives up; the
;; interpreter does it)
(define long (let loop ((i 0) (acc '())) (if (= i 40) acc (loop (+ i 1) (cons i acc)))))
(define (long-loop n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply sum i long))))))
(display (long-loop 300)) (newline)

;; the last iteration applies `bad`
(define (apply-until n f bad)
  (let loop ((i 0) (s 0))
    (if (= i n)
        s
        (loop (+ i 1) (+ s (apply f i (if (= i (- n 1)) bad '(1 2))))))))

(for-each
 (lambda (bad)
   (display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
              (apply-until 300 add3 bad)))
   (newline))
 (list '(1 2) '(1 2 . 3) '(1) 42))

(display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
           (apply-until 300 (lambda (a b c) (if (> a 298) (car a) (+ a b c))) '(1 2))))
(newline)
(define (call-each n fs)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply (vector-ref fs (if (= i (- n 1)) 1 0)) (list i 1 2)))))))
(display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
           (call-each 300 (vector add3 'not-a-procedure))))
(newline)
