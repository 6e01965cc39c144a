;; primes: the sieve of Eratosthenes on lists; builds the list 2..n and
;; repeatedly filters out multiples, allocating a fresh list each pass.
;; Input: count, n, expected (number-of-primes largest-prime).

(define (interval lo hi)
  (let loop ((k hi) (acc '()))
    (if (< k lo) acc (loop (- k 1) (cons k acc)))))

(define (drop-multiples p lst)
  (cond ((null? lst) '())
        ((= 0 (remainder (car lst) p)) (drop-multiples p (cdr lst)))
        (else (cons (car lst) (drop-multiples p (cdr lst))))))

(define (sieve lst)
  (if (null? lst)
      '()
      (cons (car lst) (sieve (drop-multiples (car lst) (cdr lst))))))

(define (primes n)
  (let ((ps (sieve (interval 2 n))))
    (list (length ps) (let last ((l ps)) (if (null? (cdr l)) (car l) (last (cdr l)))))))

(run-with-input "primes" primes)
