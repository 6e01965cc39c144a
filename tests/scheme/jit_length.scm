;; length (an inline list walk in traces, IR LENGTH) in hot loops: lists
;; of every length up to 40, a length taken again in the same iteration
;; after set-cdr! shortened the list, and improper and circular lists (odd
;; and even cycles) that make length raise at the end of a hot loop.

(define (iota-list n)
  (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))

(define lists
  (let loop ((i 0) (acc '()))
    (if (= i 41) (list->vector (reverse acc)) (loop (+ i 1) (cons (iota-list i) acc)))))

(define (sum-lengths n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (length (vector-ref lists (modulo i 41))))))))
(display (sum-lengths 500)) (newline)

(define (shorten n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (let* ((l (list 1 2 3 4 5 (modulo i 3)))
               (before (length l)))
          (set-cdr! (list-tail l (modulo i 4)) '())
          (loop (+ i 1) (if (< i 8) (cons (list before (length l)) acc) acc))))))
(display (shorten 200)) (newline)

(define even-cycle (list 1 2 3 4))
(set-cdr! (cdddr even-cycle) even-cycle)
(define odd-cycle (list 1 2 3))
(set-cdr! (cddr odd-cycle) odd-cycle)
(define self-cycle (list 'x))
(set-cdr! self-cycle self-cycle)

;; the last iteration takes the length of `bad`
(define (walk-until n bad)
  (let loop ((i 0) (s 0))
    (if (= i n)
        s
        (loop (+ i 1) (+ s (length (if (= i (- n 1)) bad (vector-ref lists (modulo i 7)))))))))

(for-each
 (lambda (bad)
   (display (guard (e ((error-object? e) (list 'error (error-object-message e))))
              (walk-until 300 bad)))
   (newline))
 (list '(1 2 3) '() '(1 2 . 3) even-cycle odd-cycle self-cycle 42))
