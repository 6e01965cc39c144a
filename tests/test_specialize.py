"""The blocks engine (hawk.vm.specialize): the code it generates for small
functions, recovering the pc of a failing instruction from the generated
code's line numbers, and a differential run of every tests/scheme program
under both engines (the interpreter loop is the reference)."""
from __future__ import annotations

import pytest

from conftest import SCHEME_DIR, run_scheme
from hawk.vm import interp, specialize
from hawk.vm.bytecode import Op
from hawk.vm.vm import STACK_LO

PROGRAMS = sorted(p for p in SCHEME_DIR.glob("*.scm") if p.with_suffix(".out").exists())


@pytest.fixture
def engine(monkeypatch):
    """Select an engine for the rest of the test (blocks with the entry
    check on: every pc a generated function is entered at is a leader)."""
    def use(name: str):
        monkeypatch.setattr(interp, "ENGINE", name)
        monkeypatch.setattr(specialize, "CHECK", name == "blocks")
    return use


def load(text: str):
    from hawk.driver import make_vm, run_source
    vm = make_vm()
    run_source(vm, text, "t.scm")
    return vm


SUMLOOP = "(define (run n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s i)))))"


def test_blocks_of_a_loop(engine):
    engine("blocks")
    vm = load(SUMLOOP)
    f = vm.func_of(vm.lookup("run"))
    ops = [Op(ins[0]) for ins in f.code]
    header = ops.index(Op.LOOP)
    branch = header + 1                  # ISNNUM i n; JMP => body
    assert ops[branch] is Op.ISNNUM and ops[branch + 1] is Op.JMP
    body = f.code[branch + 1][2]
    # entry, the loop header (target of the back jump), the code after the
    # branch (the exit: RET s) and the loop body (the branch target)
    assert specialize.leaders_of(f.code) == [0, header, branch + 2, body]
    src, lines, leaders = specialize.source_of(f)
    for leader in leaders:
        assert f"if pc <= {leader}:" in src
    assert f"pc = {header}; continue" in src          # the back jump
    assert f"pc = {body}; continue" in src            # the taken branch
    assert src.count("if pc <=") == 4                 # one test per block, not per instruction
    assert "JMP" not in src and "code[" not in src    # no decoding left
    # every line of the body maps to the instruction it came from
    back = next(i for i, line in enumerate(src.splitlines(), 1) if line.strip() == f"pc = {header}; continue")
    assert lines[back] == len(f.code) - 1
    assert lines[src.splitlines().index(f"            if pc <= {body}:") + 1] == body
    r = vm.run(vm.lookup("run"), [vm.data.to_word(100)])
    assert vm.data.from_word(r) == 4950
    assert f.spec is not None and f.spec.leaders == frozenset(leaders)


def test_generated_code_is_cached_by_source(engine):
    engine("blocks")
    vm1, vm2 = load(SUMLOOP), load(SUMLOOP)
    for vm in (vm1, vm2):
        vm.run(vm.lookup("run"), [vm.data.to_word(10)])
    f1, f2 = (vm.func_of(vm.lookup("run")) for vm in (vm1, vm2))
    assert f1.spec is not f2.spec and f1.spec.__code__ is f2.spec.__code__


def test_many_blocks_get_grouped_dispatch(engine):
    engine("blocks")
    # a cond with many clauses: many blocks
    clauses = " ".join(f"((= x {k}) {k * 10})" for k in range(40))
    vm = load(f"(define (pick x) (cond {clauses} (else -1)))")
    f = vm.func_of(vm.lookup("pick"))
    src, _, leaders = specialize.source_of(f)
    assert len(leaders) > specialize.GROUP_MIN and "if pc < " in src
    for k in (0, 17, 39, 40):
        r = vm.run(vm.lookup("pick"), [vm.data.to_word(k)])
        assert vm.data.from_word(r) == (k * 10 if k < 40 else -1)


ERRORS = [
    "(define (f p)\n  (car p))\n(f 5)",
    "(define (g a b) (quotient a b))\n(g 1 0)",
    "(define (h v k) (+ 1 (vector-ref v k)))\n(h (vector 1 2) 7)",
    "(define (u) undefined-thing)\n(u)",
    "(define (loop i) (if (= i 3) (car i) (loop (+ i 1))))\n(loop 0)",
    "(define (f x) x)\n(f 1 2)",
]


@pytest.mark.parametrize("text", ERRORS, ids=range(len(ERRORS)))
def test_error_location_matches_loop(engine, text):
    """The report (file:line:col of the failing instruction, backtrace) is
    the interpreter's, so the pc recovered from the traceback is exact."""
    results = {}
    for name in ("loop", "blocks"):
        engine(name)
        results[name] = run_scheme(text, "t.scm")
    assert results["blocks"].status == results["loop"].status == 1
    assert results["blocks"].err == results["loop"].err


