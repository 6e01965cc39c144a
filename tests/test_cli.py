"""The `hawk` command as a user runs it: a real subprocess per test."""
from __future__ import annotations

import subprocess
import sys

import pytest

HAWK = [sys.executable, "-m", "hawk"]


def hawk(*args, stdin="", cwd=None):
    return subprocess.run([*HAWK, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=cwd)


@pytest.fixture
def prog(tmp_path):
    def write(text, name="p.scm"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write


def test_run_prints_and_exits_zero(prog):
    r = hawk("run", prog('(display "hi") (newline)'))
    assert (r.returncode, r.stdout, r.stderr) == (0, "hi\n", "")


def test_file_shorthand_and_joff_in_either_place(prog):
    p = prog("(display 42)")
    assert hawk(p).stdout == "42"
    assert hawk("--joff", "run", p).stdout == "42"
    assert hawk("run", "--joff", p).stdout == "42"


def test_arguments_reach_command_line(prog):
    p = prog("(write (cdr (command-line)))")
    r = hawk("run", p, "a", "--b", "3")
    assert r.stdout == '("a" "--b" "3")'


def test_program_from_stdin():
    r = hawk("run", "-", stdin="(display (* 6 7))")
    assert r.stdout == "42"


def test_output_is_flushed_before_an_error_and_status_is_nonzero(prog):
    r = hawk("run", prog('(display "partial output") (car 1)'))
    assert r.returncode == 1
    assert r.stdout == "partial output"
    assert "error: car: not a pair: 1" in r.stderr
    assert "Traceback" not in r.stderr


def test_exit_code_is_passed_through(prog):
    assert hawk("run", prog('(display "x") (exit 7)')).returncode == 7


def test_missing_file_is_a_clear_error():
    r = hawk("run", "/nonexistent/prog.scm")
    assert r.returncode == 2
    assert "cannot read /nonexistent/prog.scm" in r.stderr
    assert "Traceback" not in r.stderr


def test_version_and_help():
    assert hawk("--version").stdout.startswith("hawk, version")
    out = hawk("--help").stdout
    assert "run" in out and "repl" in out and "--joff" in out


def test_verbose_takes_a_list_of_categories_and_refuses_unknown_ones(prog):
    p = prog("(define (f n) (if (= n 0) 0 (f (- n 1)))) (display (f 100))")
    listed = hawk("--hot", "3", "-v", "ir,record", "run", p)
    apart = hawk("--hot", "3", "-v", "ir", "-v", "record", "run", p)
    assert listed.returncode == apart.returncode == 0
    assert "---- trace 1 IR" in listed.stderr and "[jit] trace 1" in listed.stderr
    assert listed.stderr.splitlines()[:3] == apart.stderr.splitlines()[:3]
    bad = hawk("-v", "ir,asmx", "run", p)
    assert bad.returncode == 2
    assert "unknown category 'asmx'" in bad.stderr and bad.stdout == ""


def test_list_shows_bytecode_with_source_lines(prog):
    r = hawk("--list", prog("(define (f x) (+ x 1))\n(display (f 2))\n"))
    assert r.returncode == 0
    assert "FUNCF" in r.stdout and "ADDN" in r.stdout and "1:15" in r.stdout


def test_repl_through_a_pipe_keeps_definitions_and_survives_errors():
    script = "(define x 40)\n(+ x\n 2)\n(car '())\n(define-syntax twice (syntax-rules () ((_ e) (* 2 e))))\n(twice x)\n\"s\"\n"
    r = hawk("repl", stdin=script)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "42"
    assert lines[1].startswith("<repl>:4:1: error: car: not a pair")
    assert "80" in lines and '"s"' in lines


def test_reading_stdin_from_the_program(prog):
    r = hawk("run", prog("(write (+ (read) (read)))"), stdin="20 22")
    assert r.stdout == "42"


def test_dump_writes_a_perf_map_and_a_jitdump_naming_each_trace(prog):
    import os
    import struct
    from hawk.jit import jitdump
    from hawk.jit.options import JitOptions
    if not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    p = prog("(define (run n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s i)))))\n"
             "(display (run 100000))")
    proc = subprocess.Popen([*HAWK, "run", "--dump", p], stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate(timeout=120)
    path, dump = f"/tmp/perf-{proc.pid}.map", f"/tmp/jit-{proc.pid}.dump"
    try:
        assert out == "4999950000"
        gate, trace = open(path).readlines()[:2]
        gate_start, gate_size, gate_name = gate.split()
        assert gate_name == "hawk-gate" and int(gate_size, 16) > 0
        start, size, name, kind, func, where = trace.split()
        assert int(start, 16) >= int(gate_start, 16) + int(gate_size, 16) and int(size, 16) > 0
        assert (name, kind, func, where) == ("hawk-trace-1", "loop", "run", f"{p}:1")
        header, records = jitdump.read_records(dump)
        assert header[:6] == (jitdump.MAGIC, 1, 40, jitdump.EM_X86_64, 0, proc.pid)
        (k0, gate_load), (k1, debug), (k2, load) = records[:3]
        assert (k0, k1, k2) == (jitdump.CODE_LOAD, jitdump.CODE_DEBUG_INFO, jitdump.CODE_LOAD)
        assert gate_load[40:gate_load.index(b"\0", 40)].decode() == "hawk-gate"
        addr, n, _, line, _ = struct.unpack_from("<QQQII", debug)
        assert (addr, n, line) == (int(start, 16), 1, 1) and debug[32:-1].decode() == p
        pid, _, vma, code_addr, code_size, index = struct.unpack_from("<IIQQQQ", load)
        assert (pid, vma, code_addr, code_size, index) == (proc.pid, addr, addr, int(size, 16), 1)
        rest = load[40:]
        assert rest[:rest.index(b"\0")].decode() == f"hawk-trace-1 loop run {p}:1"
        assert len(rest) == rest.index(b"\0") + 1 + code_size
    finally:
        for f in (path, dump):
            if os.path.exists(f):
                os.remove(f)


def test_a_plain_run_needs_no_click_and_matches_the_commands():
    """`hawk run FILE` / `hawk FILE` with no options run without importing
    click (start-up); anything else goes to the click group, whose
    subcommands hawk.cli.COMMANDS lists."""
    from hawk import cli, commands
    assert set(cli.COMMANDS) == set(commands.main.commands)
    assert cli.plain_run(["run", "p.scm", "-x", "y"]) == ("p.scm", ["-x", "y"])
    assert cli.plain_run(["p.scm", "--joff"]) == ("p.scm", ["--joff"])
    assert cli.plain_run(["run", "-"]) == ("-", [])
    for args in ([], ["repl"], ["run"], ["--joff", "run", "p.scm"], ["run", "--joff", "p.scm"],
                 ["--version"], ["-p", "p.scm"]):
        assert cli.plain_run(args) is None, args
    code = "import sys, runpy; sys.argv = ['hawk', 'run', '-']; " \
           "runpy.run_module('hawk', run_name='__main__')"
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], input="(display 1)",
                       capture_output=True, text=True, timeout=120)
    assert r.stdout == "1"
    assert " click\n" not in r.stderr and "hawk.driver" in r.stderr


def _time_split(stderr: str) -> tuple[float, dict]:
    """-p's `time:` line as (total ms, {stage: ms})."""
    line = next(ln for ln in stderr.splitlines() if ln.startswith("time: "))
    head, _, rest = line.partition(" ms: ")
    parts = dict(p.rsplit(" ", 1) for p in rest.split(" (")[0].split(", "))
    return float(head.split()[1]), {k: float(v) for k, v in parts.items()}


def test_profile_splits_the_time_of_a_jit_run(prog):
    # a hot loop that calls a primitive from its trace: time lands in traces
    # and callouts; the stages add up to the total
    p = prog("(define (f i acc) (if (= i 0) acc (f (- i 1) (+ acc (string-length (number->string i))))))"
             "(display (f 300000 0))")
    r = hawk("-p", "run", p)
    assert r.returncode == 0 and r.stdout == "1688895"
    total, parts = _time_split(r.stderr)
    assert {"startup", "frontend", "codegen", "gc", "recording", "compiling", "back end",
            "traces", "interpreter"} == set(parts)
    assert parts["traces"] > 0 and parts["compiling"] > 0
    assert abs(sum(parts.values()) - total) <= 0.2 + 0.01 * total
    callouts = float(r.stderr.split("(callouts from traces ")[1].split()[0])
    assert 0 < callouts <= parts["traces"]


def test_profile_splits_the_time_of_an_interpreted_run(prog):
    r = hawk("--joff", "-p", "run", prog("(display (length (iota 1000)))"))
    total, parts = _time_split(r.stderr)
    assert r.stdout == "1000" and "traces" not in parts and parts["interpreter"] > 0
    assert abs(sum(parts.values()) - total) <= 0.2 + 0.01 * total


INTERRUPTED = """
(call-with-output-file "{marker}" (lambda (p) (display "running" p)))
(display "before the loop") (newline)
(define (spin i acc) (if (< i 0) acc (spin (+ i 1) {acc})))
(spin 0 '())
"""


@pytest.mark.parametrize("options, acc", [
    ((), "(if (= (modulo i 1000) 0) '() (cons i acc))"),        # allocates: a safepoint soon
    (("--joff",), "(if (= (modulo i 1000) 0) '() (cons i acc))"),
    ((), "acc"),               # a trace that never allocates: the grace period runs out
])
def test_ctrl_c_stops_the_program_and_flushes_its_output(tmp_path, options, acc):
    import signal
    import time
    marker = tmp_path / "marker"
    path = tmp_path / "spin.scm"
    path.write_text(INTERRUPTED.format(marker=marker, acc=acc))
    # Python's Ctrl-C handler installed explicitly: a shell that starts the
    # tests in the background has them ignore SIGINT, and so would hawk
    # (no preexec_fn: it forks, which a test process with many VMs' memory
    # mapped may not be allowed to)
    start = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "sys.argv[0] = 'hawk'; runpy.run_module('hawk', run_name='__main__')")
    proc = subprocess.Popen([sys.executable, "-c", start, *options, "run", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)                # into the loop (and its trace)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "before the loop\n", "hawk: interrupted\n")
