;; `case` (compiled to eqv? tests, hawk.frontend.expander) and reverse /
;; append (inline list copies in traces, IR REVAPP/APPEND) in hot loops:
;; every clause kind, datums of many types, lists of many lengths,
;; improper lists and non-lists that make reverse/append raise mid-loop.

(define (classify x)
  (case x
    ((a e i o u) 'vowel)
    ((#\a #\b) 'char)
    ((1 2 3) 'small)
    ((2.5 -0.0) 'flonum)
    ((#t) 'true)
    ((#f) 'false)
    ((()) 'empty)
    (("str") 'string)              ; eqv? of strings: never true
    ((12345678901234567890) 'big)  ; eqv? of equal bignums: true
    (() 'never)                    ; no datums: never taken
    ((x) => (lambda (k) (list 'arrow k)))
    (else 'other)))

(define (classify-else x)
  (case (* x 2)
    ((0 2 4) 'low)
    (else => (lambda (k) (+ k 1)))))

(define (no-else x)
  (case x ((1) 'one) ((2 3) 'two-or-three)))

(define inputs
  (vector 'a 'u 'z #\a #\b #\c 1 2 3 4 2.5 -0.0 0.0 #t #f '() "str"
          12345678901234567890 'x (list 1) 3.5))

(define (count-classes n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (cons (classify (vector-ref inputs (modulo i (vector-length inputs)))) acc)))))
(display (count-classes 63)) (newline)

(define (sum-else n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (let ((r (classify-else (modulo i 5)))) (if (number? r) r 100)))))))
(display (sum-else 200)) (newline)

(define (count-no-else n)
  (let loop ((i 0) (ones 0) (others 0) (unspec 0))
    (if (= i n) (list ones others unspec)
        (let ((r (no-else (modulo i 4))))
          (cond ((eq? r 'one) (loop (+ i 1) (+ ones 1) others unspec))
                ((eq? r 'two-or-three) (loop (+ i 1) ones (+ others 1) unspec))
                (else (loop (+ i 1) ones others (+ unspec 1))))))))
(display (count-no-else 100)) (newline)

;; reverse and append over lists whose length changes every iteration
(define (iota-list n)
  (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))

(define (shuffle n)
  (let loop ((i 0) (acc '()) (total 0))
    (if (= i n)
        (list total (length acc) (list-tail acc (- (length acc) 5)))
        (let* ((xs (iota-list (modulo i 9)))
               (r (reverse xs))
               (a (append xs r))
               (b (append '() xs '() (list i) r))
               (c (append r 'tail)))
          (loop (+ i 1)
                (if (< (length acc) 40) (append (reverse b) acc) (list (length a) (list-tail c (length r))))
                (+ total (length a) (length b) (apply + r) (if (pair? c) (car c) 0)))))))
(display (shuffle 300)) (newline)
(display (append)) (display (append 'x)) (display (append '(1) 2)) (newline)

;; every rotation of a list, tagged by its first element: case on
;; symbols, reverse and append of lists the loop has just built
(define (rotations xs)
  (let loop ((before '()) (after xs) (acc '()))
    (if (null? after)
        (reverse acc)
        (loop (cons (car after) before) (cdr after)
              (cons (let ((r (append after (reverse before))))
                      (case (car r) ((a e) (cons 'vowel r)) ((b c d) => (lambda (k) (cons k r))) (else r)))
                    acc)))))
(define (rotate-many n)
  (let loop ((i 0) (total 0) (last #f))
    (if (= i n) (list total last)
        (let ((rs (rotations (list-tail '(a b c d e f g) (modulo i 7)))))
          (loop (+ i 1) (+ total (length rs)) rs)))))
(display (rotate-many 100)) (newline)

;; errors raised inside traces: the interpreter's message and irritants
(define (message e)
  (if (error-object? e) (cons (error-object-message e) (error-object-irritants e)) e))
(define data (make-vector 30 '(1 2 3)))
(vector-set! data 20 '(1 2 . 3))
(vector-set! data 25 7)
(define (errors op n)
  (let loop ((i 0) (ok 0) (errs '()))
    (if (= i n) (list ok (reverse errs))
        (let ((r (guard (e (#t (list 'error (message e)))) (op (vector-ref data i)))))
          (if (and (pair? r) (eq? (car r) 'error))
              (loop (+ i 1) ok (cons (list i (cadr r)) errs))
              (loop (+ i 1) (+ ok (length r)) errs))))))
(display (errors reverse 30)) (newline)
(display (errors (lambda (x) (append x '(4))) 30)) (newline)
(display (errors (lambda (x) (append '(0) x x)) 30)) (newline)
(display (errors (lambda (x) (case (car x) ((1) (reverse x)) (else '()))) 30)) (newline)
