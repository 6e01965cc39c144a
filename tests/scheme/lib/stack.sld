;; A stack library: records, a macro, includes and cond-expand in a library.
(define-library (lib stack)
  (export make-stack stack-size (rename stack-items items) with-pushed)
  (include-library-declarations "stack-exports.scm")
  (import (scheme base))
  (cond-expand
    ((and hawk (not no-such-feature)) (begin (define implementation "hawk")))
    (else (begin (define implementation "other"))))
  (export implementation)
  (include "stack-impl.scm")
  (include-ci "stack-size.scm"))
