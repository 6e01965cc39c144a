; The blocks engine calls generated functions inside one another and keeps
; frame slots in Python locals across calls (hawk/vm/forward.py): these are
; the events that must make it drop those locals.

; A continuation thrown from inside a nested call returns into the frame of
; an earlier iteration: the restored slots (i = 0), not the current ones.
(define k #f)
(define thrown #f)
(define (probe i)
  (cond ((not k) (call/cc (lambda (c) (set! k c) i)))
        ((and (= i 2) (not thrown)) (set! thrown #t) (k 100))
        (else i)))
(define (walk i acc)
  (if (= i 4)
      (reverse acc)
      (let ((r (probe i)))
        (walk (+ i 1) (cons (list i r) acc)))))
(display (walk 0 '()))
(newline)

; Collections while pointers sit in the slots of every nested caller.
(define (build n)
  (if (= n 0)
      '()
      (let ((x (list n (* 2 n))))
        (let ((rest (build (- n 1))))
          (cons (+ (car x) (cadr x)) rest)))))
(define (sum l acc) (if (null? l) acc (sum (cdr l) (+ acc (car l)))))
(display (sum (build 3000) 0))
(newline)

; Deeper than the nesting limit, with tail calls and returns mixed in.
(define (depth n) (if (= n 0) 0 (+ 1 (hop (- n 1)))))
(define (hop n) (depth n))
(display (depth 5000))
(newline)