def test_pc_of_failing_instruction(engine):
    engine("blocks")
    from hawk.errors import SchemeError
    vm = load("(define (f p) (display 1) (car (cdr p)))")
    f = vm.func_of(vm.lookup("f"))
    seen = []
    real_signal = vm.signal

    def signal(exc, func, pc, base):
        seen.append((func, pc))
        return real_signal(exc, func, pc, base)
    vm.signal = signal
    with pytest.raises(SchemeError):
        vm.run(vm.lookup("f"), [vm.data.to_word(5)])
    (func, pc), = seen
    assert func is f and Op(f.code[pc][0]) is Op.CDR


def test_handler_resumes_after_failing_instruction(engine):
    """An error handled by the program links the handler's frame to pc+1 of
    the failing instruction: the blocks engine makes that pc a leader."""
    text = """
(define (f p) (+ 1 (car p)))
(display (call/cc (lambda (k)
  (with-exception-handler
    (lambda (e) (k (list 'caught (error-object-message e))))
    (lambda () (f 5))))))
(newline)
(display (with-exception-handler
  (lambda (e) 10)
  (lambda () (+ (raise-continuable 'oops) 1))))
(newline)
(display (with-exception-handler
  (lambda (e) 10)
  (lambda () (+ 1 (car 5)))))
"""
    results = {}
    for name in ("loop", "blocks"):
        engine(name)
        results[name] = run_scheme(text, "t.scm")
    assert results["blocks"] == results["loop"]
    assert results["loop"].out == "(caught car: not a pair)\n11\n"
    assert "handler returned from non-continuable raise" in results["loop"].err


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_engines_agree(engine, program):
    stdin = program.with_suffix(".in")
    stdin = stdin.read_text() if stdin.exists() else ""
    results = {}
    for name in ("loop", "blocks"):
        engine(name)
        results[name] = run_scheme(program.read_text(), str(program), stdin=stdin)
    assert results["blocks"] == results["loop"]
    assert results["blocks"].out == program.with_suffix(".out").read_text()


def test_every_opcode_has_a_template():
    assert {k for k in specialize.TEMPLATES if isinstance(k, Op)} == set(Op)
    assert set(specialize.TEMPLATES) - set(Op) == {specialize.CACHED_GGET}   # the one variant


def test_blocks_engine_hosts_the_jit(monkeypatch):
    """With the JIT on, the blocks engine's LOOP/FUNCF hooks record and enter
    traces, and every trace exit resumes at a block start (CHECK asserts it),
    including exits in the middle of a block (a type change mid-loop)."""
    from hawk.jit.options import JitOptions
    if not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    monkeypatch.setattr(specialize, "CHECK", True)
    monkeypatch.setattr(interp, "ENGINE", "blocks")
    from hawk.driver import make_vm, run_source
    vm = make_vm(jit=JitOptions(enabled=True, hot=3))
    run_source(vm, SUMLOOP, "t.scm")
    r = vm.run(vm.lookup("run"), [vm.data.to_word(1000)])
    assert vm.data.from_word(r) == 499500
    assert vm.jit.stats["compiled"] >= 1
    text = """(define (mix n) (let loop ((i 0) (s 0))
                (if (= i n) s (loop (+ i 1) (if (= i 500) (+ s 0.5) (+ s i))))))"""
    run_source(vm, text, "t.scm")
    r = vm.run(vm.lookup("mix"), [vm.data.to_word(1000)])
    assert vm.data.from_word(r) == sum(range(1000)) - 500 + 0.5


def test_trace_exits_become_entries_together(monkeypatch):
    """A compiled trace's exit pcs are added to its function's entries all
    at once, at the first exit landing on a pc not yet an entry: one
    regeneration where adding each exit pc as it was first taken made one
    per pc (six here: the root trace's four guards, then side traces')."""
    from hawk.jit.options import JitOptions
    if not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    monkeypatch.setattr(specialize, "CHECK", True)
    monkeypatch.setattr(interp, "ENGINE", "blocks")
    made = []
    real = specialize.specialize

    def counting(vm, f, extra=()):
        made.append(f.name)
        return real(vm, f, extra)
    monkeypatch.setattr(specialize, "specialize", counting)
    from hawk.driver import make_vm, run_source
    vm = make_vm(jit=JitOptions(enabled=True, hot=3))
    run_source(vm, """(define (count-multiples n)
      (let loop ((i 0) (a 0) (b 0) (c 0) (d 0))
        (if (= i n) (+ a (* 1000 b) (* 1000000 c) (* 1000000000 d))
            (loop (+ i 1)
                  (if (= (remainder i 3) 0) (+ a 1) a)
                  (if (= (remainder i 5) 0) (+ b 1) b)
                  (if (= (remainder i 7) 0) (+ c 1) c)
                  (if (= (remainder i 11) 0) (+ d 1) d)))))""", "t.scm")
    r = vm.run(vm.lookup("count-multiples"), [vm.data.to_word(1000)])
    assert vm.data.from_word(r) == 91_143_200_334
    assert vm.jit.stats["side"] >= 4
    assert made.count("count-multiples") == 2      # its first call, its first exit
    assert all(s.pc in s.func.exits for t in vm.jit.all_traces for s in t.snaps)


