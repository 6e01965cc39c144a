;; string-ref and memv of chars, number->string and string-append, string->symbol
(define (count-vowels s)
  (let loop ((i 0) (n 0))
    (if (= i (string-length s)) n
        (loop (+ i 1) (if (memv (string-ref s i) '(#\a #\e #\i #\o #\u)) (+ n 1) n)))))
(define (build k) (let loop ((i 0) (acc '())) (if (= i k) (apply string-append acc) (loop (+ i 1) (cons (number->string i) acc)))))
(define (go n r) (if (= n 0) r (go (- n 1) (+ r (count-vowels "the quick brown fox jumps over the lazy dog again and again") (string-length (build 50))))))
(display (go 3000 0)) (newline)
(define (rev s) (list->string (reverse (string->list s))))
(define (go2 n r) (if (= n 0) r (go2 (- n 1) (rev r))))
(display (go2 10001 "hello world")) (newline)
(define (syms n acc) (if (= n 0) (length acc) (syms (- n 1) (cons (string->symbol (string-append "s" (number->string (modulo n 50)))) acc))))
(display (syms 20000 '())) (newline)
