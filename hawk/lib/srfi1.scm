;;; SRFI 1, the list library, as globals. Every procedure walks its lists
;;; with a loop and an accumulator (reversed at the end), never with
;;; recursion on the list, so lists of any length run in constant stack.
;;; The linear-update variants (filter! reverse! ...) are the plain ones,
;;; which SRFI 1 allows.

;;; ---- constructors --------------------------------------------------------------
(define (xcons d a) (cons a d))

(define (cons* x . rest)
  (let loop ((x x) (rest rest) (prefix '()))
    (if (null? rest)
        (append-reverse prefix x)
        (loop (car rest) (cdr rest) (cons x prefix)))))

(define (list-tabulate n proc)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (proc i) acc)))))

(define (iota count . start+step)
  (if (not (and (exact-integer? count) (>= count 0)))
      (error "iota: not a non-negative exact integer" count))
  (let ((start (if (pair? start+step) (car start+step) 0))
        (step (if (and (pair? start+step) (pair? (cdr start+step))) (cadr start+step) 1)))
    (let loop ((i (- count 1)) (acc '()))
      (if (< i 0) acc (loop (- i 1) (cons (+ start (* i step)) acc))))))

(define (unfold stop? mapper successor seed . tail-gen)
  (let loop ((seed seed) (acc '()))
    (if (stop? seed)
        (append-reverse acc (if (pair? tail-gen) ((car tail-gen) seed) '()))
        (loop (successor seed) (cons (mapper seed) acc)))))

(define (unfold-right stop? mapper successor seed . tail)
  (let loop ((seed seed) (acc (if (pair? tail) (car tail) '())))
    (if (stop? seed) acc (loop (successor seed) (cons (mapper seed) acc)))))

;;; ---- predicates ------------------------------------------------------------------
(define proper-list? list?)

(define (%list-end x)
  ;; the final cdr of x, or #f when x is circular
  (let loop ((slow x) (fast x))
    (cond ((not (pair? fast)) fast)
          ((not (pair? (cdr fast))) (cdr fast))
          (else (let ((slow (cdr slow)) (fast (cddr fast)))
                  (if (eq? slow fast) #f (loop slow fast)))))))

(define (circular-list? x) (and (pair? x) (not (%list-end x))))
(define (dotted-list? x) (let ((end (%list-end x))) (and end (not (null? end)) #t)))
(define (not-pair? x) (not (pair? x)))

(define (null-list? l)
  (cond ((pair? l) #f)
        ((null? l) #t)
        (else (error "null-list?: not a list" l))))

(define (list= = . lists)
  (define (same? a b)
    (let loop ((a a) (b b))
      (cond ((and (null? a) (null? b)) #t)
            ((or (null? a) (null? b)) #f)
            ((= (car a) (car b)) (loop (cdr a) (cdr b)))
            (else #f))))
  (let loop ((lists lists))
    (or (null? lists) (null? (cdr lists))
        (and (same? (car lists) (cadr lists)) (loop (cdr lists))))))

;;; ---- selectors -------------------------------------------------------------------
(define first car)
(define second cadr)
(define third caddr)
(define fourth cadddr)
(define (fifth l) (list-ref l 4))
(define (sixth l) (list-ref l 5))
(define (seventh l) (list-ref l 6))
(define (eighth l) (list-ref l 7))
(define (ninth l) (list-ref l 8))
(define (tenth l) (list-ref l 9))

(define (car+cdr p) (values (car p) (cdr p)))

(define (take l k)
  (let loop ((l l) (i k) (acc '()))
    (cond ((= i 0) (reverse acc))
          ((pair? l) (loop (cdr l) (- i 1) (cons (car l) acc)))
          (else (error "take: list too short" k)))))

(define (drop l k) (list-tail l k))

(define (take-right l k)
  (let loop ((lag l) (lead (drop l k)))
    (if (pair? lead) (loop (cdr lag) (cdr lead)) lag)))

(define (drop-right l k)
  (let loop ((lag l) (lead (drop l k)) (acc '()))
    (if (pair? lead) (loop (cdr lag) (cdr lead) (cons (car lag) acc)) (reverse acc))))

(define (split-at l k) (values (take l k) (drop l k)))

(define (last l) (car (last-pair l)))

(define (length+ x) (and (%list-end x) (let loop ((x x) (n 0)) (if (pair? x) (loop (cdr x) (+ n 1)) n))))

;;; ---- folds over one list or several (then up to the shortest) --------------------
(define (%rows lists)
  ;; the successive lists of cars of `lists`, up to the shortest list
  (let loop ((lists lists) (rows '()))
    (let ((split (%cars+cdrs lists)))
      (if split (loop (cdr split) (cons (car split) rows)) (reverse rows)))))

(define (%fold-rows kons knil rows)
  (let loop ((rows rows) (acc knil))
    (if (null? rows) acc (loop (cdr rows) (apply kons (append (car rows) (list acc)))))))

(define (fold kons knil l . ls)
  (if (null? ls)
      (let loop ((l l) (acc knil))
        (if (pair? l) (loop (cdr l) (kons (car l) acc)) acc))
      (%fold-rows kons knil (%rows (cons l ls)))))

(define (fold-right kons knil l . ls)
  (if (null? ls)
      (fold kons knil (reverse l))
      (%fold-rows kons knil (reverse (%rows (cons l ls))))))

(define (pair-fold kons knil l)
  (let loop ((l l) (acc knil))
    (if (pair? l) (let ((next (cdr l))) (loop next (kons l acc))) acc)))

(define (reduce f ridentity l)
  (if (null? l) ridentity (fold f (car l) (cdr l))))

(define (reduce-right f ridentity l)
  (if (null? l)
      ridentity
      (let ((r (reverse l))) (fold f (car r) (cdr r)))))

(define (concatenate lists) (fold append '() (reverse lists)))

(define (append-reverse rev-head tail)
  (if (pair? rev-head) (append-reverse (cdr rev-head) (cons (car rev-head) tail)) tail))

(define (append-map f l . ls) (concatenate (apply map f l ls)))

(define map-in-order map)         ; hawk's map already goes left to right

(define (pair-for-each f l)
  (let loop ((l l))
    (if (pair? l) (let ((next (cdr l))) (f l) (loop next)))))

(define (filter-map f l . ls)
  (let loop ((rows (if (null? ls) (map list l) (%rows (cons l ls)))) (acc '()))
    (if (null? rows)
        (reverse acc)
        (let ((x (apply f (car rows))))
          (loop (cdr rows) (if x (cons x acc) acc))))))

(define (count pred l . ls)
  (fold (lambda (row n) (if (apply pred row) (+ n 1) n))
        0
        (if (null? ls) (map list l) (%rows (cons l ls)))))

;;; ---- filtering and partitioning ----------------------------------------------------
(define (filter pred l)
  (let loop ((l l) (acc '()))
    (cond ((null? l) (reverse acc))
          ((pred (car l)) (loop (cdr l) (cons (car l) acc)))
          (else (loop (cdr l) acc)))))

(define (remove pred l) (filter (lambda (x) (not (pred x))) l))

(define (partition pred l)
  (let loop ((l l) (in '()) (out '()))
    (cond ((null? l) (values (reverse in) (reverse out)))
          ((pred (car l)) (loop (cdr l) (cons (car l) in) out))
          (else (loop (cdr l) in (cons (car l) out))))))

(define (delete x l . =)
  (let ((same? (if (pair? =) (car =) equal?)))
    (filter (lambda (y) (not (same? x y))) l)))

(define (delete-duplicates l . =)
  (let ((same? (if (pair? =) (car =) equal?)))
    (let loop ((l l) (kept '()))
      (cond ((null? l) (reverse kept))
            ((any (lambda (k) (same? k (car l))) kept) (loop (cdr l) kept))
            (else (loop (cdr l) (cons (car l) kept)))))))

;;; ---- searching ------------------------------------------------------------------------
(define (find-tail pred l)
  (let loop ((l l))
    (cond ((not (pair? l)) #f)
          ((pred (car l)) l)
          (else (loop (cdr l))))))

(define (find pred l)
  (let ((tail (find-tail pred l))) (and tail (car tail))))

(define (any pred l . ls)
  (if (null? ls)
      (let loop ((l l))
        (and (pair? l) (or (pred (car l)) (loop (cdr l)))))
      (let loop ((rows (%rows (cons l ls))))
        (and (pair? rows) (or (apply pred (car rows)) (loop (cdr rows)))))))

(define (every pred l . ls)
  (let loop ((rows (if (null? ls) (map list l) (%rows (cons l ls)))) (last #t))
    (cond ((null? rows) last)
          ((apply pred (car rows)) => (lambda (x) (loop (cdr rows) x)))
          (else #f))))

(define (list-index pred l . ls)
  (let loop ((rows (if (null? ls) (map list l) (%rows (cons l ls)))) (i 0))
    (cond ((null? rows) #f)
          ((apply pred (car rows)) i)
          (else (loop (cdr rows) (+ i 1))))))

(define (take-while pred l)
  (let loop ((l l) (acc '()))
    (if (and (pair? l) (pred (car l))) (loop (cdr l) (cons (car l) acc)) (reverse acc))))

(define (drop-while pred l)
  (let loop ((l l))
    (if (and (pair? l) (pred (car l))) (loop (cdr l)) l)))

(define (span pred l)
  (let loop ((l l) (acc '()))
    (if (and (pair? l) (pred (car l)))
        (loop (cdr l) (cons (car l) acc))
        (values (reverse acc) l))))

(define (break pred l) (span (lambda (x) (not (pred x))) l))

;;; ---- association lists ------------------------------------------------------------------
(define (alist-cons key value alist) (cons (cons key value) alist))
(define (alist-copy alist) (map (lambda (entry) (cons (car entry) (cdr entry))) alist))

(define (alist-delete key alist . =)
  (let ((same? (if (pair? =) (car =) equal?)))
    (filter (lambda (entry) (not (same? key (car entry)))) alist)))

;;; ---- lists as sets ----------------------------------------------------------------------
(define (%member-by = x set) (any (lambda (y) (= y x)) set))

(define (lset-adjoin = set . xs)
  (fold (lambda (x set) (if (%member-by = x set) set (cons x set))) set xs))

(define (lset-union = . sets)
  (reduce (lambda (set acc) (apply lset-adjoin = acc set)) '() sets))

(define (lset-intersection = set . sets)
  (filter (lambda (x) (every (lambda (s) (%member-by = x s)) sets)) set))

(define (lset-difference = set . sets)
  (filter (lambda (x) (not (any (lambda (s) (%member-by = x s)) sets))) set))

(define (lset<= = . sets)
  (let loop ((sets sets))
    (or (null? sets) (null? (cdr sets))
        (and (every (lambda (x) (%member-by = x (cadr sets))) (car sets))
             (loop (cdr sets))))))

(define (lset= = . sets)
  (let loop ((sets sets))
    (or (null? sets) (null? (cdr sets))
        (and (lset<= = (car sets) (cadr sets)) (lset<= = (cadr sets) (car sets))
             (loop (cdr sets))))))

(define (lset-xor = . sets)
  (reduce (lambda (b a)
            (append (lset-difference = a b) (lset-difference = b a)))
          '() sets))

(define (lset-diff+intersection = set . sets)
  (values (apply lset-difference = set sets)
          (filter (lambda (x) (any (lambda (s) (%member-by = x s)) sets)) set)))

;;; ---- zipping, circular lists, pair-fold-right -------------------------------------------
(define (zip l . ls) (apply map list l ls))
(define (unzip1 l) (map car l))
(define (unzip2 l) (values (map car l) (map cadr l)))
(define (unzip3 l) (values (map car l) (map cadr l) (map caddr l)))
(define (unzip4 l) (values (map car l) (map cadr l) (map caddr l) (map cadddr l)))
(define (unzip5 l) (values (map car l) (map cadr l) (map caddr l) (map cadddr l)
                           (map (lambda (x) (car (cddddr x))) l)))

(define (circular-list x . xs)
  (let ((l (cons x xs)))
    (set-cdr! (last-pair l) l)
    l))

(define (pair-fold-right kons knil l)
  ;; the pairs of l, last first (reversed so long lists need no deep recursion)
  (let loop ((pairs (let collect ((l l) (acc '()))
                      (if (pair? l) (collect (cdr l) (cons l acc)) acc)))
             (acc knil))
    (if (null? pairs) acc (loop (cdr pairs) (kons (car pairs) acc)))))

;;; ---- linear-update variants -----------------------------------------------------------
(define reverse! reverse)
(define take-while! take-while)
(define lset-union! lset-union)
(define lset-intersection! lset-intersection)
(define lset-difference! lset-difference)
(define lset-xor! lset-xor)
(define lset-diff+intersection! lset-diff+intersection)
(define append! append)
(define append-reverse! append-reverse)
(define take! take)
(define drop-right! drop-right)
(define split-at! split-at)
(define filter! filter)
(define remove! remove)
(define partition! partition)
(define delete! delete)
(define delete-duplicates! delete-duplicates)
(define append-map! append-map)
(define concatenate! concatenate)
(define span! span)
(define break! break)
(define alist-delete! alist-delete)
