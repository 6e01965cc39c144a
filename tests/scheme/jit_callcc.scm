;; call/cc in hot loops, traced: an escape from a helper on some calls and
;; not others, %call/cc reached directly and through call/cc's winders
;; wrapper, a throw through several inlined frames, a throw from inside
;; dynamic-wind (the after thunk runs), guard around a call that raises on
;; some iterations, a continuation kept and re-entered after its frame
;; returned (a generator: the stack changed, the interpreter throws),
;; a throw of several values, a continuation called with apply, and an
;; error after a throw at the end of a hot loop.

(define (gen n) (call/cc (lambda (k) (if (> n 5) (k n) (+ n 1)))))
(define (sum-gen n r) (if (= n 0) r (sum-gen (- n 1) (+ r (gen (modulo n 10))))))
(display (sum-gen 3000 0)) (newline)

(define (gen2 n) (%call/cc (lambda (k) (if (odd? n) (k (* n 2)) n))))
(let loop ((i 0) (s 0))
  (if (< i 3000) (loop (+ i 1) (+ s (gen2 i)))
      (begin (display s) (newline))))

;; the escape passes through three inlined frames
(define (find-first pred l)
  (call/cc
   (lambda (return)
     (define (walk l) (if (pair? l) (begin (if (pred (car l)) (return (car l))) (walk (cdr l))) #f))
     (walk l))))
(define data '(1 3 5 8 9 10 12))
(let loop ((i 0) (acc 0))
  (if (< i 2000)
      (loop (+ i 1) (+ acc (or (find-first (lambda (x) (> x (modulo i 13))) data) 100)))
      (begin (display acc) (newline))))

;; a throw out of dynamic-wind runs the after thunk
(define unwound 0)
(define (guarded n)
  (call/cc (lambda (k)
             (dynamic-wind (lambda () #f)
                           (lambda () (if (even? n) (k 'even) 'odd))
                           (lambda () (set! unwound (+ unwound 1)))))))
(let loop ((i 0) (evens 0))
  (if (< i 1000)
      (loop (+ i 1) (if (eq? (guarded i) 'even) (+ evens 1) evens))
      (begin (display (list evens unwound)) (newline))))

;; guard with errors on some iterations
(define v (vector 1 2 3 4 5))
(define (safe-ref i) (guard (e (#t -1)) (vector-ref v i)))
(let loop ((n 0) (s 0))
  (if (< n 1500) (loop (+ n 1) (+ s (safe-ref (modulo n 7))))
      (begin (display s) (newline))))
(define (safe-div a b)
  (guard (e ((error-object? e) (error-object-message e)) ((symbol? e) e))
    (if (= b 3) (raise 'three) (quotient a b))))
(let loop ((i 0) (acc '()))
  (if (< i 600) (loop (+ i 1) (if (< i 595) acc (cons (safe-div 100 (modulo i 5)) acc)))
      (begin (write acc) (newline))))

;; a generator: each element's continuation is re-entered after the
;; frame that captured it returned (the stack changed: the interpreter throws)
(define (make-gen lst)
  (define return #f)
  (define resume #f)
  (lambda ()
    (call/cc
     (lambda (r)
       (set! return r)
       (if resume
           (resume #f)
           (begin
             (for-each (lambda (x) (call/cc (lambda (k) (set! resume k) (return x)))) lst)
             (return 'done)))))))
(let outer ((j 0) (total 0))
  (if (< j 40)
      (let ((g (make-gen '(1 2 3 4 5))))
        (let loop ((s 0))
          (let ((x (g)))
            (if (eq? x 'done) (outer (+ j 1) (+ total s)) (loop (+ s x))))))
      (begin (display total) (newline))))

;; several values, and apply of a continuation
(let loop ((i 0) (s 0))
  (if (< i 1000)
      (call-with-values (lambda () (call/cc (lambda (k) (if (even? i) (k i 1) (values i 2)))))
        (lambda (a b) (loop (+ i 1) (+ s a b))))
      (begin (display s) (newline))))
(let loop ((i 0) (s 0))
  (if (< i 1000) (loop (+ i 1) (+ s (call/cc (lambda (k) (apply k (list i))))))
      (begin (display s) (newline))))

;; an error after a throw, at the end of a hot loop
(define (last-escape n) (call/cc (lambda (k) (k (if (< n 1990) n 'oops)))))
(display
 (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
   (let loop ((i 0) (s 0))
     (if (< i 2000) (loop (+ i 1) (+ s (last-escape i))) s))))
(newline)
