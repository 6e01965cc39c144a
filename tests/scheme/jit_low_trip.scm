;; Inner loops of a low trip count, which traces go through (unroll)
;; instead of waiting for a trace of their own; dynamic-wind and guard in
;; hot loops (their winders walk is such a loop); fields of a pair the
;; trace made, kept across a set! of a global.

;; an inner loop that runs 0, 1 or 2 times, in a hot loop
(define (steps x) (let loop ((i 0)) (if (< i x) (loop (+ i 1)) i)))
(define (sum-steps n s) (if (= n 0) s (sum-steps (- n 1) (+ s (steps (modulo n 3))))))
(display (sum-steps 500 0)) (newline)

;; the same loop, then once with a long trip count (no longer "low")
(display (steps 1000)) (newline)
(display (sum-steps 200 0)) (newline)

;; a loop that finds its answer at once in most calls (0 passes)
(define (first-big ls) (let loop ((ls ls)) (if (> (car ls) 10) (car ls) (loop (cdr ls)))))
(define (fb n s) (if (= n 0) s (fb (- n 1) (+ s (first-big (if (= 0 (modulo n 50)) '(1 2 30) '(20 1)))))))
(display (fb 1000 0)) (newline)
(display (first-big (append (make-list 3000 1) '(99)))) (newline)

;; a loop that is left through a tail call in its first iteration
(define (first-odd ls)
  (let loop ((ls ls))
    (cond ((null? ls) #f)
          ((odd? (car ls)) (car ls))
          (else (loop (cdr ls))))))
(define (odds n acc)
  (if (= n 0) acc
      (odds (- n 1) (+ acc (or (first-odd (list (* 2 n) (+ n (modulo n 2)) 7)) 0)))))
(display (odds 600 0)) (newline)

;; dynamic-wind in a hot loop: before/after counts, escapes through it
(define before 0)
(define after 0)
(define (wound i)
  (call/cc
   (lambda (k)
     (dynamic-wind
      (lambda () (set! before (+ before 1)))
      (lambda () (if (= 0 (modulo i 5)) (k (- i)) i))
      (lambda () (set! after (+ after 1)))))))
(define (wind-loop n s) (if (= n 0) s (wind-loop (- n 1) (+ s (wound n)))))
(display (wind-loop 700 0)) (display " ") (display before) (display " ") (display after)
(newline)

;; nested dynamic-winds, escapes from two levels in
(define trail '())
(define (nested i)
  (call/cc
   (lambda (k)
     (dynamic-wind
      (lambda () #f)
      (lambda ()
        (dynamic-wind
         (lambda () #f)
         (lambda () (if (odd? i) (k 'out) 'in))
         (lambda () (set! trail (cons i trail)))))
      (lambda () (set! trail (cons (- i) trail)))))))
(define (nest-loop n outs)
  (if (= n 0) outs (nest-loop (- n 1) (if (eq? (nested n) 'out) (+ outs 1) outs))))
(display (nest-loop 300 0)) (display " ") (display (length trail))
(display " ") (display (apply + trail)) (newline)

;; guard in a hot loop: some raise (a vector index out of range, raise of
;; a symbol), most return
(define v (vector 1 2 3 4 5))
(define (safe-ref i) (guard (e (#t -1)) (vector-ref v i)))
(define (guarded n s) (if (= n 0) s (guarded (- n 1) (+ s (safe-ref (modulo n 7))))))
(display (guarded 2000 0)) (newline)
(define (classify i)
  (guard (e ((symbol? e) 100) ((string? e) 1000))
    (cond ((= 0 (modulo i 11)) (raise 'eleven))
          ((= 0 (modulo i 13)) (raise "thirteen"))
          (else i))))
(define (classify-loop n s) (if (= n 0) s (classify-loop (- n 1) (+ s (classify n)))))
(display (classify-loop 1500 0)) (newline)

;; parameterize in a hot loop
(define p (make-parameter 1))
(define (pz n s) (if (= n 0) s (pz (- n 1) (+ s (parameterize ((p n)) (p))))))
(display (pz 400 0)) (display " ") (display (p)) (newline)

;; a closure kept in a pair the trace made, called after a set! of a global
(define g 0)
(define (h i) (let ((pr (cons (lambda (x) (+ x i)) '()))) (set! g i) ((car pr) 1)))
(define (h-loop n s) (if (= n 0) s (h-loop (- n 1) (+ s (h n)))))
(display (h-loop 500 0)) (display " ") (display g) (newline)

;; ... and a set-car! of that pair through another reference takes effect
(define (h2 i)
  (let* ((pr (cons (lambda (x) (+ x i)) '())) (alias pr))
    (set! g i)
    (if (even? i) (set-car! alias (lambda (x) (* x 1000))))
    ((car pr) 1)))
(define (h2-loop n s) (if (= n 0) s (h2-loop (- n 1) (+ s (h2 n)))))
(display (h2-loop 500 0)) (newline)

;; boxes made in the trace (an assigned variable a closure captures)
(define (counter-sum n s)
  (if (= n 0) s
      (let ((c n))
        (let ((inc (lambda () (set! c (+ c 1)) c)))
          (inc) (inc)
          (counter-sum (- n 1) (+ s (inc)))))))
(display (counter-sum 600 0)) (newline)

;; set-car!, set-cdr!, vector-set! called as procedures
(define cells (list (list 0) (list 0) (list 0)))
(define vec (make-vector 7 0))
(define (setters n)
  (if (> n 0)
      (begin (for-each set-car! cells (list n (* 2 n) (* 3 n)))
             (for-each set-cdr! cells (list '() (list n) '()))
             (apply vector-set! (list vec (modulo n 7) (* n n)))
             (setters (- n 1)))))
(setters 400)
(display cells) (display vec) (newline)