def test_under_the_jit_calls_are_not_nested():
    """Under the JIT every call goes back to the driver (NEST_MAX 0), so a
    CALL's generated code has no nested call to compile (nor regenerate)."""
    vm = load("(define (f x) (+ (g x) 1)) (define (g x) x)")
    f = vm.func_of(vm.lookup("f"))
    assert "_drive(" in specialize.source_of(f, jit=False)[0]
    assert "_drive(" not in specialize.source_of(f, jit=True)[0]


def test_profiling_counts_interpreted_bytecodes(engine):
    """Under -p the generated code adds each block's length to
    W[BC_INTERP]: one loop iteration (LOOP, ISNNUM with its JMP, ADD, ADDN,
    the back JMP) is five bytecodes, whatever the set-up costs; without -p
    nothing counts."""
    from hawk.driver import make_vm, run_source
    from hawk.gc.memory import BC_INTERP
    from hawk.jit.options import JitOptions
    engine("blocks")
    counts = {}
    for profile in (False, True):
        vm = make_vm(jit=JitOptions(enabled=False, profile=profile))
        run_source(vm, SUMLOOP, "t.scm")
        for n in (1000, 2000):
            before = vm.W[BC_INTERP]
            vm.run(vm.lookup("run"), [vm.data.to_word(n)])
            counts[profile, n] = vm.W[BC_INTERP] - before
    assert counts[False, 1000] == counts[False, 2000] == 0
    assert counts[True, 2000] - counts[True, 1000] == 5 * 1000


def test_a_redefined_callee_misses_the_call_sites_cache():
    from hawk.driver import make_vm, run_source
    vm = make_vm()
    run_source(vm, "(define (f) 1) (define (call) (f)) (define (g) 2)", "t.scm")
    call = vm.lookup("call")
    # the first call generates f's code, the second caches it at the site
    assert [vm.data.from_word(vm.run(call)) for _ in range(2)] == [1, 1]
    site = vm.func_of(call).id
    cache = next(ic for (fid, _), ic in vm.call_caches.items() if fid == site)
    assert cache[0] == vm.lookup("f")
    vm.define("f", vm.lookup("g"))
    assert [vm.data.from_word(vm.run(call)) for _ in range(2)] == [2, 2]
    assert cache[0] == vm.lookup("g")


def test_a_collection_empties_every_call_sites_cache():
    from hawk.driver import make_vm, run_source
    vm = make_vm()
    run_source(vm, "(define (f) 1) (define (call) (f)) (call) (call)", "t.scm")
    assert any(ic[0] is not None for ic in vm.call_caches.values())
    vm.collect(STACK_LO)          # the program has returned: no live frames
    assert all(ic[0] is None for ic in vm.call_caches.values())


def test_an_emptied_cache_matches_no_word():
    """Not even the fixnum 0: applying it is still an error."""
    text = "(define (f) 1) (define (call g) (g)) (call f) (call f)"
    from hawk.driver import make_vm, run_source
    from hawk.errors import SchemeError
    vm = make_vm()
    run_source(vm, text, "t.scm")
    vm.collect(STACK_LO)          # the program has returned: no live frames
    with pytest.raises(SchemeError, match="attempt to apply a non-procedure"):
        vm.run(vm.lookup("call"), [vm.data.to_word(0)])


def test_a_self_tail_call_loops_in_its_python_frame(engine):
    """CALLT of the running function jumps to pc 0 instead of handing a
    state back to the driver, and the parameters it just stored stay in
    locals (pc 0's landing pad loads them for callers from outside)."""
    engine("blocks")
    vm = load("(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1))))")
    f = vm.func_of(vm.lookup("count"))
    src, _, _ = specialize.source_of(f)
    assert "pc = 0; continue" in src
    pad = src.split("while True:")[0]
    assert "if pc == 0:" in pad and "r0 = W[base + 0]" in pad and "r1 = W[base + 1]" in pad
    run = vm.lookup("count")
    vm.run(run, [vm.data.to_word(1), vm.data.to_word(0)])      # generates f.spec
    calls = []
    fn = f.spec

    def wrapped(*args):
        calls.append(args)
        return fn(*args)
    wrapped.vm, wrapped.entries = fn.vm, fn.entries
    f.spec = wrapped
    r = vm.run(run, [vm.data.to_word(1000), vm.data.to_word(0)])
    assert vm.data.from_word(r) == 1000
    assert len(calls) == 1          # entered once; the 1000 tail calls stayed inside
