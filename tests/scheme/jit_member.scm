;; memq, memv and member in hot loops (walked in the trace for values that
;; only their own word matches): found at each position, not found, a
;; list mutated between calls (a quoted list can be), flonum, bignum,
;; string and pair keys (the primitive is called), lists longer than a
;; trace walks, and an improper list at the end of a hot loop.

(define vowels '(#\a #\e #\i #\o #\u))
(define (count-vowels s)
  (let loop ((i 0) (n 0))
    (if (= i (string-length s))
        n
        (loop (+ i 1) (if (memv (string-ref s i) vowels) (+ n 1) n)))))
(display (count-vowels "the quick brown fox jumps over the lazy dog, again and again and again"))
(newline)

(define keys '(a b c d e f g h i j k))
(define (positions n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (let ((k (list-ref '(a c e z k j 3 #t ()) (modulo i 9))))
                (if (< i 18) (cons (list (memq k keys) (memv k keys) (member k keys)) acc) acc))))))
(for-each (lambda (r) (write r) (newline)) (positions 300))

(define nums '(1 2 3 4.5 100000000000000000000 5))
(define (numbers n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (let ((x (vector-ref (vector 3 4.5 100000000000000000000 7 "s" '(1)) (modulo i 6))))
                (if (< i 12)
                    (cons (list (memv x nums) (member x (list "s" '(1) x)) (memq x nums)) acc)
                    acc))))))
(for-each (lambda (r) (write r) (newline)) (numbers 300))

;; the list is mutated between calls: the trace reads it, it assumes nothing
(define mutable (list 'x 'y 'z))
(define (mutating n)
  (let loop ((i 0) (hits 0))
    (if (= i n)
        hits
        (begin
          (if (= i 150) (set-car! (cdr mutable) 'w))
          (if (= i 200) (set-cdr! (cdr mutable) '()))
          (loop (+ i 1) (+ hits (if (memq 'z mutable) 1 0) (if (memq 'y mutable) 10 0)))))))
(display (mutating 300)) (newline)

(define (mutate-quoted n)
  (let ((l '(p q r)))
    (let loop ((i 0) (hits 0))
      (if (= i n)
          hits
          (begin
            (if (= i 100) (set-car! l 'r))
            (loop (+ i 1) (+ hits (length (memq 'r l)))))))))
(display (mutate-quoted 300)) (newline)

(define long '(0 1 2 3 4 5 6 7 8 9 10 11 12))
(define (far n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (length (or (memv (modulo i 15) long) '())))))))
(display (far 300)) (newline)

;; the last iteration searches `bad`
(define (search-until n bad)
  (let loop ((i 0) (s 0))
    (if (= i n)
        s
        (loop (+ i 1) (+ s (if (memv 'q (if (= i (- n 1)) bad '(a b c))) 1 0))))))
(for-each
 (lambda (bad)
   (display (guard (e ((error-object? e) (list 'error (error-object-message e) (error-object-irritants e))))
              (search-until 300 bad)))
   (newline))
 (list '(a q) '(a b . c) '(a . q) 42))
