;; Vectors made inside traces (make-vector and vector are inline bump
;; allocations, NEWVEC): lengths that vary per iteration, including 0, fills
;; that are immediates, registers and heap constants, vectors bigger than
;; the inline limit (a call-out), and make-vector's errors after a trace.
(define (sizes n acc)
  (if (= n 0) acc
      (sizes (- n 1) (+ acc (vector-length (make-vector (modulo n 7) 0))
                        (vector-ref (vector n 1 2) 0)))))
(write (sizes 80 0)) (newline)

(define (fills n acc)
  (if (= n 0) acc
      (let ((v (make-vector (modulo n 5) (list n))))
        (fills (- n 1) (if (> (vector-length v) 0)
                           (+ acc (car (vector-ref v (- (vector-length v) 1))))
                           acc)))))
(write (fills 80 0)) (newline)

(define shared '(shared list))
(define (consts n acc)
  (if (= n 0) acc
      (let ((v (make-vector 4 shared)) (w (make-vector 2 123456789012)) (u (make-vector 2)))
        (vector-set! v 1 n)
        (consts (- n 1) (if (and (eq? (vector-ref v 3) shared) (eq? (vector-ref u 0) #f))
                            (+ acc (vector-ref v 1) (- (vector-ref w 1) 123456789011))
                            'wrong)))))
(write (consts 80 0)) (newline)

(define (big n acc)
  (if (= n 0) acc
      (big (- n 1) (+ acc (vector-length (make-vector (if (= (modulo n 40) 0) 5000 (modulo n 3)) n))))))
(write (big 80 0)) (newline)

(define (collect n acc)
  (if (= n 0) (vector-length (list->vector acc))
      (collect (- n 1) (cons (vector n (make-vector 2 n) (vector)) acc))))
(write (collect 80 '())) (newline)

(define (bad k)
  (if (= k 0) (make-vector -1 0) (begin (make-vector (modulo k 3)) (bad (- k 1)))))
(write (call-with-current-continuation
        (lambda (k)
          (with-exception-handler
           (lambda (e) (k (list 'error (error-object-message e))))
           (lambda () (bad 30))))))
(newline)
