(define-record-type point
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y))
(define p (make-point 3 4))
(display (list (point? p) (point? 5) (point-x p) (point-y p))) (newline)
(set-point-x! p 10)
(display (point-x p)) (newline)
(define-record-type <node> (make-node val) node? (val node-val) (next node-next set-node-next!))
(define n (make-node 1))
(display (node-next n)) (newline)
(set-node-next! n (make-node 2))
(display (node-val (node-next n))) (newline)
