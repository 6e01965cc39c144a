;; Frames suspended at a call while the collector runs: the slots they never
;; read again are cleared (hawk.vm.liveness), every slot they do read must
;; survive. Under GC stress every safepoint of these deep recursions clears.

;; the sieve: each frame passes its list on and keeps only its car
(define (drop-multiples p lst)
  (cond ((null? lst) '())
        ((= 0 (remainder (car lst) p)) (drop-multiples p (cdr lst)))
        (else (cons (car lst) (drop-multiples p (cdr lst))))))
(define (sieve lst)
  (if (null? lst) '() (cons (car lst) (sieve (drop-multiples (car lst) (cdr lst))))))
(define (interval lo hi) (if (> lo hi) '() (cons lo (interval (+ lo 1) hi))))
(define ps (sieve (interval 2 200)))
(display (list (length ps) (list-ref ps 45))) (newline)

;; a value read only after the call, and one read on a later loop iteration
(define (sum-after lst)
  (let loop ((l lst) (acc '()))
    (if (null? l)
        acc
        (let ((x (car l)) (keep (list 'kept (car l))))
          (loop (cdr l) (cons (cons (length (interval 1 x)) keep) acc))))))
(display (sum-after '(3 1 2))) (newline)

;; a value used on both sides of a deep non-tail call
(define (around n tag)
  (if (= n 0) (list tag) (cons tag (around (- n 1) (string-append tag "")))))
(display (length (around 300 "t"))) (newline)

;; rest arguments and apply: the rest list is read after the call
(define (rest-sum . xs)
  (if (null? xs) 0 (+ (car xs) (apply rest-sum (cdr xs)) (length xs))))
(display (rest-sum 1 2 3 4 5)) (newline)

;; case-lambda clauses as suspended frames
(define count-down
  (case-lambda
    ((n) (count-down n '()))
    ((n acc) (if (= n 0) acc (cons (vector n) (count-down (- n 1) acc))))))
(display (length (count-down 200))) (newline)

;; multiple values across a deep recursion
(define (split lst)
  (if (null? lst)
      (values '() '())
      (call-with-values (lambda () (split (cdr lst)))
        (lambda (evens odds)
          (if (even? (car lst))
              (values (cons (car lst) evens) odds)
              (values evens (cons (car lst) odds)))))))
(call-with-values (lambda () (split (interval 1 150)))
  (lambda (e o) (display (list (length e) (length o) (car e) (car o))) (newline)))

;; a continuation captured deep in a recursion and re-entered
(define saved #f)
(define entries 0)
(define (deep n)
  (if (= n 0)
      (call/cc (lambda (k) (set! saved k) 0))
      (let ((here (list n)))
        (+ (car here) (deep (- n 1))))))
(define total (deep 100))
(set! entries (+ entries 1))
(display (list total entries)) (newline)
(if (< entries 3) (saved (* entries 1000)))

;; dynamic-wind and an error raised deep down, handled at the top
(define log '())
(define (fail-deep n)
  (if (= n 0)
      (car n)
      (let ((mark (list n)))
        (cons (car mark) (fail-deep (- n 1))))))
(display
 (call/cc
  (lambda (k)
    (with-exception-handler
     (lambda (e) (k (list 'caught (error-object-message e))))
     (lambda ()
       (dynamic-wind
        (lambda () (set! log (cons 'in log)))
        (lambda () (fail-deep 100))
        (lambda () (set! log (cons 'out log)))))))))
(newline)
(display log) (newline)
