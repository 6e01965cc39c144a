;; nqueens: count the placements of n non-attacking queens by building and
;; filtering candidate lists. Input: count, n, expected number of solutions.

(define (nqueens n)
  (define (range lo hi)
    (if (> lo hi) '() (cons lo (range (+ lo 1) hi))))
  (define (safe? col placed)
    ;; PLACED holds the columns of the previous rows, nearest row first.
    (let loop ((rest placed) (dist 1))
      (cond ((null? rest) #t)
            ((let ((c (car rest)))
               (or (= c col) (= (abs (- c col)) dist)))
             #f)
            (else (loop (cdr rest) (+ dist 1))))))
  (define (place row placed)
    (if (> row n)
        1
        (let loop ((cols (range 1 n)) (total 0))
          (cond ((null? cols) total)
                ((safe? (car cols) placed)
                 (loop (cdr cols) (+ total (place (+ row 1) (cons (car cols) placed)))))
                (else (loop (cdr cols) total))))))
  (place 1 '()))

(run-with-input "nqueens" nqueens)
