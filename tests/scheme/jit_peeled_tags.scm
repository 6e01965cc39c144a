;; A peeled loop (hawk.jit.loopopt) walking a list: the body's (cdr l)
;; is checked to be a pair only by the next iteration. Its copy once
;; took that tag as its own, and a side trace from a later guard of the
;; body trusted it: (cdr next) of '() read a word of the VM's state
;; instead of raising "cdr: not a pair" with irritant ().

(define (f l)
  (let loop ((l l) (n 0))
    (if (null? l)
        n
        (let ((next (cdr l)))
          (if (odd? (car l))
              (loop next (+ n 1))
              (loop (cdr next) (+ n 10)))))))

(define (try l)
  (guard (e ((error-object? e)
             (list 'error (error-object-message e) (error-object-irritants e))))
    (f l)))

;; mostly odd elements, an even one every 7th, and for some lists last
(define (make k even-last)
  (let mk ((i k) (acc (if even-last '(2) '(1))))
    (if (= i 0) acc (mk (- i 1) (cons (if (= 0 (modulo i 7)) 2 1) acc)))))

(define lists (vector (make 40 #f) (make 41 #f) (make 40 #t) (make 50 #f) (make 45 #t)))

(define (tally rounds)
  (let rep ((i 0) (acc '()))
    (if (= i rounds)
        (reverse acc)
        (rep (+ i 1) (if (< i 10) (cons (try (vector-ref lists (modulo i 5))) acc) acc)))))
(display (tally 80)) (newline)

;; the same walk counting pairs: the body's cdr stays untyped
(define (count l)
  (let loop ((l l) (n 0)) (if (null? l) n (loop (cdr l) (+ n 1)))))
(display (let rep ((i 0) (s 0)) (if (= i 40) s (rep (+ i 1) (+ s (count (vector-ref lists (modulo i 5))))))))
(newline)
