;; Imports (lib stack) too (it is loaded once) and defines `count`, a name
;; the program also defines.
(define-library (lib counter)
  (export next! count reset!)
  (import (scheme base) (only (lib stack) make-stack push! stack-size))
  (begin
    (define s (make-stack))
    (define (next!) (push! s 'tick) (count))
    (define (count) (stack-size s))
    (define (reset!) (set! s (make-stack)))))
