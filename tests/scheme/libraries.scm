(import (scheme base) (scheme write)
        (rename (lib stack) (items stack->list))
        (prefix (except (lib counter) reset!) counter-)
        (only (srfi 8) receive))

(define s (make-stack))
(define result 'program-result)      ; with-pushed's own `result` must not see this
(define (count) 'program-count)      ; (lib counter) has a `count` of its own

(push! s 1)
(push! s 2)
(display (stack->list s)) (newline)
(display (with-pushed s 3 (list result (stack->list s)))) (newline)
(display (stack-size s)) (newline)
(display implementation) (newline)
(counter-next!)
(display (list (counter-next!) (counter-count) (count))) (newline)
(display (let ((push! 'shadowed) (pop! 'shadowed))
           (with-pushed s 'x (stack-size s))))
(newline)
(receive (a . rest) (values 1 2 3)
  (display (list a rest)))
(newline)
(display (pop! s)) (newline)
