;;; The Scheme side of the runtime: procedures whose logic is easiest and
;;; clearest in Scheme, mostly because they call back into user code
;;; (the interpreter is never re-entered from Python). Compiled once and
;;; loaded from the bytecode cache afterwards (see hawk/driver.py).

;;; ---- dynamic-wind and continuations --------------------------------------
(define %winders '())

(define (dynamic-wind before thunk after)
  (before)
  (set! %winders (cons (cons before after) %winders))
  (let ((result (thunk)))
    (set! %winders (cdr %winders))
    (after)
    result))

(define (%common-tail x y)
  (let ((lx (length x)) (ly (length y)))
    (let loop ((x (if (> lx ly) (list-tail x (- lx ly)) x))
               (y (if (> ly lx) (list-tail y (- ly lx)) y)))
      (if (eq? x y) x (loop (cdr x) (cdr y))))))

(define (%do-winds from to)
  (let ((tail (%common-tail from to)))
    (let unwind ((ls from))
      (if (not (eq? ls tail))
          (begin (set! %winders (cdr ls))
                 ((cdr (car ls)))
                 (unwind (cdr ls)))))
    (let rewind ((ls to))
      (if (not (eq? ls tail))
          (begin (rewind (cdr ls))
                 ((car (car ls)))
                 (set! %winders ls))))))

(define (call-with-current-continuation f)
  (%call/cc
   (lambda (k)
     (let ((saved %winders))
       (f (lambda args
            (if (not (eq? %winders saved)) (%do-winds %winders saved))
            (apply k args)))))))

(define call/cc call-with-current-continuation)

;;; ---- multiple values ---------------------------------------------------------
(define (call-with-values producer consumer)
  (let ((v (producer)))
    (if (%values? v) (apply consumer (%values->list v)) (consumer v))))

;;; ---- exceptions ---------------------------------------------------------------
(define %handlers '())

(define (%with-handlers handlers thunk)
  (let ((old %handlers))
    (dynamic-wind (lambda () (set! %handlers handlers))
                  thunk
                  (lambda () (set! %handlers old)))))

(define (with-exception-handler handler thunk)
  (if (not (procedure? handler))        ; else the error would come at the next raise
      (error "with-exception-handler: not a procedure" handler))
  (%with-handlers (cons handler %handlers) thunk))

(define (raise-continuable obj)
  (let ((handlers %handlers))
    (if (null? handlers)
        (%raise-uncaught obj)
        (%with-handlers (cdr handlers) (lambda () ((car handlers) obj))))))

(define (raise obj)
  (let ((handlers %handlers))
    (if (null? handlers)
        (%raise-uncaught obj)
        (%with-handlers (cdr handlers)
                        (lambda ()
                          ((car handlers) obj)
                          (raise (%make-error 'error "handler returned from non-continuable raise"
                                              (list obj))))))))

(define (error message . irritants)
  (raise (%make-error 'error message irritants)))

(define %primitive-exit exit)
(define (exit . code)
  (%do-winds %winders '())
  (apply %primitive-exit code))

;;; ---- parameters -------------------------------------------------------------------
(define %param-key (list 'parameter))

;; A parameter is a procedure over a cell (a pair whose car is the value):
;; () reads it, (v) sets it, and %parameterize asks for the cell with
;; %param-key and for converted values with (%param-key v).
(define (%cell-parameter cell convert)
  (lambda args
    (cond ((null? args) (car cell))
          ((not (eq? (car args) %param-key)) (set-car! cell (convert (car args))))
          ((null? (cdr args)) cell)
          (else (convert (car (cdr args)))))))

(define make-parameter             ; case-lambda: a third argument is an arity error
  (case-lambda
    ((value) (%cell-parameter (list value) (lambda (x) x)))
    ((value convert) (%cell-parameter (list (convert value)) convert))))

(define (%parameterize params values body)
  (let ((cells (map (lambda (p) (p %param-key)) params))
        (new (map (lambda (p v) (p %param-key v)) params values))
        (old '()))
    (dynamic-wind
     (lambda () (set! old (map car cells)) (for-each set-car! cells new))
     body
     (lambda () (set! new (map car cells)) (for-each set-car! cells old)))))

;;; ---- current ports and procedures that own a port ----------------------------------
;; The current-port parameters' cells are known to the I/O primitives too
;; (see hawk/vm/prims/io.py), so `display` reads the current port directly.
(define (%port-parameter k valid? message)
  (%cell-parameter (%current-port-cell k)
                   (lambda (port) (if (valid? port) port (error message port)))))

(define current-input-port
  (%port-parameter 0 input-port? "current-input-port: not an input port"))
(define current-output-port
  (%port-parameter 1 output-port? "current-output-port: not an output port"))
(define current-error-port
  (%port-parameter 2 output-port? "current-error-port: not an output port"))

;; R7RS: the port is closed when proc returns, not when it escapes.
(define (call-with-port port proc)
  (if (not (port? port)) (error "call-with-port: not a port" port))
  (let ((result (proc port)))
    (close-port port)
    result))

(define (call-with-input-file file proc) (call-with-port (open-input-file file) proc))
(define (call-with-output-file file proc) (call-with-port (open-output-file file) proc))

(define (%with-file open parameter file thunk)
  (call-with-port (open file)
                  (lambda (port) (%parameterize (list parameter) (list port) thunk))))

;; defined, not made by %with-file, so that their arity errors name them
(define (with-input-from-file file thunk)
  (%with-file open-input-file current-input-port file thunk))
(define (with-output-to-file file thunk)
  (%with-file open-output-file current-output-port file thunk))

;;; ---- promises (R7RS's reference semantics: delay-force runs in constant space)
(define (make-promise x)
  (if (promise? x) x (%make-promise #t x)))

(define (force promise)
  (if (promise? promise) (%force promise) promise))

(define (%force promise)
  (let ((box (%promise-box promise)))
    (if (car box)
        (cdr box)
        (let ((promise* ((cdr box))))
          (if (not (car (%promise-box promise)))
              (%promise-adopt! (make-promise promise*) promise))
          (%force promise)))))

(define (%promise-adopt! new old)
  (let ((old-box (%promise-box old)) (new-box (%promise-box new)))
    (set-car! old-box (car new-box))
    (set-cdr! old-box (cdr new-box))
    (%promise-set-box! new old-box)))

;;; ---- higher-order list, vector and string procedures ---------------------------------
(define (%cars+cdrs lists)
  ;; (cars . cdrs) of the lists, or #f when any list is exhausted
  (let loop ((ls lists) (cars '()) (cdrs '()))
    (cond ((null? ls) (cons (reverse cars) (reverse cdrs)))
          ((pair? (car ls)) (loop (cdr ls) (cons (car (car ls)) cars) (cons (cdr (car ls)) cdrs)))
          (else #f))))

(define (map f l . ls)
  (if (null? ls)
      (let loop ((l l) (acc '()))
        (cond ((pair? l) (loop (cdr l) (cons (f (car l)) acc)))
              ((null? l) (reverse acc))
              (else (error "map: not a proper list" l))))
      (let loop ((lists (cons l ls)) (acc '()))
        (let ((split (%cars+cdrs lists)))
          (if split
              (loop (cdr split) (cons (apply f (car split)) acc))
              (reverse acc))))))

(define (for-each f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (cond ((pair? l) (f (car l)) (loop (cdr l)))
              ((not (null? l)) (error "for-each: not a proper list" l))))
      (let loop ((lists (cons l ls)))
        (let ((split (%cars+cdrs lists)))
          (if split (begin (apply f (car split)) (loop (cdr split))))))))

(define (vector-map f v . vs)
  (list->vector (apply map f (vector->list v) (map vector->list vs))))

(define (vector-for-each f v . vs)
  (apply for-each f (vector->list v) (map vector->list vs)))

(define (string-map f s . ss)
  (list->string (apply map f (string->list s) (map string->list ss))))

(define (string-for-each f s . ss)
  (apply for-each f (string->list s) (map string->list ss)))

(define %member2 member)
(define member
  (case-lambda
    ((x l) (%member2 x l))
    ((x l compare)
     (let loop ((l l))
       (cond ((not (pair? l)) #f)
             ((compare x (car l)) l)
             (else (loop (cdr l))))))))

(define %assoc2 assoc)
(define assoc
  (case-lambda
    ((x l) (%assoc2 x l))
    ((x l compare)
     (let loop ((l l))
       (cond ((not (pair? l)) #f)
             ((compare x (car (car l))) (car l))
             (else (loop (cdr l))))))))

;;; ---- eval, environments and load (the compiling halves are primitives) ----------------
(define (environment . import-sets)
  (let ((env (%make-environment import-sets)))
    ((cdr env))                         ; load the imported libraries
    (car env)))

(define eval                       ; hawk: the environment defaults to the interaction one
  (case-lambda
    ((expr) ((%compile expr (interaction-environment))))
    ((expr env) ((%compile expr env)))))

;; R7RS: a version other than 5 that the implementation does not support
;; is an error that must be signalled
(define (%r5rs-environment who version)
  (if (eqv? version 5)
      (environment '(scheme r5rs))
      (error (string-append who ": unsupported version") version)))
(define (scheme-report-environment version) (%r5rs-environment "scheme-report-environment" version))
(define (null-environment version) (%r5rs-environment "null-environment" version))

(define load
  (case-lambda
    ((file) (load file (interaction-environment)))
    ((file env) ((%compile-file file env)) (if #f #f))))
