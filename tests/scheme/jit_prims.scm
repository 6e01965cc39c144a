;; Primitives written in Python called from traces (hawk.jit.callout):
;; list searches, append/reverse on lists the loop has just built, numbers,
;; chars and strings, procedure values bound to primitives, a primitive
;; in tail position, and type changes that make a call-out raise a
;; handled error mid-loop.

(define (lists n)
  (let loop ((i 0) (acc '()) (hits 0))
    (if (= i n)
        (list hits (length acc) (list-tail acc (- (length acc) 4)))
        (loop (+ i 1)
              (append (reverse (list i (cons i i))) (if (memv (modulo i 7) '(0 3)) '() acc))
              (+ hits (length (or (memq 'c (list 'a 'b 'c 'd)) '()))
                 (if (assv (modulo i 4) '((1 . one) (2 . two))) 1 0)
                 (if (equal? (list (modulo i 3)) (quote (2))) 10 0))))))
(display (lists 300)) (newline)

(define (numbers n)
  (let loop ((i 0) (s 0) (m 0) (f 0.))
    (if (= i n)
        (list s m f (number->string s 16))
        (loop (+ i 1)
              (+ s (abs (- 100 i)) (gcd i 12) (expt 2 (modulo i 5)))
              (max m (min (* i 3) 500))
              (+ f (sqrt (* i 1.)) (exact->inexact (abs (- i 50))))))))
(display (numbers 400)) (newline)

(define (chars-and-strings n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (list->string (reverse acc))
        (let ((c (integer->char (+ 97 (modulo i 26)))))
          (loop (+ i 1)
                (cons (if (char<? c #\m) (char-upcase c) c) acc))))))
(display (chars-and-strings 60)) (newline)

;; procedure values that are primitives; one in tail position (CALLT)
(define ops (vector car cdr length reverse))
(define (apply-op k x) ((vector-ref ops k) x))
(define (use-ops n)
  (let loop ((i 0) (s 0))
    (if (= i n) s
        (loop (+ i 1) (+ s (apply-op 2 (apply-op 3 (list i i i))) (apply-op 0 (list i)))))))
(display (use-ops 500)) (newline)

;; a call-out that raises inside a trace, handled by the program
(define data (make-vector 200 "ab"))
(vector-set! data 150 42)
(define (symbols n)
  (let loop ((i 0) (ok 0) (bad 0))
    (if (= i n) (list ok bad)
        (let ((r (guard (e (#t 'bad)) (string->symbol (vector-ref data i)))))
          (if (eq? r 'bad)
              (loop (+ i 1) ok (+ bad 1))
              (loop (+ i 1) (+ ok (string-length (symbol->string r))) bad))))))
(display (symbols 200)) (newline)
