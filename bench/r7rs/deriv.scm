;; deriv: symbolic differentiation with respect to x of an expression tree
;; of +, - and * of any arity and binary /, repeated; heavy
;; on cons, symbols and list traversal. The result is not simplified.
;; Input: count, expression, expected derivative.

(define (deriv e)
  (cond ((number? e) 0)
        ((symbol? e) (if (eq? e 'x) 1 0))
        (else
         (let ((op (car e)) (args (cdr e)))
           (case op
             ((+ -) (cons op (map deriv args)))
             ((*) (cons '+ (let loop ((before '()) (after args) (terms '()))
                             ;; one term per factor: that factor differentiated
                             (if (null? after)
                                 (reverse terms)
                                 (loop (cons (car after) before) (cdr after)
                                       (cons (cons '* (append (reverse before)
                                                              (cons (deriv (car after)) (cdr after))))
                                             terms))))))
             ((/) (let ((num (car args)) (den (cadr args)))
                    (list '/ (list '- (list '* (deriv num) den) (list '* num (deriv den)))
                          (list '* den den))))
             (else (error "deriv: unknown operator" op)))))))

(run-with-input "deriv" deriv)
