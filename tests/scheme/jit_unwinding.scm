;; Recursions that unwind through many returns into their own function:
;; the interpreter counts those returns and the JIT records "ret" root
;; traces there (hawk.jit.jit.Jit.ret). Each case must give the
;; interpreter's result: exits mid-unwind, type changes while returning,
;; two return points in one function, errors and escapes during the unwind.

(define (iota* n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))
(define big (iota* 60))

;; list copy and filter: a cons after every return
(define (copy l) (if (null? l) '() (cons (car l) (copy (cdr l)))))
(define (evens l)
  (cond ((null? l) '())
        ((odd? (car l)) (evens (cdr l)))
        (else (cons (car l) (evens (cdr l))))))
(define (check-copy n)
  (let loop ((k 0) (ok #t))
    (if (= k n) ok (loop (+ k 1) (and ok (equal? (copy big) big))))))
(display (check-copy 12)) (newline)
(display (length (evens big))) (newline)
(display (apply + (evens big))) (newline)

;; sum while returning: fixnums, then a flonum in the middle, then an overflow
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(let loop ((k 0)) (if (< k 10) (begin (sum big) (loop (+ k 1)))))
(display (sum big)) (newline)
(display (sum (append (iota* 30) (list 0.5) (iota* 30)))) (newline)
(display (sum (append (iota* 30) (list (expt 2 61) (expt 2 61)) (iota* 30)))) (newline)

;; two return points in one function (a binary recursion on a list)
(define (weave l)
  (cond ((null? l) '())
        ((null? (cdr l)) (list (car l)))
        ((even? (car l)) (cons (car l) (weave (cdr l))))
        (else (cons (- (car l)) (cons 0 (weave (cdr l)))))))
(let loop ((k 0)) (if (< k 8) (begin (weave big) (loop (+ k 1)))))
(display (length (weave big))) (newline)
(display (list-tail (weave (iota* 20)) 20)) (newline)

;; depth counted on the way back up
(define (depth l) (if (null? l) 0 (+ 1 (depth (cdr l)))))
(let loop ((k 0)) (if (< k 10) (begin (depth big) (loop (+ k 1)))))
(display (depth big)) (newline)

;; an escape from the middle of an unwind, then the unwind again
(define (copy-until l stop k)
  (cond ((null? l) '())
        (else (let ((rest (copy-until (cdr l) stop k)))
                (if (eqv? (car l) stop) (k (length rest)) (cons (car l) rest))))))
(display (call-with-current-continuation (lambda (k) (copy-until big 20 k)))) (newline)
(display (length (call-with-current-continuation (lambda (k) (copy-until big -1 k))))) (newline)

;; an error while returning: (car l) is not a number halfway up
(define mixed (append (iota* 20) (list 'x) (iota* 20)))
(display (call-with-current-continuation
          (lambda (k)
            (with-exception-handler
             (lambda (e) (k (list (quote caught) (error-object-message e) (error-object-irritants e))))
             (lambda () (sum mixed))))))
(newline)
