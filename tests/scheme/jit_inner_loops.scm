;; loops inside loops: inner loops in called functions, inner self tail calls,
;; an inner loop that is never traced (string-set!), a loop inside a named let
(define (inner v)
  (let loop ((j 0) (s 0))
    (if (= j (vector-length v)) s (loop (+ j 1) (+ s (vector-ref v j))))))
(define (outer n v)
  (let loop ((i 0) (t 0))
    (if (= i n) t (loop (+ i 1) (+ t (inner v) i)))))
(display (outer 200 (make-vector 10 1))) (newline)
(define (nested n)
  (let outer ((i 0) (acc 0))
    (if (= i n) acc
        (outer (+ i 1) (let inner ((j 0) (acc acc)) (if (= j 10) acc (inner (+ j 1) (+ acc j))))))))
(display (nested 200)) (newline)
(define (len l acc) (if (null? l) acc (len (cdr l) (+ acc 1))))
(define (f n l) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (len l 0))))))
(display (f 200 '(1 2 3 4 5 6 7 8 9 10))) (newline)
(define s (make-string 10 #\a))
(define (fill! c) (let loop ((j 0)) (if (< j 10) (begin (string-set! s j c) (loop (+ j 1))))))
(define (f n)
  (let loop ((i 0) (t 0))
    (if (= i n) t
        (loop (+ i 1) (if (< i 60) (+ t i) (begin (fill! (integer->char (+ 97 (modulo i 26)))) (- t 1)))))))
(display (f 200)) (display s) (newline)
