;; Char comparisons inside hot loops (traced inline, not called out):
;; two and more arguments, every outcome, and a non-char after a comparison
;; that already failed (the primitive checks all its arguments).
(define (classify c)
  (cond ((char<=? #\a c #\z) 'lower)
        ((char<=? #\A c #\Z) 'upper)
        ((char=? c #\space) 'space)
        ((char>? c #\~) 'high)
        ((char>=? #\9 c #\0) 'digit)
        ((char<? c #\0) 'punct)
        (else 'other)))

(define (tally s)
  (let loop ((i 0) (acc '()))
    (if (= i (string-length s))
        acc
        (let* ((k (classify (string-ref s i))) (p (assq k acc)))
          (if p
              (begin (set-cdr! p (+ (cdr p) 1)) (loop (+ i 1) acc))
              (loop (+ i 1) (cons (cons k 1) acc)))))))

(define text "Hello, World! 42 times: \x3bb;x.y ~ {Z} abc")
(define (repeat n)
  (let loop ((k 0) (last #f))
    (if (= k n) last (loop (+ k 1) (tally text)))))
(write (repeat 20)) (newline)

(define (sorted? s)
  (let loop ((i 1) (n 0))
    (if (>= i (string-length s)) n
        (loop (+ i 1) (if (char<? (string-ref s (- i 1)) (string-ref s i)) (+ n 1) n)))))
(define (sum-sorted k acc) (if (= k 0) acc (sum-sorted (- k 1) (+ acc (sorted? "abcbdefa")))))
(write (sum-sorted 60 0)) (newline)

(define (check x) (char<? #\b #\a x))
(define (try k)
  (if (= k 0)
      (check 5)
      (begin (check #\c) (try (- k 1)))))
(write (call-with-current-continuation
        (lambda (k)
          (with-exception-handler
           (lambda (e) (k (list 'error (error-object-message e))))
           (lambda () (try 40))))))
(newline)
