;; Operations traced since the flonum work: quotient/remainder/modulo,
;; zero?/positive?/negative?/even?/odd?, eqv?, type predicates, set-car!/
;; set-cdr!, string-ref/string-length, char<->integer, closure creation,
;; with their guard failures (type changes, division by zero).

(define (divmods n d)
  (let loop ((i (- n)) (acc '()))
    (if (> i n) (reverse acc)
        (loop (+ i 1) (cons (cons (quotient i d) (cons (remainder i d) (modulo i d))) acc)))))
(display (divmods 9 4)) (newline)
(display (divmods 9 -3)) (newline)

(define (signs xs)
  (let loop ((xs xs) (z 0) (p 0) (n 0) (e 0) (o 0))
    (if (null? xs) (list z p n e o)
        (let ((x (car xs)))
          (loop (cdr xs)
                (if (zero? x) (+ z 1) z)
                (if (positive? x) (+ p 1) p)
                (if (negative? x) (+ n 1) n)
                (if (and (exact-integer? x) (even? x)) (+ e 1) e)
                (if (and (exact-integer? x) (odd? x)) (+ o 1) o))))))
(define ints (let loop ((i -20) (acc '())) (if (> i 20) acc (loop (+ i 1) (cons i acc)))))
(display (signs ints)) (newline)
;; the same loop meets flonums after its trace formed on fixnums
(display (signs (append ints (list 0. -0. 1.5 -2.5 (/ 0. 0.)) ints))) (newline)

(define (count-eqv xs y)
  (let loop ((xs xs) (n 0))
    (if (null? xs) n (loop (cdr xs) (if (eqv? (car xs) y) (+ n 1) n)))))
(define mixed (list 1 2.5 'a #\a 2.5 "s" 1 -0. 0. 1 'a 2.5 (/ 0. 0.)))
(define mixed3 (append mixed mixed mixed mixed))
(display (map (lambda (y) (count-eqv mixed3 y)) (list 1 2.5 'a #\a 0. -0. 7))) (newline)

(define (types xs)
  (let loop ((xs xs) (acc '()))
    (if (null? xs) (reverse acc)
        (let ((x (car xs)))
          (loop (cdr xs)
                (cons (+ (if (number? x) 1 0) (if (symbol? x) 2 0) (if (string? x) 4 0)
                         (if (vector? x) 8 0) (if (char? x) 16 0) (if (procedure? x) 32 0)
                         (if (boolean? x) 64 0) (if (real? x) 128 0))
                      acc))))))
(define things (list 1 'b "str" (vector 1) #\z car #t #f '() 2.5 (expt 10 30) 1/3 (cons 1 2)))
(display (types (append things things things things))) (newline)

(define (bump-all! xs)
  (let loop ((p xs))
    (if (pair? p)
        (begin (set-car! p (+ (car p) 1))
               (if (pair? (cdr p)) (set-cdr! p (cdr p)))
               (loop (cdr p)))))
  xs)
(display (bump-all! (list 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20))) (newline)

(define (string-sum s)
  (let loop ((i 0) (acc 0))
    (if (= i (string-length s)) acc
        (loop (+ i 1) (+ acc (char->integer (string-ref s i)))))))
(display (string-sum "hello, world: a string long enough to get hot")) (newline)
(display (string-sum "λx. ünïcödé ★ code points")) (newline)

(define (shift-chars s k)
  (let loop ((i 0) (acc '()))
    (if (= i (string-length s)) (list->string (reverse acc))
        (loop (+ i 1) (cons (integer->char (+ k (char->integer (string-ref s i)))) acc)))))
(display (shift-chars "HAL is a computer from a film" 1)) (newline)

(define (adders n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc
        (loop (+ i 1) (cons (lambda (x) (+ x i)) acc)))))
(display (map (lambda (f) (f 100)) (adders 30))) (newline)

;; division by zero inside a trace: the interpreter's error and location
(define (div-down n)
  (let loop ((i n) (acc 0))
    (if (< i -3) acc
        (loop (- i 1) (+ acc (quotient 100 i))))))
(display (guard (e (#t (list (error-object-message e) (error-object-irritants e)))) (div-down 30))) (newline)
