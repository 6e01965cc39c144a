; Globals read by procedures that already ran, then redefined or assigned
; by code loaded later (eval): every read must see the new value. (The
; blocks engine caches the value of a global no loaded code assigns; the
; JIT promotes it to a constant.)
(define (f) 1)
(define (g) (+ (f) (f)))
(define (loop n acc) (if (= n 0) acc (loop (- n 1) (+ acc (g)))))
(display (loop 100 0)) (newline)
(eval '(define (f) 20) (interaction-environment))
(display (loop 100 0)) (newline)
(eval '(set! f (lambda () 300)) (interaction-environment))
(display (loop 100 0)) (newline)
(define k 7)
(define (get-k) k)
(display (get-k)) (newline)
(eval '(define k 8) (interaction-environment))
(display (get-k)) (newline)
; a global read before its definition has run: an error, then its value
(define (early) (later))
(display (call/cc (lambda (out)
  (with-exception-handler
    (lambda (e) (out 'unbound))
    (lambda () (early))))))
(newline)
(define (later) 'defined)
(display (early)) (newline)
; a global holding a heap object, read across collections
(define table (list 1 2 3))
(define (sum-table n acc) (if (= n 0) acc (sum-table (- n 1) (+ acc (apply + table) (length (make-list 50 n))))))
(display (sum-table 500 0)) (newline)
; a definition run a second time by re-entering a continuation: the reads
; after it (in hot code too) see the second value
(define reentries 0)
(define again #f)
(define level (call/cc (lambda (k) (set! again k) 1)))
(define (level-sum n acc) (if (= n 0) acc (level-sum (- n 1) (+ acc level))))
(set! reentries (+ reentries 1))
(display (level-sum 200 0)) (newline)
(if (< reentries 3) (again (+ level 1)))
