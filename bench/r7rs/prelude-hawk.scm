;; Prepended by bench/run.py for hawk (JIT and --joff) and Guile: the
;; R7RS libraries every benchmark program may use.
(import (scheme base) (scheme read) (scheme write) (scheme time)
        (scheme inexact) (scheme process-context))
